"""Evidence files are checked by content: the signature must match the extension.

Real minimal files of each accepted type pass; disguised ones (a program or a web page
named .pdf, an xlsx named .docx, text named .png, an empty file) are refused with a
message naming the file and what it really looks like, through the real page and at
the function level, and a refused upload stores nothing.
"""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators import evidence_files
from indicators.evidence_files import EVIDENCE_EXTENSIONS
from indicators.forms import check_evidence_file
from indicators.models import Actual, Comment, Evidence, Role
from tests.factories import make_user

PAGE = "/report/wangcheng-2021-2023/2021/"
HIGH_TECH = 26  # 高新技术企业, lead 区科技局, responsible 区工信局
PREFIX = f"indicator-{HIGH_TECH}"


# Real minimal files, made here


def minimal_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def minimal_png() -> bytes:
    """A valid 1×1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def minimal_jpeg() -> bytes:
    """A 1×1 JPEG from Pillow when installed, else a JFIF header and end marker."""
    try:
        from PIL import Image
    except ImportError:
        jfif = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(jfif) + 2) + jfif + b"\xff\xd9"
    out = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(out, "JPEG")
    return out.getvalue()


def minimal_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "高新技术企业"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zipped(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return out.getvalue()


def minimal_docx() -> bytes:
    return zipped(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                'package/2006/content-types"><Override PartName="/word/document.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.'
                'wordprocessingml.document.main+xml"/></Types>'
            ),
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document/>",
        }
    )


def minimal_ofd() -> bytes:
    return zipped(
        {
            "OFD.xml": (
                '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd='
                '"http://www.ofdspec.org/2016" Version="1.0"><ofd:DocBody>'
                "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
            ),
            "Doc_0/Document.xml": "<ofd:Document/>",
        }
    )


ACCEPTED = [
    ("统计快报.pdf", minimal_pdf),
    ("现场照片.png", minimal_png),
    ("现场照片.jpg", minimal_jpeg),
    ("现场照片.JPEG", minimal_jpeg),
    ("企业名单.xlsx", minimal_xlsx),
    ("情况说明.docx", minimal_docx),
    ("电子公文.ofd", minimal_ofd),
]
ACCEPTED_IDS = ["pdf", "png", "jpg", "JPEG", "xlsx", "docx", "ofd"]

HTML = '<!DOCTYPE html>\n<html lang="zh"><head><title>登录</title></head></html>'.encode()
# (file name, content, the message that must be shown)
DISGUISED = [
    (
        "报告.pdf",
        lambda: b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
        "“报告.pdf”不是 PDF 文件（内容看起来是 Windows 程序），请上传原始文件。",
    ),
    (
        "报告.pdf",
        lambda: HTML,
        "“报告.pdf”不是 PDF 文件（内容看起来是网页），请上传原始文件。",
    ),
    (
        "情况说明.docx",
        minimal_xlsx,
        "“情况说明.docx”不是 Word 文档（内容看起来是 Excel 表格），请上传原始文件。",
    ),
    (
        "企业名单.xlsx",
        minimal_docx,
        "“企业名单.xlsx”不是 Excel 表格（内容看起来是 Word 文档），请上传原始文件。",
    ),
    (
        "照片.png",
        lambda: "这是一段文字，不是图片。\n".encode(),
        "“照片.png”不是 PNG 图片（内容看起来是文本文件），请上传原始文件。",
    ),
    (
        "电子公文.ofd",
        lambda: zipped({"readme.txt": "x"}),
        "“电子公文.ofd”不是 OFD 版式文件（内容看起来是 ZIP 压缩包），请上传原始文件。",
    ),
    (
        "照片.jpg",
        minimal_png,
        "“照片.jpg”不是 JPEG 图片（内容看起来是 PNG 图片），请上传原始文件。",
    ),
    (
        "报告.pdf",
        lambda: b"PK\x03\x04 not really a zip",
        "“报告.pdf”不是 PDF 文件（内容看起来是损坏的压缩包），请上传原始文件。",
    ),
]

DISGUISED_IDS = [
    "exe-as-pdf",
    "html-as-pdf",
    "xlsx-as-docx",
    "docx-as-xlsx",
    "text-as-png",
    "zip-as-ofd",
    "png-as-jpg",
    "broken-zip-as-pdf",
]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


# Function level


def test_every_accepted_extension_promises_a_kind():
    assert set(EVIDENCE_EXTENSIONS) == set(evidence_files.EXTENSION_KINDS)


@pytest.mark.parametrize(("name", "make"), ACCEPTED, ids=ACCEPTED_IDS)
def test_real_files_pass_and_are_left_at_their_start(name, make):
    file = upload(name, make())
    check_evidence_file(file)
    assert file.tell() == 0


@pytest.mark.parametrize(("name", "make", "message"), DISGUISED, ids=DISGUISED_IDS)
def test_disguised_files_are_refused_saying_what_they_are(name, make, message):
    with pytest.raises(forms.ValidationError) as refused:
        check_evidence_file(upload(name, make()))
    assert refused.value.messages == [message]


def test_an_empty_file_is_refused():
    with pytest.raises(forms.ValidationError) as refused:
        check_evidence_file(upload("报告.pdf", b""))
    assert refused.value.messages == ["“报告.pdf”是空文件，请上传原始文件。"]


def test_an_unknown_extension_is_still_refused_by_name():
    with pytest.raises(forms.ValidationError, match=r"佐证材料只接受 \.pdf"):
        check_evidence_file(upload("run.exe", b"MZ"))


def test_only_the_zip_directory_is_read_not_its_members():
    """A member that would inflate to 50 MB is never decompressed: the check stays quick."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (50 * 1024 * 1024))
    content = out.getvalue()
    assert len(content) < 1024 * 1024

    class CountingFile(io.BytesIO):
        read_bytes = 0

        def read(self, size=-1):
            chunk = super().read(size)
            CountingFile.read_bytes += len(chunk)
            return chunk

    assert evidence_files.sniff(CountingFile(content)) == evidence_files.XLSX
    assert CountingFile.read_bytes < 8 * 1024


