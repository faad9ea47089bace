"""The key tasks: the board everyone reads, and the page where lead units report their
milestones and keep their enterprises' status up to date."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from indicators.formatting import plain_decimal
from indicators.models import Plan
from indicators.period import chosen_year
from indicators.reporting import upload
from indicators.reporting.views import is_submit, render_history, save_and_answer, save_view
from indicators.reporting.workflow import FigureConflict, WorkflowError
from indicators.selectors import plan_menu, reporting_year

from . import charts, progress_import
from .forms import EnterpriseForm, ProgressForm
from .milestones import (
    PROGRESS,
    can_report_milestone,
    can_update_enterprise,
    enterprise_update,
)
from .models import Enterprise, Milestone, MilestoneProgress
from .selectors import (
    editable_enterprises,
    key_tasks_for_board,
    led_milestones,
    plans_with_tasks,
)
from .views import default_plan

NOTHING_TO_REPORT = _("您所在的单位不是任何重点任务目标或标杆企业的牵头单位，无需填报。")


def plan_with_tasks(slug: str) -> Plan:
    """The plan of this slug if it has key tasks (one query); 404 otherwise."""
    return get_object_or_404(plans_with_tasks(), slug=slug)


@login_required
def task_index(request):
    return redirect("task_board", slug=default_plan(plans_with_tasks()).slug)


@login_required
def task_board(request, slug: str):
    plan = plan_with_tasks(slug)
    year = chosen_year(request, plan)
    tasks = key_tasks_for_board(plan, year)
    lines = [line for task in tasks for line in task.milestone_lines]
    enterprises = [e for task in tasks for e in task.enterprises.all()]
    context = {
        "plan": plan,
        "plans": plan_menu(plans_with_tasks(), plan),
        "year": year,
        "years": plan.years,
        "tasks": tasks,
        "milestone_lines": lines,
        "milestones_chart": charts.milestones_figure(lines, year),
        "enterprises_chart": charts.enterprises_figure(enterprises),
        "enterprise_counts": charts.enterprise_status_counts(enterprises),
        "has_demo": MilestoneProgress.objects.filter(
            milestone__task__plan=plan, is_demo=True
        ).exists(),
    }
    return render(request, "projects/task_board.html", context)


@dataclass
class ProgressLine:
    milestone: Milestone
    progress: MilestoneProgress | None
    previous: MilestoneProgress | None
    form: ProgressForm | None = None

    @property
    def anchor(self) -> str:
        return f"milestone-{self.milestone.pk}"


def _progress_lines(request, plan: Plan, year: int) -> list[ProgressLine]:
    lines = []
    for milestone in led_milestones(plan, request.user):
        by_year = {p.year: p for p in milestone.progress.all()}
        line = ProgressLine(milestone, by_year.get(year), by_year.get(year - 1))
        current = line.progress
        initial = {"version": current.version if current else 0}
        if current is not None and not current.is_demo:
            initial.update(
                value=plain_decimal(current.value) or "",
                explanation=current.explanation,
                measures=current.measures,
            )
        line.form = ProgressForm(
            initial=initial, milestone=milestone, year=year, prefix=line.anchor
        )
        lines.append(line)
    return lines


def _enterprise_forms(request, plan: Plan) -> list[tuple[Enterprise, EnterpriseForm]]:
    return [
        (
            enterprise,
            EnterpriseForm(
                initial={
                    "status": enterprise.status,
                    "note": enterprise.note,
                    "version": enterprise.version,
                },
                choices=enterprise.status_choices,
                prefix=f"enterprise-{enterprise.pk}",
            ),
        )
        for enterprise in editable_enterprises(plan, request.user)
    ]


def _render_report(request, plan: Plan, year: int, lines, enterprises, status: int = 200):
    if not request.user.is_plan_admin and not lines and not enterprises:
        raise PermissionDenied(NOTHING_TO_REPORT)
    context = {
        "plan": plan,
        "plans": plan_menu(plans_with_tasks(), plan),
        "year": year,
        "years": plan.years,
        "lines": lines,
        "enterprises": enterprises,
    }
    return render(request, "projects/task_report.html", context, status=status)


@login_required
def task_report_index(request):
    plan = default_plan(plans_with_tasks())
    return redirect("task_report", slug=plan.slug, year=reporting_year(plan, timezone.localdate()))


@login_required
def task_report(request, slug: str, year: int):
    plan = plan_with_tasks(slug)
    if year not in plan.years:
        raise Http404
    return _render_report(
        request, plan, year, _progress_lines(request, plan, year), _enterprise_forms(request, plan)
    )


def _milestone(plan: Plan, pk: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.select_related("task", "task__plan").prefetch_related(
            "lead_departments", "progress"
        ),
        task__plan=plan,
        pk=pk,
    )


@save_view("task_report", lambda kwargs: f"milestone-{kwargs['pk']}")
@login_required
def progress_save_view(request, slug: str, year: int, pk: int):
    plan = plan_with_tasks(slug)
    if year not in plan.years:
        raise Http404
    milestone = _milestone(plan, pk)
    if not can_report_milestone(request.user, milestone):
        raise PermissionDenied(_("只有该目标的牵头单位填报员或规划办管理员可以填报。"))
    form = ProgressForm(
        request.POST,
        milestone=milestone,
        year=year,
        submitting=is_submit(request),
        prefix=f"milestone-{milestone.pk}",
    )

    def rerender(form):
        lines = _progress_lines(request, plan, year)
        for line in lines:
            if line.milestone.pk == milestone.pk:
                line.form = form
        enterprises = _enterprise_forms(request, plan)
        return _render_report(request, plan, year, lines, enterprises, status=400)

    page_url = reverse("task_report", kwargs={"slug": slug, "year": year})
    return save_and_answer(request, form, PROGRESS, milestone, year, page_url, rerender)


@require_POST
@login_required
def enterprise_save(request, slug: str, year: int, pk: int):
    plan = plan_with_tasks(slug)
    enterprise = get_object_or_404(
        Enterprise.objects.select_related("task").prefetch_related("task__lead_departments"),
        task__plan=plan,
        pk=pk,
    )
    if not can_update_enterprise(request.user, enterprise):
        raise PermissionDenied(_("只有该任务的牵头单位填报员或规划办管理员可以更新企业状态。"))
    form = EnterpriseForm(
        request.POST, choices=enterprise.status_choices, prefix=f"enterprise-{enterprise.pk}"
    )
    if not form.is_valid():
        messages.error(request, f"{enterprise.name}：未做任何修改，请选择有效的状态。")
    else:
        try:
            updated = enterprise_update(
                enterprise=enterprise,
                user=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except FigureConflict as conflict:
            current = conflict.current
            who = current.updated_by.username if current.updated_by else "他人"
            messages.error(
                request,
                f"{enterprise.name}：保存失败，该企业状态已被 {who} 更新为"
                f"“{current.get_status_display()}”，请核对后重新选择。",
            )
        except WorkflowError as exc:
            messages.error(request, f"{enterprise.name}：{exc}")
        else:
            messages.success(
                request,
                f"{updated.name}（{updated.get_kind_display()}）：{updated.get_status_display()}",
            )
    url = reverse("task_report", kwargs={"slug": slug, "year": year})
    return redirect(f"{url}#enterprise-{enterprise.pk}")


@login_required
def progress_history(request, slug: str, pk: int, year: int):
    plan = plan_with_tasks(slug)
    milestone = _milestone(plan, pk)
    back_url = reverse("task_board", kwargs={"slug": slug}) + f"?year={year}"
    return render_history(request, PROGRESS, milestone, year, back_url)


TASKS_EXCEL = upload.ExcelRoute(
    plans_with_tasks, progress_import.PROGRESS_ROWS, progress_import.template_file,
    gettext_lazy("任务目标完成值"), "projects/progress_upload.html", "task", "task_report",
    refused=NOTHING_TO_REPORT,
)
