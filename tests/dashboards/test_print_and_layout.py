"""Phone and paper: the print header, the page setup of every workbook, and the small
breakages of the charts, the save footer and the sample-data banner."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from dashboards import charts
from indicators.excel_page import text_width
from indicators.models import Actual, Indicator, Role
from indicators.scorecard import indicator_progress, progress_indicators
from projects.models import ProjectInvestment
from tests.factories import make_user

PLAN = "wangcheng-2021-2023"
HITECH = "changsha-hitech-2021-2025"


def load_samples() -> None:
    call_command("load_demo", stdout=io.StringIO())


def assert_prints_landscape_one_page_wide(sheet) -> None:
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$2:$2"


def test_the_print_header_names_plan_year_and_date(client, loaded_plans, leader_user):
    client.force_login(leader_user)
    html = client.get(f"/?plan={PLAN}&year=2022").content.decode()
    header = re.search(r'<p class="print-header">(.*?)</p>', html).group(1)
    assert "长沙市望城区打造国家重要先进制造业高地三年行动计划（2021-2023年） · 2022年" in header
    assert f"打印日期：{timezone.localdate():%Y-%m-%d}" in header
    assert 'class="nav-toggle"' in html and 'aria-controls="site-nav"' in html


def test_excel_report_prints_one_page_wide_with_whole_department_names(
    client, loaded_plans, leader_user
):
    load_samples()
    client.force_login(leader_user)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/{PLAN}/2021.xlsx").content))
    sheet = workbook["指标完成情况"]
    assert_prints_landscape_one_page_wide(sheet)
    assert_prints_landscape_one_page_wide(workbook["部门汇总"])
    header = [cell.value for cell in sheet[2]]
    longest = text_width("望城经开区产业发展局")  # was cut to “望城经开区产业发” at width 14
    for name in ("牵头单位", "责任单位"):
        letter = openpyxl.utils.get_column_letter(header.index(name) + 1)
        assert sheet.column_dimensions[letter].width >= longest
    assert workbook["部门汇总"].column_dimensions["B"].width >= longest
    # The title is the first row, above the repeated header: printed once, on page one.
    assert sheet["A1"].value.startswith("长沙市望城区打造国家重要先进制造业高地")


@pytest.mark.parametrize(
    "url",
    [
        f"/report/{PLAN}/2021/template.xlsx",
        f"/tasks/{PLAN}/report/2022/template.xlsx",
    ],
)
def test_excel_templates_print_one_page_wide(client, loaded_plans, admin_user, url):
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200, url
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert_prints_landscape_one_page_wide(workbook.worksheets[0])


def test_text_target_page_draws_the_status_history(hitech):
    load_samples()
    indicator = progress_indicators(hitech).get(number=22)
    figure = charts.indicator_lines(indicator_progress(indicator, 2025), hitech)
    (trace,) = figure["data"]  # was no trace at all: bare axes
    assert trace["x"] == [2021, 2022, 2023, 2024, 2025]
    assert trace["y"] == ["无目标", "无目标", "无目标", "无目标", "已完成"]
    assert figure["layout"]["yaxis"]["categoryarray"] == ["无目标", "未填报", "未完成", "已完成"]


def test_the_donut_label_of_a_small_slice_is_not_clipped():
    figure = charts.rating_donut({charts.Rating.MET: 12, charts.Rating.MANUAL: 1})
    assert figure["data"][0]["automargin"] is True  # outside labels get their margin


def test_the_100_percent_line_runs_under_the_bars_and_their_labels(loaded_plans):
    figure = charts.completion_bars([], threshold=Decimal("0.9"))
    assert [shape["layer"] for shape in figure["layout"]["shapes"]] == ["below", "below"]


def test_the_save_footer_has_no_empty_separators(client, loaded_plans):
    load_samples()
    client.force_login(make_user("kjj", Role.STAFF, department="区科技局"))
    html = client.get(f"/report/{PLAN}/2021/").content.decode()
    footer = re.search(r'<span class="meta">(版本 1[^<]*)<a', html).group(1)
    assert "·  ·" not in footer and "· ·" not in footer  # was “版本 1 ·  · 修改历史”
    assert footer.split() == ["版本", "1", "·", "示例数据", "·"]


@pytest.mark.parametrize("role", [Role.LEADER, Role.STAFF])
def test_leaders_and_staff_see_a_plain_sample_notice(client, loaded_plans, role):
    load_samples()
    client.force_login(make_user("someone", role, department="区科技局"))
    html = client.get(f"/?plan={PLAN}&year=2021").content.decode()
    assert "示例数据：本页部分实际值为系统载入的示例数据" in html
    assert "manage.py" not in html and "/samples/remove/" not in html
    assert client.get("/samples/remove/").status_code == 403
    assert client.post("/samples/remove/").status_code == 403
    assert Actual.objects.filter(is_demo=True).exists()


def test_the_admin_removes_the_samples_with_a_confirmed_post(client, loaded_plans, admin_user):
    load_samples()
    real = Indicator.objects.get(plan__slug=PLAN, number=26)
    Actual.objects.filter(indicator=real, year=2021).update(is_demo=False)
    client.force_login(admin_user)
    html = client.get(f"/?plan={PLAN}&year=2021").content.decode()
    assert "manage.py" not in html
    assert 'action="/samples/remove/"' in html and "删除示例数据…" in html
    confirm = client.get("/samples/remove/").content.decode()
    assert "确认删除示例数据" in confirm and Actual.objects.filter(is_demo=True).exists()
    response = client.post("/samples/remove/", follow=True)
    assert "真实数据未受影响" in response.content.decode()
    assert not Actual.objects.filter(is_demo=True).exists()
    assert not ProjectInvestment.objects.filter(is_demo=True).exists()
    assert Actual.objects.filter(indicator=real, year=2021).count() == 1
    assert "示例数据：本页" not in client.get(f"/?plan={PLAN}&year=2021").content.decode()
