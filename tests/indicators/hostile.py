"""Hostile .xlsx files, built at test time: small on disk, huge or broken when unpacked.

Nothing large is committed: each file is a real workbook (the fixture responsibility
sheet) with one part replaced or added, written by a small zip writer that puts into the
headers whatever the test wants them to say. A long repeated part is deflated once and
its compressed block repeated (each block ends with a full flush, so blocks are
independent), which makes a file that unpacks to hundreds of megabytes in milliseconds.
"""

import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

# No Django here: a subprocess measuring memory imports this module alone.
WANGCHENG_SHEET = (
    Path(__file__).resolve().parents[2] / "fixtures" / "wangcheng_responsibility_sheet.xlsx"
)
SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@dataclass
class Member:
    """A zip member as stored: its bytes (deflated unless method is 0) and what the
    headers declare about it, true or not."""

    name: str
    data: bytes
    size: int  # the uncompressed size the headers declare
    crc: int
    method: int = zipfile.ZIP_DEFLATED


def deflated(name: str, content: bytes) -> Member:
    """An honest deflated member."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    data = packer.compress(content) + packer.flush()
    return Member(name, data, len(content), zlib.crc32(content))


def repeated(name: str, head: bytes, block: bytes, times: int, tail: bytes) -> Member:
    """A member holding head + block × times + tail, deflated in milliseconds.

    The checksum is computed only for small members (it would take seconds for a
    large one); a large member declares 0, which does not matter: it is refused for its
    size long before the checksum is compared.
    """
    parts = []
    for piece in (head, block):
        packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        parts.append(packer.compress(piece) + packer.flush(zlib.Z_FULL_FLUSH))
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    end = packer.compress(tail) + packer.flush()
    data = parts[0] + parts[1] * times + end
    size = len(head) + len(block) * times + len(tail)
    crc = 0
    if size <= 64 * 1024 * 1024:
        crc = zlib.crc32(head)
        for _ in range(times):
            crc = zlib.crc32(block, crc)
        crc = zlib.crc32(tail, crc)
    return Member(name, data, size, crc)


def zip_bytes(members: list[Member]) -> bytes:
    """Write the members as a zip, with exactly the headers they declare."""
    out = io.BytesIO()
    central = []
    for member in members:
        offset = out.tell()
        name = member.name.encode()
        flags = 0x800  # names in UTF-8
        out.write(
            struct.pack(
                "<4s2B4HL2L2H",
                b"PK\x03\x04",
                20,
                0,
                flags,
                member.method,
                0,
                0x21,
                member.crc,
                len(member.data),
                member.size,
                len(name),
                0,
            )
        )
        out.write(name)
        out.write(member.data)
        central.append(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                20,
                0,
                20,
                0,
                flags,
                member.method,
                0,
                0x21,
                member.crc,
                len(member.data),
                member.size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    start = out.tell()
    for entry in central:
        out.write(entry)
    size = out.tell() - start
    out.write(
        struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0)
    )
    return out.getvalue()


def fixture_parts() -> dict[str, bytes]:
    """The fixture responsibility sheet's parts, unpacked."""
    with zipfile.ZipFile(WANGCHENG_SHEET) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def workbook(replace: dict[str, Member] | None = None, add: list[Member] = ()) -> bytes:
    """The fixture workbook with some members replaced and some added."""
    replace = replace or {}
    members = [replace.get(name) or deflated(name, data) for name, data in fixture_parts().items()]
    return zip_bytes(members + list(add))


def sheet_xml(rows: bytes, *, dimension: str = "A1:K45") -> tuple[bytes, bytes]:
    """The head and tail of a worksheet part around its rows."""
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>'
    ).encode() + rows
    return head, b"</sheetData></worksheet>"


def fixture_sheet() -> bytes:
    return fixture_parts()[SHEET]


def _noise_rows(count: int, width: int, choices: tuple[str, ...], seed: int) -> bytes:
    """Rows without coordinates (openpyxl counts them), of cells drawn from `choices`."""
    rng = random.Random(seed)
    return b"".join(
        b"<row>" + "".join(rng.choice(choices) for _ in range(width)).encode() + b"</row>"
        for _ in range(count)
    )


# The hostile files --------------------------------------------------------------------------


