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
"""

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pyexpat import ExpatError, ParserCreate
from typing import NamedTuple, NoReturn

import openpyxl
from openpyxl.utils import get_column_letter

from .cells import compact_text, is_missing

# Limits. The real responsibility sheet (fixtures/wangcheng_responsibility_sheet.xlsx: 42
# indicators, 10 KB on disk, 48 KB unpacked) and the templates the product hands out are
# far below every one; a 5,000-row sheet (210 KB on disk, 2.5 MB unpacked at a ratio of
# 12, 55,000 cells) is below each by a factor of 5 or more. Each limit also bounds the
# time: the slowest file under all of them (20,000 rows of formulas) reads in under 4 s
# here, far from the 30-second worker timeout.
MAX_FILE_BYTES = 5 * 1024 * 1024
# The whole container, unpacked: 20 times a 5,000-row sheet; a sheet at the row limit
# (20,000 rows) unpacks to about 10 MB.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
# An XML part other than a worksheet (shared strings, styles, workbook …) is read whole by
# openpyxl into Python objects. The texts of 5,000 indicators take well under 1 MB; the
# most cell formats Excel allows (64,000) take 9 MB of styles, read in about 3 s.
MAX_PART_BYTES = 10 * 1024 * 1024
# Sheet XML is typically 5–20 times smaller zipped; beyond 100 it is a bomb. Small members
# (a styles part of repeated entries, an empty sheet) compress better than that
# legitimately and cannot hurt, so the ratio is only held against large members.
MAX_COMPRESSION_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024
# An .xlsx from Excel has 10–40 members, a few hundred with many sheets and pictures.
MAX_ZIP_MEMBERS = 1000
# A plan has tens of indicators, a big one hundreds; 20,000 rows is 4 times the largest
# sheet we test with. 200 columns is 18 times the responsibility sheet's width.
MAX_ROWS = 20_000
MAX_COLUMNS = 200
# Cells read, over all sheets, each row counted up to its last cell (styled empty cells
# included: openpyxl reads them too). 55,000 for a 5,000-row sheet; openpyxl reads about
# 100,000 a second, so this also keeps the slowest acceptable file to a few seconds.
MAX_CELLS = 300_000
# openpyxl reads each shared string into an object, about 8 µs each: 100,000 strings is
# under a second, and 10 times the distinct texts of a 5,000-row sheet.
MAX_SHARED_STRINGS = 100_000
# XML elements. In rows and shared strings openpyxl frees them as it reads (a cell is 2–4:
# c, v or is and t, f); 1,500,000 leaves room for MAX_CELLS cells and their strings.
MAX_ELEMENTS = 1_500_000
# Elsewhere it keeps each element, or builds an object of it (about 300 bytes to 1 KB, up
# to 20 µs each): a workbook, its sheets' settings, merged ranges, links, validations.
MAX_KEPT_ELEMENTS = 100_000
# The styles part (xl/styles.xml) on its own: Excel allows 64,000 cell formats; one with
# its alignment is 2 elements. 150,000 read in about 3 s and 130 MB.
MAX_STYLE_ELEMENTS = 150_000
# Excel holds at most 32,767 characters in a cell; a longer text is no cell of Excel's.
MAX_TEXT_CHARS = 32_767
HEADER_SEARCH_ROWS = 30

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlsb", ".xlam")
# Archives nested in the container are refused, but for the Office documents Excel keeps
# as embedded objects (xl/embeddings/…xlsx): those are not opened, only measured.
ARCHIVE_MAGICS = (
    b"PK\x03\x04",  # zip
    b"PK\x05\x06",  # empty zip
    b"PK\x07\x08",  # spanned zip
    b"\x1f\x8b",  # gzip
    b"BZh",  # bzip2
    b"\xfd7zXZ\x00",  # xz
    b"7z\xbc\xaf\x27\x1c",  # 7-Zip
    b"Rar!\x1a\x07",  # RAR
)
EMBEDDED_PACKAGES = re.compile(r"^xl/embeddings/[^/]+\.(xlsx|docx|pptx)$", re.IGNORECASE)

CHUNK = 64 * 1024  # compressed bytes fed to the inflater at a time
PIECE = 256 * 1024  # the most unpacked bytes held at a time

NOT_XLSX = "无法读取该文件：它不是有效的 .xlsx 文件（可能已损坏，或只是改了扩展名）。"
NOT_READABLE = "无法读取该文件：它可能已损坏，或不是 Excel 保存的 .xlsx 文件。"
DAMAGED = "无法读取该文件：文件已损坏（压缩数据不完整或校验失败），请在 Excel 中重新保存后再上传。"
MARKUP = (
    "无法读取该文件：它实为网页（HTML）或文本文件，只是扩展名为 .xlsx。"
    "请在 Excel 中打开它，“另存为”Excel 工作簿（.xlsx）后再上传。"
)
BOMB = "文件解压后的大小异常（疑似压缩炸弹），已拒绝。"
MACROS = "不接受含宏的工作簿，请另存为不含宏的 .xlsx 文件后再上传。"
RESAVE = "请删除表格以外的行、列（包括只设置了格式的空单元格），在 Excel 中保存后再上传。"


class WorkbookRefused(ValueError):
    """The file as a whole cannot be read; the message says what to do, in Chinese."""


def _refuse(message: str) -> NoReturn:
    raise WorkbookRefused(message)


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


# The sheets, read -----------------------------------------------------------------------


class MergedRange(NamedTuple):
    min_row: int
    min_col: int
    max_row: int
    max_col: int


class _Cell(NamedTuple):
    value: object


class SheetData:
    """One worksheet's values, read once; looked up by (row, column), both 1-based.

    Reads as openpyxl's normal mode does: the cells of a merged range other than its
    top-left one are blank, and the sheet extends to its last cell or merged range.
    """

    def __init__(
        self,
        title: str,
        rows: dict[int, tuple],
        merged: tuple[MergedRange, ...] = (),
        *,
        max_row: int = 0,
        max_column: int = 0,
    ):
        self.title = title
        self.merged_ranges = merged
        for area in merged:
            for row in range(area.min_row, area.max_row + 1):
                values = rows.get(row)
                if values is None or len(values) < area.min_col:
                    continue
                first = area.min_col + 1 if row == area.min_row else area.min_col
                last = min(area.max_col, len(values))
                if first <= last:
                    rows[row] = values[: first - 1] + (None,) * (last - first + 1) + values[last:]
        self._rows = rows
        self.max_row = max([1, max_row, *rows, *(area.max_row for area in merged)])
        self.max_column = max(
            [1, max_column, *map(len, rows.values()), *(area.max_col for area in merged)]
        )

    @classmethod
    def from_worksheet(cls, sheet) -> "SheetData":
        """Take the values of an openpyxl worksheet loaded in normal mode (e.g. in tests)."""
        rows = {}
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if any(value is not None for value in values):
                rows[number] = tuple(values)
        ranges = sheet.merged_cells.ranges if hasattr(sheet, "merged_cells") else ()
        merged = tuple(MergedRange(r.min_row, r.min_col, r.max_row, r.max_col) for r in ranges)
        return cls(sheet.title, rows, merged, max_row=sheet.max_row, max_column=sheet.max_column)

    def value(self, row: int, col: int) -> object:
        values = self._rows.get(row)
        if values is None or col > len(values) or col < 1:
            return None
        return values[col - 1]

    def cell(self, row: int, col: int) -> _Cell:
        """The cell as openpyxl's `sheet.cell(row, col)`, for its `.value`."""
        return _Cell(self.value(row, col))

    def row_values(self, row: int) -> tuple:
        """The row's values from column 1 to its last cell; () for an empty row."""
        return self._rows.get(row, ())

    def rows_from(self, first_row: int) -> Iterator[tuple[int, tuple]]:
        """Yield (row number, values) of the rows holding any value, from `first_row` down."""
        for row in sorted(number for number in self._rows if number >= first_row):
            yield row, self._rows[row]


