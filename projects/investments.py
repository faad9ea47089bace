"""Writes to a project's yearly investment (save, approve, return) and to its status.

One transaction each, through the reporting kernel (indicators/reporting/): the same
permissions (the supervising department's 填报员 or a 管理员 writes, only a 管理员
reviews), the same lost-update guard, sample handling and history as an indicator's actual.
"""

from django.db import transaction
from django.urls import reverse

from indicators import permissions
from indicators.formatting import UNASSIGNED, figure_text, percent_text
from indicators.models import User
from indicators.progress import completion
from indicators.reporting import kinds
from indicators.reporting.workflow import WorkflowError

from .investment_input import check_investment
from .models import INVESTMENT_UNIT, Project, ProjectInvestment, ProjectStatus

NOT_YOURS = "只有该项目主管部门的填报员或规划办管理员可以填报。"


def can_report_project(user: User, project: Project) -> bool:
    """Return True if the user may enter the project's figures or status."""
    return permissions.can_report(user, project)


@transaction.atomic
def project_status_update(*, project: Project, user: User, status: str) -> Project:
    """Record the project's stage (前期/在建/竣工/投产); return the project."""
    permissions.require(
        can_report_project(user, project),
        "只有该项目主管部门的填报员或规划办管理员可以更新项目状态。",
    )
    if status not in ProjectStatus.values:
        raise WorkflowError("请选择项目状态：前期、在建、竣工或投产。")
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.status != status:
        locked.status = status
        locked._history_user = user
        locked._change_reason = "更新项目状态"
        locked.save(update_fields=["status"])
    return locked


def investment_shown(investment: ProjectInvestment) -> str:
    """The working figures as people read them: “计划 30 亿元、完成 空”."""
    planned = figure_text(investment.planned, INVESTMENT_UNIT, "空")
    completed = figure_text(investment.completed, INVESTMENT_UNIT, "空")
    return f"计划 {planned}、完成 {completed}"


def _review_line(investment: ProjectInvestment) -> kinds.ReviewLine:
    project = investment.project

    def approved(value) -> str:
        return figure_text(value, INVESTMENT_UNIT) if investment.approved_at else ""

    notes = [("说明", investment.explanation)] if investment.explanation else []
    rate = completion(investment.completed, investment.planned)
    if rate is not None:
        notes.append(("完成率", percent_text(rate)))
    return kinds.ReviewLine(
        subject=INVESTMENT.describe(investment),
        url=reverse("project_detail", args=[project.plan.slug, project.number]),
        department=project.department_name or UNASSIGNED,
        plan_name=project.plan.short_name,
        figures=[
            (
                "计划",
                figure_text(investment.planned, INVESTMENT_UNIT),
                approved(investment.approved_planned),
            ),
            (
                "完成",
                figure_text(investment.completed, INVESTMENT_UNIT),
                approved(investment.approved_completed),
            ),
        ],
        target=figure_text(project.total_investment, INVESTMENT_UNIT) + "（总投资）",
        notes=notes,
    )


INVESTMENT = kinds.register(
    kinds.FigureKind(
        "investment", "项目投资", "投资", ProjectInvestment, "project", "project__plan",
        also_related=("project__supervising_department",),
        order=("year", "project__number"),
        name_of=lambda project: f"{project.number}. {project.name}",
        shown=investment_shown, review_line=_review_line, not_allowed=NOT_YOURS,
        rules=lambda _project, entry, _year, submit: check_investment(entry, submitting=submit),
    )
)
# Save a project's investment for a year (project=, entry=, year=, user=, …).
investment_save = INVESTMENT.save
