"""What an uploaded evidence file really is, told from its content rather than its name.

Only the first bytes and, for zip-based formats, the zip's central directory (member names)
are read: no member is decompressed. PDF, PNG and JPEG are told by their signature.
.xlsx, .docx and .ofd are all zip files, told apart by their members: an xlsx has
`[Content_Types].xml` and `xl/`, a docx `[Content_Types].xml` and `word/`, an OFD
(GB/T 33190) `OFD.xml` at the root. The `filetype` package finds no OFD and tells xlsx
from docx by scanning local headers, so this small table is written here.
"""

import struct
import zipfile
from typing import BinaryIO

EVIDENCE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".xlsx", ".docx", ".ofd")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
HEAD_BYTES = 2048
# A real document lists tens or hundreds of members; anything far beyond is not one of ours.
MAX_ZIP_MEMBERS = 10_000

PDF, PNG, JPEG, XLSX, DOCX, OFD = "pdf", "png", "jpeg", "xlsx", "docx", "ofd"

# What people call each accepted kind, for messages.
KIND_NAMES = {
    PDF: "PDF 文件",
    PNG: "PNG 图片",
    JPEG: "JPEG 图片",
    XLSX: "Excel 表格",
    DOCX: "Word 文档",
    OFD: "OFD 版式文件",
}
# The kind each accepted extension promises.
EXTENSION_KINDS = {
    ".pdf": PDF,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".xlsx": XLSX,
    ".docx": DOCX,
    ".ofd": OFD,
}

# Signatures at offset 0 of formats we refuse, to say what a refused file looks like.
OTHER_SIGNATURES = (
    (b"MZ", "Windows 程序"),
    (b"\x7fELF", "Linux 程序"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版或加密的 Office 文档（.doc/.xls）"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文档"),
)
HTML_MARKS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<meta")


def _zip_kind(file: BinaryIO) -> str:
    """Tell an xlsx, docx or OFD from another zip by its member names (the directory only)."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                return "异常的压缩包"
            names = {info.filename for info in members}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, struct.error):
        return "损坏的压缩包"
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return DOCX
        if any(name.startswith("xl/") for name in names):
            return XLSX
        if any(name.startswith("ppt/") for name in names):
            return "PowerPoint 演示文稿"
        return "Office 文档"
    if "OFD.xml" in names:
        return OFD
    if "mimetype" in names:
        return "OpenDocument 或 EPUB 文档"
    return "ZIP 压缩包"


def _text_kind(head: bytes) -> str:
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(mark in sample[:1024] for mark in HTML_MARKS):
        return "网页"
    if sample.startswith(b"<?xml") or sample.startswith(b"<svg"):
        return "XML 文本"
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            # The head may cut a character in two; try again without the last 3 bytes.
            try:
                text = head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        if all(ch.isprintable() or ch in "\t\r\n\f" for ch in text):
            return "文本文件"
    return "无法识别的格式"


def sniff(file: BinaryIO) -> str:
    """Return the kind the content shows (a key of KIND_NAMES) or a Chinese description.

    Reads at most HEAD_BYTES and, for a zip, its central directory; leaves the file at 0.
    """
    file.seek(0)
    head = file.read(HEAD_BYTES)
    try:
        if not head:
            return "空文件"
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
            file.seek(0)
            return _zip_kind(file)
        for signature, description in OTHER_SIGNATURES:
            if head.startswith(signature):
                return description
        return _text_kind(head)
    finally:
        file.seek(0)


def disguise_message(name: str, file: BinaryIO) -> str | None:
    """Say why a file whose content is not what its extension promises is refused; else None."""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = EXTENSION_KINDS[extension]
    found = sniff(file)
    if found == expected:
        return None
    if found == "空文件":
        return f"“{name}”是空文件，请上传原始文件。"
    looks = KIND_NAMES.get(found, found)
    space = " " if looks[0].isascii() else ""
    return f"“{name}”不是 {KIND_NAMES[expected]}（内容看起来是{space}{looks}），请上传原始文件。"


def evidence_problem(upload) -> str | None:
    """Why an evidence file is refused (another type, over 10 MB, or content that is not what
    its extension says, such as an .exe or a web page named .pdf); None when it is fine.

    `upload` is an uploaded file (name, size, seek/read); only its first bytes and, for
    .xlsx/.docx/.ofd, its zip directory are read.
    """
    if not upload.name.lower().endswith(EVIDENCE_EXTENSIONS):
        return f"佐证材料只接受 {'、'.join(EVIDENCE_EXTENSIONS)} 文件"
    if upload.size > MAX_EVIDENCE_BYTES:
        return f"佐证材料 {upload.size / 1024 / 1024:.1f} MB，超过 10 MB 的上限"
    return disguise_message(upload.name, upload)