@dataclass
class Workbook:
    """What the readers use of a workbook: its sheets' values, read once, and its properties."""

    sheets: list[SheetData]
    custom_doc_props: object = None
    # (sheet title, row, column) of the formula cells saved without their result.
    uncalculated: frozenset = frozenset()

    @property
    def worksheets(self) -> list[SheetData]:
        return self.sheets


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


# The container, checked while it streams -------------------------------------------------

_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index


_DIGITS = "0123456789"
# Column letters of the columns a sheet may use, for the scan's quick path.
_COLUMN_OF = {get_column_letter(index): index for index in range(1, MAX_COLUMNS + 1)}


def _coordinate(reference: str) -> tuple[int, int] | None:
    """Return (row, column) of an A1 reference, None when it is not one."""
    match = _REFERENCE.fullmatch(reference)
    if match is None:
        return None
    return int(match.group(2)), _column_index(match.group(1))


def _area(reference: str) -> MergedRange | None:
    """Return the range of "A1:K45" (or "A1"), None when it is not one."""
    first, _, last = reference.strip().partition(":")
    start, end = _coordinate(first), _coordinate(last or first)
    if start is None or end is None:
        return None
    return MergedRange(start[0], start[1], end[0], end[1])


@dataclass
class _Budget:
    """What the whole container has used so far."""

    unpacked: int = 0
    cells: int = 0
    strings: int = 0
    elements: int = 0  # inside rows and shared strings: openpyxl frees them as it goes
    kept: int = 0  # elsewhere: openpyxl keeps them, or builds an object of each


