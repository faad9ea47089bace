"""Reporting a year's project investment from Excel: the prefilled template, the round trip,
and files with a bad cell refused whole, every bad cell named by sheet, row and column."""

import io
from decimal import Decimal

import openpyxl
import pytest

from projects.models import Project, ProjectInvestment

D = Decimal
PLAN = "changsha-hitech-2021-2025"
TEMPLATE = f"/projects/{PLAN}/report/2022/template.xlsx"
UPLOAD = f"/projects/{PLAN}/report/2022/upload/"


@pytest.fixture
def second_project(hitech, supervisor) -> Project:
    other = Project.objects.get(plan=hitech, number=14)  # 中联智慧产业城, 230 亿元
    other.supervising_department = supervisor
    other.save()
    return other


def template(client, user) -> openpyxl.Workbook:
    client.force_login(user)
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def upload(client, workbook: openpyxl.Workbook, mode="draft", name="投资.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.name = name
    buffer.seek(0)
    return client.post(UPLOAD, {"file": buffer, "mode": mode})


def issues_of(response) -> list[str]:
    html = response.content.decode()
    start = html.index("未导入任何数据")
    return [part.split("</li>")[0] for part in html[start:].split("<li>")[1:] if "</li>" in part]


def test_the_template_lists_the_departments_projects(
    client, project, second_project, project_staff
):
    sheet = template(client, project_staff).active
    assert sheet.title == "2022年项目投资填报"
    assert [c.value for c in sheet[2]] == [
        "序号",
        "项目名称",
        "建设主体",
        "总投资（亿元）",
        "2022年计划投资（亿元）",
        "2022年完成投资（亿元）",
        "说明",
    ]
    assert [
        (r[0].value, r[1].value, r[3].value) for r in sheet.iter_rows(min_row=3, max_row=4)
    ] == [
        (12, "湖南三安第三代半导体产业园项目", 160),
        (14, "中联智慧产业城", 230),
    ]
    assert sheet.cell(5, 1).value is None  # then a blank row and the note


def test_the_template_is_prefilled_with_what_is_saved(client, project, project_staff):
    ProjectInvestment.objects.create(project=project, year=2022, planned=D("30.125"))
    sheet = template(client, project_staff).active
    assert (sheet["E3"].value, sheet["E3"].number_format, sheet["F3"].value) == (
        30.125,
        "#,##0.000",
        None,
    )


def test_a_round_trip_saves_exact_decimals_as_drafts(
    client, project, second_project, project_staff
):
    workbook = template(client, project_staff)
    sheet = workbook.active
    sheet["E3"], sheet["F3"] = 32.5, "28.125亿元"
    sheet["E4"] = "４０"  # full-width digits; 完成投资 left blank
    response = upload(client, workbook)
    assert response.status_code == 302
    saved = {i.project.number: i for i in ProjectInvestment.objects.select_related("project")}
    assert (saved[12].planned, saved[12].completed, saved[12].state) == (
        D("32.5"),
        D("28.125"),
        "draft",
    )
    assert (saved[14].planned, saved[14].completed) == (D("40"), None)
    assert saved[12].history.first().history_change_reason == "Excel 导入 投资.xlsx：保存草稿"


def test_submit_mode_submits_and_unchanged_rows_are_not_saved_again(client, project, project_staff):
    workbook = template(client, project_staff)
    workbook.active["E3"], workbook.active["F3"] = 10, 9
    upload(client, workbook, mode="submit")
    investment = ProjectInvestment.objects.get(project=project, year=2022)
    assert (investment.state, investment.version) == ("submitted", 1)
    response = upload(client, workbook, mode="submit")
    assert response.status_code == 302
    investment.refresh_from_db()
    assert investment.version == 1


def test_one_bad_cell_refuses_the_whole_file(client, project, second_project, project_staff):
    workbook = template(client, project_staff)
    sheet = workbook.active
    sheet["E3"], sheet["F3"] = 10, 9  # a good row
    sheet["E4"], sheet["F4"] = "50万元", -1
    response = upload(client, workbook, mode="submit")
    assert response.status_code == 400
    assert issues_of(response) == [
        "2022年项目投资填报 第4行「2022年计划投资(亿元)」：单位应为“亿元”，不能填写“万元”："
        "请换算为亿元后填写数字",
        "2022年项目投资填报 第4行「2022年完成投资(亿元)」：完成投资 -1 亿元：投资额不能为负数",
    ]
    assert not ProjectInvestment.objects.exists()


def test_rule_problems_are_named_by_cell_and_nothing_is_written(
    client, project, second_project, project_staff
):
    workbook = template(client, project_staff)
    sheet = workbook.active
    sheet["E3"], sheet["F3"] = 10, 9
    sheet["E4"], sheet["F4"] = 10, 16  # more than 50% above plan, no 说明
    sheet["F5"] = None
    response = upload(client, workbook, mode="submit")
    assert response.status_code == 400
    assert issues_of(response) == [
        "2022年项目投资填报 第4行「说明」：完成投资 16 亿元，比计划投资 10 亿元高出 60%，"
        "超过 50%：请核实数值，并在说明中写明原因",
    ]
    assert not ProjectInvestment.objects.exists()


def test_a_project_of_another_department_refuses_the_file(client, project, project_staff, hitech):
    workbook = template(client, project_staff)
    sheet = workbook.active
    sheet["E3"] = 10
    # Row 4 is the blank row above the note; a row under the note would not be read.
    sheet["A4"], sheet["B4"], sheet["E4"] = 30, "世界计算·长沙智谷项目", 20
    response = upload(client, workbook)
    assert response.status_code == 400
    assert issues_of(response) == [
        "2022年项目投资填报 第4行「序号」：项目 30“世界计算·长沙智谷项目”尚未分配主管部门，"
        "您所在的高新区发改局不能填报",
    ]
    assert not ProjectInvestment.objects.exists()


def test_every_bad_cell_is_listed_at_once(client, admin_user, hitech):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "投资"
    sheet.append(["序号", "项目名称", "计划投资", "完成投资"])
    sheet.append([1, "松柏路（月季路—樱花路）", "一亿", 1])
    sheet.append([2, "不是这个名字", 1, 1])
    sheet.append([99, "", 1, None])
    sheet.append([1, "", 2, None])
    client.force_login(admin_user)
    response = upload(client, workbook)
    assert issues_of(response) == [
        "投资 第2行「计划投资」：“一亿”不是数字",
        "投资 第3行「项目名称」：“不是这个名字”与序号 2 的项目“国槐二路（月季路—铃兰路）”不符",
        "投资 第4行「序号」：本规划没有序号为 99 的项目",
        "投资 第5行「序号」：与第2行是同一个项目，只能填写一行",
    ]


def test_a_sheet_of_another_year_is_refused(client, project, project_staff):
    workbook = openpyxl.Workbook()
    workbook.active.append(["序号", "2021年计划投资", "2021年完成投资"])
    workbook.active.append([12, 1, 1])
    client.force_login(project_staff)
    response = upload(client, workbook)
    assert (
        issues_of(response)[0]
        == "Sheet 第1行「2021年计划投资」：表头为 2021 年，与所选的 2022 年不符"
    )


def test_the_office_approves_on_upload_and_staff_may_not(
    client, project, project_staff, admin_user
):
    workbook = template(client, project_staff)
    workbook.active["E3"], workbook.active["F3"] = 10, 9
    response = upload(client, workbook, mode="approve")
    assert response.status_code == 403
    client.force_login(admin_user)
    response = upload(client, workbook, mode="approve")
    assert response.status_code == 302
    investment = ProjectInvestment.objects.get(project=project, year=2022)
    assert (investment.state, investment.approved_planned, investment.approved_completed) == (
        "approved",
        D("10"),
        D("9"),
    )


def test_a_non_xlsx_file_is_refused(client, project, project_staff):
    client.force_login(project_staff)
    response = client.post(UPLOAD, {"file": io.BytesIO(b"a,b"), "mode": "draft"})
    assert response.status_code == 400
    buffer = io.BytesIO(b"1,2")
    buffer.name = "投资.csv"
    response = client.post(UPLOAD, {"file": buffer, "mode": "draft"})
    assert "只接受 Excel .xlsx 文件" in response.content.decode()


def test_staff_without_projects_get_403(client, other_staff, hitech):
    client.force_login(other_staff)
    assert client.get(TEMPLATE).status_code == 403
    assert client.get(UPLOAD).status_code == 403
