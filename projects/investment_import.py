"""Reporting a year's project investment from Excel: the prefilled template, and the
all-or-nothing import. Every row goes through the same save (and approval) services as
the form, so the same permissions, rules and history apply; any bad row refuses the file.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from indicators.actual_import import APPROVE, DRAFT, MODES
from indicators.actual_input import Problem
from indicators.importers.workbook import CellIssue, SheetInvalid
from indicators.models import Plan, Role, User
from indicators.workflow import FigureConflict, FigureInvalid, WorkflowError

from .investment_input import EXPLANATION, InvestmentEntry
from .investment_sheet import (
    InvestmentRow,
    InvestmentSheet,
    TemplateLine,
    build_template,
    read_investment_sheet,
)
from .investments import can_report_project, investment_approve, investment_save
from .models import Project, ProjectInvestment


@dataclass(frozen=True)
class InvestmentImportSummary:
    year: int
    mode: str
    saved: tuple[int, ...]
    unchanged: tuple[int, ...]

    def summary_lines(self) -> list[str]:
        verb = {DRAFT: "保存为草稿", APPROVE: "审核通过"}.get(self.mode, "提交审核")
        listed = "、".join(str(n) for n in self.saved) or "无"
        lines = [f"已导入 {self.year} 年项目投资 {len(self.saved)} 项并{verb}（序号 {listed}）。"]
        if self.unchanged:
            lines.append(f"{len(self.unchanged)} 项与已保存的数据相同，未重复保存。")
        return lines


def may_upload(user: User, plan: Plan) -> bool:
    """Return True for the plan office, and for staff whose department supervises a project."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_plan_admin:
        return True
    return (
        user.role == Role.STAFF
        and user.department_id is not None
        and plan.projects.filter(supervising_department_id=user.department_id).exists()
    )


