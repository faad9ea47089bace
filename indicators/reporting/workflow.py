"""The review workflow of a reported figure, for any model: draft → submitted → approved | returned.

The fields live on the abstract model ReviewedFigure (figure.py). `save_entry` is the one
save every kind uses: lock the row and check the version (no lost update), turn a sample
into a real figure, record who entered it, raise the version and save with the history
user and reason. `lock_for_review`, `approve` and `send_back` are the review steps. The
Excel import takes the same steps for many figures at once (bulk.py): `check_entry`,
`enter` and `mark_approved` are the parts both share.
"""

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.dispatch import Signal
from django.utils import timezone

from .. import permissions
from ..cache import bump_on_commit, figure_plan_id
from .figure import ReviewedFigure, ReviewState


class WorkflowError(Exception):
    """The figure is not in a state that allows this step; the message says why, in Chinese."""


class FigureInvalid(Exception):
    """The figure breaks a rule; `problems` holds every one, by field."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("；".join(p.message for p in problems))


class FigureConflict(Exception):
    """Someone saved this figure after the user opened it; `current` is what they saved."""

    def __init__(self, current):
        self.current = current
        super().__init__(f"{current} was changed by someone else (version {current.version})")


Figure = TypeVar("Figure", bound=ReviewedFigure)

# Sent by approve and send_back inside the review's transaction, with `figure`, `user` and
# `approved` (False for a return): apps that tell people (workspace) connect to it, so the
# kernel imports none of them.
figure_reviewed = Signal()
# The same for many figures of one kind reviewed together (an import approving its rows),
# with `figures`, `user` and `approved`: sent once, so a receiver reads what it needs for
# all of them at once rather than once per figure.
figures_reviewed = Signal()


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
        figure.state = ReviewState.SUBMITTED
        figure.submitted_by, figure.submitted_at = user, now
        figure.return_reason = ""
    elif figure.state != ReviewState.RETURNED:
        # A returned figure keeps its reason visible while the department reworks it.
        figure.state = ReviewState.DRAFT


def clear_sample(figure: ReviewedFigure) -> None:
    """Turn a sample into an empty real figure: no sample value, text or approval survives.

    Called by save_entry for every kind, so a department's real entry over a sample
    (by form or by Excel) keeps nothing of it and `clear_demo` can never remove it.
    """
    if not figure.is_demo:
        return
    figure.is_demo = False
    for name in (*figure.SAMPLE_FIELDS, *figure.APPROVED_FIELDS.values()):
        field = figure._meta.get_field(name)
        setattr(figure, name, None if field.null else field.get_default())
    figure.approved_at = figure.reviewed_at = figure.submitted_at = None
    figure.reviewed_by = figure.submitted_by = None
    figure.state = ReviewState.DRAFT
    figure.return_reason = ""


def save_entry(
    queryset: QuerySet,
    *,
    new: Callable[[], Figure],
    fill: Callable[[Figure], None],
    expected_version: int | None,
    user,
    submit: bool,
    reason: str = "",
) -> Figure:
    """Save a department's entry as a draft, or submit it; return the saved figure.

    `queryset` selects the one figure (subject and year), `new` makes it when there is
    none, `fill` copies the entry onto it. Raises WorkflowError or FigureConflict. Call
    inside the caller's transaction, after its permission and rule checks.
    """
    figure = lock_for_save(queryset, expected_version=expected_version, new=new)
    enter(figure, fill=fill, user=user, submit=submit)
    return save_version(
        figure,
        user=user,
        reason=reason or ("提交审核" if submit else "保存草稿"),
        current=queryset.first,
    )


def enter(figure: ReviewedFigure, *, fill: Callable, user, submit: bool) -> None:
    """Apply an entry to the working copy (not saved): a sample cleared, the entry copied
    by `fill`, who entered it recorded, submitted when `submit`."""
    clear_sample(figure)
    fill(figure)
    record_entry(figure, user=user, submit=submit)


def check_year(plan, year: int) -> None:
    """Refuse a closed plan, and a year outside the plan period, in Chinese."""
    if plan.is_closed:
        from ..lifecycle.plans import closed_message  # lifecycle imports the kernel's users

        raise WorkflowError(closed_message(plan))
    if year not in plan.years:
        raise WorkflowError(f"{year} 年不在规划期 {plan.first_year}–{plan.last_year} 年内。")


@transaction.atomic
def save_figure(
    kind,
    *,
    subject,
    entry,
    problems: Callable[[int, bool], list],
    year: int,
    user,
    expected_version: int | None,
    submit: bool,
    reason: str = "",
):
    """The one save of every kind: permission, plan year, the kind's rules, then save_entry.

    `entry.fill(figure)` copies what the user entered; `problems(year, submit)` returns the
    rules it breaks; an entry whose `is_empty()` is refused (WorkflowError), draft or not.
    Raises PermissionDenied, FigureInvalid, FigureConflict or WorkflowError.
    """
    check_entry(
        kind, subject=subject, entry=entry, problems=problems, year=year, user=user, submit=submit
    )
    where = {kind.subject: subject, "year": year}
    return save_entry(
        kind.model.objects.filter(**where),
        new=lambda: kind.model(**where),
        fill=entry.fill,
        expected_version=expected_version,
        user=user,
        submit=submit,
        reason=reason,
    )


def check_entry(
    kind, *, subject, entry, problems: Callable[[int, bool], list], year: int, user, submit: bool
) -> None:
    """Refuse an entry the user may not save: permission, plan year, the kind's rules, empty.

    Raises PermissionDenied, FigureInvalid (every rule broken) or WorkflowError.
    """
    permissions.require(permissions.can_report(user, subject), kind.not_allowed)
    check_year(kind.plan_of(subject), year)
    found = problems(year, submit)
    if found:
        raise FigureInvalid(found)
    if entry.is_empty():
        # Neither a new figure nor an overwrite: an empty entry would only hide what was there.
        raise WorkflowError(f"请至少填写{kind.noun}或说明后再保存。")


def saver(kind) -> Callable:
    """Return the kind's save service: save(<subject>=, entry=, year=, user=,
    expected_version=, submit=, reason=) → the saved figure, by save_figure and the
    kind's rules."""

    def save(*, entry, **arguments):
        subject = arguments.pop(kind.subject)
        rules = partial(kind.rules, subject, entry)
        return save_figure(kind, subject=subject, entry=entry, problems=rules, **arguments)

    save.__name__ = f"{kind.key}_save"
    return save


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
    bump_plan_of(figure)
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
    if not permissions.can_review(user):
        raise PermissionDenied("只有规划办管理员可以审核。")
    # Lock only the figure: the related rows it is read with may be absent (outer joins).
    figure = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if figure is None:
        raise WorkflowError("所选数据已不存在，请刷新页面。")
    if expected_version is not None and expected_version != figure.version:
        raise FigureConflict(figure)
    if figure.state != ReviewState.SUBMITTED:
        raise WorkflowError(
            f"{describe(figure)}当前为“{figure.get_state_display()}”，只能审核待审核的数据。"
        )
    return figure


