"""Published figures show on the indicator pages (公开报道), which are kept rendered per plan
data version (indicators/cache.py): a change to a figure, its source or its links moves
the plans whose pages show it. They change a few times a year (load_published, the form,
the upload), so a figure or a source moves every plan; a link moves its indicator's plan.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from indicators.cache import bump_all_on_commit, bump_on_commit, figure_plan_id

from .models import IndicatorLink, PublishedFigure, SourceDocument


@receiver([post_save, post_delete], sender=PublishedFigure)
@receiver([post_save, post_delete], sender=SourceDocument)
def published_changed(sender, instance, **kwargs) -> None:
    bump_all_on_commit()


@receiver([post_save, post_delete], sender=IndicatorLink)
def link_changed(sender, instance: IndicatorLink, **kwargs) -> None:
    # Free when the link's indicator is loaded (the loader and the form set it).
    bump_on_commit(figure_plan_id(instance, "indicator__plan"))
