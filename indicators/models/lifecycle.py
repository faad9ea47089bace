"""Revised targets (目标调整): a revision beside the stated target, which is never touched.

The rules the database can hold are constraints: one live revision per indicator and
year, a revision is a number or a text, and it carries its reason and document number.
A plan's open/closed state and lineage are in lineage.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .plan import FIGURE_DECIMALS, FIGURE_DIGITS


class TargetRevision(models.Model):
    """A revised yearly or final target (目标调整); `ended_at` is set when it is replaced or
    withdrawn, so the live revision of an indicator-year is the one without it."""

    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("指标"),
        on_delete=models.CASCADE,
        related_name="target_revisions",
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    value = models.DecimalField(
        _("调整后目标值"),
        max_digits=FIGURE_DIGITS,
        decimal_places=FIGURE_DECIMALS,
        null=True,
        blank=True,
    )
    text = models.CharField(_("调整后文字目标"), max_length=100, blank=True)
    reason = models.TextField(_("调整理由"))
    document_number = models.CharField(_("调整依据文号"), max_length=100)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调整人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revised_at = models.DateTimeField(_("调整时间"), auto_now_add=True)
    ended_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("失效操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    end_reason = models.CharField(_("失效原因"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("目标调整")
        verbose_name_plural = _("目标调整")
        ordering = ["indicator", "year", "-revised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(ended_at__isnull=True),
                name="target_revision_one_live_per_year",
            ),
            models.CheckConstraint(
                condition=(Q(value__isnull=False) & Q(text=""))
                | (Q(value__isnull=True) & ~Q(text="")),
                name="target_revision_value_or_text",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="target_revision_has_reason"),
            models.CheckConstraint(
                condition=~Q(document_number=""), name="target_revision_has_document"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.text or self.value}"

    @property
    def is_live(self) -> bool:
        return self.ended_at is None


def live_revision_of_target(field: str):
    """The live revision's `field` for the target of each row (a correlated subquery)."""
    live = TargetRevision.objects.filter(
        indicator=OuterRef("indicator_id"), year=OuterRef("year"), ended_at__isnull=True
    )
    return Subquery(live.values(field)[:1])


def with_revisions(lookup: str = "targets") -> Prefetch:
    """Prefetch targets annotated with their live revision: `revision_id`, `revised_value`,
    `revised_text` (None where none), in the same single query as the targets."""
    from .plan import Target

    targets = Target.objects.annotate(
        revision_id=live_revision_of_target("pk"),
        revised_value=live_revision_of_target("value"),
        revised_text=live_revision_of_target("text"),
    )
    return Prefetch(lookup, queryset=targets)
