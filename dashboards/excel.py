"""The Excel progress report: the responsibility-sheet layout plus the year's results."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from indicators.excel import put_figure, put_text
from indicators.excel_page import fit_column, print_setup
from indicators.formatting import PERCENT_PLACES
from indicators.lifecycle.targets import revised_text
from indicators.progress import RATING_ICONS, RATING_LABELS, Rating

FILLS = {
    Rating.MET: "E3F9E5",
    Rating.NEAR: "FFF3C4",
    Rating.BEHIND: "FDE0E0",
    Rating.NO_DATA: "EEF2F7",
    Rating.MANUAL: "E3ECFA",
}
THIN = Side(style="thin", color="BCCCDC")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def revisions_text(row) -> str:
    """The revised targets of a row, each with the stated one: “2023年调整后目标（原目标 …）”."""
    unit = row.indicator.unit
    return "；".join(
        f"{year}年{revised_text(target, unit)}，评价按调整后目标"
        for year, target in sorted(row.targets.items())
        if target.is_revised
    )


def _rating_styles(workbook: Workbook) -> dict[Rating, str]:
    """Register one named style per rating (its fill, the grid, top-aligned wrapping text)."""
    names = {}
    for rating, colour in FILLS.items():
        style = NamedStyle(name=f"rating-{rating.value}")
        style.fill = PatternFill("solid", fgColor=colour)
        style.border = BORDER
        style.alignment = Alignment(vertical="top", wrap_text=True)
        workbook.add_named_style(style)
        names[rating] = style.name
    return names


def _rating(rating: Rating) -> str:
    return f"{RATING_ICONS[rating]} {RATING_LABELS[rating]}"


# The pages' precision (indicators/formatting.py): "0.0%" for one decimal.
PERCENT_FORMAT = f"0.{'0' * PERCENT_PLACES}%" if PERCENT_PLACES else "0%"


def _percent(cell, ratio) -> None:
    """Write a ratio that Excel shows as the pages do: 0.8725 reads 87.3%.

    The cell keeps the exact ratio, as the API gives it, so that a sum or a sort in Excel
    uses the figure itself; the number format shows it with the pages' decimals, and
    Excel rounds a shown half away from zero, which is the pages' half-up rule.
    """
    if ratio is not None:
        cell.value = ratio
        cell.number_format = PERCENT_FORMAT


def progress_workbook(progress) -> bytes:
    """Return the .xlsx: 指标完成情况 (one row per indicator, coloured by rating) and 部门汇总."""
    plan, year = progress.plan, progress.year
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "指标完成情况"
    headers = (
        ["类别", "序号", "主要指标", "单位", f"{plan.base_year}年基期值"]
        + [f"{y}年目标值" for y in plan.years]
        + [
            "属性",
            "牵头单位",
            "责任单位",
            f"{year}年实际值",
            "完成率",
            "评价",
            "原因分析",
            "整改措施",
            "目标调整",
        ]
    )
    title = f"{plan.name} {year}年主要指标完成情况"
    if progress.has_demo:
        title += "（含示例数据）"
    put_text(sheet.cell(1, 1), title)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(2, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
    styles = _rating_styles(workbook)
    for row_number, row in enumerate(progress.rows, start=3):
        indicator = row.indicator
        # The row's look first (one named style per rating, shared by every cell that has
        # it: the file stores 5 styles, not one per cell), then the figures' own formats.
        for column in range(1, len(headers) + 1):
            sheet.cell(row_number, column).style = styles[row.rating]
        values = [
            indicator.group.name if indicator.group else "",
            indicator.number,
            indicator.name,
            indicator.unit,
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row_number, column)
            if isinstance(value, str):
                put_text(cell, value)
            else:
                cell.value = value
        column = len(values) + 1
        if indicator.base_value is not None:
            put_figure(sheet.cell(row_number, column), indicator.base_value)
        for offset, target_year in enumerate(plan.years, start=1):
            target = row.targets.get(target_year)
            cell = sheet.cell(row_number, column + offset)
            if target is None:
                continue
            if target.text:
                put_text(cell, target.text)
            else:
                put_figure(cell, target.value)
                if target.is_derived:
                    cell.font = Font(italic=True, color="52606D")
            if target.is_revised:  # the revised target, rated against; the stated one beside
                cell.font = Font(bold=True, color="1F5FA8")
        column += len(plan.years) + 1
        texts = [
            indicator.get_attribute_display(),
            row.lead_name,
            "、".join(d.name for d in indicator.responsible_departments.all()),
        ]
        for value in texts:
            put_text(sheet.cell(row_number, column), str(value))
            column += 1
        if row.value is not None:
            put_figure(sheet.cell(row_number, column), row.value)
        elif row.text_status:
            put_text(sheet.cell(row_number, column), row.actual.get_approved_text_status_display())
        _percent(sheet.cell(row_number, column + 1), row.completion)
        put_text(sheet.cell(row_number, column + 2), _rating(row.rating))
        put_text(sheet.cell(row_number, column + 3), row.explanation)
        put_text(sheet.cell(row_number, column + 4), row.measures)
        put_text(sheet.cell(row_number, column + 5), revisions_text(row))
    # The explanations wrap in wide columns; the figures need less room than names.
    widths = {1: 10, 2: 6, 3: 30, 4: 8, len(headers): 30}
    widths |= {headers.index(name) + 1: 30 for name in ("原因分析", "整改措施")}
    for column in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(column, 12)
    lead_column = headers.index("牵头单位") + 1  # then 责任单位: the longest name shows whole
    names = [row.lead_name for row in progress.rows] + [
        d.name for row in progress.rows for d in row.indicator.responsible_departments.all()
    ]
    for column in (lead_column, lead_column + 1):
        fit_column(sheet, column, names)
    sheet.freeze_panes = "D3"
    print_setup(sheet, header_rows="2:2")
    _summary_sheet(workbook, progress)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _summary_sheet(workbook: Workbook, progress) -> None:
    sheet = workbook.create_sheet("部门汇总")
    headers = [
        "排名",
        "牵头单位",
        "牵头指标数",
        *[_rating(r) for r in Rating],
        "平均完成率（封顶120%）",
        "按时报送率",
    ]
    put_text(sheet.cell(1, 1), f"{progress.plan.short_name} {progress.year}年各牵头单位完成情况")
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(2, column, header)
        cell.font = Font(bold=True)
        cell.border = BORDER
    for row_number, department in enumerate(progress.departments, start=3):
        score = department.score
        sheet.cell(row_number, 1, department.rank)
        put_text(sheet.cell(row_number, 2), department.name)
        sheet.cell(row_number, 3, score.indicator_count)
        for offset, rating in enumerate(Rating, start=4):
            sheet.cell(row_number, offset, score.counts[rating])
        _percent(sheet.cell(row_number, 4 + len(Rating)), score.average_completion)
        _percent(sheet.cell(row_number, 5 + len(Rating)), score.on_time_rate)
        for cell in sheet[row_number]:
            cell.border = BORDER
    for column in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    fit_column(sheet, 2, [department.name for department in progress.departments])
    print_setup(sheet, header_rows="2:2")
