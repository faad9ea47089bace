"""The abstract model of every reported figure: review state, who and when, approved snapshot,
lost-update version, and the sample flag."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已审核")
    RETURNED = "returned", _("已退回")


def _who(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )


# The workflow's own fields: changed only by the workflow's steps, which keep the version
# and the approved snapshot consistent (the admin shows them read-only).
WORKFLOW_FIELDS = (
    "state",
    "return_reason",
    "version",
    "entered_by",
    "entered_at",
    "submitted_by",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "approved_at",
    "is_demo",
)


class ReviewedFigure(models.Model):
    """A department's working copy of a figure, its review state, and its approved snapshot.

    Subclasses add their figure fields and name them:
    - APPROVED_FIELDS (working field → approved field): approval copies them, so leaders
      keep seeing the approved figure while a correction waits for review;
    - SAMPLE_FIELDS: the fields a sample (load_demo) fills in; a department's real entry
      over a sample clears every one of them, so no sample text survives (workflow.py).
    The steps of the workflow are in indicators/reporting/workflow.py.
    """

    APPROVED_FIELDS: dict[str, str] = {}
    SAMPLE_FIELDS: tuple[str, ...] = ()

    state = models.CharField(
        _("状态"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    # Raised by every save; a save that names an older version is refused (lost-update guard).
    version = models.PositiveIntegerField(_("版本"), default=1)
    entered_by = _who(_("填报人"))
    entered_at = models.DateTimeField(_("填报时间"), null=True, blank=True)
    submitted_by = _who(_("提交人"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = _who(_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    # Sample figures loaded by `load_demo` so the pages are not empty on a first start;
    # pages that show them say 示例数据, and `clear_demo` removes only these.
    is_demo = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in ReviewState]),
                name="%(app_label)s_%(class)s_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="%(app_label)s_%(class)s_version_positive"
            ),
            # A return says why.
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""),
                name="%(app_label)s_%(class)s_returned_has_reason",
            ),
            # An approved figure records when it was approved.
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(approved_at__isnull=False),
                name="%(app_label)s_%(class)s_approved_has_date",
            ),
        ]

    @property
    def is_locked(self) -> bool:
        """An approved figure is locked: changing it means a new submission."""
        return self.state == ReviewState.APPROVED

    @property
    def has_approved_figure(self) -> bool:
        return self.approved_at is not None
