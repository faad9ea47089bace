from decimal import Decimal

from django import template

from indicators.progress import completion

from ..selectors import percent_text

register = template.Library()


@register.filter
def percent(ratio: Decimal | None) -> str:
    """Show a completion ratio as a percentage with one decimal: 0.875 → 87.5%; None → —."""
    return percent_text(ratio)


@register.simple_tag
def completion_of(completed: Decimal | None, planned: Decimal | None) -> str:
    """Completed ÷ planned as a percentage, — when either is missing or the plan is 0."""
    return percent_text(completion(completed, planned))
