"""One review service and one queue for every kind of reported figure."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from ..actual_input import jump_share
from ..formatting import percent_text
from ..progress import RATING_ICONS, RATING_LABELS, Rating, completion, rate_year
from . import kinds, workflow
from .figure import ReviewedFigure, ReviewState
from .kinds import FigureKind, ReviewLine
from .workflow import WorkflowError

NO_REASON = "退回时请填写退回原因。"
PER_PAGE = 50


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
class Assessment:
    """What the reviewer weighs beside a figure; every text already formatted."""

    completion: str = "—"
    rating: Rating | None = None
    jump: str = "—"  # the change from last year, as a share of it
    jump_flag: bool = False  # beyond the 50% rule (small counts excepted)

    @property
    def rating_label(self) -> str:
        return f"{RATING_ICONS[self.rating]} {RATING_LABELS[self.rating]}" if self.rating else "—"


# kind key → figure → (the facts its rules use, the working value, the plan); None when the
# kind has no target to weigh against. Apps register their kinds' (see register_facts).
_FACTS: dict[str, Callable] = {}


def register_facts(key: str, facts: Callable) -> None:
    """Let the queue show completion, rating and jump share for the kind `key`."""
    _FACTS[key] = facts


def _actual_facts(actual):
    from ..actuals import indicator_facts  # actuals registers its kind through this module

    indicator = actual.indicator
    return indicator_facts(indicator, actual.year), actual.value, indicator.plan


register_facts("actual", _actual_facts)


def assess(kind: FigureKind, figure: ReviewedFigure) -> Assessment:
    """Completion, rating and jump share of a waiting figure, by the plan's rules."""
    found = _FACTS.get(kind.key)
    facts_value = found(figure) if found else None
    if facts_value is None:
        return Assessment()
    facts, value, plan = facts_value
    if value is None:
        return Assessment(rating=Rating.MANUAL if facts.has_text_target else None)
    decrease = facts.direction == "decrease"
    share = facts.attribute == "ratio" and not facts.is_rate
    ratio = completion(value, facts.target_value, decrease=decrease)
    rating = rate_year(
        value,
        facts.target_value,
        decrease=decrease,
        threshold=plan.near_threshold,
        share=share,
        tolerance=plan.near_points,
    )
    previous = facts.previous_value
    jump = "—"
    if previous not in (None, Decimal(0)):
        change = (value - previous) / abs(previous)
        jump = ("+" if change > 0 else "") + percent_text(change)
    return Assessment(
        completion=percent_text(ratio),
        rating=rating if facts.target_value is not None else None,
        jump=jump,
        jump_flag=jump_share(value, facts) is not None,
    )


@dataclass(frozen=True)
class QueueRow:
    kind: FigureKind
    figure: ReviewedFigure
    line: ReviewLine
    assessment: Assessment = field(default_factory=Assessment)
    evidence: tuple = ()


def _waiting(kind: FigureKind, plan=None):
    queryset = kind.queryset().filter(state=ReviewState.SUBMITTED)
    if plan is not None:
        queryset = queryset.filter(**{kind.plan_lookup: plan})
    return queryset


def review_queue(*, plan=None, kind: FigureKind | None = None) -> list[QueueRow]:
    """Every submitted figure, of one plan and kind or of all; one query per kind and prefetch."""
    rows = []
    for each in [kind] if kind else kinds.all_kinds():
        queryset = _waiting(each, plan).prefetch_related(*each.prefetch)
        for figure in queryset.order_by(*each.order):
            rows.append(QueueRow(each, figure, each.review_line(figure), assess(each, figure)))
    return rows


def plans_with_waiting(plans) -> list:
    """The plans, each with `waiting` = {kind key: figures waiting for review} (one query)."""
    annotations = {}
    for kind in kinds.all_kinds():
        waiting = (
            kind.model.objects.filter(
                state=ReviewState.SUBMITTED, **{kind.plan_lookup: OuterRef("pk")}
            )
            .order_by()
            .values(kind.plan_lookup)
            .annotate(n=Count("pk"))
            .values("n")
        )
        annotations[f"waiting_{kind.key}"] = Coalesce(Subquery(waiting), 0)
    found = list(plans.annotate(**annotations))
    for plan in found:
        plan.waiting = {k.key: getattr(plan, f"waiting_{k.key}") for k in kinds.all_kinds()}
    return found


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    number: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def review_queue_page(
    *,
    plans: list,
    plan=None,
    kind: FigureKind | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> QueuePage:
    """One page of the queue, kind after kind in the registry's order.

    `plans` (plans_with_waiting) tell how many rows each kind has, so only the kinds on
    this page are read: at most one query per kind, its prefetches, and one for evidence.
    """
    chosen = [kind] if kind else kinds.all_kinds()
    sizes = [
        sum(p.waiting[each.key] for p in plans if plan is None or p.pk == plan.pk)
        for each in chosen
    ]
    total = sum(sizes)
    pages = max(1, -(-total // per_page))
    number = min(max(page, 1), pages)
    start, stop = (number - 1) * per_page, number * per_page
    rows, offset = [], 0
    for each, size in zip(chosen, sizes, strict=True):
        low, high = max(start - offset, 0), min(stop - offset, size)
        offset += size
        if low >= high:
            continue
        queryset = _waiting(each, plan).prefetch_related(*each.prefetch).order_by(*each.order)
        for figure in queryset[low:high]:
            rows.append(QueueRow(each, figure, each.review_line(figure), assess(each, figure)))
    return QueuePage(_with_evidence(rows), number, pages, total)


def _with_evidence(rows: list[QueueRow]) -> list[QueueRow]:
    """The rows, each indicator actual with its year's evidence files (one query)."""
    from ..models import Evidence

    wanted = {(r.figure.indicator_id, r.figure.year) for r in rows if r.kind.key == "actual"}
    if not wanted:
        return rows
    files: dict[tuple[int, int], list] = {}
    for evidence in Evidence.objects.filter(
        indicator_id__in={i for i, _ in wanted}, year__in={y for _, y in wanted}
    ).order_by("uploaded_at"):
        files.setdefault((evidence.indicator_id, evidence.year), []).append(evidence)
    return [
        replace(row, evidence=tuple(files.get((row.figure.indicator_id, row.figure.year), ())))
        if row.kind.key == "actual"
        else row
        for row in rows
    ]