def mark_approved(figure: ReviewedFigure, *, user, reason: str, now=None) -> None:
    """Approve the working copy (not saved): its figures become the approved ones.

    bulk.py writes the same approval of many figures with one UPDATE: keep the two alike.
    """
    now = now or timezone.now()
    figure.state = ReviewState.APPROVED
    for working, approved in figure.APPROVED_FIELDS.items():
        setattr(figure, approved, getattr(figure, working))
    figure.approved_at = now
    figure.reviewed_by, figure.reviewed_at = user, now
    figure.version += 1
    figure._history_user = user
    figure._change_reason = reason


def approve(figure: Figure, *, user, reason: str = "审核通过") -> Figure:
    """Approve a figure locked by lock_for_review: its figures become the approved ones."""
    mark_approved(figure, user=user, reason=reason)
    figure.save()
    bump_plan_of(figure)
    figure_reviewed.send(sender=type(figure), figure=figure, user=user, approved=True)
    return figure


def send_back(figure: Figure, *, user, reason: str) -> Figure:
    """Return a figure locked by lock_for_review to its department with the reason."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError("退回时请填写退回原因。")
    figure.state = ReviewState.RETURNED
    figure.return_reason = reason
    figure.reviewed_by, figure.reviewed_at = user, timezone.now()
    figure.version += 1
    figure._history_user = user
    figure._change_reason = f"退回：{reason}"
    figure.save()
    bump_plan_of(figure)
    figure_reviewed.send(sender=type(figure), figure=figure, user=user, approved=False)
    return figure


def bump_plan_of(figure: ReviewedFigure) -> None:
    """Bump the data version of the figure's plan once the transaction commits.

    Every step of the kernel bumps, not only approval: a plan's progress also counts the
    figures submitted and when (reported, on-time rate), and a save over a sample clears
    the approved sample figure. Cached progress is thus never older than the last commit
    of any kind of figure (indicators/cache.py).
    """
    from .kinds import all_kinds  # kinds imports this module

    kind = next((k for k in all_kinds() if k.model is type(figure)), None)
    if kind is not None:
        bump_on_commit(figure_plan_id(figure, kind.plan_lookup))


__all__ = [
    "FigureConflict",
    "FigureInvalid",
    "ReviewedFigure",
    "WorkflowError",
    "approve",
    "check_entry",
    "clear_sample",
    "enter",
    "figure_reviewed",
    "figures_reviewed",
    "lock_for_review",
    "lock_for_save",
    "mark_approved",
    "record_entry",
    "save_entry",
    "save_figure",
    "save_version",
    "send_back",
]
