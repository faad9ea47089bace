from decimal import Decimal

from django import template

from indicators.formatting import percent_text
from indicators.progress import completion

register = template.Library()


@register.filter
def percent(ratio: Decimal | None) -> str:
    """Show a completion ratio as a percentage, one decimal, half-up: 0.8725 → 87.3%; None → —."""
    return percent_text(ratio)


@register.simple_tag
def completion_of(completed: Decimal | None, planned: Decimal | None) -> str:
    """Completed ÷ planned as a percentage, — when either is missing or the plan is 0."""
    return percent_text(completion(completed, planned))
