"""Which plan and year a page shows, from its URL and query string."""

from django.http import Http404
from django.utils import timezone

from .models import Plan
from .params import year_param
from .selectors import reporting_year


def chosen_year(request, plan: Plan) -> int:
    """The ?year= of the request when it is a plan year, else the year reported now.

    A malformed ?year= (anything but 1–4 ASCII digits) is a bad request: BadParameter, the 400 page.
    """
    year = year_param(request, plan)
    return year if year is not None else reporting_year(plan, timezone.localdate())


def plan_and_year(request, slug: str | None = None) -> tuple[Plan, int, list[Plan]]:
    """Return the plan (from the URL, else ?plan=, else the first), the year and all plans.

    404 when there is no plan at all, or when the URL names one that does not exist.
    """
    plans = list(Plan.objects.order_by("first_year", "slug"))
    if not plans:
        raise Http404("还没有规划数据")
    wanted = slug or request.GET.get("plan")
    plan = next((p for p in plans if p.slug == wanted), None)
    if plan is None:
        if slug:
            raise Http404
        plan = plans[0]
    return plan, chosen_year(request, plan), plans
