"""The progress rules of DESIGN.md §4, as plain functions of numbers and years.

Nothing here imports Django: the rules are tested with tables of hand-computed cases,
and the dashboards, the API and the exports all call these same functions.

Vocabulary: a *completion* is a ratio (1.1 means 110%); a *rating* says how a year went;
an *outlook* says whether the final target is still within reach.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

RATIO_PLACES = Decimal("0.0001")
FIGURE_PLACES = Decimal("0.01")  # a projected value is an estimate: two decimals are plenty
COMPLETION_CAP = Decimal("1.2")  # one outlier must not hide the rest of a department
ON_TRACK = Decimal("0.95")
SHARE_TOLERANCE = Decimal(1)  # 基本达标 for a share: within 1 point, unless the plan says
ACCELERATE = Decimal("0.6")


class Rating(StrEnum):
    MET = "met"
    NEAR = "near"
    BEHIND = "behind"
    NO_DATA = "no_data"
    MANUAL = "manual"


RATING_LABELS = {
    Rating.MET: "达标",
    Rating.NEAR: "基本达标",
    Rating.BEHIND: "滞后",
    Rating.NO_DATA: "未填报",
    Rating.MANUAL: "人工评定",
}
# A sign that reads without colour, beside the colour.
RATING_ICONS = {
    Rating.MET: "✔",
    Rating.NEAR: "◐",
    Rating.BEHIND: "✖",
    Rating.NO_DATA: "—",
    Rating.MANUAL: "✎",
}


class Outlook(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    ACCELERATE = "accelerate"
    LIMITED = "limited"
    BACKWARDS = "backwards"
    UNKNOWN = "unknown"


OUTLOOK_LABELS = {
    Outlook.MET: "已达成",
    Outlook.ON_TRACK: "按期可达",
    Outlook.ACCELERATE: "需加快",
    Outlook.LIMITED: "进展有限",
    Outlook.BACKWARDS: "倒退",
    Outlook.UNKNOWN: "暂无研判",
}


def _ratio(value: Decimal) -> Decimal:
    return value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def _estimate(value: Decimal) -> Decimal:
    return value.quantize(FIGURE_PLACES, rounding=ROUND_HALF_UP)  # half-up, as shown


def meets(actual: Decimal, target: Decimal, *, decrease: bool = False) -> bool:
    """Return True when the actual reaches the target (at or below it for a decrease)."""
    return actual <= target if decrease else actual >= target


def completion(
    actual: Decimal | None, target: Decimal | None, *, decrease: bool = False
) -> Decimal | None:
    """Return actual ÷ target (target ÷ actual for a decrease), or None when undefined.

    Undefined: a missing figure, or a division by zero (a target of 0 for an increase,
    an actual of 0 for a decrease); the rating then compares the figures directly.
    """
    if actual is None or target is None:
        return None
    numerator, denominator = (target, actual) if decrease else (actual, target)
    if denominator == 0:
        return None
    return _ratio(numerator / denominator)


def rate_year(
    actual: Decimal | None,
    target: Decimal | None,
    *,
    decrease: bool = False,
    threshold: Decimal = Decimal("0.9"),
    text_target: bool = False,
    reported: bool | None = None,
    share: bool = False,
    tolerance: Decimal = SHARE_TOLERANCE,
) -> Rating:
    """Return the rating of one year.

    A text target (完成市里下达任务) is rated by the reviewer: MANUAL once reported.
    `reported` tells, for a text target, whether a status was reported. A share or rate in
    % (`share`) is rated by its gap in percentage points, never by a ratio of percentages:
    met at or beyond the target, near within `tolerance` points of it, behind beyond that.
    """
    if text_target:
        return Rating.MANUAL if reported else Rating.NO_DATA
    if actual is None or target is None:
        return Rating.NO_DATA
    if share:
        gap = (target - actual) if decrease else (actual - target)
        if gap >= 0:
            return Rating.MET
        return Rating.NEAR if gap >= -tolerance else Rating.BEHIND
    ratio = completion(actual, target, decrease=decrease)
    if ratio is None:
        return Rating.MET if meets(actual, target, decrease=decrease) else Rating.BEHIND
    if ratio >= 1:
        return Rating.MET
    if ratio >= threshold:
        return Rating.NEAR
    return Rating.BEHIND


@dataclass(frozen=True)
class PlanToDate:
    """For a yearly flow (当年值): the reported years summed against their targets."""

    actual_total: Decimal
    target_total: Decimal
    years: tuple[int, ...]
    completion: Decimal | None


def plan_to_date(
    actuals: dict[int, Decimal], targets: dict[int, Decimal], *, upto: int, decrease: bool = False
) -> PlanToDate | None:
    """Return the sum of the reported years up to `upto` against the sum of their targets.

    Only years with both a figure and a target count. None when there is no such year.
    """
    years = tuple(sorted(y for y in actuals if y <= upto and y in targets))
    if not years:
        return None
    actual_total = sum((actuals[y] for y in years), Decimal(0))
    target_total = sum((targets[y] for y in years), Decimal(0))
    return PlanToDate(
        actual_total,
        target_total,
        years,
        completion(actual_total, target_total, decrease=decrease),
    )


def gap_points(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """For a share in %: actual − target, in percentage points."""
    if actual is None or target is None:
        return None
    return actual - target


def progress_since_base(
    actual: Decimal | None,
    base: Decimal | None,
    final: Decimal | None,
    *,
    decrease: bool = False,
) -> Decimal | None:
    """Return the share of the planned change achieved: (actual − base) ÷ (final − base).

    None where it means nothing: a missing figure, no planned change, or a base already on
    the far side of the final target (the plan then asks to hold ground, not to move).
    """
    if actual is None or base is None or final is None or final == base:
        return None
    if (base > final) != decrease:
        return None
    return _ratio((actual - base) / (final - base))


def elapsed_share(year: int, base_year: int, last_year: int) -> Decimal:
    """Return 序时进度: the share of the plan period elapsed at the end of `year`."""
    span = last_year - base_year
    done = min(max(year - base_year, 0), span)
    return _ratio(Decimal(done) / Decimal(span))


@dataclass(frozen=True)
class OutlookResult:
    outlook: Outlook
    ratio: Decimal | None = None  # R: the pace achieved ÷ the pace required
    projected: Decimal | None = None  # the final-year value at the pace achieved

    @property
    def label(self) -> str:
        return OUTLOOK_LABELS[self.outlook]


def classify_pace(ratio: Decimal) -> Outlook:
    """R ≥ 0.95 on track; 0.6–0.95 acceleration needed; 0–0.6 limited; below 0 backwards."""
    if ratio >= ON_TRACK:
        return Outlook.ON_TRACK
    if ratio >= ACCELERATE:
        return Outlook.ACCELERATE
    if ratio >= 0:
        return Outlook.LIMITED
    return Outlook.BACKWARDS


def _root(value: Decimal, years: int) -> Decimal:
    """Return value^(1/years) − 1, the yearly growth rate; value must not be negative."""
    if value == 0:
        return Decimal(-1)
    return value ** (Decimal(1) / Decimal(years)) - 1


def level_outlook(
    *,
    points: dict[int, Decimal],
    base: Decimal | None,
    base_year: int,
    final: Decimal,
    final_year: int,
    decrease: bool = False,
) -> OutlookResult:
    """Outlook of a level or a share (累计值, 占比值), by the Open SDG ratio of CAGRs.

    CAGR achieved = (latest ÷ base)^(1/(t − t₀)) − 1;
    CAGR required = (final ÷ base)^(1/(T − t₀)) − 1;
    R = direction × achieved ÷ |required|. A blank base starts from the first reported
    year. Where a growth factor is undefined (a start of 0), the paces are linear: the
    change per year achieved against the change per year required.
    """
    series = dict(points)
    if base is not None:
        series.setdefault(base_year, base)
    years = sorted(series)
    if len(years) < 2:
        return OutlookResult(Outlook.UNKNOWN)
    start_year, latest_year = years[0], years[-1]
    start, latest = series[start_year], series[latest_year]
    if meets(latest, final, decrease=decrease):
        return OutlookResult(Outlook.MET, None, latest)
    sign = Decimal(-1) if decrease else Decimal(1)
    elapsed, remaining_span = latest_year - start_year, final_year - start_year
    with localcontext() as context:
        context.prec = 28
        if start > 0 and latest >= 0 and final > 0:
            achieved = _root(latest / start, elapsed)
            required = _root(final / start, remaining_span)
            projected = latest * (1 + achieved) ** (final_year - latest_year)
        else:
            achieved = (latest - start) / elapsed
            required = (final - start) / remaining_span
            projected = latest + achieved * (final_year - latest_year)
        if required == 0:
            ratio = Decimal(1) if sign * achieved >= 0 else Decimal(-1)
        else:
            ratio = sign * achieved / abs(required)
    ratio = _ratio(ratio)
    return OutlookResult(classify_pace(ratio), ratio, _estimate(projected))


def flow_outlook(
    *,
    points: dict[int, Decimal],
    targets: dict[int, Decimal],
    plan_years: list[int],
) -> OutlookResult:
    """Outlook of a yearly flow (当年值, a quota per year): against the plan-period total.

    R = average actual of the reported years ÷ the average still needed per remaining
    year. Once the total is reached it is met; with no year left, R is the share of the
    total achieved. The projection is the total at the average pace.
    """
    reported = sorted(y for y in points if y in plan_years)
    if not reported:
        return OutlookResult(Outlook.UNKNOWN)
    total_target = sum((targets.get(y, Decimal(0)) for y in plan_years), Decimal(0))
    done = sum((points[y] for y in reported), Decimal(0))
    average = done / len(reported)
    remaining = len([y for y in plan_years if y > reported[-1]])
    projected = _estimate(done + average * remaining)
    if total_target > 0 and done >= total_target:
        return OutlookResult(Outlook.MET, None, projected)
    if total_target <= 0:
        return OutlookResult(Outlook.UNKNOWN, None, projected)
    if remaining == 0:
        ratio = _ratio(done / total_target)
        return OutlookResult(classify_pace(ratio), ratio, projected)
    needed = (total_target - done) / remaining
    ratio = _ratio(average / needed)
    return OutlookResult(classify_pace(ratio), ratio, projected)


def rate_outlook(
    *, points: dict[int, Decimal], target_rate: Decimal, decrease: bool = False
) -> OutlookResult:
    """Outlook of a rate stated per year (年均增长, 降幅): the average reported rate ÷ the target.

    For a decrease the ratio is mirrored (target ÷ average).
    """
    if not points or target_rate == 0:
        return OutlookResult(Outlook.UNKNOWN)
    average = sum(points.values(), Decimal(0)) / len(points)
    if decrease:
        if average == 0:
            return OutlookResult(Outlook.ON_TRACK, None, average)
        ratio = target_rate / average
    else:
        ratio = average / target_rate
    ratio = _ratio(ratio)
    return OutlookResult(classify_pace(ratio), ratio, _estimate(average))


@dataclass
class DepartmentScore:
    """A lead department's year: ratings counted, capped average completion, punctuality."""

    counts: dict[Rating, int] = field(default_factory=lambda: dict.fromkeys(Rating, 0))
    average_completion: Decimal | None = None
    on_time_rate: Decimal | None = None
    submitted: int = 0
    on_time: int = 0

    @property
    def indicator_count(self) -> int:
        return sum(self.counts.values())


