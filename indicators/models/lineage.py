"""The lineage fields of Plan and Indicator, as abstract models (plan.py stays the core).

A plan may follow another (十四五 → 十五五) and is open or closed; an indicator may be
linked to the one of the previous plan that measures the same thing, so one series runs
across plans.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanLifecycle(models.Model):
    """A plan's predecessor, and whether it is closed (by whom, when)."""

    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("前一规划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结束人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class IndicatorLineage(models.Model):
    """The indicator of the previous plan that measures the same thing, for one series."""

    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("前一规划的对应指标"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
    )

    class Meta:
        abstract = True
