"""Which plan and year a page shows, and which plans a list shows, from the request."""

from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .kept import kept_default_plan, kept_plan, kept_plan_menu
from .models import Plan
from .params import page_param, search_param, year_param
from .selectors import plan_menu, plans_with_counts, reporting_year

# Plans per page on /plans/ and in the plans API: a province's hundred plans page.
PLANS_PER_PAGE = 50


def chosen_year(request, plan: Plan) -> int:
    """The ?year= of the request when it is a plan year, else the year reported now.

    A malformed ?year= (anything but 1–4 ASCII digits) is a bad request: BadParameter, the 400 page.
    """
    year = year_param(request, plan)
    return year if year is not None else reporting_year(plan, timezone.localdate())


def plan_and_year(request, slug: str | None = None) -> tuple[Plan, int, list[Plan]]:
    """Return the plan (from the URL, else ?plan=, else the default), the year and the plan
    menu (read only when a page shows it: kept pages carry it already).

    404 when there is no plan at all, or when the URL (or ?plan=) names one that does not
    exist. No query while no plan has changed (indicators/kept.py: this process's copies,
    checked against the plans' version); after a change, one query for the plan and one
    for the menu, whatever the number of plans.
    """
    wanted = slug or request.GET.get("plan")
    plan = kept_plan(wanted) if wanted else kept_default_plan()
    if plan is None:
        raise Http404("没有这个规划" if wanted else "还没有规划数据")
    menu = SimpleLazyObject(lambda: plan_menu(kept_plan_menu(), plan))
    return plan, chosen_year(request, plan), menu


def plan_page(request):
    """The page of plans the request asks for (?q= to search, ?page=): two queries."""
    search = search_param(request)
    plans = Paginator(plans_with_counts(search), PLANS_PER_PAGE)
    return search, plans.get_page(page_param(request))
