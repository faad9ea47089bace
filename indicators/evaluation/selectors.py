"""A plan's evaluation at a year: every indicator against its final target, and the counts.

plan_evaluation() reads nothing of its own: it takes the plan-year's progress
(indicators/scorecard.py, cached, 5 queries when computed) and applies the evaluation
rules (rules.py) to it, so it costs the progress's queries and no more, and it sees
exactly the approved figures and the targets the dashboards see.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from indicators.formatting import UNASSIGNED
from indicators.models import Actual, Attribute, Direction, Plan, Target, TextStatus
from indicators.progress import RATIO_PLACES, Rating, completion, gap_points, rate_year
from indicators.scorecard import IndicatorProgress, plan_progress

from .rules import (
    NO_GROWTH,
    Growth,
    Standing,
    average_rate,
    cagr_growth,
    flow_reached_year,
    level_reached_year,
    rate_growth,
    standing_of,
)

FURTHEST_BEHIND = 5  # how many of the indicators not met the summary names
UNGROUPED = "未分类"


class Basis:
    """What figure an indicator is judged by (see rules.py)."""

    LATEST = "latest"  # 累计值, 占比值: the latest approved figure
    TO_DATE = "to_date"  # 当年值: the reported years summed against their targets
    AVERAGE_RATE = "average_rate"  # 年均增长: the average reported rate
    TEXT = "text"  # 完成市里下达任务: the reviewer's status


BASIS_LABELS = {
    Basis.LATEST: "最新值",
    Basis.TO_DATE: "逐年累计",
    Basis.AVERAGE_RATE: "年均增速",
    Basis.TEXT: "审核认定",
}


@dataclass(frozen=True)
class FinalTarget:
    """The final-year target as the plan states it, and the revision that rates it."""

    stated: Target | None
    revised: Target | None = None

    @property
    def rated(self) -> Target | None:
        """The target the evaluation rates against: the revision where there is one."""
        return self.revised or self.stated


def final_target(row: IndicatorProgress, plan: Plan) -> FinalTarget:
    """The one place the evaluation reads an indicator's final target.

    Targets come from the progress row, as the dashboards read them: the target in force
    (indicators/lifecycle/targets.py), which is the revision (目标调整) where there is one;
    the plan's own target is then kept beside it as `stated`.
    """
    target = row.targets.get(plan.last_year)
    if target is not None and getattr(target, "is_revised", False):
        return FinalTarget(stated=target.stated, revised=target)
    return FinalTarget(stated=target)


@dataclass
class IndicatorEvaluation:
    progress: IndicatorProgress
    final: FinalTarget
    basis: str
    latest: Actual | None  # the latest approved figure up to the evaluation year
    measured: Decimal | None  # the figure judged: latest, sum of the years or average rate
    compared: Decimal | None  # what it is judged against
    completion: Decimal | None
    rating: Rating  # against the final target
    standing: Standing
    met: bool | None  # None when there is no figure
    gap: Decimal | None  # 占比值, in percentage points
    growth: Growth
    reached_year: int | None  # the first year the final target was reached

    @property
    def indicator(self):
        return self.progress.indicator

    @property
    def lead_name(self) -> str:
        return self.progress.lead_name

    @property
    def group_name(self) -> str:
        group = self.indicator.group
        return group.name if group else ""

    @property
    def latest_year(self) -> int | None:
        return self.latest.year if self.latest else None

    @property
    def latest_value(self) -> Decimal | None:
        return self.latest.approved_value if self.latest else None

    @property
    def latest_status(self) -> str:
        return self.latest.approved_text_status if self.latest else ""

    @property
    def latest_status_label(self) -> str:
        return TextStatus(self.latest_status).label if self.latest_status else ""

    @property
    def is_demo(self) -> bool:
        return bool(self.latest and self.latest.is_demo)

    @property
    def explanation(self) -> str:
        """原因分析 of an indicator not met (the approved text of its latest figure)."""
        return self.latest.approved_explanation if self.latest and self.met is False else ""

    @property
    def measures(self) -> str:
        """整改措施 of an indicator not met."""
        return self.latest.approved_measures if self.latest and self.met is False else ""


@dataclass
class StandingCount:
    """An indicator group's or a lead department's indicators counted by standing."""

    name: str
    counts: dict[Standing, int] = field(default_factory=lambda: dict.fromkeys(Standing, 0))

    @property
    def indicator_count(self) -> int:
        return sum(self.counts.values())

    @property
    def met_share(self) -> Decimal | None:
        total = self.indicator_count
        return completion(Decimal(self.counts[Standing.MET]), Decimal(total)) if total else None


@dataclass
class PlanEvaluation:
    plan: Plan
    year: int
    elapsed: Decimal
    rows: list[IndicatorEvaluation]
    groups: list[StandingCount]
    departments: list[StandingCount]

    @property
    def is_final(self) -> bool:
        return self.year == self.plan.last_year

    @property
    def counts(self) -> dict[Standing, int]:
        counts = Counter(row.standing for row in self.rows)
        return {standing: counts.get(standing, 0) for standing in Standing}

    @property
    def reached_early(self) -> list[IndicatorEvaluation]:
        """Met, and first met before the plan's last year."""
        return [
            row
            for row in self.rows
            if row.met and row.reached_year is not None and row.reached_year < self.plan.last_year
        ]

    @property
    def furthest_behind(self) -> list[IndicatorEvaluation]:
        """The indicators not met with the lowest completion, lowest first."""
        behind = [row for row in self.rows if row.met is False and row.completion is not None]
        behind.sort(key=lambda row: (row.completion, row.indicator.number))
        return behind[:FURTHEST_BEHIND]

    @property
    def not_met(self) -> list[IndicatorEvaluation]:
        return [row for row in self.rows if row.met is False]

    @property
    def has_demo(self) -> bool:
        return any(row.is_demo for row in self.rows)