@dataclass
class _SheetScan:
    """What the scan of one worksheet part keeps: its merged ranges and whether it has formulas."""

    part: str
    merged: list[MergedRange] = field(default_factory=list)
    has_formulas: bool = False


class _Container:
    """The zip container of an upload, checked member by member while it is unpacked."""

    def __init__(self, content: bytes):
        self.content = content
        self.budget = _Budget()
        self.sheets: dict[str, _SheetScan] = {}  # XML part → what its scan keeps
        self.roots: dict[str, str] = {}  # part → the local name of its XML root, "" if none
        self.declared_workbook = ""  # the workbook part [Content_Types].xml names
        self.sheet_ids: dict[str, dict[str, str]] = {}  # part → {r:id: sheet name}
        self.relationships: dict[str, dict[str, tuple[str, str]]] = {}  # {Id: (Target, Type)}

    def check(self) -> None:
        if _declared_members(self.content) > MAX_ZIP_MEMBERS:
            # Refused before zipfile builds an object for every entry of the directory.
            _refuse("文件结构异常（包含的部件过多），已拒绝。")
        try:
            archive = zipfile.ZipFile(io.BytesIO(self.content))
            members = archive.infolist()
        except Exception as exc:  # BadZipFile, and OSError or ValueError for odd headers
            head = self.content[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
            raise WorkbookRefused(MARKUP if head.startswith(b"<") else NOT_XLSX) from exc
        self.archive = archive
        if len(members) > MAX_ZIP_MEMBERS:
            _refuse("文件结构异常（包含的部件过多），已拒绝。")
        names = [member.filename for member in members]
        if len(set(names)) != len(names):
            _refuse("文件结构异常（部件名称重复），已拒绝。")
        lowered = {name.lower() for name in names}
        if any(name.endswith("vbaproject.bin") for name in lowered):
            _refuse(MACROS)
        if "[content_types].xml" not in lowered:
            _refuse("无法读取该文件：它不是有效的 .xlsx 文件。")
        # The content types, then the workbook and the relationships, so a refused sheet
        # is named; then the rest.
        for member in sorted(members, key=self._order):
            self._check_member(member)
        self._check_sheet_parts()

    @staticmethod
    def _order(member: zipfile.ZipInfo) -> int:
        name = member.filename
        if name.lower() == "[content_types].xml":
            return 0
        return 1 if name.endswith(("workbook.xml", ".rels")) else 2

    def _check_member(self, member: zipfile.ZipInfo) -> None:
        part = _Part(self, member.filename)
        for piece in _unpacked(self.content, member, self.budget):
            part.feed(piece)
        part.close()

    def _workbooks(self) -> set[str]:
        """The workbook parts openpyxl may read, and any other part that looks like one."""
        parts = {self.declared_workbook or "xl/workbook.xml"}
        return parts | {part for part, root in self.roots.items() if root == "workbook"}

    def _sheet_parts(self) -> Iterator[tuple[str, str, str]]:
        """Yield (part, sheet name, relationship type) of each sheet a workbook part lists."""
        for workbook in self._workbooks():
            folder, _, base = workbook.rpartition("/")
            rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
            relationships = self.relationships.get(rels, {})
            for rel_id, title in self.sheet_ids.get(workbook, {}).items():
                target, kind = relationships.get(rel_id, ("", ""))
                if target:
                    yield _resolve(folder, target), title, kind

    def _check_sheet_parts(self) -> None:
        for part, _title, _kind in self._sheet_parts():
            if part in self.roots:
                self.check_sheet_root(part)

    def check_sheet_root(self, part: str) -> None:
        """openpyxl reads what the workbook lists as a sheet, whatever the part holds; only
        a part that is a worksheet is counted as one, so a sheet that is not is refused."""
        for found, title, kind in self._sheet_parts():
            expected = ("chartsheet",) if "chartsheet" in kind else ("worksheet", "dialogsheet")
            if found == part and self.roots[part] not in expected:
                _refuse(
                    f"无法读取该文件：工作表「{title}」的结构异常（可能已损坏，或不是 Excel "
                    "保存的文件），请在 Excel 中打开并重新保存后再上传。"
                )

    def sheet_name(self, part: str) -> str:
        """The name the workbook gives the worksheet part, or "" when not known."""
        return next((title for found, title, _ in self._sheet_parts() if found == part), "")

    def uncalculated(self, scan: _SheetScan) -> set[tuple[int, int]]:
        """Return (row, column) of the sheet's formula cells saved without their result.

        Excel saves a formula's last result beside it; a workbook written by a script may
        not. Read as values such a cell is blank, and a blank target would be lost silently.
        The part was checked already; this second scan only runs for sheets with formulas.
        """
        finder = _FormulaFinder()
        member = self.archive.getinfo(scan.part)
        for piece in _unpacked(self.content, member, _Budget()):
            finder.feed(piece)
        finder.close()
        return finder.cells


def _declared_members(content: bytes) -> int:
    """The number of entries the zip's end record declares; 0 when there is none to read."""
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 65_557))
    if end < 0 or len(content) < end + 12:
        return 0
    return struct.unpack("<H", content[end + 10 : end + 12])[0]


