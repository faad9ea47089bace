"""项目填报: a supervising department enters its projects' yearly investment, by form or Excel."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.formatting import plain_decimal
from indicators.reporting import upload
from indicators.reporting.views import is_submit, render_history, save_and_answer, save_view
from indicators.selectors import plan_menu, reporting_year

from . import investment_import
from .forms import InvestmentForm
from .investments import INVESTMENT, can_report_project
from .models import INVESTMENT_UNIT, Project, ProjectInvestment
from .selectors import plans_with_projects, supervised_projects
from .views import default_plan, plan_with_projects

NOTHING_TO_REPORT = _(
    "您所在的单位没有主管的重大项目，无需填报。项目的主管部门由规划办管理员在管理后台分配。"
)


@dataclass
class ReportLine:
    project: Project
    investment: ProjectInvestment | None
    previous: ProjectInvestment | None
    form: InvestmentForm | None = None

    @property
    def anchor(self) -> str:
        return f"project-{self.project.number}"


def _initial(investment: ProjectInvestment | None) -> dict:
    if investment is None:
        return {"version": 0}
    if investment.is_demo:
        # A sample is there to show the pages, not to be copied into a real figure.
        return {"version": investment.version}
    return {
        "planned": plain_decimal(investment.planned) or "",
        "completed": plain_decimal(investment.completed) or "",
        "explanation": investment.explanation,
        "version": investment.version,
    }


def _lines(request, plan, year: int) -> list[ReportLine]:
    lines = []
    for project in supervised_projects(plan, request.user, year):
        by_year = {i.year: i for i in project.investments.all()}
        line = ReportLine(project, by_year.get(year), by_year.get(year - 1))
        line.form = InvestmentForm(initial=_initial(line.investment), prefix=line.anchor)
        lines.append(line)
    return lines


def _render(request, plan, year: int, lines: list[ReportLine], status: int = 200):
    context = {
        "plan": plan,
        "plans": plan_menu(plans_with_projects(), plan),
        "year": year,
        "years": plan.years,
        "lines": lines,
        "unit": INVESTMENT_UNIT,
    }
    return render(request, "projects/report.html", context, status=status)


@login_required
def report_index(request):
    plan = default_plan(plans_with_projects())
    return redirect(
        "project_report", slug=plan.slug, year=reporting_year(plan, timezone.localdate())
    )


@login_required
def report_page(request, slug: str, year: int):
    plan = INVESTMENTS_EXCEL.plan_year(request, slug, year)
    return _render(request, plan, year, _lines(request, plan, year))


@save_view("project_report", lambda kwargs: f"project-{kwargs['number']}")
@login_required
def report_save(request, slug: str, year: int, number: int):
    """Save one project's investment as a draft or submit it; on any problem, show the input."""
    plan = plan_with_projects(slug)
    if year not in plan.years:
        raise Http404
    project = get_object_or_404(Project.objects.for_listing(), plan=plan, number=number)
    if not can_report_project(request.user, project):
        raise PermissionDenied(_("只有该项目主管部门的填报员或规划办管理员可以填报。"))
    form = InvestmentForm(request.POST, submitting=is_submit(request), prefix=f"project-{number}")

    def rerender(form):
        lines = _lines(request, plan, year)
        for line in lines:
            if line.project.pk == project.pk:
                line.form = form
        return _render(request, plan, year, lines, status=400)

    page_url = reverse("project_report", kwargs={"slug": slug, "year": year})
    return save_and_answer(request, form, INVESTMENT, project, year, page_url, rerender)


@login_required
def investment_history(request, slug: str, number: int, year: int):
    """Every version of one project's investment for a year: who, when, what changed."""
    plan = plan_with_projects(slug)
    project = get_object_or_404(Project.objects.for_listing(), plan=plan, number=number)
    back_url = reverse("project_detail", kwargs={"slug": slug, "number": number})
    return render_history(request, INVESTMENT, project, year, back_url)


INVESTMENTS_EXCEL = upload.ExcelRoute(
    plans_with_projects, investment_import.INVESTMENT_ROWS, investment_import.template_file,
    gettext_lazy("项目投资"), "projects/investment_upload.html", "project_report", "project_report",
    refused=NOTHING_TO_REPORT,
)
