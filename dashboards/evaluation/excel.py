"""The evaluation workbook: 评估摘要, 指标评估, 部门汇总; print-ready (A4 landscape, fit to
width, the header rows repeated on every page) with named styles.

Text goes through put_text (never run as a formula), figures through put_figure (exact
Decimals), ratios through the Excel report's percentage cells, as in dashboards/excel.py.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from indicators.evaluation.rules import Standing
from indicators.evaluation.selectors import BASIS_LABELS
from indicators.evaluation.summary import stage_label, summary_sentences
from indicators.excel import put_figure, put_text

from ..excel import _percent
from .cells import clean_text, standing_text

THIN = Side(style="thin", color="9AA5B1")
FILLS = {
    Standing.MET: "E3F9E5",
    Standing.NOT_MET: "FDE0E0",
    Standing.NO_DATA: "EEF2F7",
    Standing.MANUAL: "E3ECFA",
}
STANDING_COLUMN = 18  # 评价, coloured by standing
TITLE, HEADER, BODY = "评估标题", "评估表头", "评估正文"
COUNT_HEADERS = ["指标数", "达到终期目标", "未达到", "无数据", "人工评定", "达到比例"]
INDICATOR_HEADERS = [
    ("类别", 10),
    ("序号", 6),
    ("指标", 30),
    ("单位", 7),
    ("牵头单位", 16),
    ("基期值", 11),
    ("终期目标", 12),
    ("调整后目标", 11),
    ("最新值年份", 9),
    ("最新值", 12),
    ("评价口径", 9),
    ("评价值", 12),
    ("对比目标", 12),
    ("完成率", 9),
    ("差距（百分点）", 9),
    ("实际年均增速", 9),
    ("需要年均增速", 9),
    ("评价", 14),
    ("首次达到年份", 9),
    ("原因分析", 28),
    ("整改措施", 28),
]


def _styles(workbook: Workbook) -> None:
    border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
    workbook.add_named_style(NamedStyle(TITLE, font=Font(bold=True, size=14)))
    workbook.add_named_style(
        NamedStyle(
            HEADER,
            font=Font(bold=True),
            fill=PatternFill("solid", fgColor="DCE4EE"),
            border=border,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
    )
    workbook.add_named_style(
        NamedStyle(BODY, border=border, alignment=Alignment(vertical="top", wrap_text=True))
    )


def _print_ready(sheet, header_row: int, widths: list[int]) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"1:{header_row}"
    sheet.print_options.horizontalCentered = True
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _title(sheet, row: int, text: str) -> None:
    put_text(sheet.cell(row, 1), text)
    sheet.cell(row, 1).style = TITLE


def _header(sheet, row: int, headers: list[str]) -> None:
    for column, header in enumerate(headers, start=1):
        sheet.cell(row, column, header).style = HEADER


class Percent:
    """A ratio to write as a percentage cell (0.8725 reads 87.3%)."""

    def __init__(self, ratio):
        self.ratio = ratio


def _put(cell, value) -> None:
    """Text as text, a Decimal as an exact figure, a ratio as a percentage; None stays blank."""
    cell.style = BODY
    if isinstance(value, Percent):
        _percent(cell, value.ratio)
    elif isinstance(value, str):
        put_text(cell, clean_text(value))
    elif value is not None and not isinstance(value, int):
        put_figure(cell, value)
    else:
        cell.value = value


def _put_row(sheet, row: int, values: list) -> None:
    for column, value in enumerate(values, start=1):
        _put(sheet.cell(row, column), value)


def _count_row(sheet, row: int, each) -> None:
    counts = [each.counts[s] for s in Standing]
    _put_row(sheet, row, [each.name, each.indicator_count, *counts, Percent(each.met_share)])


def _summary_sheet(sheet, evaluation, heading: str) -> None:
    sheet.title = "评估摘要"
    _title(sheet, 1, heading)
    row = 2
    for sentence in summary_sentences(evaluation):
        put_text(sheet.cell(row, 1), sentence)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
        sheet.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 48
        row += 1
    row += 1
    _header(sheet, row, ["类别", *COUNT_HEADERS])
    for each in evaluation.groups:
        row += 1
        _count_row(sheet, row, each)
    _print_ready(sheet, 1, [22, 10, 14, 10, 10, 10, 12])


def _target_value(target):
    """A target's cell: its text, or its exact value; blank when there is none."""
    if target is None:
        return None
    return target.text or target.value


def _indicator_values(row) -> list:
    """One indicator's cells, in the order of INDICATOR_HEADERS."""
    return [
        row.group_name,
        row.indicator.number,
        row.indicator.name,
        row.indicator.unit,
        row.lead_name,
        row.indicator.base_value,
        _target_value(row.final.stated),
        _target_value(row.final.revised),
        row.latest_year,
        row.latest_status_label or row.latest_value,
        BASIS_LABELS[row.basis],
        row.measured,
        row.compared,
        Percent(row.completion),
        row.gap,
        Percent(row.growth.achieved),
        Percent(row.growth.required),
        standing_text(row),
        row.reached_year,
        row.explanation,
        row.measures,
    ]


def _indicator_sheet(sheet, evaluation, heading: str) -> None:
    _title(sheet, 1, heading)
    _header(sheet, 2, [name for name, _ in INDICATOR_HEADERS])
    for number, row in enumerate(evaluation.rows, start=3):
        _put_row(sheet, number, _indicator_values(row))
        standing = sheet.cell(number, STANDING_COLUMN)
        standing.fill = PatternFill("solid", fgColor=FILLS[row.standing])
    sheet.freeze_panes = "D3"
    _print_ready(sheet, 2, [width for _, width in INDICATOR_HEADERS])


def _department_sheet(sheet, evaluation, heading: str) -> None:
    _title(sheet, 1, heading)
    _header(sheet, 2, ["牵头单位", *COUNT_HEADERS])
    for row, each in enumerate(evaluation.departments, start=3):
        _count_row(sheet, row, each)
    _print_ready(sheet, 2, [24, 10, 14, 10, 10, 10, 12])


def evaluation_workbook(evaluation) -> bytes:
    """Return the .xlsx of the evaluation."""
    plan, year = evaluation.plan, evaluation.year
    heading = f"{plan.name} {year}年{stage_label(evaluation)}"
    if evaluation.has_demo:
        heading += "（含示例数据）"
    workbook = Workbook()
    _styles(workbook)
    _summary_sheet(workbook.active, evaluation, heading)
    _indicator_sheet(workbook.create_sheet("指标评估"), evaluation, heading)
    _department_sheet(workbook.create_sheet("部门汇总"), evaluation, heading)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
