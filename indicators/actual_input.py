"""Reading and checking a reported actual, the same for the form, Excel and the command line.

Forgiving in what it reads (full-width digits, separators, spaces, the indicator's own
unit typed after the number), strict in what it accepts (no silent unit conversion,
shares within 0–100, whole counts, an explanation where the figure falls short or jumps).
Pure functions: no Django, so the rules are tested as tables.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .formatting import COUNT_UNITS, figure_text, rounded
from .importers.cells import MAX_DECIMALS, CellValueError, parse_decimal

# A change from last year beyond this share needs a confirmation and an explanation.
JUMP_LIMIT = Decimal("0.5")
# A change of this many units or fewer in a count is never a jump, whatever its share.
SMALL_COUNT_CHANGE = 2

VALUE = "value"
STATUS = "text_status"
EXPLANATION = "explanation"
MEASURES = "measures"
CONFIRM = "confirm_jump"


@dataclass(frozen=True)
class IndicatorFacts:
    """What the rules need to know about an indicator and its year."""

    unit: str
    attribute: str  # "cumulative", "annual" or "ratio"
    direction: str  # "increase" or "decrease"
    is_rate: bool
    target_value: Decimal | None
    target_text: str
    previous_value: Decimal | None  # last year's approved actual, or the base value
    previous_label: str  # e.g. "2021年实际值" or "2020年基期值"

    @property
    def has_text_target(self) -> bool:
        return bool(self.target_text) and self.target_value is None


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


class ActualValueError(ValueError):
    """The typed value cannot be read; the message says why, in Chinese."""


_NUMBER_AND_SUFFIX = re.compile(r"^(?P<number>[+\-]?[\d,.]*\d[\d,.]*)(?P<suffix>.*)$")


def parse_actual_value(text: str, *, unit: str) -> Decimal | None:
    """Return the number typed for an indicator measured in `unit`, or None when blank.

    `１,234.5亿元` gives 1234.5 when the unit is 亿元; a different unit (万元) is an error,
    never a silent conversion.
    """
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    if not cleaned:
        return None
    normalized_unit = unicodedata.normalize("NFKC", unit).replace(" ", "")
    match = _NUMBER_AND_SUFFIX.match(cleaned)
    if match is None:
        raise ActualValueError(f"“{text.strip()}”不是数字")
    suffix = match.group("suffix")
    if suffix and suffix != normalized_unit:
        if re.search(r"\d", suffix):
            raise ActualValueError(f"“{text.strip()}”不是数字")
        raise ActualValueError(f"单位应为“{unit}”，不能填写“{suffix}”：请换算为{unit}后填写数字")
    try:
        return parse_decimal(match.group("number"))
    except CellValueError as exc:
        raise ActualValueError(str(exc)) from exc


@dataclass(frozen=True)
class ValueBounds:
    """What a figure may be: the one source for the server's check and the browser's hint."""

    minimum: Decimal | None
    maximum: Decimal | None
    places: int  # decimal places accepted: 0 for counts (家, 个, 人)


def value_bounds(facts: IndicatorFacts) -> ValueBounds:
    """Return the range and precision a figure of this indicator must keep."""
    whole = facts.unit in COUNT_UNITS
    places = 0 if whole else MAX_DECIMALS
    if facts.is_rate:  # a growth rate may fall below zero
        return ValueBounds(Decimal(0) if whole else None, None, places)
    if facts.attribute == "ratio" or facts.unit == "%":
        return ValueBounds(Decimal(0), Decimal(100), places)
    return ValueBounds(Decimal(0), None, places)


def check_value_range(value: Decimal, facts: IndicatorFacts) -> str | None:
    """Return why the value cannot be right for this indicator, or None."""
    shown = figure_text(value, facts.unit)
    bounds = value_bounds(facts)
    if bounds.places == 0 and (value < 0 or value != value.to_integral_value()):
        return f"{shown}：{facts.unit}数应为不小于 0 的整数"
    if bounds.maximum is not None and not bounds.minimum <= value <= bounds.maximum:
        return f"{shown}：占比应在 0 到 100 之间"
    if bounds.minimum is not None and value < bounds.minimum:
        return f"{shown}：实际值不能为负数"
    return None


def falls_short(value: Decimal, facts: IndicatorFacts) -> bool:
    """Return True when the value misses this year's numeric target."""
    if facts.target_value is None:
        return False
    if facts.direction == "decrease":
        return value > facts.target_value
    return value < facts.target_value


