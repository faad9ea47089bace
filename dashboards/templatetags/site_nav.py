"""The signed-in user's header in base.html (dashboards/shell.py)."""

from django import template
from django.utils.safestring import mark_safe

from ..shell import HEADER_HOLE, MESSAGES_HOLE, header_html

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """The header; in a page being kept whole, the hole where each request puts its own."""
    if context.get("kept_page"):
        return mark_safe(HEADER_HOLE)
    return mark_safe(
        header_html(context["request"], context["user"], context.get("unread_notifications"))
    )


@register.simple_tag
def messages_hole() -> str:
    return mark_safe(MESSAGES_HOLE)
