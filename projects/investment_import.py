"""Reporting a year's project investment from Excel: the prefilled template, and the
all-or-nothing import through the reporting kernel's pipeline (indicators/reporting/upload.py).
"""

from django.core.exceptions import PermissionDenied

from indicators.models import Plan, User
from indicators.reporting import upload
from indicators.reporting.sheet import TemplateRow
from indicators.reporting.sheet_reader import Subject, read_figure_sheet
from indicators.reporting.workflow import check_year

from .investment_input import EXPLANATION, InvestmentEntry
from .investment_sheet import SPEC, investment_template
from .investments import INVESTMENT, investment_save
from .models import INVESTMENT_UNIT, Project, ProjectInvestment

NOT_ALLOWED = "只有项目主管部门的填报员或规划办管理员可以导入项目投资。"


def may_upload(user: User, plan: Plan) -> bool:
    """Return True for the plan office, and for staff whose department supervises a project."""
    return upload.may_upload(user, Project.objects.filter(plan=plan))


def check_import_allowed(*, user: User, plan: Plan, mode: str) -> None:
    upload.check_mode(user, mode)
    if not may_upload(user, plan):
        raise PermissionDenied(NOT_ALLOWED)


def template_file(*, plan: Plan, year: int, user: User) -> tuple[str, bytes]:
    """Return (file name, .xlsx content) of the template prefilled with the saved figures."""
    if not may_upload(user, plan):
        raise PermissionDenied("只有项目主管部门的填报员或规划办管理员可以下载填报模板。")
    projects = list(Project.objects.filter(plan=plan).reportable_by(user).order_by("number"))
    saved = {
        i.project_id: i for i in ProjectInvestment.objects.filter(project__in=projects, year=year)
    }
    rows = []
    for project in projects:
        investment = saved.get(project.pk)
        real = investment if investment is not None and not investment.is_demo else None
        rows.append(
            TemplateRow(
                key=project.number,
                values=[
                    project.number,
                    project.name,
                    project.builder,
                    project.total_investment,
                    real.planned if real else None,
                    real.completed if real else None,
                    real.explanation if real else "",
                ],
                version=investment.version if investment else 0,
            )
        )
    who = "全部项目" if user.is_plan_admin or not user.department else user.department.name
    title = f"{plan.short_name}：{year}年重大项目投资填报（{who}）"
    content = investment_template(title=title, year=year, rows=rows)
    return f"{plan.short_name}-{year}年项目投资填报-{who}.xlsx", content


def _not_yours(project: Project, user: User) -> str:
    where = f"您所在的{user.department.name}" if user.department else "您"
    label = f"项目 {project.number}“{project.name}”"
    if project.supervising_department is None:
        return f"{label}尚未分配主管部门，{where}不能填报"
    return f"{label}的主管部门是{project.supervising_department.name}，{where}不能填报"


def investments_upload(
    *, plan: Plan, file_name: str, content: bytes, user: User, mode: str, year: int
) -> upload.ImportSummary:
    """Read the file and import it: every issue of the file at once, or everything written.

    Raises PermissionDenied before reading, WorkflowError, WorkbookRefused, or SheetInvalid.
    """
    check_import_allowed(user=user, plan=plan, mode=mode)
    check_year(plan, year)
    projects = {
        p.number: p
        for p in Project.objects.filter(plan=plan).select_related("plan", "supervising_department")
    }
    subjects = {number: Subject(p.name, INVESTMENT_UNIT) for number, p in projects.items()}

    rows = upload.RowImport(
        kind=INVESTMENT,
        service=investment_save,
        entry_of=lambda row: InvestmentEntry(
            row.figures["planned"], row.figures["completed"], row.explanation
        ),
        same=lambda i, row: (
            (i.planned, i.completed, i.explanation)
            == (row.figures["planned"], row.figures["completed"], row.explanation)
        ),
        not_yours=_not_yours,
        cell_of=lambda field: "explanation" if field == EXPLANATION else field,
        value_field="planned",
        noun="项目投资",
    )

    def write(sheet):
        return upload.import_rows(
            rows,
            rows=sheet.rows,
            subjects=projects,
            figures=ProjectInvestment.objects.filter(project__plan=plan, year=year),
            user=user,
            mode=mode,
            year=year,
            file_name=file_name,
        )

    return upload.all_or_nothing(
        lambda: read_figure_sheet(SPEC, file_name, content, subjects=subjects, year=year), write
    )
