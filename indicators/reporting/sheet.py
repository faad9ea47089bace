"""The Excel side of reporting, for every kind of figure: the prefilled template's layout,
the version stamp it carries, and reading a figure cell. No Django.

A template lists the subjects (indicators, projects, milestones) a user reports, with
read-only context columns shown grey and the columns to fill. It also carries, as a
custom document property, the version of each figure when it was downloaded, so an
upload can refuse a row whose figure someone changed since (upload.py).
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import openpyxl
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..actual_input import ActualValueError, parse_actual_value
from ..excel import put_figure, put_text
from ..excel_page import print_setup
from ..importers.cells import CellValueError, is_missing, parse_decimal
from ..importers.workbook import CellIssue

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
READ_ONLY_FILL = PatternFill("solid", fgColor="EEEEEE")
THIN = Side(style="thin", color="A0A0A0")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
CENTERED = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAPPED = Alignment(wrap_text=True, vertical="top")
VERSIONS_PROPERTY = "填报模板版本"
# The longest text one document property of the stamp holds (Excel's limit is 32,767).
MAX_STAMP_CHARS = 30_000
UNCALCULATED = "公式没有保存计算结果，请在 Excel 中打开并保存后再上传"


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    width: int
    read_only: bool = False  # context to read, shown grey
    wrap: bool = False


@dataclass(frozen=True)
class TemplateRow:
    key: int | str  # 序号 or 编号, as the row names its subject
    values: list  # one per column: int, Decimal, str or None
    version: int = 0  # the figure's version at download; 0 for none or a sample
    choices: tuple[str, ...] = ()  # a drop-down list in the template's choice_column


def template_row(key, context: list, figure, fields: tuple[str, ...]) -> TemplateRow:
    """A template row: the subject's context columns, then the saved figure's `fields` (left
    blank for a sample, which is not the department's to send back), and its version."""
    real = figure if figure is not None and not figure.is_demo else None
    values = [*context, *(getattr(real, name) if real else None for name in fields)]
    return TemplateRow(key=key, values=values, version=real.version if real else 0)


def build_template(
    *,
    title: str,
    sheet_title: str,
    columns: list[TemplateColumn],
    rows: Iterable[TemplateRow],
    note: str,
    choice_column: int | None = None,
) -> bytes:
    """Return the .xlsx template: a title row, the header, one row per subject, a note row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    last_column = get_column_letter(len(columns))
    put_text(sheet.cell(1, 1), title)
    sheet.cell(1, 1).font = TITLE_FONT
    sheet.merge_cells(f"A1:{last_column}1")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(2, index)
        put_text(cell, column.header)
        cell.font = BOLD
        cell.fill = READ_ONLY_FILL if column.read_only else HEADER_FILL
        cell.alignment = CENTERED
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[2].height = 36
    validations: dict[tuple[str, ...], DataValidation] = {}
    versions = []
    row_number = 2
    for row_number, row in enumerate(rows, start=3):
        versions.append(f"{row.key}={row.version}")
        for index, (column, value) in enumerate(zip(columns, row.values, strict=True), start=1):
            cell = sheet.cell(row_number, index)
            _put(cell, value)
            cell.border = BORDER
            if column.read_only:
                cell.fill = READ_ONLY_FILL
            if column.wrap:
                cell.alignment = WRAPPED
        if row.choices and choice_column:
            if row.choices not in validations:
                options = ",".join(row.choices)
                validation = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
                validation.error = f"请选择：{'、'.join(row.choices)}"
                validations[row.choices] = validation
            validations[row.choices].add(sheet.cell(row_number, choice_column).coordinate)
    for validation in validations.values():
        sheet.add_data_validation(validation)
    note_row = row_number + 2
    put_text(sheet.cell(note_row, 1), note)
    sheet.cell(note_row, 1).alignment = WRAPPED
    sheet.merge_cells(f"A{note_row}:{last_column}{note_row}")
    sheet.row_dimensions[note_row].height = 48
    sheet.freeze_panes = "C3"
    print_setup(sheet, header_rows="2:2")
    for index, part in enumerate(_stamp_parts(versions)):
        name = VERSIONS_PROPERTY if index == 0 else f"{VERSIONS_PROPERTY}{index + 1}"
        workbook.custom_doc_props.append(StringProperty(name=name, value=part))
    workbook.save(buffer := io.BytesIO())
    return buffer.getvalue()


def _put(cell, value) -> None:
    if value is None:
        return
    if isinstance(value, Decimal):
        put_figure(cell, value)
    elif isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value


def _stamp_parts(versions: list[str]) -> list[str]:
    """The stamp split into texts of at most MAX_STAMP_CHARS, at whole entries.

    A text is at most 32,767 characters in an Excel file (and the upload check refuses
    longer ones): the stamp of 5,000 rows takes about 35,000, so it spans properties.
    """
    parts, current = [], ""
    for entry in versions:
        if current and len(current) + 1 + len(entry) > MAX_STAMP_CHARS:
            parts.append(current)
            current = ""
        current = f"{current};{entry}" if current else entry
    return [*parts, current]


def template_versions(workbook) -> dict[str, int]:
    """Return {序号 as text: version at download} from a template; {} for any other sheet."""
    stamp = ";".join(
        p.value or ""
        for p in workbook.custom_doc_props.props
        if p.name == VERSIONS_PROPERTY
        or (p.name.startswith(VERSIONS_PROPERTY) and p.name[len(VERSIONS_PROPERTY) :].isdigit())
    )
    versions = {}
    for part in stamp.split(";"):
        key, _, version = part.partition("=")
        if key and version.isascii() and version.isdigit():
            versions[key] = int(version)
    return versions


def parse_figure_cell(raw: object, unit: str) -> Decimal | None:
    """Return a figure cell as a Decimal (None when blank); raise ActualValueError."""
    if is_missing(raw):
        return None
    if isinstance(raw, str):
        return parse_actual_value(raw, unit=unit)
    if isinstance(raw, bool | date | datetime):
        raise ActualValueError(f"“{raw}”不是数字")
    try:
        return parse_decimal(raw)
    except CellValueError as exc:
        raise ActualValueError(str(exc)) from exc


@dataclass(frozen=True)
class FigureRow:
    """One filled-in row: the subject's key, its figures by field, and where it sits."""

    sheet: str
    row: int
    key: int | str
    figures: dict[str, object]
    explanation: str
    columns: dict[str, str]  # field → the header it was read from, for messages
    version: int | None = None  # from the template's stamp; None for a sheet of one's own

    def issue(self, field_name: str | None, reason: str) -> CellIssue:
        column = self.columns.get(field_name or "", self.columns.get("key"))
        return CellIssue(self.sheet, self.row, column, reason)


@dataclass
class FigureSheet:
    """The rows read from a sheet, and every row that could not be read."""

    title: str
    year: int | None = None
    rows: list[FigureRow] = field(default_factory=list)
    issues: list = field(default_factory=list)
