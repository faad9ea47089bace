"""Read-only pages for leaders and the plan office: overview, departments, indicators."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from indicators.models import Actual, Department, Plan
from indicators.period import plan_and_year
from indicators.permissions import can_see_working
from indicators.progress import RATING_ICONS, RATING_LABELS, Rating, elapsed_share
from indicators.scorecard import indicator_progress, plan_progress, progress_indicators

from . import charts
from .excel import progress_workbook
from .sparkline import sparkline_svg


def _base_context(plan, year, plans) -> dict:
    return {
        "plan": plan,
        "year": year,
        "plans": plans,
        "rating_labels": RATING_LABELS,
        "rating_icons": RATING_ICONS,
    }


@login_required
def overview(request):
    plan, year, plans = plan_and_year(request)
    progress = plan_progress(plan, year)
    counts = progress.rating_counts
    context = _base_context(plan, year, plans) | {
        "progress": progress,
        "counts": [(r, RATING_LABELS[r], RATING_ICONS[r], counts[r]) for r in Rating],
        "outlook_counts": progress.outlook_counts,
        "rating_chart": charts.rating_donut(counts),
        "outlook_chart": charts.outlook_bars(progress.outlook_counts),
        "completion_chart": charts.completion_bars(progress.rows, threshold=plan.near_threshold),
    }
    return render(request, "dashboards/overview.html", context)


@login_required
def departments_compare(request):
    plan, year, plans = plan_and_year(request)
    progress = plan_progress(plan, year)
    context = _base_context(plan, year, plans) | {
        "progress": progress,
        "departments": progress.departments,
        "score_chart": charts.department_bars(progress.departments),
        "rating_chart": charts.department_rating_stack(progress.departments),
    }
    return render(request, "dashboards/departments.html", context)


@login_required
def department_detail(request, pk: int):
    department = get_object_or_404(Department, pk=pk)
    plan, year, plans = plan_and_year(request)
    progress = plan_progress(plan, year)
    row = next((d for d in progress.departments if d.department_id == department.pk), None)
    responsible = [
        r
        for r in progress.rows
        if any(d.pk == department.pk for d in r.indicator.responsible_departments.all())
    ]
    led = row.indicators if row else []
    context = _base_context(plan, year, plans) | {
        "department": department,
        "progress": progress,
        "row": row,
        "department_count": len([d for d in progress.departments if d.department_id]),
        "led": [(r, _sparkline(r, plan)) for r in led],
        "responsible": responsible,
        "deadline": progress.deadline,
    }
    return render(request, "dashboards/department.html", context)


def _sparkline(row, plan) -> str:
    """The indicator's path from the base value through its approved figures."""
    points = sorted(row.series.items())
    if row.indicator.base_value is not None:
        points = [(plan.base_year, row.indicator.base_value), *points]
    return sparkline_svg(points, label=f"{row.indicator.name}趋势")


@login_required
def indicator_detail(request, slug: str, number: int):
    plan, year, plans = plan_and_year(request, slug)
    indicator = get_object_or_404(progress_indicators(plan), number=number)
    progress = indicator_progress(indicator, year)
    actuals = sorted(indicator.actuals.all(), key=lambda a: a.year)
    # Drafts, submissions and their texts stay with the department and the plan office.
    working = can_see_working(request.user, indicator)
    versions = Actual.history.filter(indicator_id=indicator.pk)
    if not working:
        versions = versions.filter(state="approved")
    versions = list(versions.select_related("history_user").order_by("-history_date")[:50])
    context = _base_context(plan, year, plans) | {
        "indicator": indicator,
        "row": progress,
        "actuals": actuals,
        "versions": versions,
        "working": working,
        "chart": charts.indicator_lines(progress, plan),
        "elapsed": elapsed_share(year, plan.base_year, plan.last_year),
        "years": [
            (y, progress.targets.get(y), next((a for a in actuals if a.year == y), None))
            for y in plan.years
        ],
    }
    return render(request, "dashboards/indicator.html", context)


@login_required
def progress_report(request, slug: str, year: int):
    plan = get_object_or_404(Plan, slug=slug)
    if year not in plan.years:
        raise Http404
    content = progress_workbook(plan_progress(plan, year))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"{plan.short_name}{year}年指标完成情况.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
