"""The Excel template for a year's project investment, and how a filled-in sheet reads.

The template lists the projects a user reports, prefilled with what is saved; the reader
is the reporting kernel's (indicators/reporting/sheet_reader.py) with this sheet's spec.
"""

from indicators.reporting.sheet import TemplateColumn, TemplateRow, build_template
from indicators.reporting.sheet_reader import SheetSpec

from .investment_input import InvestmentEntry, check_investment

NOTE = (
    "注：1. 投资额以亿元为单位填写数字，不要换算为其他单位。2. 完成投资超过计划投资 50% 以上时，"
    "必须在说明中写明原因。3. 计划投资和完成投资都为空的行不导入；"
    "只填计划投资的，完成投资记为未填报。"
    "4. 请勿修改序号和项目名称。"
)


def _format_problems(figures: dict) -> list:
    # The format rules (no negative figure) while reading, so one pass names every bad cell.
    return check_investment(
        InvestmentEntry(figures["planned"], figures["completed"]), submitting=False
    )


SPEC = SheetSpec(
    *("项目投资填报表", "项目", "序号", "序号应为正整数", "投资额"),
    key_labels=frozenset({"序号", "编号"}),
    name_labels=frozenset({"项目名称", "项目"}),
    figures={"planned": "计划投资", "completed": "完成投资"},
    row_problems=_format_problems,
)


def investment_template(*, title: str, year: int, rows: list[TemplateRow]) -> bytes:
    """Return the .xlsx template; each row: 序号, 项目名称, 建设主体, 总投资, plan, done, 说明."""
    columns = [
        TemplateColumn("序号", 6),
        TemplateColumn("项目名称", 44, wrap=True),
        TemplateColumn("建设主体", 30, read_only=True, wrap=True),
        TemplateColumn("总投资（亿元）", 12, read_only=True),
        TemplateColumn(f"{year}年计划投资（亿元）", 16),
        TemplateColumn(f"{year}年完成投资（亿元）", 16),
        TemplateColumn("说明", 48, wrap=True),
    ]
    return build_template(
        title=title, sheet_title=f"{year}年项目投资填报", columns=columns, rows=rows, note=NOTE
    )