def jump_share(value: Decimal, facts: IndicatorFacts) -> Decimal | None:
    """Return |change| ÷ |previous| when it exceeds the limit, else None.

    A previous value of 0 gives no share: any first figure would count as a jump.
    """
    previous = facts.previous_value
    if previous is None or previous == 0:
        return None
    if facts.unit in COUNT_UNITS and abs(value - previous) <= SMALL_COUNT_CHANGE:
        return None  # 1 → 2 家 is not a jump to explain
    share = abs(value - previous) / abs(previous)
    return share if share > JUMP_LIMIT else None


def check_actual(
    facts: IndicatorFacts,
    *,
    value: Decimal | None,
    text_status: str,
    explanation: str,
    measures: str,
    confirm_jump: bool,
    submitting: bool,
    measures_required: bool = True,
) -> list[Problem]:
    """Return every problem of the reported figure; a draft is held only to the format rules.

    An Excel upload has one 说明 column for both the cause and the remedy: it passes
    measures_required=False and its 说明 as the explanation.
    """
    problems: list[Problem] = []
    if facts.has_text_target:
        if value is not None:
            problems.append(
                Problem(VALUE, f"该指标的目标为“{facts.target_text}”，请选择完成情况，不填数字")
            )
        if submitting and not text_status:
            problems.append(Problem(STATUS, "请选择完成情况"))
        if submitting and text_status == "not_done":
            _need_explanation(problems, explanation, measures, "未完成目标", measures_required)
        return problems

    if text_status:
        problems.append(Problem(STATUS, "该指标需填写数字，不需选择完成情况"))
    if value is None:
        if submitting:
            problems.append(Problem(VALUE, "请填写实际值"))
        return problems
    range_problem = check_value_range(value, facts)
    if range_problem:
        problems.append(Problem(VALUE, range_problem))
        return problems
    if not submitting:
        return problems
    if falls_short(value, facts):
        target = figure_text(facts.target_value, facts.unit)
        _need_explanation(
            problems, explanation, measures, f"未达到目标值 {target}", measures_required
        )
    share = jump_share(value, facts)
    if share is not None:
        previous = figure_text(facts.previous_value, facts.unit)
        percent = rounded(share * 100, 0)
        if not measures_required:
            # One 说明 column (Excel): an explanation there is the confirmation.
            if not explanation.strip():
                problems.append(
                    Problem(
                        EXPLANATION,
                        f"与{facts.previous_label} {previous} 相比变动 {percent}%，超过 50%："
                        "请核实数值；数值无误的，请在说明中写明原因",
                    )
                )
            return problems
        if not confirm_jump:
            problems.append(
                Problem(
                    CONFIRM,
                    f"与{facts.previous_label} {previous} 相比变动 {percent}%，超过 50%："
                    "请核实数值，勾选“确认数值无误”",
                )
            )
        if not explanation.strip():
            problems.append(
                Problem(EXPLANATION, f"与{facts.previous_label}相比变动超过 50%，请说明原因")
            )
    return problems


def _need_explanation(
    problems: list[Problem], explanation: str, measures: str, why: str, measures_required: bool
) -> None:
    if not measures_required:
        if not explanation.strip():
            problems.append(Problem(EXPLANATION, f"{why}，请在说明中写明原因分析和整改措施"))
        return
    if not explanation.strip():
        problems.append(Problem(EXPLANATION, f"{why}，请填写原因分析"))
    if not measures.strip():
        problems.append(Problem(MEASURES, f"{why}，请填写整改措施"))
