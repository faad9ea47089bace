"""The Excel template for a year's project investment, and the reader of a filled-in sheet.

The template lists the projects a user reports, prefilled with what is saved. The reader
accepts it, or any sheet whose header has 序号 and a 计划投资 or 完成投资 column, found by
header text; figures are read with the actuals' rules in 亿元. No Django: the caller passes
the plan's projects in. Workbooks are opened with indicators' safety checks.
"""

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from indicators.actual_input import ActualValueError, parse_actual_value
from indicators.formatting import plain_decimal
from indicators.importers.actuals_sheet import BORDER, HEADER_FILL, READ_ONLY_FILL
from indicators.importers.cells import (
    CellValueError,
    compact_text,
    is_missing,
    parse_decimal,
    parse_integer,
)
from indicators.importers.workbook import (
    CellIssue,
    SheetInvalid,
    WorkbookRefused,
    data_rows,
    find_tables,
    open_workbook,
)

from .investment_input import UNIT, InvestmentEntry, check_investment

EXPLANATION = "说明"
FIGURE_LABEL = re.compile(r"(?:(?P<year>\d{4})年度?)?(?P<kind>计划投资|完成投资)(?:\(亿元\))?")
NOTE = (
    "注：1. 投资额以亿元为单位填写数字，不要换算为其他单位。2. 完成投资超过计划投资 50% 以上时，"
    "必须在说明中写明原因。3. 计划投资和完成投资都为空的行不导入；"
    "只填计划投资的，完成投资记为未填报。"
    "4. 请勿修改序号和项目名称。"
)
WIDTHS = [6, 44, 30, 12, 16, 16, 48]


@dataclass(frozen=True)
class TemplateLine:
    number: int
    name: str
    builder: str
    total_investment: Decimal
    planned: Decimal | None
    completed: Decimal | None
    explanation: str


@dataclass(frozen=True)
class InvestmentRow:
    sheet: str
    row: int
    number: int
    planned: Decimal | None
    completed: Decimal | None
    explanation: str
    columns: dict[str, str]  # field → the header it was read from, for messages

    def issue(self, field_name: str | None, reason: str) -> CellIssue:
        column = self.columns.get(field_name, "序号") if field_name else "序号"
        return CellIssue(self.sheet, self.row, column, reason)


@dataclass
class InvestmentSheet:
    title: str
    rows: list[InvestmentRow] = field(default_factory=list)
    issues: list[CellIssue] = field(default_factory=list)