def lying_bomb() -> bytes:
    """The worksheet's headers declare 4 KB; it unpacks to 800 MB of cells."""
    head, tail = sheet_xml(b"")
    block = b"<row>" + b'<c s="1"><v>1</v></c>' * 100 + b"</row>"
    member = repeated(SHEET, head, block * 500, 800 * 1024 * 1024 // (len(block) * 500), tail)
    member.size, member.crc = 4096, 0
    return workbook({SHEET: member})


def lying_size() -> bytes:
    """The worksheet's headers declare 4 KB for 3 MB of ordinary rows (ratio under 20)."""
    rows = _noise_rows(100, 100, ("<c><v>1</v></c>", "<c><v>22</v></c>", "<c/>"), seed=1)
    head, tail = sheet_xml(b"")
    member = repeated(SHEET, head, rows, 3 * 1024 * 1024 // len(rows), tail)
    member.size = 4096
    return workbook({SHEET: member})


def dense_sheet() -> bytes:
    """Millions of repeated cells at a ratio below 100: 6.9 million cells, 100 MB unpacked
    from 1.8 MB (ratio 56), like the file that used to time the worker out."""
    rows = _noise_rows(2000, 100, ("<c><v>1</v></c>", "<c><v>2</v></c>"), seed=2)
    head, tail = sheet_xml(b"")
    return workbook({SHEET: repeated(SHEET, head, rows, 100 * 1024 * 1024 // len(rows), tail)})


def styled_blanks() -> bytes:
    """Over a million empty cells that only carry a style, each with its coordinates."""
    rng = random.Random(3)
    letters = [get_column_letter(col) for col in range(1, 101)]
    templates = [
        '<row r="{0}">'
        + "".join(f'<c r="{letter}{{0}}" s="{rng.randint(1, 8)}"/>' for letter in letters)
        + "</row>"
        for _ in range(8)
    ]
    rows = "".join(rng.choice(templates).format(row) for row in range(1, 12_001)).encode()
    head, tail = sheet_xml(rows, dimension="A1:CV12000")
    return workbook({SHEET: deflated(SHEET, head + tail)})


def huge_dimension() -> bytes:
    """The sheet declares the whole grid, A1:XFD1048576."""
    sheet = fixture_sheet().replace(
        b'<dimension ref="A1:K45" />', b'<dimension ref="A1:XFD1048576"/>'
    )
    assert b"XFD1048576" in sheet
    return workbook({SHEET: deflated(SHEET, sheet)})


def far_cell() -> bytes:
    """One cell at XFD1048576 below the real table; the declared range stays A1:K45."""
    sheet = fixture_sheet().replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    return workbook({SHEET: deflated(SHEET, sheet)})


def bad_checksum() -> bytes:
    """The worksheet's checksum does not match its data."""
    member = deflated(SHEET, fixture_sheet())
    member.crc ^= 0x5A5A5A5A
    return workbook({SHEET: member})


def truncated() -> bytes:
    """The file cut at two thirds: no central directory."""
    content = workbook()
    return content[: len(content) * 2 // 3]


def truncated_member() -> bytes:
    """The central directory is intact, but the worksheet's data is cut short."""
    member = deflated(SHEET, fixture_sheet() * 20)
    member.data = member.data[: len(member.data) // 2]
    return workbook({SHEET: member})


def _bomb_zip() -> bytes:
    inner = repeated("bomb.xml", b"<a>", b"\0" * 1024 * 1024, 500, b"</a>")
    inner.crc = 0
    return zip_bytes([inner])


def nested_zip() -> bytes:
    """A zip bomb stored inside the workbook as a picture."""
    return workbook(add=[deflated("xl/media/image1.png", _bomb_zip())])


def nested_zip_as_sheet() -> bytes:
    """The second worksheet is a zip, not XML."""
    return workbook({"xl/worksheets/sheet2.xml": deflated("xl/worksheets/sheet2.xml", _bomb_zip())})


def huge_shared_strings() -> bytes:
    """A shared-strings part of 30 MB of varied text (ratio under 100)."""
    rng = random.Random(4)
    words = ["规划", "指标", "目标", "年度", "完成", "区工信局", "亿元", "累计值"]
    texts = (
        "".join(rng.choice(words) for _ in range(40)) + str(rng.randint(0, 999))
        for _ in range(3000)
    )
    block = "".join(f"<si><t>{text}</t></si>" for text in texts).encode()
    head = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()
    member = repeated(
        "xl/sharedStrings.xml", head, block, 30 * 1024 * 1024 // len(block), b"</sst>"
    )
    return workbook(add=[member])


def many_shared_strings() -> bytes:
    """Half a million tiny shared strings, under 10 MB (openpyxl spends seconds on them)."""
    block = "".join(f"<si><t>{i}</t></si>" for i in range(5000)).encode()
    head = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()
    return workbook(add=[repeated("xl/sharedStrings.xml", head, block, 100, b"</sst>")])


def many_members() -> bytes:
    """Ten thousand tiny members."""
    return workbook(add=[deflated(f"xl/media/part{i}.bin", b"x") for i in range(10_000)])


def many_member_bomb() -> bytes:
    """Sixty members of 900 KB of zeros each: each below the size the ratio is held
    against, 54 MB together."""
    zeros = repeated("zeros", b"", b"\0" * 1024, 900, b"")
    members = [
        Member(f"xl/media/zeros{i}.bin", zeros.data, zeros.size, zeros.crc) for i in range(60)
    ]
    return workbook(add=members)


def overlapping_members() -> bytes:
    """Hundreds of directory entries for the one 900 KB member (a "better zip bomb")."""
    zeros = repeated("xl/media/zeros.bin", b"", b"\0" * 1024, 900, b"")
    content = workbook(add=[zeros])
    archive = zipfile.ZipFile(io.BytesIO(content))
    info = archive.getinfo("xl/media/zeros.bin")
    entries = []
    for i in range(500):
        name = f"xl/media/zeros{i}.bin".encode()
        entries.append(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                20,
                0,
                20,
                0,
                0x800,
                8,
                0,
                0x21,
                info.CRC,
                info.compress_size,
                info.file_size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                info.header_offset,
            )
            + name
        )
    end = content.rindex(b"PK\x05\x06")
    _, count, size, start = struct.unpack("<2H2L", content[end + 8 : end + 20])
    directory = content[start : start + size] + b"".join(entries)
    total = count + len(entries)
    return (
        content[:start]
        + directory
        + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, total, total, len(directory), start, 0)
    )


def html_disguised() -> bytes:
    """A web page saved with an .xlsx name, as some systems "export to Excel"."""
    return (
        "<html><head><meta charset='utf-8'></head><body><table>"
        "<tr><td>序号</td><td>指标名称</td></tr><tr><td>1</td><td>工业总产值</td></tr>"
        "</table></body></html>"
    ).encode()


def entity_expansion() -> bytes:
    """Shared strings with a DTD that expands an entity a billion times."""
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    sst = (
        f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]>'
        f'<sst xmlns="{MAIN}"><si><t>&a9;</t></si></sst>'
    ).encode()
    return workbook(add=[deflated("xl/sharedStrings.xml", sst)])


def long_text() -> bytes:
    """One cell holding 40 MB of text (ratio about 20); Excel stops at 32,767 characters."""
    rng = random.Random(6)
    block = "".join(rng.choice("规划") for _ in range(20_000)).encode()
    head, tail = sheet_xml(b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
    tail = b"</t></is></c></row>" + tail
    return workbook({SHEET: repeated(SHEET, head, block, 40 * 1024 * 1024 // len(block), tail)})


def cells_under_another_root() -> bytes:
    """The first sheet's part calls itself a chart sheet; openpyxl would still read its
    30 MB of cells."""
    rows = _noise_rows(2000, 100, ("<c><v>1</v></c>", "<c><v>7</v></c>"), seed=5)
    head = f'<?xml version="1.0"?><chartsheet xmlns="{MAIN}"><sheetData>'.encode()
    member = repeated(
        SHEET, head, rows, 30 * 1024 * 1024 // len(rows), b"</sheetData></chartsheet>"
    )
    return workbook({SHEET: member})


def unknown_elements() -> bytes:
    """Four million small elements after the sheet's data, which openpyxl would keep in
    memory (1.4 GB, 11 s) as it reads the sheet."""
    rng = random.Random(7)
    block = "".join(f'<x a="{rng.randint(0, 9)}"/>' for _ in range(50_000)).encode()
    sheet = fixture_sheet()
    end = sheet.index(b"</sheetData>") + len(b"</sheetData>")
    member = repeated(SHEET, sheet[:end], block, 40 * 1024 * 1024 // len(block), sheet[end:])
    return workbook({SHEET: member})


def sheet_that_is_not_a_worksheet() -> bytes:
    """The workbook lists as its first sheet a part that calls itself a calculation chain
    (which openpyxl never reads, so is not counted), full of elements."""
    block = "".join(f'<c r="A{n}" i="1"/>' for n in range(1, 20_001)).encode()
    head = f'<?xml version="1.0"?><calcChain xmlns="{MAIN}">'.encode()
    member = repeated(SHEET, head, block, 50, b"</calcChain>")
    return workbook({SHEET: member})


# What each must be refused with: a few words of its message.
HOSTILE = {
    "lying-header-bomb": (lying_bomb, "已损坏"),
    "lying-header-size": (lying_size, "已损坏"),
    "dense-sheet": (dense_sheet, "单元格过多"),
    "styled-blanks": (styled_blanks, "单元格过多"),
    "huge-dimension": (huge_dimension, "声明的范围"),
    "far-cell": (far_cell, "行的上限"),
    "bad-checksum": (bad_checksum, "已损坏"),
    "truncated": (truncated, "不是有效的 .xlsx 文件"),
    "truncated-member": (truncated_member, "已损坏"),
    "nested-zip": (nested_zip, "嵌有压缩包"),
    "nested-zip-as-sheet": (nested_zip_as_sheet, "嵌有压缩包"),
    "huge-shared-strings": (huge_shared_strings, "共享字符串表"),
    "many-shared-strings": (many_shared_strings, "共享字符串超过"),
    "many-members": (many_members, "部件过多"),
    "many-member-bomb": (many_member_bomb, "压缩炸弹"),
    "overlapping-members": (overlapping_members, "压缩炸弹"),
    "html": (html_disguised, "网页"),
    "entity-expansion": (entity_expansion, "DTD"),
    "long-text": (long_text, "32,767 个字符"),
    "cells-under-another-root": (cells_under_another_root, "结构异常"),
    "unknown-elements": (unknown_elements, "结构过于复杂"),
    "sheet-that-is-not-a-worksheet": (sheet_that_is_not_a_worksheet, "结构异常"),
}


# Legitimate files that look like some of the above, which must be read as the fixture ---------


def with_calculation_chain() -> bytes:
    """Excel lists every formula cell in xl/calcChain.xml, with <c> elements outside rows."""
    chain = "".join(f'<c r="B{n}" i="1"/>' for n in range(1, 30_001))
    part = f'<?xml version="1.0"?><calcChain xmlns="{MAIN}">{chain}</calcChain>'.encode()
    return workbook(add=[deflated("xl/calcChain.xml", part)])


def with_embedded_workbook() -> bytes:
    """An Excel object embedded in the sheet is itself a zip; it is measured, not opened."""
    embedded = WANGCHENG_SHEET.read_bytes()
    return workbook(add=[deflated("xl/embeddings/Microsoft_Excel_Worksheet.xlsx", embedded)])


def with_wrong_dimension() -> bytes:
    """The sheet declares A1 only (some writers do); every row must still be read."""
    sheet = fixture_sheet().replace(b'<dimension ref="A1:K45" />', b'<dimension ref="A1"/>')
    assert b'"A1"/>' in sheet
    return workbook({SHEET: deflated(SHEET, sheet)})


def without_dimension() -> bytes:
    sheet = fixture_sheet().replace(b'<dimension ref="A1:K45" />', b"")
    return workbook({SHEET: deflated(SHEET, sheet)})


def with_pictures_and_printer_settings() -> bytes:
    rng = random.Random(8)
    picture = b"\x89PNG\r\n\x1a\n" + bytes(rng.getrandbits(8) for _ in range(200_000))
    printer = "HP LaserJet".encode("utf-16-le") + bytes(1000)
    return workbook(
        add=[
            deflated("xl/media/image1.png", picture),
            deflated("xl/printerSettings/printerSettings1.bin", printer),
        ]
    )


def stored() -> bytes:
    """Every member stored without compression (method 0)."""
    members = [
        Member(name, data, len(data), zlib.crc32(data), zipfile.ZIP_STORED)
        for name, data in fixture_parts().items()
    ]
    return zip_bytes(members)


LEGITIMATE = {
    "calculation-chain": with_calculation_chain,
    "embedded-workbook": with_embedded_workbook,
    "wrong-dimension": with_wrong_dimension,
    "no-dimension": without_dimension,
    "pictures-and-printer-settings": with_pictures_and_printer_settings,
    "stored": stored,
}
