"""One review service and one queue for every kind of reported figure."""

from dataclasses import dataclass

from django.db import transaction

from . import kinds, workflow
from .figure import ReviewedFigure, ReviewState
from .kinds import FigureKind, ReviewLine
from .workflow import WorkflowError

NO_REASON = "退回时请填写退回原因。"


def _locked(kind: FigureKind, pk: int, user, expected_version: int | None) -> ReviewedFigure:
    return workflow.lock_for_review(
        kind.queryset(), pk=pk, user=user, expected_version=expected_version, describe=kind.what
    )


@transaction.atomic
def figure_approve(
    *, kind: FigureKind, pk: int, user, expected_version: int | None = None, reason: str = ""
) -> ReviewedFigure:
    """Approve a submitted figure: it becomes what leaders see, and is locked."""
    figure = _locked(kind, pk, user, expected_version)
    return workflow.approve(figure, user=user, reason=reason or "审核通过")


@transaction.atomic
def figure_return(
    *, kind: FigureKind, pk: int, user, reason: str, expected_version: int | None = None
) -> ReviewedFigure:
    """Return a submitted figure to its department with the reason."""
    if not reason.strip():
        raise WorkflowError(NO_REASON)
    figure = _locked(kind, pk, user, expected_version)
    return workflow.send_back(figure, user=user, reason=reason)


@transaction.atomic
def figures_review(
    *, picks: dict[str, list[int]], user, approve: bool, reason: str = ""
) -> list[tuple[FigureKind, ReviewedFigure]]:
    """Approve or return the chosen figures of any kinds: all of them, or none.

    `picks` maps a kind's key to the ids chosen. Raises PermissionDenied, WorkflowError
    or FigureConflict; then nothing is changed.
    """
    chosen = [(kinds.get(key), sorted(ids)) for key, ids in picks.items() if ids]
    if not any(kind is not None for kind, _ in chosen):
        raise WorkflowError("请至少选择一条数据。")
    if not approve and not reason.strip():
        raise WorkflowError(NO_REASON)
    done = []
    for kind, ids in chosen:
        if kind is None:
            continue
        for pk in ids:
            if approve:
                done.append((kind, figure_approve(kind=kind, pk=pk, user=user)))
            else:
                done.append((kind, figure_return(kind=kind, pk=pk, user=user, reason=reason)))
    return done


@dataclass(frozen=True)
class QueueRow:
    kind: FigureKind
    figure: ReviewedFigure
    line: ReviewLine


def review_queue(*, plan=None, kind: FigureKind | None = None) -> list[QueueRow]:
    """Every submitted figure, of one plan and kind or of all; one query per kind and prefetch."""
    rows = []
    for each in [kind] if kind else kinds.all_kinds():
        queryset = each.queryset().filter(state=ReviewState.SUBMITTED)
        if plan is not None:
            queryset = queryset.filter(**{each.plan_lookup: plan})
        queryset = queryset.prefetch_related(*each.prefetch)
        for figure in queryset.order_by(*each.order):
            rows.append(QueueRow(each, figure, each.review_line(figure)))
    return rows
