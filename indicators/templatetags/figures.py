from decimal import Decimal

from django import template

from indicators.formatting import figure_text

register = template.Library()

MISSING = "—"


@register.filter
def figure(value: Decimal | None, unit: str = "") -> str:
    """Show a figure with thousands separators and its unit: 1,700 亿元; blank shows —."""
    return figure_text(value, unit, MISSING)


@register.filter
def target_figure(target, unit: str = "") -> str:
    """Show a target: its text, or its value with the unit; no target shows —."""
    if target is None:
        return MISSING
    if target.text:
        return target.text
    return figure(target.value, unit)
