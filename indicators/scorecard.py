"""A plan's progress for a year: the progress rules applied to the approved figures.

One function, plan_progress(), reads what it needs in a fixed number of queries and
returns plain objects that the dashboards, the API and the Excel report share.
Only approved figures count: they are what leaders see. The result is cached per plan,
year and data version (indicators/cache.py): computed once, kept until a write that can
change it bumps the plan's version; compute_plan_progress() is the uncached computation.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from .cache import cached_progress
from .formatting import UNASSIGNED
from .lifecycle.targets import TargetInForce, targets_in_force
from .models import Actual, Attribute, Direction, Indicator, Plan, ReportingDeadline
from .progress import (
    DepartmentScore,
    Outlook,
    OutlookResult,
    PlanToDate,
    Rating,
    completion,
    department_score,
    elapsed_share,
    flow_outlook,
    gap_points,
    level_outlook,
    plan_to_date,
    progress_since_base,
    rate_outlook,
    rate_year,
)
from .standing import (
    Punctuality,
    Standing,
    counted_submission,
    punctuality,
    standing_counts,
    year_standing,
)


@dataclass
class IndicatorProgress:
    indicator: Indicator
    year: int
    target: TargetInForce | None  # the revised target where revised (lifecycle/targets.py)
    actual: Actual | None  # the year's row, whatever its state
    value: Decimal | None  # the approved figure of the year
    text_status: str  # the approved status of a text target
    rating: Rating
    completion: Decimal | None
    to_date: PlanToDate | None  # 当年值 only
    gap: Decimal | None  # 占比值 only, in percentage points
    since_base: Decimal | None
    outlook: OutlookResult
    series: dict[int, Decimal]  # approved figures by year, up to this year
    targets: dict[int, TargetInForce]

    @property
    def lead_name(self) -> str:
        lead = self.indicator.lead_department
        return lead.name if lead else UNASSIGNED

    @property
    def is_demo(self) -> bool:
        return bool(self.actual and self.actual.is_demo and self.actual.approved_at)

    @property
    def explanation(self) -> str:
        return self.actual.approved_explanation if self.actual else ""

    @property
    def measures(self) -> str:
        return self.actual.approved_measures if self.actual else ""

    @property
    def has_target(self) -> bool:
        """The plan sets a target, a figure or a text, for the year (standing.py)."""
        return bool(self.target and (self.target.value is not None or self.target.text))

    @property
    def standing(self) -> Standing:
        """The rating, or 待审核 / 无目标 / 未填报 for a row without one (standing.py)."""
        pending = bool(self.actual and self.actual.state == "submitted")
        return year_standing(self.rating, has_target=self.has_target, pending=pending)

    @property
    def submitted_on(self) -> date | None:
        """The day the department's own figure was submitted, if it stands submitted."""
        actual = self.actual
        if actual is None:
            return None
        return counted_submission(
            state=actual.state,
            approved=actual.approved_at is not None,
            sample=actual.is_demo,
            submitted_on=_local_date(actual.submitted_at) if actual.submitted_at else None,
        )

    def punctuality(self, due: date | None) -> Punctuality:
        return punctuality(self.submitted_on, due=due, expected=self.has_target)


@dataclass
class DepartmentRow:
    department_id: int | None
    name: str
    score: DepartmentScore
    indicators: list[IndicatorProgress]
    rank: int = 0

    @property
    def standing_counts(self) -> dict[Standing, int]:
        return standing_counts(row.standing for row in self.indicators)


@dataclass
class PlanProgress:
    plan: Plan
    year: int
    rows: list[IndicatorProgress]
    elapsed: Decimal
    deadline: ReportingDeadline | None
    reported: int  # submitted or approved this year
    approved: int
    departments: list[DepartmentRow] = field(default_factory=list)

    @property
    def rating_counts(self) -> dict[Rating, int]:
        counts = Counter(row.rating for row in self.rows)
        return {rating: counts.get(rating, 0) for rating in Rating}

    @property
    def standing_counts(self) -> dict[Standing, int]:
        """Rows by what they show: ratings, 待审核, 未填报 and 无目标 (standing.py)."""
        return standing_counts(row.standing for row in self.rows)

    @property
    def outlook_counts(self) -> dict[Outlook, int]:
        counts = Counter(row.outlook.outlook for row in self.rows)
        return {outlook: counts.get(outlook, 0) for outlook in Outlook}

    @property
    def behind(self) -> list[IndicatorProgress]:
        return [row for row in self.rows if row.rating == Rating.BEHIND]

    @property
    def has_demo(self) -> bool:
        return any(row.is_demo for row in self.rows)


def progress_indicators(plan: Plan):
    """The plan's indicators with targets, responsible units and every actual (3 queries)."""
    return (
        Indicator.objects.filter(plan=plan)
        .for_listing()
        .prefetch_related(Prefetch("actuals", queryset=Actual.objects.order_by("year")))
    )


