"""The streaming XML scan of a container's parts, before openpyxl reads them.

A SAX pass (expat, no DTD) over each part as it unpacks, keeping nothing but counters:
a worksheet's declared range, its real rows, columns and cells, its merged ranges and
whether it has formulas; shared strings, the length of any text, and the elements openpyxl
would keep in memory. Each limit is refused as soon as it is passed. A second pass finds
the formula cells saved without their result.
"""

import re
from dataclasses import dataclass, field
from pyexpat import ExpatError, ParserCreate
from typing import TYPE_CHECKING, NoReturn

from openpyxl.utils import get_column_letter

from .limits import (
    ARCHIVE_MAGICS,
    EMBEDDED_PACKAGES,
    MACROS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ELEMENTS,
    MAX_KEPT_ELEMENTS,
    MAX_PART_BYTES,
    MAX_ROWS,
    MAX_SHARED_STRINGS,
    MAX_STYLE_ELEMENTS,
    MAX_TEXT_CHARS,
    RESAVE,
    WorkbookRefused,
    _refuse,
)
from .sheet_data import MergedRange

if TYPE_CHECKING:
    from .container import _Container

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
class _SheetScan:
    """What the scan of one worksheet part keeps: its merged ranges and whether it has formulas."""

    part: str
    merged: list[MergedRange] = field(default_factory=list)
    has_formulas: bool = False


class _Part:
    """One member as it streams: an archive or not, XML or not, and its elements counted.

    Every XML part is counted, whatever its name or root: openpyxl reads the part the
    workbook's relationships name as a sheet, and finds cells by their tags.
    """

    def __init__(self, container: "_Container", name: str):
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

    def __init__(self, container: "_Container", part: str, kind: str):
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
