"""Read pages of the major projects: the list, a project, the investment dashboard.

Every logged-in role may read them; the one write here (a project's status) is checked
by the service, and its form is shown only to those who may use it.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from indicators.models import Department, Plan
from indicators.params import page_param
from indicators.period import chosen_year
from indicators.permissions import can_see_working
from indicators.selectors import plan_menu, reporting_year

from . import charts
from .forms import SORTS, ProjectFilterForm, ProjectStatusForm
from .investments import can_report_project, project_status_update
from .models import INVESTMENT_UNIT, Project, ProjectInvestment, ProjectStatus
from .selectors import (
    category_summaries,
    largest_projects,
    plans_with_projects,
    project_investments,
    projects_behind,
    projects_with_totals,
    year_totals,
)

PAGE_SIZE = 100
SORTABLE = [
    ("number", gettext_lazy("序号")),
    ("total_investment", gettext_lazy("总投资")),
    ("completed", gettext_lazy("累计完成投资")),
]


def default_plan(plans) -> Plan:
    plan = plans.first()
    if plan is None:
        raise Http404(_("还没有载入重大项目。请运行 python manage.py load_plans。"))
    return plan


def plan_with_projects(slug: str) -> Plan:
    """The plan of this slug if it has a project list (one query); 404 otherwise."""
    return get_object_or_404(plans_with_projects(), slug=slug)


def plan_has_demo_investments(plan: Plan) -> bool:
    """Whether the plan's pages show sample investments (they must say 示例数据)."""
    return ProjectInvestment.objects.filter(project__plan=plan, is_demo=True).exists()


@login_required
def project_index(request):
    return redirect("project_list", slug=default_plan(plans_with_projects()).slug)


def _sort_links(request, current: str) -> list[tuple[str, str, str]]:
    """(label, url, arrow) per sortable column: a click sorts by it, a second click reverses."""
    links = []
    params = request.GET.copy()
    params.pop("page", None)
    for key, label in SORTABLE:
        descending = current == key
        params["sort"] = f"-{key}" if descending else key
        arrow = "▲" if current == key else ("▼" if current == f"-{key}" else "")
        links.append((label, f"?{params.urlencode()}", arrow))
    return links


@login_required
def project_list(request, slug: str):
    plan = plan_with_projects(slug)
    departments = list(
        Department.objects.filter(supervised_projects__plan=plan).distinct().order_by("name")
    )
    form = ProjectFilterForm(request.GET, departments=departments)
    projects = form.filter_qs(projects_with_totals(plan))
    page = Paginator(projects, PAGE_SIZE).get_page(page_param(request))
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "number"
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "plan": plan,
        "plans": plan_menu(plans_with_projects(), plan),
        "form": form,
        "page": page,
        "projects": page.object_list,
        "sort_links": _sort_links(request, sort),
        "page_query": params.urlencode(),
        "unit": INVESTMENT_UNIT,
        "has_demo": plan_has_demo_investments(plan),
    }
    return render(request, "projects/project_list.html", context)


@login_required
def project_detail(request, slug: str, number: int):
    plan = plan_with_projects(slug)
    project = get_object_or_404(Project.objects.for_listing(), plan=plan, number=number)
    investments = project_investments(project)
    by_year = {i.year: i for i in investments}
    lines = [(year, by_year.get(year)) for year in plan.years]
    may_report = can_report_project(request.user, project)
    context = {
        "plan": plan,
        "project": project,
        "lines": lines,
        "figure": charts.project_years_figure(
            f"{project.number}. {project.name}：逐年投资（已审核）", plan.years, by_year
        ),
        "may_report": may_report,
        # The working state of a figure is the department's and the plan office's only.
        "working": can_see_working(request.user, project),
        "status_form": ProjectStatusForm(initial={"status": project.status})
        if may_report
        else None,
        "report_year": reporting_year(plan, timezone.localdate()),
        "unit": INVESTMENT_UNIT,
        "has_demo": any(i.is_demo for i in investments),
    }
    return render(request, "projects/project_detail.html", context)


@require_POST
@login_required
def project_status(request, slug: str, number: int):
    plan = plan_with_projects(slug)
    project = get_object_or_404(Project.objects.for_listing(), plan=plan, number=number)
    if not can_report_project(request.user, project):
        raise PermissionDenied(_("只有该项目主管部门的填报员或规划办管理员可以更新项目状态。"))
    form = ProjectStatusForm(request.POST)
    if form.is_valid():
        project_status_update(
            project=project, user=request.user, status=form.cleaned_data["status"]
        )
        label = ProjectStatus(form.cleaned_data["status"]).label
        messages.success(request, f"{project.number}. {project.name}：项目状态已更新为“{label}”")
    else:
        messages.error(request, "未做任何修改：请选择项目状态（前期、在建、竣工或投产）。")
    return redirect("project_detail", slug=slug, number=number)


@login_required
def dashboard_index(request):
    return redirect("investment_dashboard", slug=default_plan(plans_with_projects()).slug)


@login_required
def investment_dashboard(request, slug: str):
    plan = plan_with_projects(slug)
    year = chosen_year(request, plan)
    summaries = category_summaries(plan)
    totals = year_totals(summaries, plan.years)
    largest = largest_projects(plan)
    context = {
        "plan": plan,
        "plans": plan_menu(plans_with_projects(), plan),
        "year": year,
        "years": plan.years,
        "summaries": summaries,
        "summary_rows": [(s, s.years.get(year)) for s in summaries],
        "project_count": sum(s.count for s in summaries),
        "total_investment": sum((s.total_investment for s in summaries), Decimal(0)),
        "totals": totals,
        "largest": largest,
        "behind": projects_behind(plan, year),
        "category_chart": charts.category_year_figure(summaries, year),
        "years_chart": charts.years_figure(totals),
        "largest_chart": charts.largest_projects_figure(largest),
        "unit": INVESTMENT_UNIT,
        "has_demo": plan_has_demo_investments(plan),
    }
    return render(request, "projects/dashboard.html", context)
