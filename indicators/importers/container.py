"""The zip container of an upload, checked member by member while it is unpacked.

Each member is inflated here, in small pieces, counting the bytes it really holds (the
sizes its header declares are never trusted, only compared), with its checksum checked; a
lying or damaged member, a nested archive, too many members, too much in total or a member
that unpacks far beyond its size in the file is refused as soon as the limit is passed,
without unpacking the rest. Each piece is handed to the XML scan (xml_scan.py).
"""

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from .limits import (
    BOMB,
    CHUNK,
    DAMAGED,
    MACROS,
    MARKUP,
    MAX_COMPRESSION_RATIO,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_MEMBERS,
    NOT_XLSX,
    PIECE,
    RATIO_FLOOR_BYTES,
    WorkbookRefused,
    _refuse,
)
from .xml_scan import _FormulaFinder, _Part, _SheetScan


@dataclass
class _Budget:
    """What the whole container has used so far."""

    unpacked: int = 0
    cells: int = 0
    strings: int = 0
    elements: int = 0  # inside rows and shared strings: openpyxl frees them as it goes
    kept: int = 0  # elsewhere: openpyxl keeps them, or builds an object of each


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
