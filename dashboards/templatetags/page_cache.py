"""{% cached_for_plan plan "name" part … %} … {% endcached_for_plan %}: a rendered part of
a page kept until the plan's data changes (indicators/cache.py).

What the block shows must depend only on the plan's data and on the parts named: never
on the user (no csrf_token, no user, no messages inside). Views hand the block its data
lazily (SimpleLazyObject, callables), so a page served from the cache computes nothing.
"""

from django import template
from django.utils.safestring import mark_safe

from indicators.cache import cached_for_plan

register = template.Library()


class PlanCacheNode(template.Node):
    def __init__(self, nodelist, plan, name, parts):
        self.nodelist = nodelist
        self.plan = plan
        self.name = name
        self.parts = parts

    def render(self, context):
        plan = self.plan.resolve(context)
        name = self.name.resolve(context)
        parts = tuple(part.resolve(context) for part in self.parts)
        html = cached_for_plan(
            plan.pk, f"page-{name}", parts, lambda: str(self.nodelist.render(context))
        )
        return mark_safe(html)


@register.tag("cached_for_plan")
def cached_for_plan_tag(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a plan and a name")
    nodelist = parser.parse(("endcached_for_plan",))
    parser.delete_first_token()
    plan, name, *parts = (parser.compile_filter(bit) for bit in bits[1:])
    return PlanCacheNode(nodelist, plan, name, parts)
