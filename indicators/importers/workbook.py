"""Opening an uploaded workbook safely and finding a table in it by its header text.

Every upload is bounded before openpyxl parses anything (DESIGN.md §8):

1. The file itself: the extension, at most 5 MB, no macros, not an old .xls or a web page.
2. The zip container, member by member: each member is inflated here, in small pieces,
   counting the bytes it really holds (the sizes its header declares are never trusted,
   only compared), with its checksum checked; a lying or damaged member, a nested archive,
   too many members, too much in total or a member that unpacks far beyond its size in
   the file is refused as soon as the limit is passed, without unpacking the rest.
3. The XML, while it streams, by a SAX pass that keeps nothing but counters (and the
   merged ranges, formula flags and sheet names the readers need): a worksheet's declared
   range and its real rows, columns and cells, shared strings, the length of any text, and
   the elements openpyxl would keep in memory. No DTD is allowed. So openpyxl never sees a
   file that would take it long, or much memory, to read.

Only then does openpyxl read the values, in read-only mode, each sheet in one pass. The
readers then look cells up in memory (SheetData): linear in the rows, never a
`max_column` per row. openpyxl parses XML through defusedxml (pyproject.toml).

The limits and refusal messages are in limits.py, the container check in container.py,
the XML scan in xml_scan.py, and the sheets' values in sheet_data.py; this module opens
the workbook and finds its tables.
"""

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import openpyxl

from .cells import compact_text, is_missing
from .container import _Container
from .limits import (
    MACRO_EXTENSIONS,
    MACROS,
    MAX_FILE_BYTES,
    NOT_READABLE,
    OLE2_MAGIC,
    WorkbookRefused,
)
from .sheet_data import MergedRange, SheetData, Workbook

HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class CellIssue:
    """One bad cell: where it is and why, in the words a user needs to fix it."""

    sheet: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.sheet}：{self.reason}" if self.sheet else self.reason
        if self.column is None:
            return f"{self.sheet} 第{self.row}行：{self.reason}"
        return f"{self.sheet} 第{self.row}行「{self.column}」：{self.reason}"


class SheetInvalid(ValueError):
    """The workbook was read but holds errors; all of them, not only the first."""

    def __init__(self, issues: list[CellIssue]):
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


def open_workbook(file_name: str, content: bytes) -> Workbook:
    """Return the values of the workbook that passed the checks; raise WorkbookRefused if not."""
    lowered = file_name.lower().strip()
    if lowered.endswith(".xls"):
        raise WorkbookRefused("不支持旧版 .xls 文件，请在 Excel 中“另存为”.xlsx 后再上传。")
    if lowered.endswith(MACRO_EXTENSIONS):
        raise WorkbookRefused(MACROS)
    if not lowered.endswith(".xlsx"):
        raise WorkbookRefused("只接受 Excel .xlsx 文件，请另存为 .xlsx 后再上传。")
    if len(content) > MAX_FILE_BYTES:
        size_mb = len(content) / (1024 * 1024)
        raise WorkbookRefused(f"文件大小 {size_mb:.1f} MB，超过 5 MB 的上限。")
    if content.startswith(OLE2_MAGIC):
        raise WorkbookRefused(
            "该文件实为旧版 .xls 格式或已设置打开密码，请在 Excel 中取消密码并另存为 .xlsx。"
        )
    container = _Container(content)
    container.check()
    return _read(content, container)


def _read(content: bytes, container: "_Container") -> Workbook:
    """Read every worksheet's values in one pass each, with openpyxl in read-only mode."""
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise WorkbookRefused(NOT_READABLE) from exc
    try:
        sheets = []
        uncalculated = set()
        for worksheet in book.worksheets:
            # The declared <dimension> may be wrong (or a lie): read to the real last cell.
            worksheet.reset_dimensions()
            rows: dict[int, tuple] = {}
            last_row = width = 0
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                if not values:
                    continue
                last_row, width = number, max(width, len(values))
                if any(value is not None for value in values):
                    rows[number] = values
            scan = container.sheets.get(getattr(worksheet, "_worksheet_path", ""))
            merged = tuple(scan.merged) if scan else ()
            sheet = SheetData(worksheet.title, rows, merged, max_row=last_row, max_column=width)
            sheets.append(sheet)
            if scan and scan.has_formulas:
                covered = _merged_continuations(merged)
                uncalculated.update(
                    (sheet.title, row, col)
                    for row, col in container.uncalculated(scan)
                    if (row, col) not in covered
                )
        properties = book.custom_doc_props
    except WorkbookRefused:
        raise
    except Exception as exc:
        raise WorkbookRefused(NOT_READABLE) from exc
    finally:
        book.close()
    return Workbook(sheets, properties, frozenset(uncalculated))


