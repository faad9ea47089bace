"""Which plan and year a page shows, and which plans a list shows, from the request."""

from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone

from .kept import kept_plan, kept_plan_menu
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
    """Return the plan (from the URL, else ?plan=, else the first), the year and the plan menu.

    404 when there is no plan at all, or when the URL (or ?plan=) names one that does not
    exist. No query while no plan has changed (indicators/kept.py): this process's copies,
    checked against the plans' version; one query, two for a plan outside the menu, after a
    change, whatever the number of plans.
    """
    wanted = slug or request.GET.get("plan")
    menu = kept_plan_menu()
    if not menu:
        raise Http404("还没有规划数据")
    if wanted:
        plan = next((p for p in menu if p.slug == wanted), None)
        if plan is None:  # an older plan, behind the menu's "全部规划"
            plan = kept_plan(wanted)
            if plan is None:
                raise Http404
            menu = plan_menu(menu, plan)
    else:
        plan = min(menu, key=lambda p: (p.first_year, p.slug))
    return plan, chosen_year(request, plan), menu


def plan_page(request):
    """The page of plans the request asks for (?q= to search, ?page=): two queries."""
    search = search_param(request)
    plans = Paginator(plans_with_counts(search), PLANS_PER_PAGE)
    return search, plans.get_page(page_param(request))