def department_score(
    ratings: list[tuple[Rating, Decimal | None]],
    submissions: list[date | None],
    due_date: date | None,
) -> DepartmentScore:
    """Return the score of a department from its indicators' (rating, completion) pairs.

    The average completion caps each completion at 120%; the on-time rate is the share of
    its indicators submitted on or before the deadline (None without a deadline).
    `submissions` holds, per indicator, the date it was submitted (None if it was not).
    """
    score = DepartmentScore()
    completions = []
    for rating, ratio in ratings:
        score.counts[rating] += 1
        if ratio is not None:
            completions.append(min(ratio, COMPLETION_CAP))
    if completions:
        score.average_completion = _ratio(sum(completions, Decimal(0)) / len(completions))
    score.submitted = sum(1 for day in submissions if day is not None)
    if due_date is not None and submissions:
        score.on_time = sum(1 for day in submissions if day is not None and day <= due_date)
        score.on_time_rate = _ratio(Decimal(score.on_time) / len(submissions))
    return score


def derive_yearly_targets(
    *,
    base: Decimal | None,
    final: Decimal,
    base_year: int,
    final_year: int,
    is_rate: bool = False,
    decimals: int = 2,
) -> dict[int, Decimal]:
    """Return the targets of the years between the base year and the final year.

    Where a plan states only its final year, the years between follow the plan's own
    path: for a level, compound growth from the base to the final target; for a rate
    stated per year (年均增长), the same rate every year. A zero base cannot grow by a
    factor, so it moves in equal steps instead; a blank base gives nothing to derive from.
    Values are rounded half-up to `decimals` places (0 for counts such as 家, 个).
    """
    if final_year - base_year < 2:
        return {}
    years = range(base_year + 1, final_year)
    quantum = Decimal(1).scaleb(-decimals)
    if is_rate:
        return {year: final.quantize(quantum, rounding=ROUND_HALF_UP) for year in years}
    if base is None:
        return {}
    span = final_year - base_year
    derived: dict[int, Decimal] = {}
    with localcontext() as context:
        context.prec = 28
        for year in years:
            if base > 0 and final > 0:
                value = base * (final / base) ** (Decimal(year - base_year) / Decimal(span))
            else:
                value = base + (final - base) / span * (year - base_year)
            derived[year] = value.quantize(quantum, rounding=ROUND_HALF_UP)
    return derived