def _resolve(folder: str, target: str) -> str:
    """The zip member a relationship's target names, as openpyxl resolves it."""
    if target.startswith("/"):
        path = target[1:]
    else:
        path = f"{folder}/{target}" if folder else target
    parts: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if parts:
                parts.pop()
        elif segment not in ("", "."):
            parts.append(segment)
    return "/".join(parts)


def _unpacked(content: bytes, member: zipfile.ZipInfo, budget: _Budget) -> Iterator[bytes]:
    """Yield the member's bytes as it unpacks, counting what it really holds.

    The sizes and checksum in the member's headers are never trusted, only compared with
    what the data holds: a member that unpacks past its declared size stops there, and
    its checksum and sizes are compared at its end. The limits are checked on every
    piece, so a bomb stops at once, with at most PIECE bytes of it in memory.
    """
    if member.flag_bits & 0x41:
        _refuse("文件已加密，请取消密码后另存为 .xlsx 再上传。")
    offset = member.header_offset
    header = content[offset : offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        _refuse(DAMAGED)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_length + extra_length
    unpacked = consumed = 0
    checksum = 0

    def counted(piece: bytes, consumed: int) -> None:
        if unpacked > member.file_size:
            _refuse(DAMAGED)  # more than the header declares: it lies, stop now
        budget.unpacked += len(piece)
        if budget.unpacked > MAX_UNCOMPRESSED_BYTES:
            _refuse(BOMB)
        if unpacked > RATIO_FLOOR_BYTES and unpacked > MAX_COMPRESSION_RATIO * max(consumed, 1):
            _refuse(BOMB)

    if member.compress_type == zipfile.ZIP_STORED:
        end = start + member.compress_size
        if end > len(content):
            _refuse(DAMAGED)
        for position in range(start, end, PIECE):
            piece = content[position : min(position + PIECE, end)]
            unpacked += len(piece)
            checksum = zlib.crc32(piece, checksum)
            counted(piece, unpacked)
            yield piece
        consumed = member.compress_size
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        position, pending = start, b""
        end = min(len(content), start + member.compress_size)
        while not inflater.eof:
            if not pending and position < end:
                pending = content[position : min(position + CHUNK, end)]
                position += len(pending)
            try:
                piece = inflater.decompress(pending, PIECE)
            except zlib.error:
                _refuse(DAMAGED)
            pending = inflater.unconsumed_tail
            if not piece and not inflater.eof and not pending and position >= end:
                _refuse(DAMAGED)  # the data ends before the member does: truncated
            if piece:
                unpacked += len(piece)
                checksum = zlib.crc32(piece, checksum)
                counted(piece, position - start - len(pending))
                yield piece
        # At the end, what was read past the member is in unused_data (and unconsumed_tail).
        consumed = position - start - len(inflater.unused_data)
    else:
        _refuse("无法读取该文件：它使用了 Excel 不使用的压缩方式，请在 Excel 中重新保存后再上传。")
    if unpacked != member.file_size or consumed != member.compress_size or checksum != member.CRC:
        # The header lies about the member, or the data is damaged: both are refused.
        _refuse(DAMAGED)
    if unpacked > RATIO_FLOOR_BYTES and unpacked > MAX_COMPRESSION_RATIO * max(consumed, 1):
        _refuse(BOMB)


class _Part:
    """One member as it streams: an archive or not, XML or not, and its elements counted.

    Every XML part is counted, whatever its name or root: openpyxl reads the part the
    workbook's relationships name as a sheet, and finds cells by their tags.
    """

    def __init__(self, container: _Container, name: str):
        self.container = container
        self.name = name
        self.size = 0
        self.head = b""  # the first bytes, for the magic number of a nested archive
        self.tail = b""  # the end of the last piece, for a word cut between two pieces
        self.content_types = name.lower() == "[content_types].xml"
        self.parser = _xml_parser()
        self.parser.StartElementHandler = self._root
        self.kind = ""  # the local name of the XML root element; "" until known
        container.roots[name] = ""

    def feed(self, piece: bytes) -> None:
        self.size += len(piece)
        if len(self.head) < 8:
            self.head += piece[:8]
            self._nested()
        if self.kind not in ("", "worksheet") and self.size > MAX_PART_BYTES:
            if self.kind == "sst":
                _refuse(
                    "文件中的文字内容过多（共享字符串表解压后超过 "
                    f"{MAX_PART_BYTES // (1024 * 1024)} MB），已拒绝。"
                )
            _refuse(f"文件结构异常（部件 {self.name} 解压后过大），已拒绝。")
        if self.content_types:
            if b"macroEnabled" in self.tail + piece:
                _refuse(MACROS)
            self.tail = piece[-16:]
        if self.parser is None:
            return
        try:
            self.parser.Parse(piece, False)
        except ExpatError as exc:
            self._not_xml(exc)

    def close(self) -> None:
        self._nested()
        if self.parser is None:
            return
        try:
            self.parser.Parse(b"", True)
        except ExpatError as exc:
            self._not_xml(exc)

    def _nested(self) -> None:
        if self.head.startswith(ARCHIVE_MAGICS) and not EMBEDDED_PACKAGES.match(self.name):
            _refuse(f"文件中嵌有压缩包（{self.name}），已拒绝。请删除嵌入的对象后再上传。")

    def _not_xml(self, exc: ExpatError) -> None:
        if self.kind == "worksheet":
            label = self.container.sheet_name(self.name)
            where = f"工作表「{label}」" if label else "工作表"
            raise WorkbookRefused(
                f"无法读取该文件：{where}的内容已损坏，请在 Excel 中重新保存后再上传。"
            ) from exc
        # Not XML (a picture, printer settings, a legacy VML drawing): measured, not parsed
        # further. openpyxl's parser is the same expat: where this one stops, it fails too.
        self.parser = None

    def _root(self, name: str, attributes: dict) -> None:
        self.kind = _local(name)
        self.container.roots[self.name] = self.kind
        self.container.check_sheet_root(self.name)  # when the workbook came first, as usual
        counter = _Counter(self.container, self.name, self.kind)
        self.parser.StartElementHandler = counter.start
        self.parser.EndElementHandler = counter.end
        self.parser.CharacterDataHandler = counter.text
        counter.start(name, attributes)


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _xml_parser():
    parser = ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 64 * 1024

    def no_dtd(*_args) -> None:
        _refuse("文件结构异常（含有 DTD 声明），已拒绝。")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    return parser


WORKBOOK_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
)