def _latest_approved(row: IndicatorProgress) -> Actual | None:
    """The latest approved figure (value or status) up to the evaluation year (prefetched)."""
    approved = [
        actual
        for actual in row.indicator.actuals.all()
        if actual.year <= row.year
        and actual.approved_at is not None
        and (actual.approved_value is not None or actual.approved_text_status)
    ]
    return max(approved, key=lambda actual: actual.year, default=None)


def _text_evaluation(row, final: FinalTarget, latest: Actual | None) -> IndicatorEvaluation:
    """A text target (完成市里下达任务): the reviewer's status decides; counted as 人工评定."""
    status = latest.approved_text_status if latest else ""
    rating = rate_year(None, None, text_target=True, reported=bool(status))
    return IndicatorEvaluation(
        progress=row,
        final=final,
        basis=Basis.TEXT,
        latest=latest,
        measured=None,
        compared=None,
        completion=None,
        rating=rating,
        standing=standing_of(rating),
        met=(status == TextStatus.DONE) if status else None,
        gap=None,
        growth=NO_GROWTH,
        reached_year=None,
    )


def evaluate_indicator(row: IndicatorProgress, plan: Plan) -> IndicatorEvaluation:
    """Judge one indicator's progress row against its final target (no query)."""
    indicator = row.indicator
    decrease = indicator.direction == Direction.DECREASE
    share = indicator.attribute == Attribute.RATIO
    final = final_target(row, plan)
    target = final.rated
    latest = _latest_approved(row)
    if target is not None and target.text:
        return _text_evaluation(row, final, latest)
    final_value = target.value if target else None
    growth, reached, gap, average = NO_GROWTH, None, None, None
    if indicator.attribute == Attribute.ANNUAL and not indicator.is_rate:
        basis, to_date = Basis.TO_DATE, row.to_date
        measured = to_date.actual_total if to_date else None
        compared = to_date.target_total if to_date else None
        numeric = {y: t.value for y, t in row.targets.items() if t.value is not None}
        if not decrease:
            reached = flow_reached_year(row.series, numeric, plan.years)
    elif indicator.is_rate:
        basis, compared = Basis.AVERAGE_RATE, final_value
        average = average_rate(row.series)
        # Judged exactly, as progress.rate_outlook; shown to RATIO_PLACES.
        measured = None if average is None else average.quantize(RATIO_PLACES, ROUND_HALF_UP)
        growth = rate_growth(average, final_value)
    else:
        basis, compared = Basis.LATEST, final_value
        measured = row.series[max(row.series)] if row.series else None
        growth = cagr_growth(
            points=row.series,
            base=indicator.base_value,
            base_year=plan.base_year,
            final=final_value,
            final_year=plan.last_year,
        )
        reached = level_reached_year(row.series, final_value, decrease=decrease)
        gap = gap_points(measured, final_value) if share else None
    judged = average if basis == Basis.AVERAGE_RATE else measured
    rating = rate_year(
        judged,
        compared,
        decrease=decrease,
        threshold=plan.near_threshold,
        share=share,
        tolerance=plan.near_points,
    )
    standing = standing_of(rating)
    return IndicatorEvaluation(
        progress=row,
        final=final,
        basis=basis,
        latest=latest,
        measured=measured,
        compared=compared,
        completion=completion(judged, compared, decrease=decrease),
        rating=rating,
        standing=standing,
        met=None if standing == Standing.NO_DATA else standing == Standing.MET,
        gap=gap,
        growth=growth,
        reached_year=reached if standing == Standing.MET else None,
    )


def _count_by(rows: list[IndicatorEvaluation], key) -> list[StandingCount]:
    """Count standings per key(row), keys in the order they first appear."""
    counted: dict[str, StandingCount] = {}
    for row in rows:
        name = key(row)
        counted.setdefault(name, StandingCount(name)).counts[row.standing] += 1
    return list(counted.values())


def plan_evaluation(plan: Plan, year: int) -> PlanEvaluation:
    """Return the plan's evaluation at `year` (中期评估 before the last year, 终期 at it).

    Costs what plan_progress() costs: no query when the plan-year is cached.
    """
    progress = plan_progress(plan, year)
    rows = [evaluate_indicator(row, plan) for row in progress.rows]
    departments = _count_by(rows, lambda row: row.lead_name)
    # Most met first; the unassigned ones last.
    departments.sort(
        key=lambda d: (d.name == UNASSIGNED, -(d.met_share or 0), -d.indicator_count, d.name)
    )
    return PlanEvaluation(
        plan=plan,
        year=year,
        elapsed=progress.elapsed,
        rows=rows,
        groups=_count_by(rows, lambda row: row.group_name or UNGROUPED),
        departments=departments,
    )
