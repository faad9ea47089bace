"""The plain rows an indicator import produces, whatever their source (Excel or fixture).

A field left UNSET means the source does not speak about it, so an import keeps what the
database holds; None means the source says "blank".
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum


class _Unset(Enum):
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset.UNSET


@dataclass(frozen=True)
class TargetCell:
    """A target as a source states it: a number, or a text such as 完成市里下达任务."""

    value: Decimal | None = None
    text: str = ""
    derived: bool = False


@dataclass
class IndicatorRow:
    number: int
    name: str
    unit: str
    attribute: str | _Unset = UNSET
    group: str | None | _Unset = UNSET
    base_value: Decimal | None | _Unset = UNSET
    # Year → target; None for a year whose cell is blank (no target that year).
    targets: dict[int, TargetCell | None] = field(default_factory=dict)
    lead: str | None | _Unset = UNSET
    responsible: list[str] | _Unset = UNSET
    direction: str | _Unset = UNSET
    is_rate: bool | _Unset = UNSET
    aligned_with_city: bool | None | _Unset = UNSET
    aligned_with_most: bool | None | _Unset = UNSET
    alignment_remark: str | _Unset = UNSET
    notes: str | _Unset = UNSET
    source_row: int | None = None
