from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.filter
def evaluation_url(plan) -> str:
    """The plan's evaluation page (plan_evaluation), or its plain path until that page exists."""
    try:
        return reverse("plan_evaluation", args=[plan.slug])
    except NoReverseMatch:
        return f"/plans/{plan.slug}/evaluation/"


@register.filter
def revision_note(target, unit: str = "") -> str:
    """“调整后目标 90 亿元” for a target row annotated with its live revision, else ""."""
    from indicators.formatting import figure_text

    if target is None or getattr(target, "revision_id", None) is None:
        return ""
    return f"调整后目标 {target.revised_text or figure_text(target.revised_value, unit)}"