def check_import_allowed(*, user: User, plan: Plan, mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown import mode {mode!r}")
    if mode == APPROVE and not (user.is_authenticated and user.is_plan_admin):
        raise PermissionDenied("只有规划办管理员可以在导入时直接审核通过。")
    if not may_upload(user, plan):
        raise PermissionDenied("只有项目主管部门的填报员或规划办管理员可以导入项目投资。")


def _reportable(plan: Plan, year: int, user: User) -> list[Project]:
    projects = Project.objects.filter(plan=plan).select_related("plan", "supervising_department")
    if not user.is_plan_admin:
        projects = projects.filter(supervising_department_id=user.department_id)
    return list(projects.order_by("number"))


def investment_template(*, plan: Plan, year: int, user: User) -> tuple[str, bytes]:
    """Return (file name, .xlsx content) of the template prefilled with the saved figures."""
    if not may_upload(user, plan):
        raise PermissionDenied("只有项目主管部门的填报员或规划办管理员可以下载填报模板。")
    projects = _reportable(plan, year, user)
    saved = {
        i.project_id: i for i in ProjectInvestment.objects.filter(project__in=projects, year=year)
    }
    lines = []
    for project in projects:
        investment = saved.get(project.pk)
        lines.append(
            TemplateLine(
                number=project.number,
                name=project.name,
                builder=project.builder,
                total_investment=project.total_investment,
                planned=investment.planned if investment else None,
                completed=investment.completed if investment else None,
                explanation=investment.explanation if investment else "",
            )
        )
    who = "全部项目" if user.is_plan_admin or not user.department else user.department.name
    title = f"{plan.short_name}：{year}年重大项目投资填报（{who}）"
    return f"{plan.short_name}-{year}年项目投资填报-{who}.xlsx", build_template(
        title=title, year=year, lines=lines
    )


def investments_upload(
    *, plan: Plan, file_name: str, content: bytes, user: User, mode: str, year: int
) -> InvestmentImportSummary:
    """Read the file and import it: every issue of the file at once, or everything written.

    Raises PermissionDenied before reading, WorkbookRefused, or SheetInvalid.
    """
    check_import_allowed(user=user, plan=plan, mode=mode)
    if year not in plan.years:
        raise WorkflowError(f"{year} 年不在规划期 {plan.first_year}–{plan.last_year} 年内。")
    projects = dict(plan.projects.values_list("number", "name"))
    sheet = read_investment_sheet(file_name, content, projects=projects, year=year)
    with transaction.atomic():
        issues: list[CellIssue] = []
        summary = None
        try:
            summary = investments_import(
                plan=plan, year=year, sheet=sheet, user=user, mode=mode, file_name=file_name
            )
        except SheetInvalid as exc:
            issues = exc.issues
        if sheet.issues or issues:
            # Raised inside the transaction: rows that did save are rolled back too.
            raise SheetInvalid(sorted([*sheet.issues, *issues], key=lambda i: i.row or 0))
    return summary


def _unchanged(existing: ProjectInvestment | None, row: InvestmentRow, mode: str) -> bool:
    """A row equal to what is saved, already as far along as asked, is not saved again."""
    if existing is None:
        return False
    same = (
        existing.planned == row.planned
        and existing.completed == row.completed
        and existing.explanation == row.explanation
    )
    far_enough = {
        DRAFT: True,
        APPROVE: existing.state == "approved",
    }.get(mode, existing.state in ("submitted", "approved"))
    return same and far_enough


@transaction.atomic
def investments_import(
    *, plan: Plan, year: int, sheet: InvestmentSheet, user: User, mode: str, file_name: str = ""
) -> InvestmentImportSummary:
    """Save every row as draft, submitted or approved in one transaction; return the counts.

    An upload overwrites the working copy on purpose, so each save names the current
    version. Raises SheetInvalid listing every row that failed; then nothing is written.
    """
    check_import_allowed(user=user, plan=plan, mode=mode)
    projects = {
        p.number: p
        for p in Project.objects.filter(plan=plan).select_related("plan", "supervising_department")
    }
    current = {
        i.project_id: i
        for i in ProjectInvestment.objects.select_for_update()
        .filter(project__plan=plan, year=year)
        .order_by("pk")
    }
    reason = f"Excel 导入 {file_name}".strip()
    issues: list[CellIssue] = []
    saved, unchanged = [], []
    for row in sheet.rows:
        project = projects[row.number]
        if not can_report_project(user, project):
            issues.append(row.issue("number", _not_yours(project, user)))
            continue
        existing = current.get(project.pk)
        if _unchanged(existing, row, mode):
            unchanged.append(row.number)
            continue
        entry = InvestmentEntry(row.planned, row.completed, row.explanation)
        try:
            investment = investment_save(
                project=project,
                year=year,
                user=user,
                entry=entry,
                expected_version=existing.version if existing else None,
                submit=mode != DRAFT,
                reason=f"{reason}：{'保存草稿' if mode == DRAFT else '提交审核'}",
            )
            if mode == APPROVE:
                investment_approve(
                    investment_id=investment.pk,
                    user=user,
                    expected_version=investment.version,
                    reason=f"{reason}：直接审核通过",
                )
        except FigureInvalid as exc:
            issues.extend(_problem_issues(row, exc.problems))
        except FigureConflict:
            issues.append(row.issue("planned", "该项目的投资刚被他人修改，请重新上传"))
        except WorkflowError as exc:
            issues.append(row.issue("planned", str(exc)))
        else:
            saved.append(row.number)
    if issues:
        raise SheetInvalid(issues)
    return InvestmentImportSummary(year, mode, tuple(saved), tuple(unchanged))


def _not_yours(project: Project, user: User) -> str:
    where = f"您所在的{user.department.name}" if user.department else "您"
    label = f"项目 {project.number}“{project.name}”"
    if project.supervising_department is None:
        return f"{label}尚未分配主管部门，{where}不能填报"
    return f"{label}的主管部门是{project.supervising_department.name}，{where}不能填报"


def _problem_issues(row: InvestmentRow, problems: list[Problem]) -> list[CellIssue]:
    return [
        row.issue("explanation" if p.field == EXPLANATION else p.field, p.message) for p in problems
    ]
