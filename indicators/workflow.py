"""The review workflow of a reported figure, for any model: draft → submitted → approved | returned.

The fields live on the abstract model ReviewedFigure; the steps are functions that every
save and review service calls inside its own transaction: lock the row and check the
version (no lost update), record who entered or reviewed it, copy the approved snapshot,
raise the version and save with the history user and reason.

An indicator's Actual predates this module and keeps its own copy of the same fields and
rules (indicators/actuals.py); the errors are shared, so views catch one kind of conflict.
"""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actuals import ActualConflict, ActualInvalid, WorkflowError, can_review
from .models import ActualState

# The errors are those of actuals, for every reported figure: FigureConflict.current holds
# what the other person saved; FigureInvalid.problems lists every broken rule by field.
FigureConflict = ActualConflict
FigureInvalid = ActualInvalid

State = ActualState


class ReviewedFigure(models.Model):
    """A department's working copy of a figure, its review state, and its approved snapshot.

    Subclasses add their figure fields and their approved copies, named in
    APPROVED_FIELDS (working field → approved field): approval copies them, so leaders
    keep seeing the approved figure while a correction waits for review.
    """

    APPROVED_FIELDS: dict[str, str] = {}

    state = models.CharField(
        _("状态"), max_length=10, choices=ActualState.choices, default=ActualState.DRAFT
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    # Raised by every save; a save that names an older version is refused.
    version = models.PositiveIntegerField(_("版本"), default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("填报时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in ActualState]),
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
        return self.state == ActualState.APPROVED

    @property
    def has_approved_figure(self) -> bool:
        return self.approved_at is not None


Figure = TypeVar("Figure", bound=ReviewedFigure)


def lock_for_save(
    queryset: QuerySet, *, expected_version: int | None, new: Callable[[], Figure]
) -> Figure:
    """Return the figure locked for this save, or `new()` (unsaved, version 0) if there is none.

    `expected_version` is the version the user started from (None or 0 for a new figure).
    Raises WorkflowError when the figure the user opened has gone, FigureConflict when
    someone saved it since. Call inside a transaction.
    """
    figure = queryset.select_for_update().first()
    if figure is None:
        if expected_version:
            raise WorkflowError("该数据已被删除，请刷新页面后重新填报。")
        figure = new()
        figure.version = 0
        return figure
    if expected_version != figure.version:
        raise FigureConflict(figure)
    return figure


def record_entry(figure: ReviewedFigure, *, user, submit: bool) -> None:
    """Mark the working copy as entered by `user`; submitted for review when `submit`."""
    now = timezone.now()
    figure.entered_by, figure.entered_at = user, now
    if submit:
        figure.state = ActualState.SUBMITTED
        figure.submitted_by, figure.submitted_at = user, now
        figure.return_reason = ""
    elif figure.state != ActualState.RETURNED:
        # A returned figure keeps its reason visible while the department reworks it.
        figure.state = ActualState.DRAFT


def save_version(
    figure: Figure, *, user, reason: str, current: Callable[[], Figure | None]
) -> Figure:
    """Raise the version and save with the history user and reason; return the figure.

    Two first saves of the same figure can race past the empty lookup of lock_for_save;
    the loser's insert breaks the unique constraint, and `current()` fetches what the
    winner saved to report the conflict.
    """
    is_new = figure.pk is None
    figure.version += 1
    figure._history_user = user
    figure._change_reason = reason
    try:
        with transaction.atomic():
            figure.save()
    except IntegrityError as exc:
        if not is_new:
            raise
        winner = current()
        if winner is None:
            raise
        raise FigureConflict(winner) from exc
    return figure


def lock_for_review(
    queryset: QuerySet,
    *,
    pk: int,
    user,
    expected_version: int | None,
    describe: Callable[[Figure], str],
) -> Figure:
    """Return the submitted figure `pk`, locked; only the plan office reviews.

    Raises PermissionDenied, FigureConflict (a newer version than the reviewer saw), or
    WorkflowError when the figure is not waiting for review; `describe` names it.
    """
    if not can_review(user):
        raise PermissionDenied("只有规划办管理员可以审核。")
    figure = queryset.select_for_update().get(pk=pk)
    if expected_version is not None and expected_version != figure.version:
        raise FigureConflict(figure)
    if figure.state != ActualState.SUBMITTED:
        raise WorkflowError(
            f"{describe(figure)}当前为“{figure.get_state_display()}”，只能审核待审核的数据。"
        )
    return figure


def approve(figure: Figure, *, user, reason: str = "审核通过") -> Figure:
    """Approve a figure locked by lock_for_review: its figures become the approved ones."""
    now = timezone.now()
    figure.state = ActualState.APPROVED
    for working, approved in figure.APPROVED_FIELDS.items():
        setattr(figure, approved, getattr(figure, working))
    figure.approved_at = now
    figure.reviewed_by, figure.reviewed_at = user, now
    figure.version += 1
    figure._history_user = user
    figure._change_reason = reason
    figure.save()
    return figure


def send_back(figure: Figure, *, user, reason: str) -> Figure:
    """Return a figure locked by lock_for_review to its department with the reason."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError("退回时请填写退回原因。")
    figure.state = ActualState.RETURNED
    figure.return_reason = reason
    figure.reviewed_by, figure.reviewed_at = user, timezone.now()
    figure.version += 1
    figure._history_user = user
    figure._change_reason = f"退回：{reason}"
    figure.save()
    return figure


__all__ = [
    "FigureConflict",
    "FigureInvalid",
    "ReviewedFigure",
    "State",
    "WorkflowError",
    "approve",
    "lock_for_review",
    "lock_for_save",
    "record_entry",
    "save_version",
    "send_back",
]
