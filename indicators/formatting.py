"""Turning figures into text the same way everywhere: pages, API, Excel, previews. No Django.

One rounding rule for every figure a person reads: half-up (ROUND_HALF_UP, a half
rounds away from zero) to the precision the page states. 0.8725 reads 87.3% on the
overview, the task board, the API and the Excel report alike; never 87.2%.
"""

from decimal import ROUND_HALF_UP, Decimal

MISSING = "—"
UNASSIGNED = "未分配"  # an indicator or a task without a lead department
# Units counted in whole numbers: a figure in these units has no decimals.
COUNT_UNITS = frozenset({"家", "个", "人", "项", "件", "次"})
PERCENT_PLACES = 1  # completions, shares and rates read with one decimal: 87.3%


def rounded(value: Decimal, places: int) -> Decimal:
    """Round half-up to `places` decimals: the one rounding rule for shown figures.

    A result of zero loses its sign, so −0.01 at one decimal reads 0.0, not −0.0.
    """
    result = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return abs(result) if result == 0 else result


def plain_decimal(value: Decimal | None) -> str | None:
    """Return a Decimal as plain text without trailing zeros (1700.0000 → "1700"), or None."""
    if value is None:
        return None
    normalized = value.normalize()
    # normalize() writes 1700 as 1.7E+3; the "f" format spells it out again.
    text = format(normalized, "f")
    return "0" if text in {"-0", "0"} else text


def grouped_decimal(value: Decimal | None) -> str | None:
    """Return a Decimal with thousands separators (12345.6 → "12,345.6"), or None."""
    text = plain_decimal(value)
    if text is None:
        return None
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("-")
    whole, _, fraction = digits.partition(".")
    grouped = f"{int(whole):,}"
    return f"{sign}{grouped}.{fraction}" if fraction else f"{sign}{grouped}"


def figure_text(value: Decimal | None, unit: str = "", missing: str = MISSING) -> str:
    """Return a figure as people read it: separators and unit, "1,700 亿元", "22.2%"."""
    text = grouped_decimal(value)
    if text is None:
        return missing
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def percent_value(ratio: Decimal | None, places: int = PERCENT_PLACES) -> Decimal | None:
    """Return a ratio as the percentage people read, rounded half-up: 0.8725 → 87.3.

    For where a number is needed (a chart's bar, a progress bar's fill); text uses
    percent_text, which shows this same number.
    """
    if ratio is None:
        return None
    return rounded(ratio * 100, places)


def percent_text(
    ratio: Decimal | None, places: int = PERCENT_PLACES, missing: str = MISSING
) -> str:
    """Return a ratio as a percentage with `places` decimals and separators.

    0.8725 → "87.3%"; 0.87 → "87.0%"; 12.3456 → "1,234.6%"; None → "—".
    """
    value = percent_value(ratio, places)
    if value is None:
        return missing
    return f"{value:,.{places}f}%"


def points_text(points: Decimal | None, places: int | None = None, missing: str = MISSING) -> str:
    """Return a gap between two shares in percentage points: −0.5 → "-0.5 个百分点".

    By default as exact as the two figures it is taken from, which the page shows as
    reported (24.5% − 25% reads "-0.5 个百分点"); with `places`, rounded half-up.
    """
    if points is None:
        return missing
    if places is not None:
        points = rounded(points, places)
    return f"{grouped_decimal(points)} 个百分点"
