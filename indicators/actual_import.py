"""Reporting a year's actuals from Excel: the prefilled template, and the all-or-nothing import.

Every row goes through the same checks and workflow steps as the form, written in bulk by
the reporting kernel (indicators/reporting/bulk.py), so the same permissions, rules and
history apply; any bad row refuses the whole file.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from .actual_input import EXPLANATION, MEASURES
from .actuals import ACTUAL, ActualEntry, indicator_facts
from .importers.actuals_sheet import (
    STATUS_LABELS,
    ActualSheet,
    SheetIndicator,
    TemplateLine,
    build_template,
    read_actuals_sheet,
)
from .models import Actual, Indicator, Plan, Role, User
from .reporting import upload
from .reporting.upload import APPROVE, DRAFT, MODES, SUBMIT, ImportSummary
from .reporting.workflow import check_year


def may_upload(user: User, plan: Plan) -> bool:
    """Return True for the plan office, and for staff whose department leads an indicator."""
    return upload.may_upload(user, plan.indicators.all())


def check_import_allowed(*, user: User, plan: Plan, mode: str) -> None:
    """Raise PermissionDenied, with the reason in Chinese, unless the user may import so."""
    upload.check_mode(user, mode)
    if not may_upload(user, plan):
        if user.is_authenticated and user.role == Role.STAFF and user.department_id:
            raise PermissionDenied(
                f"您所在的{user.department.name}不是“{plan.short_name}”任何指标的牵头单位，"
                "不能导入实际值。"
            )
        raise PermissionDenied("只有指标牵头单位的填报员或规划办管理员可以导入实际值。")


def _indicators_with_facts(plan: Plan, year: int):
    """The plan's indicators with what the rules read: targets and last year's actual."""
    return (
        Indicator.objects.filter(plan=plan)
        .select_related("plan", "lead_department")
        .prefetch_related(
            "targets",
            Prefetch("actuals", queryset=Actual.objects.filter(year__in=(year - 1, year))),
        )
        .order_by("number")
    )


def reportable_indicators(plan: Plan, year: int, user: User) -> list[Indicator]:
    """Return the indicators the user may report: their department's, or all for the office."""
    return list(_indicators_with_facts(plan, year).reportable_by(user))


def previous_header(plan: Plan, year: int) -> str:
    """The template's column of last year's figure: the base value in the first plan year."""
    if year - 1 == plan.base_year:
        return f"{plan.base_year}年基期值"
    return f"{year - 1}年实际值"


def actual_template(*, plan: Plan, year: int, user: User) -> tuple[str, bytes]:
    """Return (file name, .xlsx content) of the template prefilled for this user."""
    if not may_upload(user, plan):
        raise PermissionDenied("只有指标牵头单位的填报员或规划办管理员可以下载填报模板。")
    lines = []
    for indicator in reportable_indicators(plan, year, user):
        facts = indicator_facts(indicator, year)
        saved = next((a for a in indicator.actuals.all() if a.year == year), None)
        previous_text = ""
        if facts.has_text_target:
            previous = next((a for a in indicator.actuals.all() if a.year == year - 1), None)
            if previous is not None and previous.approved_text_status:
                previous_text = STATUS_LABELS[previous.approved_text_status]
        named = (indicator.number, indicator.name, indicator.unit)
        figures = (facts.target_value, facts.target_text, facts.previous_value, previous_text)
        lines.append(TemplateLine(*named, *figures, upload.stamped_version(saved)))
    who = user.department.name if not user.is_plan_admin and user.department else "全部指标"
    title = f"{plan.short_name}：{year}年实际值填报（{who}）"
    content = build_template(
        title=title, year=year, previous_header=previous_header(plan, year), lines=lines
    )
    return f"{plan.short_name}-{year}年实际值填报-{who}.xlsx", content


