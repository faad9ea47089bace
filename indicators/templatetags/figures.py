from decimal import Decimal

from django import template

from indicators.formatting import grouped_decimal

register = template.Library()

MISSING = "—"


@register.filter
def figure(value: Decimal | None, unit: str = "") -> str:
    """Show a figure with thousands separators and its unit: 1,700 亿元; blank shows —."""
    text = grouped_decimal(value)
    if text is None:
        return MISSING
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


@register.filter
def target_figure(target, unit: str = "") -> str:
    """Show a target: its text, or its value with the unit; no target shows —."""
    if target is None:
        return MISSING
    if target.text:
        return target.text
    return figure(target.value, unit)
