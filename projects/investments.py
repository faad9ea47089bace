"""Writes to a project's yearly investment (save, approve, return) and to its status.

One transaction each, through the shared workflow of indicators.workflow: the same
permissions (the supervising department's 填报员 or a 管理员 writes, only a 管理员
reviews), the same lost-update guard and the same history as an indicator's actual.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from indicators.models import Role, User
from indicators.workflow import (
    FigureInvalid,
    WorkflowError,
    approve,
    lock_for_review,
    lock_for_save,
    record_entry,
    save_version,
    send_back,
)

from .investment_input import InvestmentEntry, check_investment
from .models import Project, ProjectInvestment, ProjectStatus

NOT_YOURS = "只有该项目主管部门的填报员或规划办管理员可以填报。"


def can_report_project(user: User, project: Project) -> bool:
    """Return True if the user may enter the project's figures or status.

    The plan office may enter any; department staff only what their department supervises.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_plan_admin:
        return True
    return (
        user.role == Role.STAFF
        and user.department_id is not None
        and user.department_id == project.supervising_department_id
    )


def _check_year(project: Project, year: int) -> None:
    plan = project.plan
    if year not in plan.years:
        raise WorkflowError(f"{year} 年不在规划期 {plan.first_year}–{plan.last_year} 年内。")


@transaction.atomic
def investment_save(
    *,
    project: Project,
    year: int,
    user: User,
    entry: InvestmentEntry,
    expected_version: int | None,
    submit: bool,
    reason: str = "",
) -> ProjectInvestment:
    """Save the year's investment as a draft, or submit it for review; return it.

    Raises PermissionDenied, FigureInvalid, FigureConflict or WorkflowError.
    """
    if not can_report_project(user, project):
        raise PermissionDenied(NOT_YOURS)
    _check_year(project, year)
    problems = check_investment(entry, submitting=submit)
    if problems:
        raise FigureInvalid(problems)
    rows = ProjectInvestment.objects.filter(project=project, year=year)
    investment = lock_for_save(
        rows,
        expected_version=expected_version,
        new=lambda: ProjectInvestment(project=project, year=year),
    )
    investment.planned = entry.planned
    investment.completed = entry.completed
    investment.explanation = entry.explanation.strip()
    record_entry(investment, user=user, submit=submit)
    return save_version(
        investment,
        user=user,
        reason=reason or ("提交审核" if submit else "保存草稿"),
        current=rows.first,
    )


def _describe(investment: ProjectInvestment) -> str:
    return f"{investment.project.number}. {investment.project.name} {investment.year} 年的投资"


def _locked(investment_id: int, user: User, expected_version: int | None) -> ProjectInvestment:
    return lock_for_review(
        ProjectInvestment.objects.select_related("project"),
        pk=investment_id,
        user=user,
        expected_version=expected_version,
        describe=_describe,
    )


@transaction.atomic
def investment_approve(
    *, investment_id: int, user: User, expected_version: int | None = None, reason: str = "审核通过"
) -> ProjectInvestment:
    """Approve a submitted investment: it becomes what leaders see, and is locked."""
    return approve(_locked(investment_id, user, expected_version), user=user, reason=reason)


@transaction.atomic
def investment_return(
    *, investment_id: int, user: User, reason: str, expected_version: int | None = None
) -> ProjectInvestment:
    """Return a submitted investment to its department with the reason."""
    if not reason.strip():
        raise WorkflowError("退回时请填写退回原因。")
    return send_back(_locked(investment_id, user, expected_version), user=user, reason=reason)


@transaction.atomic
def project_status_update(*, project: Project, user: User, status: str) -> Project:
    """Record the project's stage (前期/在建/竣工/投产); return the project."""
    if not can_report_project(user, project):
        raise PermissionDenied("只有该项目主管部门的填报员或规划办管理员可以更新项目状态。")
    if status not in ProjectStatus.values:
        raise WorkflowError("请选择项目状态：前期、在建、竣工或投产。")
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.status != status:
        locked.status = status
        locked._history_user = user
        locked._change_reason = "更新项目状态"
        locked.save(update_fields=["status"])
    return locked