def build_template(*, title: str, year: int, lines: Iterable[TemplateLine]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年项目投资填报"
    headers = ["序号", "项目名称", "建设主体", "总投资（亿元）"]
    headers += [f"{year}年计划投资（亿元）", f"{year}年完成投资（亿元）", EXPLANATION]
    read_only = {3, 4}
    sheet.cell(1, 1).value = title
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.merge_cells(f"A1:{get_column_letter(len(headers))}1")
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(2, index, header)
        cell.font = Font(bold=True)
        cell.fill = READ_ONLY_FILL if index in read_only else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[index - 1]
    row = 2
    for row, line in enumerate(lines, start=3):
        sheet.cell(row, 1).value = line.number
        _put_text(sheet.cell(row, 2), line.name)
        _put_text(sheet.cell(row, 3), line.builder)
        _put_figure(sheet.cell(row, 4), line.total_investment)
        if line.planned is not None:
            _put_figure(sheet.cell(row, 5), line.planned)
        if line.completed is not None:
            _put_figure(sheet.cell(row, 6), line.completed)
        if line.explanation:
            _put_text(sheet.cell(row, 7), line.explanation)
        for column in range(1, len(headers) + 1):
            cell = sheet.cell(row, column)
            cell.border = BORDER
            if column in read_only:
                cell.fill = READ_ONLY_FILL
            if column in (2, 3, 7):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    note_row = row + 2
    _put_text(sheet.cell(note_row, 1), NOTE)
    sheet.cell(note_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(f"A{note_row}:{get_column_letter(len(headers))}{note_row}")
    sheet.row_dimensions[note_row].height = 48
    sheet.freeze_panes = "C3"
    workbook.save(buffer := io.BytesIO())
    return buffer.getvalue()


def _put_text(cell, text: str) -> None:
    """Write text Excel shows as typed, never as a formula."""
    cell.value = text
    if text[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"
        cell.quotePrefix = True


def _put_figure(cell, value: Decimal) -> None:
    text = plain_decimal(value)
    cell.value = Decimal(text)
    places = len(text.partition(".")[2])
    cell.number_format = "#,##0." + "0" * places if places else "#,##0"


def classify(label: str) -> tuple[str, int | None]:
    """Return (kind, year) of a header: number, name, planned, completed, explanation or ""."""
    if label in {"序号", "编号"}:
        return "number", None
    if label in {"项目名称", "项目"}:
        return "name", None
    if label.startswith(EXPLANATION):
        return "explanation", None
    match = FIGURE_LABEL.fullmatch(label)
    if match:
        kind = "planned" if match.group("kind") == "计划投资" else "completed"
        return kind, int(match.group("year")) if match.group("year") else None
    return "", None


def _is_header(labels: list[str]) -> bool:
    kinds = {classify(label)[0] for label in labels}
    return "number" in kinds and bool(kinds & {"planned", "completed"})


def read_investment_sheet(
    file_name: str, content: bytes, *, projects: dict[int, str], year: int
) -> InvestmentSheet:
    """Return the filled-in rows and every row issue; `projects` maps 序号 to 项目名称.

    Raises WorkbookRefused when the file or its table cannot be used, and SheetInvalid
    when the header names another year or repeats a column.
    """
    workbook = open_workbook(file_name, content)
    found = next(find_tables(workbook, is_header=_is_header, is_subheader=lambda _: False), None)
    if found is None:
        raise WorkbookRefused(
            "未找到项目投资填报表：没有一个工作表的表头同时包含「序号」和「计划投资」或"
            "「完成投资」列。请使用下载的填报模板。"
        )
    table, reader = found
    header_issues, columns = [], {}
    for column in table.columns:
        kind, column_year = classify(column.label)
        if not kind:
            continue
        if kind in columns:
            header_issues.append(
                CellIssue(table.title, table.header_rows[0], column.label, "表头重复")
            )
        elif column_year is not None and column_year != year:
            header_issues.append(
                CellIssue(
                    table.title,
                    table.header_rows[0],
                    column.label,
                    f"表头为 {column_year} 年，与所选的 {year} 年不符",
                )
            )
        column.kind = kind
        columns[kind] = column
    if header_issues:
        raise SheetInvalid(header_issues)
    sheet = InvestmentSheet(title=table.title)
    seen: dict[int, int] = {}
    labels = {kind: column.label for kind, column in columns.items()}
    labels["explanation"] = EXPLANATION
    for excel_row, values in data_rows(table, reader):
        issues: list[CellIssue] = []

        def issue(kind: str, reason: str, excel_row: int = excel_row, issues=issues) -> None:
            issues.append(CellIssue(table.title, excel_row, labels.get(kind, "序号"), reason))

        raw = {kind: values.get(column.index) for kind, column in columns.items()}
        if compact_text(raw.get("number")) in {"序号", "编号"}:
            continue  # the header repeated after a page break
        figures = {}
        for kind in ("planned", "completed"):
            if kind in columns and reader.is_uncalculated(excel_row, columns[kind].index):
                issue(kind, "公式没有保存计算结果，请在 Excel 中打开并保存后再上传")
            try:
                figures[kind] = _parse_figure(raw.get(kind))
            except ActualValueError as exc:
                issue(kind, str(exc))
                figures[kind] = None
        if not issues and figures["planned"] is None and figures["completed"] is None:
            continue  # nothing reported on this row
        # The format rules (no negative figure) here, so one pass names every bad cell.
        entry = InvestmentEntry(figures["planned"], figures["completed"])
        for problem in check_investment(entry, submitting=False):
            issue(problem.field, problem.message)
        number = _match_project(raw, projects, issue)
        if number is not None:
            if number in seen:
                issue("number", f"与第{seen[number]}行是同一个项目，只能填写一行")
            seen[number] = excel_row
        if issues or number is None:
            sheet.issues.extend(issues)
            continue
        explanation = raw.get("explanation")
        sheet.rows.append(
            InvestmentRow(
                sheet=table.title,
                row=excel_row,
                number=number,
                planned=figures["planned"],
                completed=figures["completed"],
                explanation="" if explanation is None else str(explanation).strip(),
                columns=labels,
            )
        )
    if not sheet.rows and not sheet.issues:
        raise WorkbookRefused(f"工作表「{table.title}」中没有填写任何投资额，未导入任何数据。")
    return sheet


def _parse_figure(raw: object) -> Decimal | None:
    if is_missing(raw):
        return None
    if isinstance(raw, str):
        return parse_actual_value(raw, unit=UNIT)
    if isinstance(raw, bool | date | datetime):
        raise ActualValueError(f"“{raw}”不是数字")
    try:
        return parse_decimal(raw)
    except CellValueError as exc:
        raise ActualValueError(str(exc)) from exc


def _match_project(raw: dict, projects: dict[int, str], issue) -> int | None:
    try:
        number = parse_integer(raw.get("number"))
    except CellValueError as exc:
        issue("number", f"{exc}，序号应为正整数")
        return None
    if number is None:
        issue("number", "序号为空，无法确定是哪个项目")
        return None
    if number not in projects:
        issue("number", f"本规划没有序号为 {number} 的项目")
        return None
    name = raw.get("name")
    if not is_missing(name) and compact_text(name) != compact_text(projects[number]):
        issue("name", f"“{str(name).strip()}”与序号 {number} 的项目“{projects[number]}”不符")
        return None
    return number
