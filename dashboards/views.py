"""Read-only pages for leaders and the plan office: overview, departments, indicators."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.functional import SimpleLazyObject as lazy

from indicators.cache import cached_for_plan
from indicators.kept import kept_department_or_404, kept_indicator_or_404, kept_plan_or_404
from indicators.lifecycle.series import linked_series, with_lineage
from indicators.lifecycle.targets import revisions_of
from indicators.models import Actual
from indicators.period import plan_and_year
from indicators.permissions import can_see_working
from indicators.progress import elapsed_share
from indicators.scorecard import indicator_progress, plan_progress, progress_indicators
from indicators.standing import PUNCTUALITY_LABELS, STANDING_ICONS, STANDING_LABELS, Standing

from . import charts
from .excel import progress_workbook
from .shell import render_kept
from .sparkline import sparkline_svg


def _base_context(plan, year, plans, has_demo) -> dict:
    """What every dashboard page shows around its kept body; `has_demo()` says whether the
    page shows sample figures, asked only when the kept page is rendered."""
    return {
        "plan": plan,
        "year": year,
        "plans": plans,
        "has_demo": has_demo,
        # Pages count standings: the ratings, 待审核, 未填报 and 无目标 (indicators/standing.py).
        "rating_labels": STANDING_LABELS,
        "rating_icons": STANDING_ICONS,
    }


def _kept_page(request, name: str, context: dict, *parts):
    """The page dashboards/<name>.html, kept whole (shell.render_kept) per data version,
    the parts given, which must hold everything the page shows beyond the plan's data, and
    whether the user is the plan office (the sample notice's button, target revisions)."""
    return render_kept(
        request,
        f"dashboards/{name}.html",
        context,
        plan=context["plan"],
        name=name,
        parts=(*parts, request.user.is_plan_admin),
    )


@login_required
def overview(request):
    plan, year, plans = plan_and_year(request)
    # Lazy: the page's body is kept rendered per data version (templatetags/page_cache.py),
    # and a page served from there computes none of this.
    progress = lazy(lambda: plan_progress(plan, year))
    counts = lazy(lambda: progress.standing_counts)
    context = _base_context(
        plan, year, plans, lambda: progress.has_demo
    ) | {
        "progress": progress,
        "counts": lazy(
            lambda: [(s, STANDING_LABELS[s], STANDING_ICONS[s], counts[s]) for s in Standing]
        ),
        "outlook_counts": lazy(lambda: progress.outlook_counts),
        "rating_chart": lambda: charts.rating_donut(counts),
        "outlook_chart": lambda: charts.outlook_bars(progress.outlook_counts),
        "completion_chart": lambda: charts.completion_bars(
            progress.rows, threshold=plan.near_threshold
        ),
    }
    return _kept_page(request, "overview", context, year)


@login_required
def departments_compare(request):
    plan, year, plans = plan_and_year(request)
    progress = lazy(lambda: plan_progress(plan, year))
    context = _base_context(
        plan, year, plans, lambda: progress.has_demo
    ) | {
        "progress": progress,
        "departments": lazy(lambda: progress.departments),
        "score_chart": lambda: charts.department_bars(progress.departments),
        "rating_chart": lambda: charts.department_rating_stack(progress.departments),
    }
    return _kept_page(request, "departments", context, year)


@login_required
def department_detail(request, pk: int):
    department = kept_department_or_404(pk)
    plan, year, plans = plan_and_year(request)
    progress = lazy(lambda: plan_progress(plan, year))
    row = lazy(
        lambda: next((d for d in progress.departments if d.department_id == department.pk), None)
    )
    responsible = lazy(
        lambda: [
            r
            for r in progress.rows
            if any(d.pk == department.pk for d in r.indicator.responsible_departments.all())
        ]
    )
    led = lazy(lambda: row.indicators if row else [])
    context = _base_context(
        plan, year, plans, lambda: progress.has_demo
    ) | {
        "department": department,
        "progress": progress,
        "row": row,
        "department_count": lazy(lambda: len([d for d in progress.departments if d.department_id])),
        "led": lazy(
            lambda: [(r, _sparkline(r, plan), _punctuality(r, progress.deadline)) for r in led]
        ),
        "responsible": responsible,
        "deadline": lazy(lambda: progress.deadline),
    }
    return _kept_page(request, "department", context, year, department.pk)


def _punctuality(row, deadline) -> tuple[str, str]:
    """The row's submission as (key, label): 按时, 逾期, 已报送, 未报送 or 无需报送."""
    state = row.punctuality(deadline.due_date if deadline else None)
    return state.value, PUNCTUALITY_LABELS[state]


def _sparkline(row, plan) -> str:
    """The indicator's path from the base value through its approved figures."""
    points = sorted(row.series.items())
    if row.indicator.base_value is not None:
        points = [(plan.base_year, row.indicator.base_value), *points]
    return sparkline_svg(points, label=f"{row.indicator.name}趋势")


@login_required
def indicator_detail(request, slug: str, number: int):
    plan, year, plans = plan_and_year(request, slug)
    indicator = kept_indicator_or_404(plan, number)
    # Drafts, submissions and their texts stay with the department and the plan office.
    working = can_see_working(request.user, indicator)
    # The body is kept rendered per data version, for those who see working figures or
    # not (templatetags/page_cache.py); what it shows is read only when it is rendered.
    full = lazy(lambda: with_lineage(progress_indicators(plan)).get(pk=indicator.pk))
    progress = lazy(lambda: indicator_progress(full, year))
    actuals = lazy(lambda: sorted(full.actuals.all(), key=lambda a: a.year))
    linked = lazy(lambda: linked_series(full))  # the same indicator in the plans around

    def versions():
        history = Actual.history.filter(indicator_id=indicator.pk)
        if not working:
            history = history.filter(state="approved")
        return list(history.select_related("history_user").order_by("-history_date")[:50])

    context = _base_context(plan, year, plans, lambda: progress.is_demo) | {
        "indicator": indicator,
        "full": full,
        "row": progress,
        "actuals": actuals,
        "versions": lazy(versions),
        "working": working,
        "chart": lambda: charts.indicator_lines(progress, plan, linked),
        "linked": linked,
        "revisions": lazy(lambda: revisions_of(full)),
        "elapsed": elapsed_share(year, plan.base_year, plan.last_year),
        "years": lazy(
            lambda: [
                (y, progress.targets.get(y), next((a for a in actuals if a.year == y), None))
                for y in plan.years
            ]
        ),
    }
    return _kept_page(request, "indicator", context, indicator.pk, year, working)


@login_required
def progress_report(request, slug: str, year: int):
    plan = kept_plan_or_404(slug)
    if year not in plan.years:
        raise Http404
    content = cached_for_plan(
        plan.pk, "excel-report", (year,), lambda: progress_workbook(plan_progress(plan, year))
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"{plan.short_name}{year}年指标完成情况.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