def indicator_progress(indicator: Indicator, year: int) -> IndicatorProgress:
    """Apply the progress rules to one indicator as of `year` (no query: all prefetched)."""
    plan = indicator.plan
    decrease = indicator.direction == Direction.DECREASE
    # The one place the rules read a year's target: a revised target is the one in force.
    targets = targets_in_force(indicator)
    actuals = {a.year: a for a in indicator.actuals.all()}
    series = {
        y: a.approved_value
        for y, a in actuals.items()
        if y <= year and a.approved_at is not None and a.approved_value is not None
    }
    target = targets.get(year)
    actual = actuals.get(year)
    value = series.get(year)
    approved_status = actual.approved_text_status if actual and actual.approved_at else ""
    text_target = bool(target and target.text)
    target_value = target.value if target else None
    rating = rate_year(
        value,
        target_value,
        decrease=decrease,
        threshold=plan.near_threshold,
        text_target=text_target,
        reported=bool(approved_status),
        share=indicator.attribute == Attribute.RATIO,
        tolerance=plan.near_points,
    )
    numeric_targets = {y: t.value for y, t in targets.items() if t.value is not None}
    to_date = None
    if indicator.attribute == Attribute.ANNUAL:
        to_date = plan_to_date(series, numeric_targets, upto=year, decrease=decrease)
    gap = gap_points(value, target_value) if indicator.attribute == Attribute.RATIO else None
    final = targets.get(plan.last_year)
    final_value = final.value if final else None
    return IndicatorProgress(
        indicator=indicator,
        year=year,
        target=target,
        actual=actual,
        value=value,
        text_status=approved_status,
        rating=rating,
        completion=completion(value, target_value, decrease=decrease),
        to_date=to_date,
        gap=gap,
        # A share or rate is read by its gap in points; its progress in % would mislead.
        since_base=None
        if indicator.attribute == Attribute.RATIO
        else progress_since_base(value, indicator.base_value, final_value, decrease=decrease),
        outlook=_outlook(indicator, series, numeric_targets, final_value, decrease),
        series=series,
        targets=targets,
    )


def _outlook(indicator, series, numeric_targets, final_value, decrease) -> OutlookResult:
    plan = indicator.plan
    if final_value is None:
        return OutlookResult(Outlook.UNKNOWN)  # a text target is judged by the reviewer
    if indicator.is_rate:
        return rate_outlook(points=series, target_rate=final_value, decrease=decrease)
    if indicator.attribute == Attribute.ANNUAL:
        return flow_outlook(points=series, targets=numeric_targets, plan_years=plan.years)
    return level_outlook(
        points=series,
        base=indicator.base_value,
        base_year=plan.base_year,
        final=final_value,
        final_year=plan.last_year,
        decrease=decrease,
    )


def plan_progress(plan: Plan, year: int) -> PlanProgress:
    """Return the plan's progress as of `year`: every indicator, counts and department scores.

    From the cache when nothing of the plan changed since it was computed (no query then).
    """
    progress = cached_progress(plan, year, compute_plan_progress)
    progress.plan = plan  # the caller's instance, as when computed
    return progress


def compute_plan_progress(plan: Plan, year: int) -> PlanProgress:
    """plan_progress() without the cache: read the figures and apply the rules (5 queries)."""
    rows = [indicator_progress(indicator, year) for indicator in progress_indicators(plan)]
    deadline = ReportingDeadline.objects.filter(plan=plan, year=year).first()
    # Reported: sent to the plan office at least once (a correction in draft still counts).
    reported = sum(
        1
        for row in rows
        if row.actual and (row.actual.state in ("submitted", "approved") or row.actual.approved_at)
    )
    approved = sum(1 for row in rows if row.actual and row.actual.approved_at)
    progress = PlanProgress(
        plan=plan,
        year=year,
        rows=rows,
        elapsed=elapsed_share(year, plan.base_year, plan.last_year),
        deadline=deadline,
        reported=reported,
        approved=approved,
    )
    progress.departments = _department_rows(rows, deadline)
    return progress


def _department_rows(rows: list[IndicatorProgress], deadline) -> list[DepartmentRow]:
    by_department: dict[int | None, list[IndicatorProgress]] = {}
    names: dict[int | None, str] = {}
    for row in rows:
        lead = row.indicator.lead_department
        key = lead.pk if lead else None
        by_department.setdefault(key, []).append(row)
        names[key] = lead.name if lead else UNASSIGNED
    due = deadline.due_date if deadline else None
    departments = []
    for key, led in by_department.items():
        # Every indicator with a target counts, reported or not; drafts, returned figures
        # and samples count as not submitted (standing.py).
        submissions = [row.submitted_on for row in led if row.has_target]
        score = department_score([(row.rating, row.completion) for row in led], submissions, due)
        departments.append(DepartmentRow(key, names[key], score, led))
    # Ranked by capped average completion, then by indicators met; unassigned ones last.
    departments.sort(
        key=lambda d: (
            d.department_id is None,
            -(d.score.average_completion if d.score.average_completion is not None else -1),
            -d.score.counts[Rating.MET],
            d.name,
        )
    )
    for rank, department in enumerate(departments, start=1):
        department.rank = rank
    return departments


def _local_date(moment):
    return timezone.localtime(moment).date()
