from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .kept import kept_plan_or_404
from .period import plan_page
from .selectors import plan_indicator_lines


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
    plan = kept_plan_or_404(slug)
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