def _merged_continuations(merged: tuple[MergedRange, ...]) -> set[tuple[int, int]]:
    """The cells of merged ranges other than their top-left one: openpyxl blanks them."""
    cells = set()
    for area in merged:
        for row in range(area.min_row, area.max_row + 1):
            for col in range(area.min_col, area.max_col + 1):
                if (row, col) != (area.min_row, area.min_col):
                    cells.add((row, col))
    return cells


# Finding tables -----------------------------------------------------------------------------


@dataclass
class Column:
    """A column of the table: its position, its header as shown, and what it holds."""

    index: int  # 1-based, as openpyxl counts
    label: str  # the header text, whitespace removed, both header rows joined
    kind: str = ""  # what the caller's classifier made of it; "" for an unknown column
    year: int | None = None


@dataclass
class Table:
    sheet: SheetData
    header_rows: tuple[int, ...]
    columns: list[Column] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.sheet.title

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1


class MergedReader:
    """Reads cell values with merged ranges filled in from their top-left cell."""

    def __init__(self, sheet: SheetData, uncalculated: frozenset = frozenset()):
        if not isinstance(sheet, SheetData):
            sheet = SheetData.from_worksheet(sheet)
        self.sheet = sheet
        self._uncalculated = uncalculated
        self._merged: dict[tuple[int, int], object] = {}
        for merged in sheet.merged_ranges:
            top_left = sheet.value(merged.min_row, merged.min_col)
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    self._merged[(row, col)] = top_left

    def value(self, row: int, col: int) -> object:
        if (row, col) in self._merged:
            return self._merged[(row, col)]
        return self.sheet.value(row, col)

    def is_uncalculated(self, row: int, col: int) -> bool:
        """Return True for a formula cell saved without its result."""
        return (self.sheet.title, row, col) in self._uncalculated

    def is_merged_continuation(self, row: int, col: int) -> bool:
        """Return True for a cell inside a merged range that is not its top-left cell."""
        return (row, col) in self._merged and self.sheet.value(row, col) is None


YEAR = re.compile(r"(\d{4})")
# Lines under a table that end it: a note, the data source, the sign-off of the sender.
FOOTER = re.compile(
    r"^(注|备注|说明|数据来源|资料来源|来源|填报单位|填表单位|填表人|填报人|审核人|"
    r"联系人|联系电话|制表人?|单位负责人|负责人)(（[^）]*）|\([^)]*\))?[:：]"
)


def first_text(values: tuple) -> str:
    """Return the first non-blank value of a row as compact text, "" for a blank row."""
    return next((compact_text(value) for value in values if not is_missing(value)), "")


def find_tables(
    workbook,
    *,
    is_header: Callable[[list[str]], bool],
    is_subheader: Callable[[list[str]], bool],
) -> Iterator[tuple[Table, MergedReader]]:
    """Yield, sheet by sheet, the first table of each whose header row satisfies is_header.

    A header may continue on the next row (a merged 目标值 over 2021年/2022年/2023年):
    when is_subheader accepts that row, both rows' labels are joined per column. The
    caller picks the candidate that has the columns it needs (a 指标解释 sheet placed
    before the table also has 序号 and 指标).
    """
    uncalculated = getattr(workbook, "uncalculated", frozenset())
    for sheet in workbook.worksheets:
        reader = MergedReader(sheet, uncalculated)
        sheet = reader.sheet
        columns = range(1, sheet.max_column + 1)
        last_row = min(sheet.max_row, HEADER_SEARCH_ROWS)
        for row in range(1, last_row + 1):
            labels = [compact_text(reader.value(row, col)) for col in columns]
            if not is_header(labels):
                continue
            header_rows: tuple[int, ...] = (row,)
            next_labels = [compact_text(reader.value(row + 1, col)) for col in columns]
            if row + 1 <= sheet.max_row and is_subheader(next_labels):
                header_rows = (row, row + 1)
            table = Table(sheet=sheet, header_rows=header_rows)
            for col in columns:
                parts: list[str] = []
                for header_row in header_rows:
                    text = compact_text(reader.value(header_row, col))
                    # A label merged down over both rows shows up twice; keep it once.
                    if text and text not in parts:
                        parts.append(text)
                label = "".join(parts)
                if label:
                    table.columns.append(Column(index=col, label=label))
            yield table, reader
            break


def data_rows(table: Table, reader: MergedReader) -> Iterator[tuple[int, dict[int, object]]]:
    """Yield (Excel row number, {column index: value}) for the rows under the header.

    Blank rows are skipped; reading stops at a footnote row (注：, 说明：) because
    what follows it is prose, not data. One pass over the rows that hold values.
    """
    indexes = [column.index for column in table.columns if column.kind]
    for row, raw_cells in table.sheet.rows_from(table.first_data_row):
        if FOOTER.match(first_text(raw_cells)):
            return
        width = len(raw_cells)
        if all(index > width or is_missing(raw_cells[index - 1]) for index in indexes):
            # Only merged continuations (a category running down) or nothing at all.
            continue
        yield row, {index: reader.value(row, index) for index in indexes}
