"""Reporting a year's project investment from Excel: the prefilled template, and the
all-or-nothing import through the reporting kernel's pipeline (indicators/reporting/upload.py).
"""

from django.core.exceptions import PermissionDenied

from indicators.models import Plan, User
from indicators.reporting import upload
from indicators.reporting.sheet import template_row

from .investment_input import EXPLANATION, InvestmentEntry
from .investment_sheet import SPEC, investment_template
from .investments import INVESTMENT
from .models import INVESTMENT_UNIT, Project, ProjectInvestment

NOT_ALLOWED = "只有项目主管部门的填报员或规划办管理员可以导入项目投资。"


def template_file(*, plan: Plan, year: int, user: User) -> tuple[str, bytes]:
    """Return (file name, .xlsx content) of the template prefilled with the saved figures."""
    if not INVESTMENT_ROWS.may_upload(user, plan):
        raise PermissionDenied("只有项目主管部门的填报员或规划办管理员可以下载填报模板。")
    projects = list(Project.objects.filter(plan=plan).reportable_by(user).order_by("number"))
    saved = {
        i.project_id: i for i in ProjectInvestment.objects.filter(project__in=projects, year=year)
    }
    rows = [
        template_row(
            project.number,
            [project.number, project.name, project.builder, project.total_investment],
            saved.get(project.pk),
            ("planned", "completed", "explanation"),
        )
        for project in projects
    ]
    who = "全部项目" if user.is_plan_admin or not user.department else user.department.name
    title = f"{plan.short_name}：{year}年重大项目投资填报（{who}）"
    content = investment_template(title=title, year=year, rows=rows)
    return f"{plan.short_name}-{year}年项目投资填报-{who}.xlsx", content


def _not_yours(project: Project, user: User) -> str:
    label = f"项目 {project.number}“{project.name}”"
    return upload.not_yours_reason(label, "主管部门", project.department_name or "", user)


INVESTMENT_ROWS = upload.RowImport(
    kind=INVESTMENT,
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
    sheet=SPEC,
    subjects=lambda plan: {
        p.number: p
        for p in Project.objects.filter(plan=plan).select_related("plan", "supervising_department")
    },
    figures=lambda plan, year: ProjectInvestment.objects.filter(project__plan=plan, year=year),
    unit_of=lambda project: INVESTMENT_UNIT,
    reportable=lambda plan: Project.objects.filter(plan=plan),
    refused=NOT_ALLOWED,
)
investments_upload = INVESTMENT_ROWS.upload
may_upload = INVESTMENT_ROWS.may_upload
