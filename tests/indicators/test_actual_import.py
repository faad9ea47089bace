"""Reporting actuals through Excel: the template, the upload page, the service and the command."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from indicators.actual_import import actuals_upload
from indicators.importers.workbook import SheetInvalid, WorkbookRefused
from indicators.models import Actual, ActualState, Indicator, Role
from tests.factories import make_user
from tests.indicators.sheets import workbook_bytes

SLUG = "wangcheng-2021-2023"
TEMPLATE_URL = f"/report/{SLUG}/2021/template.xlsx"
UPLOAD_URL = f"/report/{SLUG}/2021/upload/"
REPORT_URL = f"/report/{SLUG}/2021/"
SHEET = "2021年实际值填报"
# The 区科技局 leads indicators 26–29 of the Wangcheng plan; the template lists them on rows 3–6.
SCIENCE_ROWS = {26: 3, 27: 4, 28: 5, 29: 6}
EXPLANATION_HEADER = "说明（未达目标或变动超过50%时必填：原因分析及整改措施）"


def download(client, url: str = TEMPLATE_URL) -> openpyxl.Workbook:
    response = client.get(url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(content))


def filled(workbook: openpyxl.Workbook, values: dict[int, tuple]) -> bytes:
    """Return the template with {序号: (实际值, 说明)} typed into the row of each 序号."""
    sheet = workbook.worksheets[0]
    rows = {sheet.cell(row, 1).value: row for row in range(3, sheet.max_row + 1)}
    for number, (value, explanation) in values.items():
        sheet.cell(rows[number], 6).value = value
        sheet.cell(rows[number], 7).value = explanation
    return workbook_bytes(workbook)


def post(client, content: bytes, mode: str = "draft", url: str = UPLOAD_URL, name="填报.xlsx"):
    return client.post(url, {"file": SimpleUploadedFile(name, content), "mode": mode})


def actual(number: int, year: int = 2021, slug: str = SLUG) -> Actual:
    return Actual.objects.get(indicator__plan__slug=slug, indicator__number=number, year=year)


def snapshot() -> tuple:
    """Every reported figure and the length of its history: a refused file changes neither."""
    rows = list(
        Actual.objects.order_by("pk").values_list(
            "pk", "indicator_id", "year", "value", "text_status", "state", "version",
            "explanation", "approved_value",
        )
    )  # fmt: skip
    return rows, Actual.history.count()


def issues_of(response) -> list[str]:
    # A refused file answers 400, as every upload and form of the reporting kernel does.
    assert response.status_code == 400
    return list(response.context["issues"])


def custom_sheet(header: list[str], rows: list[list], title: str = "表1") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return workbook_bytes(workbook)


# ---------------------------------------------------------------- the template


def test_staff_template_lists_their_departments_indicators_with_targets_and_base(
    client, staff_user, wangcheng
):
    client.force_login(staff_user)
    response = client.get(TEMPLATE_URL)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = download(client)
    assert workbook.sheetnames == [SHEET]
    sheet = workbook[SHEET]
    assert sheet["A1"].value == "望城区三年行动计划（2021-2023年）：2021年实际值填报（区科技局）"
    assert [c.value for c in sheet[2]] == [
        "序号",
        "指标名称",
        "单位",
        "2021年目标值",
        "2020年基期值",
        "2021年实际值",
        EXPLANATION_HEADER,
    ]
    table = [[c.value for c in sheet[row]][:6] for row in range(3, 7)]
    assert table == [
        [26, "高新技术企业", "家", 250, 199, None],
        [27, "全社会研发经费投入占GDP比重", "%", 3, None, None],
        [28, "智能制造关键装备、核心部件与工业软件首版次攻关数", "家", 1, 0, None],
        [29, "国家技术创新中心", "家", 0, 0, None],
    ]
    assert sheet["A8"].value.startswith("注：1. 实际值按“单位”列的单位填写数字")
    assert sheet["B2"].font.b and sheet["F2"].font.b
    assert sheet["D3"].fill.fgColor.rgb == "00EEEEEE" and sheet["E6"].fill.fgColor.rgb == "00EEEEEE"
    assert sheet["F3"].fill.fgColor.rgb != "00EEEEEE"
    assert sheet.column_dimensions["B"].width == 42
    assert sheet["D3"].number_format == "#,##0"


def test_admin_template_lists_all_42_with_last_years_approved_actual(client, admin_user, wangcheng):
    indicator = Indicator.objects.get(plan=wangcheng, number=1)
    Actual.objects.create(
        indicator=indicator,
        year=2021,
        value=Decimal("1123.45"),
        state=ActualState.APPROVED,
        approved_value=Decimal("1123.45"),
        approved_kind="preliminary",
        approved_at=timezone.now(),
    )
    client.force_login(admin_user)
    sheet = download(client, f"/report/{SLUG}/2022/template.xlsx")["2022年实际值填报"]
    assert sheet["A1"].value == "望城区三年行动计划（2021-2023年）：2022年实际值填报（全部指标）"
    assert [c.value for c in sheet[2]][3:6] == ["2022年目标值", "2021年实际值", "2022年实际值"]
    assert [sheet.cell(row, 1).value for row in range(3, 45)] == list(range(1, 43))
    assert [c.value for c in sheet[3]][:5] == [1, "工业总产值", "亿元", 1400, 1123.45]
    assert sheet["E3"].number_format == "#,##0.00"
    assert Decimal(str(sheet["E3"].value)) == Decimal("1123.45")
    # 27: 3.05% in 2022, shown with its own two decimals; no approved 2021 figure yet.
    assert [c.value for c in sheet[29]][:5] == [
        27,
        "全社会研发经费投入占GDP比重",
        "%",
        3.05,
        None,
    ]
    assert sheet["D29"].number_format == "#,##0.00"


def test_template_figures_are_written_as_exact_decimal_text(client, admin_user, hitech):
    client.force_login(admin_user)
    response = client.get("/report/changsha-hitech-2021-2025/2021/template.xlsx")
    archive = __import__("zipfile").ZipFile(io.BytesIO(response.content))
    xml = archive.read("xl/worksheets/sheet1.xml").decode()
    # 企业总收入 2021: 3162.23 亿元 derived, base 2820: no float noise such as 3162.2299999.
    assert '<c r="D3" s="' in xml and "<v>3162.23</v>" in xml and "<v>2820</v>" in xml


def test_text_targets_show_the_text_and_offer_done_or_not_done(client, admin_user, hitech):
    client.force_login(admin_user)
    sheet = download(client, "/report/changsha-hitech-2021-2025/2025/template.xlsx")[
        "2025年实际值填报"
    ]
    assert sheet["E2"].value == "2024年实际值"
    assert [c.value for c in sheet[24]][:4] == [
        22,
        "单位工业增加值能耗降幅",
        "%",
        "完成市里下达任务",
    ]
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].formula1 == '"已完成,未完成"'
    assert str(validations[0].sqref) == "F24 F25"


def test_text_that_looks_like_a_formula_is_written_as_text(client, admin_user, wangcheng):
    Indicator.objects.filter(plan=wangcheng, number=1).update(name="=HYPERLINK(1)")
    Indicator.objects.filter(plan=wangcheng, number=2).update(unit="@亿元")
    client.force_login(admin_user)
    response = client.get(TEMPLATE_URL)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))[SHEET]
    assert sheet["B3"].value == "=HYPERLINK(1)" and sheet["B3"].data_type == "s"
    assert sheet["B3"].quotePrefix
    assert sheet["C4"].value == "@亿元" and sheet["C4"].data_type == "s"
    assert (
        "<f>"
        not in __import__("zipfile")
        .ZipFile(io.BytesIO(response.content))
        .read("xl/worksheets/sheet1.xml")
        .decode()
    )


def test_template_costs_a_fixed_number_of_queries(
    client, admin_user, wangcheng, django_assert_max_num_queries
):
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        assert client.get(TEMPLATE_URL).status_code == 200


@pytest.mark.parametrize("url", [TEMPLATE_URL, UPLOAD_URL])
def test_login_is_required(client, wangcheng, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("url", [TEMPLATE_URL, UPLOAD_URL])
def test_a_leader_gets_403(client, leader_user, wangcheng, url):
    client.force_login(leader_user)
    assert client.get(url).status_code == 403


def test_staff_of_a_department_leading_nothing_gets_403(client, wangcheng):
    client.force_login(make_user("clerk", Role.STAFF, department="区教育局"))
    assert client.get(TEMPLATE_URL).status_code == 403
    assert client.get(UPLOAD_URL).status_code == 403


def test_a_year_outside_the_plan_is_404(client, admin_user, wangcheng):
    client.force_login(admin_user)
    assert client.get(f"/report/{SLUG}/2024/template.xlsx").status_code == 404
    assert client.get(f"/report/{SLUG}/2020/upload/").status_code == 404


def test_upload_form_offers_approval_to_the_office_only(client, staff_user, admin_user, wangcheng):
    client.force_login(staff_user)
    html = client.get(UPLOAD_URL).content.decode()
    assert "保存为草稿" in html and "提交审核" in html and "直接审核通过" not in html
    assert f'href="{TEMPLATE_URL}"' in html
    client.force_login(admin_user)
    assert "直接审核通过" in client.get(UPLOAD_URL).content.decode()


# ---------------------------------------------------------------- uploading


def test_round_trip_saves_drafts_with_exact_decimals(client, staff_user, wangcheng):
    client.force_login(staff_user)
    content = filled(
        download(client), {26: (260, ""), 27: ("3.12", ""), 28: (1, None), 29: (0, None)}
    )
    response = post(client, content)
    assert response.status_code == 302
    assert response.url == REPORT_URL
    figures = {n: (actual(n).value, actual(n).state, actual(n).kind) for n in SCIENCE_ROWS}
    assert figures == {
        26: (Decimal("260"), "draft", "preliminary"),
        27: (Decimal("3.12"), "draft", "preliminary"),
        28: (Decimal("1"), "draft", "preliminary"),
        29: (Decimal("0"), "draft", "preliminary"),
    }
    assert actual(26).entered_by == staff_user and actual(26).version == 1
    assert actual(26).history.first().history_change_reason == "Excel 导入 填报.xlsx：保存草稿"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "已导入 2021 年实际值 4 项（序号 26、27、28、29）。",
        "4 项已保存为草稿，核对后请提交审核。",
    ]


def test_blank_rows_are_skipped_and_a_draft_may_lack_the_explanation(client, staff_user, wangcheng):
    client.force_login(staff_user)
    response = post(client, filled(download(client), {26: (240, None)}))
    assert response.status_code == 302
    assert actual(26).value == Decimal("240") and actual(26).state == "draft"
    assert not Actual.objects.filter(indicator__number__in=[27, 28, 29], year=2021).exists()


def test_submit_mode_submits_with_the_explanation(client, staff_user, wangcheng):
    client.force_login(staff_user)
    content = filled(
        download(client), {26: (240, "受疫情影响认定延后；下半年集中辅导申报"), 28: (1, "")}
    )
    response = post(client, content, mode="submit")
    assert response.status_code == 302
    submitted = actual(26)
    assert submitted.state == ActualState.SUBMITTED
    assert submitted.value == Decimal("240") and submitted.submitted_by == staff_user
    assert submitted.explanation == "受疫情影响认定延后；下半年集中辅导申报"
    assert submitted.measures == ""
    assert actual(28).state == ActualState.SUBMITTED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[1] == "2 项已提交审核。"


def test_upload_overwrites_the_working_copy_whatever_its_version(client, staff_user, wangcheng):
    client.force_login(staff_user)
    post(client, filled(download(client), {26: (240, None)}))
    response = post(client, filled(download(client), {26: (255, None)}), mode="submit")
    assert response.status_code == 302
    assert actual(26).value == Decimal("255") and actual(26).version == 2


def test_admin_approves_on_upload(client, admin_user, wangcheng):
    client.force_login(admin_user)
    content = filled(download(client), {1: ("1,１２０.５亿元", ""), 26: ("２６０", "")})
    response = post(client, content, mode="approve")
    assert response.status_code == 302
    approved = actual(1)
    assert approved.state == ActualState.APPROVED
    assert approved.value == approved.approved_value == Decimal("1120.5")
    assert approved.reviewed_by == admin_user and approved.approved_kind == "preliminary"
    assert actual(26).approved_value == Decimal("260")
    reasons = [h.history_change_reason for h in approved.history.order_by("history_id")]
    assert reasons == ["Excel 导入 填报.xlsx：提交审核", "Excel 导入 填报.xlsx：直接审核通过"]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["已导入 2021 年实际值 2 项（序号 1、26）。", "2 项已审核通过。"]


def test_staff_asking_to_approve_is_refused(client, staff_user, wangcheng):
    client.force_login(staff_user)
    content = filled(download(client), {26: (260, "")})
    before = snapshot()
    response = post(client, content, mode="approve")
    assert response.status_code == 403
    assert snapshot() == before
    with pytest.raises(PermissionDenied) as refused:
        actuals_upload(
            plan=wangcheng, file_name="x.xlsx", content=b"", user=staff_user, mode="approve"
        )
    assert str(refused.value) == (
        "只有规划办管理员可以在导入时直接审核通过，请选择“保存为草稿”或“提交审核”。"
    )


def test_a_row_of_another_departments_indicator_refuses_the_whole_file(
    client, staff_user, wangcheng
):
    client.force_login(staff_user)
    workbook = download(client)
    sheet = workbook[SHEET]
    sheet["A7"], sheet["B7"], sheet["F7"] = 11, "税收过亿元企业", 9
    before = snapshot()
    response = post(client, filled(workbook, {26: (260, ""), 27: ("3.2", "")}))
    assert issues_of(response) == [
        f"{SHEET} 第7行「序号」：指标 11“税收过亿元企业”的牵头单位是区财政局，"
        "您所在的区科技局不能填报"
    ]
    assert snapshot() == before


def test_below_target_without_explanation_names_the_row_and_说明(client, staff_user, wangcheng):
    client.force_login(staff_user)
    before = snapshot()
    response = post(client, filled(download(client), {26: (240, ""), 28: (1, "")}), "submit")
    assert issues_of(response) == [
        f"{SHEET} 第3行「说明」：未达到目标值 250 家，请在说明中写明原因分析和整改措施"
    ]
    assert "文件中有 1 处错误，未导入任何数据" in response.content.decode()
    assert snapshot() == before


def test_a_jump_over_half_needs_an_explanation(client, staff_user, wangcheng):
    client.force_login(staff_user)
    before = snapshot()
    response = post(client, filled(download(client), {26: (300, None)}), "submit")
    assert issues_of(response) == [
        f"{SHEET} 第3行「说明」：与2020年基期值 199 家 相比变动 51%，超过 50%："
        "请核实数值；数值无误的，请在说明中写明原因"
    ]
    assert snapshot() == before
    response = post(client, filled(download(client), {26: (300, "新认定企业集中")}), "submit")
    assert response.status_code == 302
    assert actual(26).value == Decimal("300") and actual(26).state == "submitted"


def test_every_bad_cell_is_listed_at_once(client, admin_user, wangcheng):
    client.force_login(admin_user)
    workbook = download(client)
    workbook[SHEET]["B7"] = "规模工业企业"  # row 7 is indicator 5
    content = filled(
        workbook,
        {
            1: ("120万元", ""),
            3: ("395.5", ""),
            4: ("120", ""),
            5: (260, ""),
            26: ("待定", ""),
            27: ("已完成", ""),
        },
    )
    before = snapshot()
    assert issues_of(post(client, content)) == [
        f"{SHEET} 第3行「2021年实际值」：单位应为“亿元”，不能填写“万元”：请换算为亿元后填写数字",
        f"{SHEET} 第5行「2021年实际值」：395.5 家：家数应为不小于 0 的整数",
        f"{SHEET} 第6行「2021年实际值」：120%：占比应在 0 到 100 之间",
        f"{SHEET} 第7行「指标名称」：“规模工业企业”与序号 5 的指标“智能终端产业产值”不符",
        f"{SHEET} 第28行「2021年实际值」：“待定”不是数字",
        f"{SHEET} 第29行「2021年实际值」：该指标需填写数字，不需选择完成情况",
    ]
    assert snapshot() == before


def test_text_targets_take_done_or_not_done(client, admin_user, hitech):
    client.force_login(admin_user)
    url = "/report/changsha-hitech-2021-2025/2025/"
    workbook = download(client, url + "template.xlsx")
    content = filled(workbook, {22: ("已完成", ""), 23: ("未完成", "")})
    assert issues_of(post(client, content, "submit", url + "upload/")) == [
        "2025年实际值填报 第25行「说明」：未完成目标，请在说明中写明原因分析和整改措施"
    ]
    content = filled(workbook, {22: ("已完成", ""), 23: ("未完成", "管网改造未完工；明年完成")})
    assert post(client, content, "submit", url + "upload/").status_code == 302
    assert actual(22, 2025, "changsha-hitech-2021-2025").text_status == "done"
    assert actual(23, 2025, "changsha-hitech-2021-2025").text_status == "not_done"
    assert actual(23, 2025, "changsha-hitech-2021-2025").value is None


def test_a_template_for_another_year_is_refused(client, staff_user, wangcheng):
    client.force_login(staff_user)
    content = filled(download(client), {26: (260, "")})
    response = post(client, content, url=f"/report/{SLUG}/2022/upload/")
    assert issues_of(response) == [
        f"{SHEET} 第2行「2021年实际值」：表头为 2021 年实际值，与所选的 2022 年不符："
        "请核对文件，或改为填报 2021 年"
    ]


def test_a_file_that_is_not_xlsx_or_has_no_figures_is_refused(client, staff_user, wangcheng):
    client.force_login(staff_user)
    response = post(client, b"a,b", name="填报.csv")
    assert response.context["form"].errors["file"] == [
        "只接受 Excel .xlsx 文件，请另存为 .xlsx 后再上传。"
    ]
    response = post(client, workbook_bytes(download(client)))
    assert response.context["form"].errors["file"] == [
        f"工作表「{SHEET}」中没有填写任何实际值（「2021年实际值」列全部为空），未导入任何数据。"
    ]


# ---------------------------------------------------------------- other sheets


def test_any_sheet_with_序号_and_实际值_is_read_with_the_chosen_year(staff_user, wangcheng):
    content = custom_sheet(
        ["序号", "指标名称", "实际值", "情况说明", "数据类型"],
        [
            [26, "高新技术企业", "260家", None, "年报"],
            [27, None, " 3.15 % ", None, None],
            ["注：数据来源于科技局台账", None, None, None, None],
            [28, None, 5, None, None],
        ],
    )
    summary = actuals_upload(
        plan=wangcheng, file_name="科技局.xlsx", content=content, user=staff_user,
        mode="submit", year=2021,
    )  # fmt: skip
    assert summary.numbers == (26, 27) and summary.submitted == 2
    assert (actual(26).value, actual(26).kind) == (Decimal("260"), "final")
    assert actual(27).value == Decimal("3.15")
    assert not Actual.objects.filter(indicator__number=28, year=2021).exists()


def test_a_sheet_without_序号_matches_by_exact_name(staff_user, wangcheng):
    content = custom_sheet(["指标名称", "2021年实际值"], [["高新技术企业", 251], ["高新企业", 3]])
    with pytest.raises(SheetInvalid) as refused:
        actuals_upload(
            plan=wangcheng, file_name="a.xlsx", content=content, user=staff_user, mode="draft"
        )
    assert [str(i) for i in refused.value.issues] == [
        "表1 第3行「指标名称」：本规划没有名为“高新企业”的指标"
    ]
    assert not Actual.objects.filter(year=2021).exists()
    content = custom_sheet(["指标名称", "2021年实际值"], [["高新技术企业", 251]])
    actuals_upload(
        plan=wangcheng, file_name="a.xlsx", content=content, user=staff_user, mode="draft"
    )
    assert actual(26).value == Decimal("251")


def test_a_plain_实际值_header_needs_the_year(staff_user, wangcheng):
    content = custom_sheet(["序号", "实际值"], [[26, 260]])
    with pytest.raises(SheetInvalid) as refused:
        actuals_upload(
            plan=wangcheng, file_name="a.xlsx", content=content, user=staff_user, mode="draft"
        )
    assert [str(i) for i in refused.value.issues] == [
        "表1 第1行「实际值」：表头「实际值」没有注明年份：请选择填报年份（命令行加 --year），"
        "或把表头改为如「2023年实际值」"
    ]


def test_a_workbook_without_the_table_is_refused(staff_user, wangcheng):
    content = custom_sheet(["序号", "指标名称", "2021年目标值"], [[26, "高新技术企业", 250]])
    with pytest.raises(WorkbookRefused) as refused:
        actuals_upload(
            plan=wangcheng, file_name="a.xlsx", content=content, user=staff_user, mode="draft"
        )
    assert str(refused.value) == (
        "未找到实际值填报表：没有一个工作表的表头同时包含「序号」（或「指标名称」）和「实际值」列。"
        "请使用下载的填报模板。"
    )


# ---------------------------------------------------------------- the command


def write_template(client, user, tmp_path, values, url=TEMPLATE_URL):
    client.force_login(user)
    path = tmp_path / "填报.xlsx"
    path.write_bytes(filled(download(client, url), values))
    return path


def test_command_submits(client, staff_user, wangcheng, tmp_path, capsys):
    path = write_template(client, staff_user, tmp_path, {26: (260, ""), 27: ("3.1", "")})
    call_command("import_actuals", str(path), "--plan", SLUG, "--user", "staff1", "--submit")
    assert capsys.readouterr().out.splitlines() == [
        "已导入 2021 年实际值 2 项（序号 26、27）。",
        "2 项已提交审核。",
        "导入完成。",
    ]
    assert (actual(26).value, actual(26).state) == (Decimal("260"), "submitted")
    assert actual(27).value == Decimal("3.1")


def test_command_approves_for_the_office(client, admin_user, wangcheng, tmp_path, capsys):
    path = write_template(client, admin_user, tmp_path, {1: (1150, ""), 3: ("400", "")})
    call_command(
        "import_actuals", str(path), "--plan", SLUG, "--user", "office", "--year", "2021",
        "--approve",
    )  # fmt: skip
    assert "2 项已审核通过。" in capsys.readouterr().out
    assert (actual(1).approved_value, actual(1).state) == (Decimal("1150"), "approved")
    assert actual(3).approved_value == Decimal("400")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--user", "staff1", "--approve"],
            "只有规划办管理员可以在导入时直接审核通过，请选择“保存为草稿”或“提交审核”。",
        ),
        (["--user", "leader1"], "只有指标牵头单位的填报员或规划办管理员可以导入实际值。"),
        (["--user", "nobody"], "用户“nobody”不存在。"),
        (
            ["--user", "staff1", "--year", "2022", "--submit"],
            "文件中有 1 处错误，未导入任何数据：\n"
            f"{SHEET} 第2行「2021年实际值」：表头为 2021 年实际值，与所选的 2022 年不符："
            "请核对文件，或改为填报 2021 年",
        ),
        (
            ["--user", "staff1", "--submit"],
            "文件中有 1 处错误，未导入任何数据：\n"
            f"{SHEET} 第7行「序号」：指标 1“工业总产值”的牵头单位是区工信局，"
            "您所在的区科技局不能填报",
        ),
    ],
)
def test_command_refusals_exit_non_zero_and_change_nothing(
    client, staff_user, leader_user, wangcheng, tmp_path, arguments, message
):
    path = write_template(client, staff_user, tmp_path, {26: (260, ""), 27: ("3.1", "")})
    workbook = openpyxl.load_workbook(path)
    workbook[SHEET]["A7"], workbook[SHEET]["F7"] = 1, 1150  # 工业总产值, led by 区工信局
    path.write_bytes(workbook_bytes(workbook))
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        call_command("import_actuals", str(path), "--plan", SLUG, *arguments)
    assert str(refused.value) == message
    assert snapshot() == before


def test_formulas_without_results_and_repeated_rows_are_errors(staff_user, wangcheng):
    content = custom_sheet(
        ["序号", "指标名称", "2021年实际值", "说明"],
        [[26, "高新技术企业", "=200+60", None], [28, None, 1, None], [28, None, 2, None]],
    )
    with pytest.raises(SheetInvalid) as refused:
        actuals_upload(
            plan=wangcheng, file_name="a.xlsx", content=content, user=staff_user, mode="draft"
        )
    assert [str(i) for i in refused.value.issues] == [
        "表1 第2行「2021年实际值」：公式没有保存计算结果，请在 Excel 中打开并保存后再上传",
        "表1 第4行「序号」：与第3行是同一项指标，只能填写一行",
    ]
    assert not Actual.objects.filter(year=2021).exists()
