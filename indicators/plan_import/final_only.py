"""A final-target-only table (表1: base value, final-year target, goal): the years between
are derived by the rule of DESIGN.md §4 (progress.derive_yearly_targets) and marked derived,
as load_plans does for 长沙高新区's 表1."""

import re

from ..formatting import COUNT_UNITS
from ..importers.rows import UNSET, TargetCell
from ..progress import derive_yearly_targets
from .columns import PlanYears

# The value is already a yearly rate (年均增长 8%): every year takes the same rate.
RATE_NAME = re.compile(r"年均|增速|增长率|降幅")


def derived_targets(
    name: str,
    unit: str,
    base_value,
    targets: dict[int, TargetCell | None],
    years: PlanYears,
) -> dict[int, TargetCell | None]:
    """Return the final target with the derived targets of the years before it."""
    final = targets.get(years.last_year)
    if final is None or final.value is None:
        return targets  # a text target (完成市里下达任务) or none: nothing to derive
    derived = derive_yearly_targets(
        base=None if base_value is UNSET else base_value,
        final=final.value,
        base_year=years.base_year,
        final_year=years.last_year,
        is_rate=bool(RATE_NAME.search(name)) and unit == "%",
        decimals=0 if unit in COUNT_UNITS else 2,
    )
    result: dict[int, TargetCell | None] = {
        year: TargetCell(value=value, derived=True)
        for year, value in derived.items()
        if years.first_year <= year < years.last_year
    }
    result[years.last_year] = final
    return result