class _Counter:
    """Counts a part's elements, and a worksheet's rows, columns and cells as openpyxl
    will read them; stops at the first limit passed. Keeps only counters, the merged
    ranges, a formula flag and what names the sheets."""

    def __init__(self, container: _Container, part: str, kind: str):
        self.container = container
        self.budget = container.budget
        self.part = part
        self.scan = container.sheets[part] = _SheetScan(part)
        # openpyxl builds an object of each style (about 20 µs each); it never reads a
        # calculation chain, which may list every formula cell of the workbook.
        self.styles = part == "xl/styles.xml"  # the one openpyxl reads, by its path
        self.kept_free = kind == "calcChain"
        self.kept = 0  # of the styles part
        self.depth = 0
        self.inner = 0  # the depth of the row or shared string being read, 0 outside
        self.in_row = False
        self.row = 0  # as openpyxl counts: a row's r, or the one after the last
        self.col = 0
        self.row_text = "0"
        self.text_chars = 0  # of the text since the last start tag

    def text(self, data: str) -> None:
        # expat hands a long text over in pieces: count them up to the next element.
        self.text_chars += len(data)
        if self.text_chars > MAX_TEXT_CHARS:
            _refuse(f"文件中有超过 {MAX_TEXT_CHARS:,} 个字符的文字（Excel 单元格的上限），已拒绝。")

    def where(self) -> str:
        label = self.container.sheet_name(self.part)
        return f"工作表「{label}」" if label else "工作表"

    def end(self, name: str) -> None:
        if self.depth == self.inner:
            self.inner = 0
        self.depth -= 1

    def start(self, name: str, attributes: dict) -> None:
        # Called for every element of every XML part: the common case (in a row) comes first.
        self.text_chars = 0
        self.depth += 1
        local = name if ":" not in name else name.rpartition(":")[2]
        budget = self.budget
        if self.inner:
            budget.elements += 1
            if budget.elements > MAX_ELEMENTS:
                self._too_many()
            if self.in_row:
                if self.depth == self.inner + 1:
                    self._cell(attributes)  # openpyxl reads every child of a row as a cell
                elif local == "f":
                    self.scan.has_formulas = True
            return
        if local == "row" or local == "si":
            self.inner, self.in_row = self.depth, local == "row"
            budget.elements += 1
            if budget.elements > MAX_ELEMENTS:
                self._too_many()
            if local == "row":
                self._row(attributes)
            else:
                budget.strings += 1
                if budget.strings > MAX_SHARED_STRINGS:
                    limit = f"{MAX_SHARED_STRINGS:,}"
                    _refuse(f"文件中的文字内容过多（共享字符串超过 {limit} 条），已拒绝。")
            return
        if self.styles:
            self.kept += 1
            if self.kept > MAX_STYLE_ELEMENTS:
                _refuse("文件中的单元格格式过多，已拒绝。请在 Excel 中清除多余的格式后再上传。")
        elif not self.kept_free:
            budget.kept += 1
            if budget.kept > MAX_KEPT_ELEMENTS:
                _refuse(
                    "文件结构过于复杂（批注、链接、条件格式等对象过多），已拒绝。"
                    "请删除多余的内容，在 Excel 中保存后再上传。"
                )
        if local == "mergeCell":
            self._merge(attributes.get("ref", ""))
        elif local == "dimension":
            area = _area(attributes.get("ref", ""))
            if area is None:
                self._disordered()
            self._within_limits(area, "声明的范围")
        elif local == "sheet":
            rel_id = next((v for k, v in attributes.items() if k.endswith(":id")), "")
            self.container.sheet_ids.setdefault(self.part, {})[rel_id] = attributes.get("name", "")
        elif local == "Relationship":
            relationships = self.container.relationships.setdefault(self.part, {})
            target, kind = attributes.get("Target", ""), attributes.get("Type", "")
            relationships[attributes.get("Id", "")] = (target, kind)
        elif local == "Override" and attributes.get("ContentType") in WORKBOOK_TYPES:
            self.container.declared_workbook = attributes.get("PartName", "").lstrip("/")

    def _cell(self, attributes: dict) -> None:
        reference = attributes.get("r")
        if reference:
            letters = reference.rstrip(_DIGITS)
            col = _COLUMN_OF.get(letters)
            row_text = reference[len(letters) :]
            if col is None or (row_text != self.row_text and int(row_text or 0) != self.row):
                coordinate = _coordinate(reference)  # lower case, $, or far to the right
                if coordinate is None or coordinate[0] != self.row:
                    self._disordered()
                col = coordinate[1]
            if col <= self.col:
                self._disordered()
        else:
            col = self.col + 1
        if col > MAX_COLUMNS:
            _refuse(
                f"{self.where()}第{self.row}行用到了第 {col} 列，超过 {MAX_COLUMNS} 列的上限。"
                + RESAVE
            )
        # Each row costs up to its last cell: what openpyxl reads, styled blanks included.
        budget = self.budget
        budget.cells += col - self.col
        self.col = col
        if budget.cells > MAX_CELLS:
            _refuse(f"文件中的单元格过多（超过 {MAX_CELLS:,} 个），已拒绝。" + RESAVE)

    def _row(self, attributes: dict) -> None:
        number = attributes.get("r")
        try:
            row = int(float(number)) if number else self.row + 1
        except (ValueError, OverflowError):
            self._disordered()
        if row <= self.row:
            self._disordered()
        if row > MAX_ROWS:
            _refuse(f"{self.where()}有第 {row} 行，超过 {MAX_ROWS:,} 行的上限。" + RESAVE)
        self.row, self.col, self.row_text = row, 0, number or str(row)

    def _merge(self, reference: str) -> None:
        area = _area(reference)
        if area is None or area.min_row > area.max_row or area.min_col > area.max_col:
            self._disordered()
        self._within_limits(area, "合并单元格")
        self.budget.cells += (area.max_row - area.min_row + 1) * (area.max_col - area.min_col + 1)
        if self.budget.cells > MAX_CELLS:
            _refuse(f"文件中的合并单元格过多（超过 {MAX_CELLS:,} 个单元格），已拒绝。")
        self.scan.merged.append(area)

    def _too_many(self) -> NoReturn:
        _refuse(f"文件中的内容过多（超过 {MAX_ELEMENTS:,} 个 XML 元素），已拒绝。" + RESAVE)

    def _within_limits(self, area: MergedRange, what: str) -> None:
        if area.max_row > MAX_ROWS or area.max_col > MAX_COLUMNS:
            _refuse(
                f"{self.where()}{what}达到 {area.max_row:,} 行、{area.max_col} 列，超过 "
                f"{MAX_ROWS:,} 行、{MAX_COLUMNS} 列的上限。" + RESAVE
            )

    def _disordered(self) -> NoReturn:
        _refuse(
            f"无法读取该文件：{self.where()}第{self.row}行附近的单元格位置异常"
            "（可能已损坏，或不是 Excel 保存的文件），请在 Excel 中打开并重新保存后再上传。"
        )


