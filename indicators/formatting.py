"""Turning figures into text the same way everywhere: pages, API, previews. No Django."""

from decimal import Decimal


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


def figure_text(value: Decimal | None, unit: str = "", missing: str = "—") -> str:
    """Return a figure as people read it: separators and unit, "1,700 亿元", "22.2%"."""
    text = grouped_decimal(value)
    if text is None:
        return missing
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"
