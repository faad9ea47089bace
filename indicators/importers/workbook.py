"""Opening an uploaded workbook safely and finding a table in it by its header text.

The checks run before openpyxl parses anything: the extension, the size, macros and
the zip container's uncompressed size. openpyxl itself parses XML through defusedxml
when defusedxml is installed, which pyproject.toml makes sure of.
"""

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from .cells import compact_text, is_missing

MAX_FILE_BYTES = 5 * 1024 * 1024
# An .xlsx is zipped XML, typically 5–20 times smaller than its content. Far beyond that,
# or past an absolute ceiling, it is a zip bomb built to exhaust memory.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 2000
HEADER_SEARCH_ROWS = 30

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlsb", ".xlam")


class WorkbookRefused(ValueError):
    """The file as a whole cannot be read; the message says what to do, in Chinese."""


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


def open_workbook(file_name: str, content: bytes) -> openpyxl.Workbook:
    """Return the workbook after the safety checks; raise WorkbookRefused with the reason."""
    lowered = file_name.lower().strip()
    if lowered.endswith(".xls"):
        raise WorkbookRefused("不支持旧版 .xls 文件，请在 Excel 中“另存为”.xlsx 后再上传。")
    if lowered.endswith(MACRO_EXTENSIONS):
        raise WorkbookRefused("不接受含宏的工作簿，请另存为不含宏的 .xlsx 文件后再上传。")
    if not lowered.endswith(".xlsx"):
        raise WorkbookRefused("只接受 Excel .xlsx 文件，请另存为 .xlsx 后再上传。")
    if len(content) > MAX_FILE_BYTES:
        size_mb = len(content) / (1024 * 1024)
        raise WorkbookRefused(f"文件大小 {size_mb:.1f} MB，超过 5 MB 的上限。")
    if content.startswith(OLE2_MAGIC):
        raise WorkbookRefused(
            "该文件实为旧版 .xls 格式或已设置打开密码，请在 Excel 中取消密码并另存为 .xlsx。"
        )
    has_formulas = _check_container(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
        workbook.uncalculated = (
            _uncalculated_formulas(content, workbook) if has_formulas else frozenset()
        )
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise WorkbookRefused(
            "无法读取该文件：它可能已损坏，或不是 Excel 保存的 .xlsx 文件。"
        ) from exc
    return workbook


def _uncalculated_formulas(
    content: bytes, values: openpyxl.Workbook
) -> frozenset[tuple[str, int, int]]:
    """Return (sheet, row, column) of formula cells saved without their result.

    Excel saves a formula's last result beside it; a workbook written by a script may
    not. Read as values such a cell is blank, and a blank target would be lost silently.
    """
    formulas = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    missing = set()
    for sheet in formulas.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if (
                    cell.data_type == "f"
                    and values[sheet.title].cell(cell.row, cell.column).value is None
                ):
                    missing.add((sheet.title, cell.row, cell.column))
    return frozenset(missing)


def _check_container(content: bytes) -> bool:
    """Refuse a container that is not a plain, sane .xlsx; return whether it has formulas."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise WorkbookRefused(
            "无法读取该文件：它不是有效的 .xlsx 文件（可能已损坏，或只是改了扩展名）。"
        ) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise WorkbookRefused("文件结构异常（包含的部件过多），已拒绝。")
        names = {member.filename.lower() for member in members}
        if any(name.endswith("vbaproject.bin") for name in names):
            raise WorkbookRefused("不接受含宏的工作簿，请另存为不含宏的 .xlsx 文件后再上传。")
        if "[content_types].xml" not in names:
            raise WorkbookRefused("无法读取该文件：它不是有效的 .xlsx 文件。")
        uncompressed = sum(member.file_size for member in members)
        compressed = max(sum(member.compress_size for member in members), 1)
        if (
            uncompressed > MAX_UNCOMPRESSED_BYTES
            or uncompressed / compressed > MAX_COMPRESSION_RATIO
        ):
            raise WorkbookRefused("文件解压后的大小异常（疑似压缩炸弹），已拒绝。")
        content_types = archive.read("[Content_Types].xml")
        if b"macroEnabled" in content_types:
            raise WorkbookRefused("不接受含宏的工作簿，请另存为不含宏的 .xlsx 文件后再上传。")
        sheets = [m for m in members if m.filename.startswith("xl/worksheets/")]
        return any(b"<f" in archive.read(member) for member in sheets)


@dataclass
class Column:
    """A column of the table: its position, its header as shown, and what it holds."""

    index: int  # 1-based, as openpyxl counts
    label: str  # the header text, whitespace removed, both header rows joined
    kind: str = ""  # what the caller's classifier made of it; "" for an unknown column
    year: int | None = None


@dataclass
class Table:
    sheet: Worksheet
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

    def __init__(self, sheet: Worksheet, uncalculated: frozenset = frozenset()):
        self.sheet = sheet
        self._uncalculated = uncalculated
        self._merged: dict[tuple[int, int], object] = {}
        for merged in sheet.merged_cells.ranges:
            top_left = sheet.cell(merged.min_row, merged.min_col).value
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    self._merged[(row, col)] = top_left

    def value(self, row: int, col: int) -> object:
        if (row, col) in self._merged:
            return self._merged[(row, col)]
        return self.sheet.cell(row, col).value

    def is_uncalculated(self, row: int, col: int) -> bool:
        """Return True for a formula cell saved without its result."""
        return (self.sheet.title, row, col) in self._uncalculated

    def is_merged_continuation(self, row: int, col: int) -> bool:
        """Return True for a cell inside a merged range that is not its top-left cell."""
        return (row, col) in self._merged and self.sheet.cell(row, col).value is None


YEAR = re.compile(r"(\d{4})")
# Lines under a table that end it: a note, the data source, the sign-off of the sender.
FOOTER = re.compile(
    r"^(注|备注|说明|数据来源|资料来源|来源|填报单位|填表单位|填表人|填报人|审核人|"
    r"联系人|联系电话|制表人?|单位负责人|负责人)(（[^）]*）|\([^)]*\))?[:：]"
)


def find_tables(
    workbook: openpyxl.Workbook,
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
        last_row = min(sheet.max_row, HEADER_SEARCH_ROWS)
        for row in range(1, last_row + 1):
            labels = [
                compact_text(reader.value(row, col)) for col in range(1, sheet.max_column + 1)
            ]
            if not is_header(labels):
                continue
            header_rows: tuple[int, ...] = (row,)
            next_labels = [
                compact_text(reader.value(row + 1, col)) for col in range(1, sheet.max_column + 1)
            ]
            if row + 1 <= sheet.max_row and is_subheader(next_labels):
                header_rows = (row, row + 1)
            table = Table(sheet=sheet, header_rows=header_rows)
            for col in range(1, sheet.max_column + 1):
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
    what follows it is prose, not data.
    """
    indexes = [column.index for column in table.columns if column.kind]
    for row in range(table.first_data_row, table.sheet.max_row + 1):
        values = {index: reader.value(row, index) for index in indexes}
        raw_cells = [
            table.sheet.cell(row, col).value for col in range(1, table.sheet.max_column + 1)
        ]
        first_text = next((compact_text(v) for v in raw_cells if not is_missing(v)), "")
        if FOOTER.match(first_text):
            return
        if all(is_missing(table.sheet.cell(row, index).value) for index in indexes):
            # Only merged continuations (a category running down) or nothing at all.
            continue
        yield row, values
