"""Reporting a year's actuals from Excel: the prefilled template, and the all-or-nothing import.

Every row goes through the same save (and approval) services as the form, so the same
permissions, rules and history apply; any bad row refuses the whole file.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch

from .actual_input import EXPLANATION, MEASURES, Problem
from .actuals import (
    ActualConflict,
    ActualEntry,
    ActualInvalid,
    WorkflowError,
    actual_approve,
    actual_save,
    can_report,
    indicator_facts,
)
from .importers.actuals_sheet import (
    STATUS_LABELS,
    ActualRow,
    ActualSheet,
    SheetIndicator,
    TemplateLine,
    build_template,
    read_actuals_sheet,
)
from .importers.workbook import CellIssue, SheetInvalid
from .models import Actual, Indicator, Plan, Role, User

DRAFT, SUBMIT, APPROVE = "draft", "submit", "approve"
MODES = (DRAFT, SUBMIT, APPROVE)


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote: the 序号 of every saved indicator, and how far each went."""

    year: int
    mode: str
    numbers: tuple[int, ...]
    submitted: int
    approved: int

    @property
    def saved(self) -> int:
        return len(self.numbers)

    def summary_lines(self) -> list[str]:
        listed = "、".join(str(number) for number in self.numbers)
        lines = [f"已导入 {self.year} 年实际值 {self.saved} 项（序号 {listed}）。"]
        if self.mode == DRAFT:
            lines.append(f"{self.saved} 项已保存为草稿，核对后请提交审核。")
        elif self.mode == SUBMIT:
            lines.append(f"{self.submitted} 项已提交审核。")
        else:
            lines.append(f"{self.approved} 项已审核通过。")
        return lines


def may_upload(user: User, plan: Plan) -> bool:
    """Return True for the plan office, and for staff whose department leads an indicator."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_plan_admin:
        return True
    return (
        user.role == Role.STAFF
        and user.department_id is not None
        and plan.indicators.filter(lead_department_id=user.department_id).exists()
    )


def check_import_allowed(*, user: User, plan: Plan, mode: str) -> None:
    """Raise PermissionDenied, with the reason in Chinese, unless the user may import so."""
    if mode not in MODES:
        raise ValueError(f"unknown import mode {mode!r}")
    if mode == APPROVE and not (user.is_authenticated and user.is_plan_admin):
        raise PermissionDenied(
            "只有规划办管理员可以在导入时直接审核通过，请选择“保存为草稿”或“提交审核”。"
        )
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
            "targets", Prefetch("actuals", queryset=Actual.objects.filter(year=year - 1))
        )
        .order_by("number")
    )


def reportable_indicators(plan: Plan, year: int, user: User) -> list[Indicator]:
    """Return the indicators the user may report: their department's, or all for the office."""
    indicators = _indicators_with_facts(plan, year)
    if not user.is_plan_admin:
        indicators = indicators.filter(lead_department_id=user.department_id)
    return list(indicators)


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
        previous_text = ""
        if facts.has_text_target:
            previous = next((a for a in indicator.actuals.all() if a.year == year - 1), None)
            if previous is not None and previous.approved_text_status:
                previous_text = STATUS_LABELS[previous.approved_text_status]
        lines.append(
            TemplateLine(
                number=indicator.number,
                name=indicator.name,
                unit=indicator.unit,
                target_value=facts.target_value,
                target_text=facts.target_text,
                previous_value=facts.previous_value,
                previous_text=previous_text,
            )
        )
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


def actuals_upload(
    *, plan: Plan, file_name: str, content: bytes, user: User, mode: str, year: int | None = None
) -> ImportSummary:
    """Read the file and import it: every issue of the file at once, or everything written.

    Raises PermissionDenied before reading, WorkbookRefused, or SheetInvalid.
    """
    check_import_allowed(user=user, plan=plan, mode=mode)
    sheet = read_upload(plan=plan, file_name=file_name, content=content, year=year)
    with transaction.atomic():
        issues: list[CellIssue] = []
        summary = None
        try:
            summary = actuals_import(
                plan=plan,
                year=sheet.year,
                rows=sheet.rows,
                user=user,
                mode=mode,
                file_name=file_name,
            )
        except SheetInvalid as exc:
            issues = exc.issues
        if sheet.issues or issues:
            # Raised inside the transaction: rows that did save are rolled back too.
            raise SheetInvalid(sorted([*sheet.issues, *issues], key=lambda i: i.row or 0))
    return summary