class _FormulaFinder:
    """Finds the formula cells without a saved result, as openpyxl's data-only read sees
    them: a cell with <f> whose <v> is missing or empty (an inline string has <is>)."""

    def __init__(self):
        self.cells: set[tuple[int, int]] = set()
        self.row = self.col = 0
        self.depth = self.row_depth = 0
        self.in_value = False
        self.formula = self.value = self.inline = False
        self.parser = _xml_parser()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text

    def feed(self, piece: bytes) -> None:
        self.parser.Parse(piece, False)

    def close(self) -> None:
        self.parser.Parse(b"", True)

    def start(self, name: str, attributes: dict) -> None:
        self.depth += 1
        local = name.rpartition(":")[2]
        if self.row_depth and self.depth == self.row_depth + 1:  # a cell
            reference = attributes.get("r")
            coordinate = _coordinate(reference) if reference else None
            self.col = coordinate[1] if coordinate else self.col + 1
            self.formula = self.value = False
            self.inline = attributes.get("t") == "inlineStr"
        elif self.row_depth:
            if local == "f":
                self.formula = True
            elif local == "v":
                self.in_value = True
            elif local == "is" and self.inline:
                self.value = True
        elif local == "row":
            number = attributes.get("r")
            self.row = int(float(number)) if number else self.row + 1
            self.row_depth, self.col = self.depth, 0

    def text(self, data: str) -> None:
        if self.in_value and data and not self.inline:
            self.value = True

    def end(self, name: str) -> None:
        if self.depth == self.row_depth:
            self.row_depth = 0
        elif self.row_depth and self.depth == self.row_depth + 1:
            if self.formula and not self.value:
                self.cells.add((self.row, self.col))
        elif _local(name) == "v":
            self.in_value = False
        self.depth -= 1


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