# Through the pages


def form_data(action: str = "draft", **fields) -> dict:
    data = {"action": action, f"{PREFIX}-kind": "preliminary", f"{PREFIX}-version": "0"}
    data.update({f"{PREFIX}-{name}": value for name, value in fields.items()})
    return data


@pytest.fixture
def kjj(wangcheng):
    """A 填报员 of 区科技局, which leads indicator 26."""
    return make_user("kjj", Role.STAFF, department="区科技局")


@pytest.mark.parametrize(("name", "make"), ACCEPTED, ids=ACCEPTED_IDS)
def test_report_page_keeps_real_files_byte_for_byte(client, kjj, media, name, make):
    content = make()
    client.force_login(kjj)
    data = form_data(value="260", evidence=upload(name, content))
    response = client.post(f"{PAGE}{HIGH_TECH}/", data)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == name
    assert [path.read_bytes() for path in stored_files(media)] == [content]


def test_report_page_keeps_a_file_spooled_to_disk_whole(client, kjj, media, settings):
    """Above FILE_UPLOAD_MAX_MEMORY_SIZE Django keeps the upload in a temporary file."""
    content = minimal_pdf() + b"%" + b"0" * (settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 1) + b"\n"
    client.force_login(kjj)
    data = form_data(value="260", evidence=upload("年报.pdf", content))
    assert client.post(f"{PAGE}{HIGH_TECH}/", data).status_code == 302
    assert [path.read_bytes() for path in stored_files(media)] == [content]


@pytest.mark.parametrize(("name", "make", "message"), DISGUISED, ids=DISGUISED_IDS)
def test_report_page_refuses_disguised_files_and_stores_nothing(
    client, kjj, media, name, make, message
):
    client.force_login(kjj)
    data = form_data(value="260", evidence=upload(name, make()))
    response = client.post(f"{PAGE}{HIGH_TECH}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists() and not Actual.objects.exists()
    assert stored_files(media) == []


def test_report_page_refuses_an_empty_file(client, kjj, media):
    client.force_login(kjj)
    data = form_data(value="260", evidence=upload("报告.pdf", b""))
    response = client.post(f"{PAGE}{HIGH_TECH}/", data)
    assert response.status_code == 400
    assert not Evidence.objects.exists() and not Actual.objects.exists()
    assert stored_files(media) == []


def test_a_remark_with_a_disguised_file_stores_nothing(client, wangcheng, media):
    client.force_login(make_user("gxj", Role.STAFF, department="区工信局"))
    response = client.post(
        f"{PAGE}{HIGH_TECH}/comment/",
        {f"{PREFIX}-text": "附统计快报", f"{PREFIX}-evidence": upload("快报.pdf", HTML)},
        follow=True,
    )
    assert "“快报.pdf”不是 PDF 文件（内容看起来是网页），请上传原始文件。" in (
        response.content.decode()
    )
    assert not Comment.objects.exists() and not Evidence.objects.exists()
    assert stored_files(media) == []


def test_a_remark_with_a_real_file_keeps_it(client, wangcheng, media):
    client.force_login(make_user("gxj", Role.STAFF, department="区工信局"))
    content = minimal_ofd()
    client.post(
        f"{PAGE}{HIGH_TECH}/comment/",
        {f"{PREFIX}-text": "附电子公文", f"{PREFIX}-evidence": upload("公文.ofd", content)},
    )
    assert Evidence.objects.get().file.read() == content


@pytest.mark.parametrize(("name", "make", "message"), DISGUISED, ids=DISGUISED_IDS)
def test_the_service_refuses_disguised_files_on_every_path(kjj, media, name, make, message):
    from indicators.actuals import evidence_add
    from indicators.models import Indicator
    from indicators.reporting.workflow import WorkflowError

    indicator = Indicator.objects.get(plan__slug="wangcheng-2021-2023", number=26)
    with pytest.raises(WorkflowError, match=r"请上传原始文件|只接受"):
        evidence_add(indicator=indicator, year=2021, user=kjj, upload=upload(name, make()))
    assert not Evidence.objects.exists()
