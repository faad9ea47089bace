from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Plan
from .params import page_param, search_param
from .selectors import plan_indicator_lines, plans_with_counts

# Plans per page on /plans/ and in the plans API: a province's hundred plans page.
PLANS_PER_PAGE = 50


def plan_page(request):
    """The page of plans the request asks for (?q= to search, ?page=): two queries."""
    search = search_param(request)
    plans = Paginator(plans_with_counts(search), PLANS_PER_PAGE)
    return search, plans.get_page(page_param(request))


@login_required
def home(request):
    search, page = plan_page(request)
    context = {
        "plans": page.object_list,
        "page": page,
        "search": search,
        "search_query": urlencode({"q": search}) if search else "",
    }
    return render(request, "indicators/home.html", context)


@login_required
def plan_detail(request, slug: str):
    plan = get_object_or_404(Plan, slug=slug)
    lines = plan_indicator_lines(plan)
    show_alignment = any(line.indicator.aligned_with_city is not None for line in lines)
    # 序号 指标 单位 属性 基期值, the years, 牵头 责任, and the three alignment columns.
    column_count = 7 + len(plan.years) + (3 if show_alignment else 0)
    context = {
        "plan": plan,
        "lines": lines,
        "show_alignment": show_alignment,
        "column_count": column_count,
    }
    return render(request, "indicators/plan_detail.html", context)
