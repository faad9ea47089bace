from django import template
from django.utils.html import format_html

from indicators.formatting import percent_text, points_text
from indicators.progress import OUTLOOK_LABELS, Outlook
from indicators.standing import STANDING_ICONS, STANDING_LABELS, Standing

register = template.Library()


@register.filter
def rating_badge(rating) -> str:
    """A rating with its sign and its word as well as its colour, so it reads without colour.

    Takes a rating or a standing (待审核, 无目标: indicators/standing.py).
    """
    rating = Standing(rating)
    return format_html(
        '<span class="rating rating-{}">{} {}</span>',
        rating.value,
        STANDING_ICONS[rating],
        STANDING_LABELS[rating],
    )


@register.filter
def outlook_badge(outlook) -> str:
    outlook = Outlook(outlook)
    return format_html(
        '<span class="outlook outlook-{}">{}</span>', outlook.value, OUTLOOK_LABELS[outlook]
    )


@register.filter
def pct(ratio) -> str:
    """A ratio as a percentage with one decimal, rounded half-up: 1.1 → 110.0%, 0.8725 → 87.3%."""
    return percent_text(ratio)


@register.filter
def points(gap) -> str:
    """A gap between two shares in percentage points: -0.5 → "-0.5 个百分点"; None → —."""
    return points_text(gap)


@register.filter
def lookup(mapping, key):
    return mapping.get(key)