@transaction.atomic
def actuals_import(
    *,
    plan: Plan,
    year: int,
    rows: list[ActualRow],
    user: User,
    mode: str,
    file_name: str = "",
) -> ImportSummary:
    """Save every row (as draft, submitted, or approved) in one transaction; return the counts.

    An upload overwrites the working copy on purpose, so each save names the current
    version. Raises PermissionDenied, or SheetInvalid listing every row that failed, in
    which case nothing is written.
    """
    check_import_allowed(user=user, plan=plan, mode=mode)
    if year not in plan.years:
        raise WorkflowError(f"{year} 年不在规划期 {plan.first_year}–{plan.last_year} 年内。")
    indicators = {i.number: i for i in _indicators_with_facts(plan, year)}
    numbers = sorted({row.number for row in rows})
    current = {
        actual.indicator_id: actual
        for actual in Actual.objects.select_for_update()
        .filter(indicator__plan=plan, indicator__number__in=numbers, year=year)
        .order_by("pk")
    }
    reason = f"Excel 导入 {file_name}".strip() if file_name else "Excel 导入"
    issues: list[CellIssue] = []
    saved: list[int] = []
    for row in rows:
        indicator = indicators.get(row.number)
        if indicator is None:
            issues.append(row.issue(row.number_column, f"本规划没有序号为 {row.number} 的指标"))
            continue
        if not can_report(user, indicator):
            issues.append(row.issue(row.number_column, _not_yours(indicator, user)))
            continue
        existing = current.get(indicator.pk)
        entry = ActualEntry(
            value=row.value,
            text_status=row.text_status,
            kind=row.kind,
            explanation=row.explanation,
            measures="",
            # The file says nothing of the source: keep what the department chose.
            source=existing.source if existing else "",
            # A 说明 in the file stands for the form's "确认数值无误" on a large change.
            confirm_jump=bool(row.explanation.strip()),
            measures_required=False,
        )
        try:
            actual = actual_save(
                indicator=indicator,
                year=year,
                user=user,
                entry=entry,
                expected_version=existing.version if existing else None,
                submit=mode != DRAFT,
                reason=f"{reason}：{'保存草稿' if mode == DRAFT else '提交审核'}",
            )
            if mode == APPROVE:
                actual_approve(
                    actual_id=actual.pk,
                    user=user,
                    expected_version=actual.version,
                    reason=f"{reason}：直接审核通过",
                )
        except ActualInvalid as exc:
            issues.extend(_problem_issues(row, exc.problems))
        except ActualConflict:
            issues.append(row.issue(row.value_column, "该指标的实际值刚被他人修改，请重新上传"))
        except WorkflowError as exc:
            issues.append(row.issue(row.value_column, str(exc)))
        else:
            saved.append(row.number)
    if issues:
        raise SheetInvalid(issues)
    return ImportSummary(
        year=year,
        mode=mode,
        numbers=tuple(saved),
        submitted=len(saved) if mode != DRAFT else 0,
        approved=len(saved) if mode == APPROVE else 0,
    )


def _not_yours(indicator: Indicator, user: User) -> str:
    where = f"您所在的{user.department.name}" if user.department else "您"
    label = f"指标 {indicator.number}“{indicator.name}”"
    if indicator.lead_department is None:
        return f"{label}尚未分配牵头单位，{where}不能填报"
    return f"{label}的牵头单位是{indicator.lead_department.name}，{where}不能填报"


def _problem_issues(row: ActualRow, problems: list[Problem]) -> list[CellIssue]:
    """Return the rule problems as cell issues: on the figure's column, or on 说明."""
    explained = (EXPLANATION, MEASURES)
    return [
        row.issue(
            row.explanation_column if problem.field in explained else row.value_column,
            problem.message,
        )
        for problem in problems
    ]


__all__ = [
    "APPROVE",
    "DRAFT",
    "MODES",
    "SUBMIT",
    "ImportSummary",
    "actual_template",
    "actuals_import",
    "actuals_upload",
    "check_import_allowed",
    "may_upload",
]
