"""The limits an uploaded workbook must stay within, and how a file is refused.

The numbers bound what openpyxl would be asked to read (DESIGN.md §8); the container check
(container.py) and the XML scan (xml_scan.py) hold a file against them, and refuse it with
WorkbookRefused and one of the messages below, in Chinese.
"""

import re
from typing import NoReturn

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