def read_upload(*, plan: Plan, file_name: str, content: bytes, year: int | None) -> ActualSheet:
    """Return the sheet read against the plan's indicators; raises like read_actuals_sheet."""
    indicators = [
        SheetIndicator(number, name, unit)
        for number, name, unit in plan.indicators.order_by("number").values_list(
            "number", "name", "unit"
        )
    ]
    return read_actuals_sheet(
        file_name,
        content,
        indicators=indicators,
        first_year=plan.first_year,
        last_year=plan.last_year,
        year=year,
    )


class ActualRows(upload.RowImport):
    """Actuals read their own sheet: a year in the header, text statuses, 数据类型."""

    def allowed(self, *, user: User, plan: Plan, mode: str) -> None:
        check_import_allowed(user=user, plan=plan, mode=mode)

    def upload(self, *, plan, file_name, content, user, mode, year=None) -> ImportSummary:
        """Read the file and import it: every issue of the file at once, or everything written.

        Raises PermissionDenied before reading, WorkbookRefused, or SheetInvalid.
        """
        self.allowed(user=user, plan=plan, mode=mode)
        return upload.all_or_nothing(
            lambda: read_upload(plan=plan, file_name=file_name, content=content, year=year),
            lambda sheet: actuals_import(plan, sheet, user=user, mode=mode, file_name=file_name),
        )


def actuals_import(
    plan: Plan, sheet: ActualSheet, *, user: User, mode: str, file_name: str = ""
) -> ImportSummary:
    """Save every row of the sheet (as draft, submitted, or approved) in one transaction.

    Raises PermissionDenied, or SheetInvalid listing every row that failed, in which case
    nothing is written.
    """
    check_import_allowed(user=user, plan=plan, mode=mode)
    year, rows = sheet.year, sheet.rows
    check_year(plan, year)
    numbers = sorted({row.number for row in rows})
    # Only the indicators the file names, with their facts: the same few queries for any
    # number of rows, and none of the plan's other indicators read.
    indicators = _indicators_with_facts(plan, year).filter(number__in=numbers)
    return upload.import_rows(
        ACTUAL_ROWS,
        rows=rows,
        subjects={i.number: i for i in indicators},
        figures=Actual.objects.filter(
            indicator__plan=plan, indicator__number__in=numbers, year=year
        ),
        user=user,
        mode=mode,
        year=year,
        file_name=file_name,
    )


def _not_yours(indicator: Indicator, user: User) -> str:
    lead = indicator.lead_department
    label = f"指标 {indicator.number}“{indicator.name}”"
    return upload.not_yours_reason(label, "牵头单位", lead.name if lead else "", user)


ACTUAL_ROWS = ActualRows(
    kind=ACTUAL,
    entry_of=lambda row: ActualEntry(
        value=row.value,
        text_status=row.text_status,
        kind=row.kind,
        explanation=row.explanation,
        source=None,  # the file says nothing of the source: keep what the department chose
        # A 说明 in the file stands for the form's "确认数值无误" on a large change.
        confirm_jump=bool(row.explanation.strip()),
        measures_required=False,
    ),
    same=lambda actual, row: (
        (actual.value, actual.text_status, actual.kind, actual.explanation)
        == (row.value, row.text_status, row.kind, row.explanation.strip())
    ),
    not_yours=_not_yours,
    cell_of=lambda field: "explanation" if field in (EXPLANATION, MEASURES) else "value",
    value_field="value",
    noun="实际值",
    reportable=lambda plan: plan.indicators.all(),
    refused="只有指标牵头单位的填报员或规划办管理员可以导入实际值。",
)
actuals_upload = ACTUAL_ROWS.upload


__all__ = [
    "APPROVE",
    "DRAFT",
    "MODES",
    "SUBMIT",
    "ActualSheet",
    "ImportSummary",
    "actual_template",
    "actuals_import",
    "actuals_upload",
    "check_import_allowed",
    "may_upload",
]

# The Excel pages of actuals: download the prefilled template, upload it filled in.
ACTUALS_EXCEL = upload.ExcelRoute(
    Plan.objects.all, ACTUAL_ROWS, actual_template,
    gettext_lazy("实际值"), "indicators/actual_upload.html", "actual", "report_page",
)
