"""The 管理员's Excel route: download every figure, correct, upload; all or nothing, every
bad cell named by sheet, row and column."""

import io
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from parks.excel import COLUMNS
from parks.models import PublishedFigure

HEADERS = [label for _, label in COLUMNS]


def _book(client) -> openpyxl.Workbook:
    response = client.get("/parks/figures.xlsx")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _upload(client, book: openpyxl.Workbook, name: str = "公开报道数据.xlsx"):
    output = io.BytesIO()
    book.save(output)
    file = SimpleUploadedFile(name, output.getvalue())
    return client.post("/parks/upload/", {"file": file})


def _row_of(sheet, key: str) -> int:
    column = HEADERS.index("编号") + 1
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, column).value == key)


def _set(sheet, row: int, header: str, value) -> None:
    sheet.cell(row, HEADERS.index(header) + 1).value = value


def test_the_downloaded_file_goes_back_unchanged(client, office, published):
    client.force_login(office)
    book = _book(client)
    assert book["公开报道数据"].max_row == 129
    history = PublishedFigure.history.count()
    response = _upload(client, book)
    assert response.status_code == 302
    assert PublishedFigure.history.count() == history
    follow = client.get(response["Location"])
    assert "已导入：新增 0 条，修改 0 条，128 条未变。" in follow.content.decode()


def test_a_correction_and_a_new_row_are_saved_with_history(client, office, published):
    client.force_login(office)
    book = _book(client)
    sheet = book["公开报道数据"]
    row = _row_of(sheet, "yz-above-scale")
    _set(sheet, row, "说明", "规上企业数以统计公报为准。")
    new = [None] * len(HEADERS)
    for header, value in {
        "文档编号": "003_32114bcb5331f121",
        "编号": "yz-new",
        "主体": "永州经开区",
        "主体类型": "园区",
        "指标": "规模以上工业企业",
        "类别": "实绩",
        "对比主题": "企业",
        "时期": "2026年",
        "参照年份": 2026,
        "数值": "１３０",
        "单位": "家",
        "原文": "园区规模以上工业企业130家",
    }.items():
        new[HEADERS.index(header)] = value
    sheet.append(new)
    response = _upload(client, book)
    assert response.status_code == 302
    corrected = PublishedFigure.objects.get(key="yz-above-scale")
    assert corrected.note == "规上企业数以统计公报为准。"
    assert corrected.history.first().history_change_reason == "Excel 导入 公开报道数据.xlsx"
    added = PublishedFigure.objects.get(key="yz-new")
    assert added.value == Decimal("130") and added.kind == "result" and added.topic == "enterprises"
    assert added.history.get().history_user == office


def test_a_file_with_bad_cells_is_refused_whole_and_every_cell_is_named(client, office, published):
    client.force_login(office)
    book = _book(client)
    sheet = book["公开报道数据"]
    first = _row_of(sheet, "yz-hightech")
    _set(sheet, first, "数值", "待定")
    second = _row_of(sheet, "yz-srdi")
    _set(sheet, second, "类别", "估计")
    _set(sheet, second, "文档编号", "")
    third = _row_of(sheet, "yz-rank-2024")
    _set(sheet, third, "原文写法", "一百五十二")
    fine = _row_of(sheet, "yz-signed")
    _set(sheet, fine, "说明", "这一行没有错，但文件有错时也不保存")
    response = _upload(client, book)
    assert response.status_code == 400
    issues = response.context["issues"]
    assert f"公开报道数据 第{first}行「数值」：“待定”不是数字" in issues
    assert len([i for i in issues if i.startswith(f"公开报道数据 第{first}行")]) == 1
    assert any(
        i.startswith(f"公开报道数据 第{second}行「类别」：“估计”不是可选的值") for i in issues
    )
    assert f"公开报道数据 第{second}行「文档编号」：必须注明来源文档" in issues
    assert any(
        i.startswith(f"公开报道数据 第{third}行「原文写法」：原文中找不到“一百五十二”")
        for i in issues
    )
    assert "未导入任何数据" in response.content.decode()
    assert PublishedFigure.objects.get(key="yz-signed").note == ""
    assert PublishedFigure.objects.get(key="yz-rank-2024").stated_as == "152"


def test_a_repeated_key_is_named(client, office, published):
    client.force_login(office)
    book = _book(client)
    sheet = book["公开报道数据"]
    row = _row_of(sheet, "yz-hightech")
    sheet.append([cell.value for cell in sheet[row]])
    response = _upload(client, book)
    assert response.status_code == 400
    assert (
        f"公开报道数据 第{sheet.max_row}行「编号」：编号“yz-hightech”与第{row}行重复"
        in response.context["issues"]
    )


def test_a_file_that_is_not_xlsx_is_refused_before_reading(client, office, published):
    client.force_login(office)
    file = SimpleUploadedFile("公开报道.xls", b"\xd0\xcf\x11\xe0")
    response = client.post("/parks/upload/", {"file": file})
    assert response.status_code == 400
    assert "另存为”.xlsx" in response.content.decode()


def test_a_sheet_without_the_header_is_refused(client, office, published):
    client.force_login(office)
    book = openpyxl.Workbook()
    book.active.append(["序号", "名称"])
    book.active.append([1, "望城"])
    response = _upload(client, book)
    assert response.status_code == 400
    assert any("找不到表头" in issue for issue in response.context["issues"])
