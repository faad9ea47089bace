"""项目填报: a supervising department enters its projects' yearly investment, by form or Excel."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.formatting import figure_text, plain_decimal
from indicators.importers.workbook import SheetInvalid, WorkbookRefused
from indicators.selectors import reporting_year
from indicators.upload_views import XLSX
from indicators.workflow import FigureConflict, FigureInvalid, WorkflowError

from . import investment_import
from .forms import InvestmentForm, InvestmentUploadForm
from .history import history_versions
from .investments import can_report_project, investment_save
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


def _plan_year(request, slug: str, year: int):
    plan = plan_with_projects(slug)
    if year not in plan.years:
        raise Http404(_("该年份不在规划期内。"))
    if not investment_import.may_upload(request.user, plan):
        raise PermissionDenied(NOTHING_TO_REPORT)
    return plan


def _render(request, plan, year: int, lines: list[ReportLine], status: int = 200):
    context = {
        "plan": plan,
        "plans": plans_with_projects(),
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
    plan = _plan_year(request, slug, year)
    return _render(request, plan, year, _lines(request, plan, year))


def conflict_message(current, shown: str) -> str:
    """Tell who saved what since the user opened the page; their input stays on the form."""
    who = current.entered_by.username if current.entered_by else "他人"
    when = (
        timezone.localtime(current.entered_at).strftime("%Y-%m-%d %H:%M")
        if current.entered_at
        else ""
    )
    return (
        f"保存失败：该数据已被 {who} 于 {when} 修改为 {shown}（{current.get_state_display()}）。"
        "您填写的内容仍保留在下方，请核对后再次保存。"
    )


@require_POST
@login_required
def report_save(request, slug: str, year: int, number: int):
    """Save one project's investment as a draft or submit it; on any problem, show the input."""
    plan = plan_with_projects(slug)
    if year not in plan.years:
        raise Http404
    project = get_object_or_404(Project.objects.for_listing(), plan=plan, number=number)
    if not can_report_project(request.user, project):
        raise PermissionDenied(_("只有该项目主管部门的填报员或规划办管理员可以填报。"))
    anchor = f"project-{number}"
    submit = request.POST.get("action") == "submit"
    form = InvestmentForm(request.POST, submitting=submit, prefix=anchor)
    if form.is_valid():
        try:
            investment_save(
                project=project,
                year=year,
                user=request.user,
                entry=form.entry(),
                expected_version=form.cleaned_data["version"] or None,
                submit=submit,
            )
        except FigureConflict as conflict:
            current = conflict.current
            shown = (
                f"计划 {figure_text(current.planned, INVESTMENT_UNIT, '空')}、"
                f"完成 {figure_text(current.completed, INVESTMENT_UNIT, '空')}"
            )
            form.add_error(None, conflict_message(current, shown))
            form.data = form.data.copy()
            form.data[f"{anchor}-version"] = str(current.version)
        except (FigureInvalid, WorkflowError) as exc:
            for problem in getattr(exc, "problems", None) or []:
                form.add_error(problem.field, problem.message)
            if not getattr(exc, "problems", None):
                form.add_error(None, str(exc))
        else:
            verb = _("已提交审核") if submit else _("草稿已保存")
            messages.success(request, f"{project.number}. {project.name}：{verb}")
            url = reverse("project_report", kwargs={"slug": slug, "year": year})
            return redirect(f"{url}#{anchor}")
    lines = _lines(request, plan, year)
    for line in lines:
        if line.project.pk == project.pk:
            line.form = form
    return _render(request, plan, year, lines, status=400)


@login_required
def report_template(request, slug: str, year: int):
    plan = _plan_year(request, slug, year)
    file_name, content = investment_import.investment_template(
        plan=plan, year=year, user=request.user
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response


@login_required
def report_upload(request, slug: str, year: int):
    plan = _plan_year(request, slug, year)
    is_admin = request.user.is_plan_admin
    if request.method == "POST" and request.POST.get("mode") == investment_import.APPROVE:
        # Not offered to staff; a forged post is refused before the file is read.
        investment_import.check_import_allowed(
            user=request.user, plan=plan, mode=investment_import.APPROVE
        )
    form = InvestmentUploadForm(request.POST or None, request.FILES or None, allow_approve=is_admin)
    issues: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = investment_import.investments_upload(
                plan=plan,
                file_name=upload.name,
                content=upload.read(),
                user=request.user,
                mode=form.cleaned_data["mode"],
                year=year,
            )
        except WorkbookRefused as exc:
            form.add_error("file", str(exc))
        except SheetInvalid as exc:
            issues = [str(issue) for issue in exc.issues]
        else:
            for line in summary.summary_lines():
                messages.success(request, line)
            return redirect("project_report", slug=plan.slug, year=year)
    status = 400 if request.method == "POST" else 200
    context = {"plan": plan, "year": year, "form": form, "issues": issues, "is_admin": is_admin}
    return render(request, "projects/upload.html", context, status=status)


@login_required
def investment_history(request, slug: str, number: int, year: int):
    """Every version of one project's investment for a year: who, when, what changed."""
    plan = plan_with_projects(slug)
    project = get_object_or_404(Project.objects.for_listing(), plan=plan, number=number)
    user = request.user
    if not (user.is_plan_admin or user.is_leader or can_report_project(user, project)):
        raise PermissionDenied(_("只有该项目的主管部门、规划办或领导可以查看修改历史。"))
    investment = ProjectInvestment.objects.filter(project=project, year=year).first()
    context = {
        "plan": plan,
        "title": f"{project.number}. {project.name} · {year}年投资",
        "back_url": reverse("project_detail", kwargs={"slug": slug, "number": number}),
        "versions": history_versions(investment),
    }
    return render(request, "projects/history.html", context)
