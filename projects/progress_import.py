"""Reporting a year's milestone progress from Excel: the prefilled template of the milestones
a lead unit reports, and the all-or-nothing import through the reporting kernel's pipeline."""

import re

from django.core.exceptions import PermissionDenied

from indicators.actual_input import EXPLANATION, MEASURES
from indicators.formatting import figure_text
from indicators.importers.cells import CellValueError, compact_text
from indicators.models import Plan, User
from indicators.reporting import upload
from indicators.reporting.sheet import TemplateColumn, build_template, template_row
from indicators.reporting.sheet_reader import SheetSpec

from .milestones import PROGRESS, ProgressEntry, milestone_facts
from .models import Milestone, MilestoneProgress
from .selectors import led_milestones

NOT_ALLOWED = "只有任务目标牵头单位的填报员或规划办管理员可以导入任务目标完成值。"
NOTE = (
    "注：1. 完成值按“单位”列的单位填写数字。“每年”目标填当年完成数；“到某年”目标填截至当年年底"
    "达到的水平（“新增”类填规划期以来的累计新增数；名次填当年名次）。2. 未达目标或与上年相比变动"
    "超过50%时，必须在说明中写明原因分析及整改措施。3. 完成值为空的行不导入。"
    "4. 请勿修改编号和目标名称。"
)


def parse_code(raw: object) -> str | None:
    """Return a milestone code as people cite it (任务序号-目标序号, e.g. 5-11), or None."""
    text = compact_text(raw)
    if not text:
        return None
    match = re.fullmatch(r"(\d+)\s*[-—–－]\s*(\d+)", text)
    if match is None:
        raise CellValueError(f"“{text}”不是目标编号")
    return f"{int(match.group(1))}-{int(match.group(2))}"


SPEC = SheetSpec(
    *("任务目标填报表", "目标", "编号", "编号应为如 4-1 的目标编号（任务序号-目标序号）", "完成值"),
    key_labels=frozenset({"编号", "目标编号"}),
    name_labels=frozenset({"目标名称"}),
    figures={"value": "完成值"},
    parse_key=parse_code,
)


def template_file(*, plan: Plan, year: int, user: User) -> tuple[str, bytes]:
    """Return (file name, .xlsx content) of the template prefilled with the saved figures."""
    if not PROGRESS_ROWS.may_upload(user, plan):
        raise PermissionDenied(NOT_ALLOWED)
    rows = []
    for milestone in led_milestones(plan, user):
        target = f"{milestone.period_label} {figure_text(milestone.target_value, milestone.unit)}"
        previous = milestone_facts(milestone, year).previous_value
        context = [milestone.code, milestone.name, milestone.unit, target, previous]
        saved = next((p for p in milestone.progress.all() if p.year == year), None)
        rows.append(template_row(milestone.code, context, saved, ("value", "explanation")))
    who = "全部目标" if user.is_plan_admin or not user.department else user.department.name
    columns = [
        TemplateColumn("编号", 8),
        TemplateColumn("目标名称", 36, wrap=True),
        TemplateColumn("单位", 8),
        TemplateColumn("规划目标", 18, read_only=True),
        # Not “2021年完成值”: a dated 完成值 header is the one the reader takes.
        TemplateColumn("上年完成值", 14, read_only=True),
        TemplateColumn(f"{year}年完成值", 14),
        TemplateColumn("说明（未达目标或变动超过50%时必填：原因分析及整改措施）", 52, wrap=True),
    ]
    content = build_template(
        title=f"{plan.short_name}：{year}年重点任务目标完成值填报（{who}）",
        sheet_title=f"{year}年任务目标填报",
        columns=columns,
        rows=rows,
        note=NOTE,
    )
    return f"{plan.short_name}-{year}年任务目标填报-{who}.xlsx", content


def _not_yours(milestone: Milestone, user: User) -> str:
    leads = "、".join(d.name for d in milestone.lead_departments.all())
    label = f"目标 {milestone.code}“{milestone.name}”"
    return upload.not_yours_reason(label, "牵头单位", leads, user)


PROGRESS_ROWS = upload.RowImport(
    kind=PROGRESS,
    entry_of=lambda row: ProgressEntry(
        value=row.figures["value"],
        explanation=row.explanation,
        # A 说明 in the file stands for the form's "确认数值无误" on a large change.
        confirm_jump=bool(row.explanation),
        measures_required=False,
    ),
    same=lambda p, row: (p.value, p.explanation) == (row.figures["value"], row.explanation),
    not_yours=_not_yours,
    cell_of=lambda field: "explanation" if field in (EXPLANATION, MEASURES) else "value",
    value_field="value",
    noun="任务目标完成值",
    key_label="编号",
    sheet=SPEC,
    subjects=lambda plan: {
        m.code: m
        for m in Milestone.objects.filter(task__plan=plan)
        .select_related("task", "task__plan")
        .prefetch_related("lead_departments", "progress")
    },
    figures=lambda plan, year: MilestoneProgress.objects.filter(
        milestone__task__plan=plan, year=year
    ),
    reportable=lambda plan: Milestone.objects.filter(task__plan=plan),
    refused=NOT_ALLOWED,
)
progress_upload = PROGRESS_ROWS.upload
may_upload = PROGRESS_ROWS.may_upload
