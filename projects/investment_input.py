"""Reading and checking a project's yearly investment, the same for the form and for Excel.

Figures are read like actuals (indicators.actual_input.parse_actual_value, unit 亿元):
full-width digits, separators, spaces and a typed 亿元 are accepted, another unit is
refused. Pure functions, no Django, so the rules are tested as tables.
"""

from dataclasses import dataclass
from decimal import Decimal

from indicators.actual_input import Problem
from indicators.formatting import figure_text, plain_decimal, rounded

UNIT = "亿元"
PLANNED = "planned"
COMPLETED = "completed"
EXPLANATION = "explanation"
# Completed more than half again above plan needs the reason written down.
OVERRUN_LIMIT = Decimal("1.5")


@dataclass(frozen=True)
class InvestmentEntry:
    """What a user entered for one project and year, already parsed."""

    planned: Decimal | None = None
    completed: Decimal | None = None
    explanation: str = ""

    def is_empty(self) -> bool:
        """No planned or completed figure and no explanation: nothing to save."""
        return self.planned is None and self.completed is None and not self.explanation.strip()

    def fill(self, investment) -> None:
        """Copy the entry onto the project's investment (the reporting kernel's save)."""
        investment.planned, investment.completed = self.planned, self.completed
        investment.explanation = self.explanation.strip()


def is_overrun(planned: Decimal | None, completed: Decimal | None) -> bool:
    """Return True when the completed investment exceeds the plan by more than 50%."""
    if planned is None or completed is None:
        return False
    return completed > planned * OVERRUN_LIMIT


def check_investment(entry: InvestmentEntry, *, submitting: bool) -> list[Problem]:
    """Return every problem of the entry; a draft is held only to the format rules."""
    problems: list[Problem] = []
    for field, label, value in (
        (PLANNED, "计划投资", entry.planned),
        (COMPLETED, "完成投资", entry.completed),
    ):
        if value is not None and value < 0:
            problems.append(Problem(field, f"{label} {figure_text(value, UNIT)}：投资额不能为负数"))
    if problems or not submitting:
        return problems
    if entry.planned is None:
        problems.append(Problem(PLANNED, "请填写本年度计划投资"))
    elif is_overrun(entry.planned, entry.completed) and not entry.explanation.strip():
        problems.append(Problem(EXPLANATION, _overrun_message(entry.planned, entry.completed)))
    return problems


def _overrun_message(planned: Decimal, completed: Decimal) -> str:
    done = figure_text(completed, UNIT)
    if planned == 0:
        return f"计划投资为 0，完成投资 {done}：请核实数值，并在说明中写明原因"
    over = rounded((completed - planned) / planned * 100, 1)
    return (
        f"完成投资 {done}，比计划投资 {figure_text(planned, UNIT)}高出 {plain_decimal(over)}%，"
        "超过 50%：请核实数值，并在说明中写明原因"
    )
