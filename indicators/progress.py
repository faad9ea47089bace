"""The progress rules of DESIGN.md §4, as plain functions of numbers and years.

Nothing here imports Django: the rules are tested with tables of hand-computed cases,
and the dashboards, the API and the exports all call these same functions.
"""

from decimal import ROUND_HALF_UP, Decimal, localcontext


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
        if base > 0 and final > 0:
            growth = final / base
            for year in years:
                value = base * growth ** (Decimal(year - base_year) / Decimal(span))
                derived[year] = value.quantize(quantum, rounding=ROUND_HALF_UP)
        else:
            step = (final - base) / span
            for year in years:
                value = base + step * (year - base_year)
                derived[year] = value.quantize(quantum, rounding=ROUND_HALF_UP)
    return derived
