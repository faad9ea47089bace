"""The rules of a plan evaluation (中期/终期评估), as plain functions of numbers and years.

No Django here, like indicators/progress.py, whose rules these build on: completion,
ratings and the CAGR root come from there. An evaluation reads each indicator against
its *final* target:

- a level or a share (累计值, 占比值): the latest approved figure against the final target;
- a yearly flow (当年值, a quota per year): the reported years summed against their targets
  (progress.plan_to_date), as the plan-period total is what the plan asks for;
- a rate stated per year (年均增长, 降幅): the average reported rate against the target rate;
- a text target (完成市里下达任务): the reviewer's status decides, and it is counted apart
  (人工评定).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from indicators.progress import RATIO_PLACES, Rating, _root, meets


class Standing(StrEnum):
    """Where an indicator stands against its final target: one of four, for the counts."""

    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"
    MANUAL = "manual"


STANDING_LABELS = {
    Standing.MET: "达到终期目标",
    Standing.NOT_MET: "未达到",
    Standing.NO_DATA: "无数据",
    Standing.MANUAL: "人工评定",
}
STANDING_ICONS = {
    Standing.MET: "✔",
    Standing.NOT_MET: "✖",
    Standing.NO_DATA: "—",
    Standing.MANUAL: "✎",
}


def standing_of(rating: Rating) -> Standing:
    """The standing that a rating against the final target gives (基本达标 is not met)."""
    if rating == Rating.MET:
        return Standing.MET
    if rating == Rating.NO_DATA:
        return Standing.NO_DATA
    if rating == Rating.MANUAL:
        return Standing.MANUAL
    return Standing.NOT_MET


def _ratio(value: Decimal) -> Decimal:
    return value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Growth:
    """The yearly growth achieved against the yearly growth required (ratios: 0.05 is 5%)."""

    achieved: Decimal | None
    required: Decimal | None


NO_GROWTH = Growth(None, None)


def cagr_growth(
    *,
    points: dict[int, Decimal],
    base: Decimal | None,
    base_year: int,
    final: Decimal | None,
    final_year: int,
) -> Growth:
    """Return the CAGR achieved and required (DESIGN.md §4), from the base to the latest.

    CAGR achieved = (latest ÷ start)^(1/(t − t₀)) − 1, CAGR required =
    (final ÷ start)^(1/(T − t₀)) − 1, with progress._root; the start is the base, or the
    first reported year where the base is blank. Undefined (None) where a growth factor
    is: fewer than two points, a start of 0 or below, a negative latest or final.
    """
    series = dict(points)
    if base is not None:
        series.setdefault(base_year, base)
    years = sorted(series)
    if len(years) < 2 or final is None:
        return NO_GROWTH
    start_year, latest_year = years[0], years[-1]
    start, latest = series[start_year], series[latest_year]
    if start <= 0 or latest < 0 or final <= 0 or final_year <= start_year:
        return NO_GROWTH
    with localcontext() as context:
        context.prec = 28
        achieved = _root(latest / start, latest_year - start_year)
        required = _root(final / start, final_year - start_year)
    return Growth(_ratio(achieved), _ratio(required))


def average_rate(points: dict[int, Decimal]) -> Decimal | None:
    """The arithmetic mean of the reported yearly rates, as progress.rate_outlook takes it."""
    if not points:
        return None
    return sum(points.values(), Decimal(0)) / len(points)


def rate_growth(average: Decimal | None, target_rate: Decimal | None) -> Growth:
    """For a rate in % (年均增长): the average reported rate and the target rate, as ratios."""
    if average is None or target_rate is None:
        return NO_GROWTH
    return Growth(_ratio(average / 100), _ratio(target_rate / 100))


def level_reached_year(
    points: dict[int, Decimal], final: Decimal | None, *, decrease: bool = False
) -> int | None:
    """The first year whose approved figure reached the final target, or None."""
    if final is None:
        return None
    return next(
        (year for year in sorted(points) if meets(points[year], final, decrease=decrease)), None
    )


def flow_reached_year(
    points: dict[int, Decimal], targets: dict[int, Decimal], plan_years: list[int]
) -> int | None:
    """The first year when the running total of a yearly flow reached the plan-period total.

    The plan-period total is the sum of every plan year's target; None when there is none.
    """
    period_total = sum((targets.get(year, Decimal(0)) for year in plan_years), Decimal(0))
    if period_total <= 0:
        return None
    running = Decimal(0)
    for year in sorted(y for y in points if y in plan_years):
        running += points[year]
        if running >= period_total:
            return year
    return None
