"""Published figures in templates: their value as read, the distance to a goal, and the
公开报道 block of the indicator page (one query)."""

from django import template

from indicators.formatting import grouped_decimal

from ..display import value_text
from ..models import IndicatorLink

register = template.Library()


@register.filter
def published_value(figure) -> str:
    return value_text(figure)


@register.filter
def distance_text(goal_distance) -> str:
    """永州经开区 152 → 前120: “还需提升 32 位”; a reached goal says so."""
    goal, distance = goal_distance.goal, goal_distance.distance
    if distance is None:
        return "—"
    if goal_distance.reached:
        return "已进入目标范围" if goal.is_rank else "已达到（按报道数值）"
    if goal.is_rank:
        return f"还需提升 {grouped_decimal(distance)} 位"
    unit = goal.unit if goal.unit in ("", "%") else f" {goal.unit}"
    return f"还差 {grouped_decimal(distance)}{unit}"


@register.inclusion_tag("parks/indicator_published.html")
def published_figures(indicator) -> dict:
    """The published figures linked to a plan indicator, shown as 公开报道; one query."""
    links = list(
        IndicatorLink.objects.filter(indicator=indicator)
        .select_related("figure__source")
        .order_by("figure__reference_year", "pk")
    )
    return {"links": links}
