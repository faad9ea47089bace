"""Leader pages: every role sees them, with the real figures, at a fixed query cost."""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.actuals import ActualEntry, actual_approve, actual_save
from indicators.models import Actual, Indicator, Role
from tests.factories import grow_plan, make_user

PLAN = "wangcheng-2021-2023"
PAGES = [
    f"/?plan={PLAN}&year=2021",
    f"/departments/?plan={PLAN}&year=2021",
    f"/plans/{PLAN}/indicators/1/?year=2021",
]


def approve(plan, number, value, user, year=2021, **entry):
    indicator = Indicator.objects.select_related("plan").get(plan=plan, number=number)
    actual = actual_save(
        indicator=indicator,
        year=year,
        user=user,
        entry=ActualEntry(value=Decimal(value), **entry),
        expected_version=None,
        submit=True,
    )
    return actual_approve(actual_id=actual.pk, user=user)


@pytest.fixture
def reported(wangcheng, admin_user):
    """Three approved 2021 figures: 1 near (1000/1100), 3 met (400/395), 18 behind (30/35)."""
    approve(wangcheng, 1, "1000", admin_user, explanation="外贸订单下滑", measures="稳链补链")
    approve(wangcheng, 3, "400", admin_user)
    approve(wangcheng, 18, "30", admin_user, explanation="招商节奏放缓", measures="专班招商")
    return wangcheng


@pytest.mark.parametrize("role", [Role.LEADER, Role.STAFF, Role.ADMIN])
@pytest.mark.parametrize("url", PAGES)
def test_every_role_sees_the_leader_pages(client, reported, role, url):
    client.force_login(make_user("viewer", role, department="区科技局"))
    response = client.get(url)
    assert response.status_code == 200
    assert 'src="/static/vendor/plotly/plotly.min.js"' in response.content.decode()


@pytest.mark.parametrize("url", [*PAGES, "/departments/1/", f"/reports/{PLAN}/2021.xlsx"])
def test_they_need_a_login(client, loaded_plans, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_overview_counts_ratings_and_lists_what_is_behind(client, reported, leader_user):
    client.force_login(leader_user)
    html = client.get(PAGES[0]).content.decode()
    assert "共 42 项指标，已报送 3 项，已审核 3 项" in html
    assert "序时进度 33.3%" in html
    assert '<span class="tile-label">✔ 达标</span><span class="tile-value">1</span>' in html
    assert '<span class="tile-label">✖ 滞后</span><span class="tile-value">1</span>' in html
    assert '<span class="tile-label">— 未填报</span><span class="tile-value">39</span>' in html
    assert "滞后指标（1）" in html
    assert "18. 产业链企业引进数" in html and "招商节奏放缓" in html and "专班招商" in html
    assert "1,000 亿元" in html and "90.9%" in html
    assert '<span class="rating rating-near">◐ 基本达标</span>' in html
    assert "示例数据" not in html


def test_switching_the_year_changes_the_figures(client, reported, leader_user):
    client.force_login(leader_user)
    html = client.get(f"/?plan={PLAN}&year=2022").content.decode()
    assert "已报送 0 项" in html and "滞后指标（0）" in html


def test_departments_are_ranked_by_capped_average_completion(client, reported, leader_user):
    client.force_login(leader_user)
    html = client.get(PAGES[1]).content.decode()
    # 区工信局: (90.91% + 101.27%) ÷ 2 = 96.1%; 各产业链办公室: 85.7%.
    assert html.index("区工信局") < html.index("各产业链办公室")
    assert "96.1%" in html and "85.7%" in html


def test_department_page_shows_led_and_responsible_indicators(client, reported, leader_user):
    gxj = Indicator.objects.get(plan=reported, number=1).lead_department
    client.force_login(leader_user)
    html = client.get(f"/departments/{gxj.pk}/?plan={PLAN}&year=2021").content.decode()
    assert "牵头指标（19）" in html
    assert "作为责任单位的指标（14）" in html
    assert '<svg class="sparkline"' in html  # 1: base 1000 → 1000 in 2021


def test_indicator_page_shows_targets_actuals_outlook_and_history(client, reported, leader_user):
    client.force_login(leader_user)
    html = client.get(PAGES[2]).content.decode()
    assert "1,100 亿元" in html and "1,700 亿元" in html
    assert "外贸订单下滑" in html
    assert '<span class="outlook outlook-limited">进展有限</span>' in html
    assert "审核通过" in html  # the history of reported values


def test_hitech_indicator_page_marks_derived_targets(client, hitech, leader_user):
    client.force_login(leader_user)
    html = client.get(f"/plans/{hitech.slug}/indicators/1/?year=2021").content.decode()
    assert "3,162.23 亿元（推算）" in html
    assert json.dumps({"name": "推算目标"})[1:-1] in html and '"dash": "dot"' in html


def test_sample_figures_are_labelled(client, loaded_plans, leader_user):
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(leader_user)
    html = client.get(PAGES[0]).content.decode()
    assert "示例数据：本页部分实际值为系统载入的示例数据" in html


def test_excel_report_has_the_figures_colours_and_escaped_text(client, reported, leader_user):
    indicator = Indicator.objects.get(plan=reported, number=3)
    actual = Actual.objects.get(indicator=indicator, year=2021)
    # Leaders read the approved explanation (a pending correction's text stays private).
    actual.approved_explanation = '=HYPERLINK("http://x")'
    actual.save()
    client.force_login(leader_user)
    response = client.get(f"/reports/{PLAN}/2021.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["指标完成情况"]
    header = [cell.value for cell in sheet[2]]
    assert header[:5] == ["类别", "序号", "主要指标", "单位", "2020年基期值"]
    column = {name: index for index, name in enumerate(header)}
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=3)}
    first = rows[1]
    assert first[column["2021年实际值"]].value == 1000
    assert (
        first[column["完成率"]].value == Decimal("0.9091")
        or first[column["完成率"]].value == 0.9091
    )
    assert first[column["评价"]].value == "◐ 基本达标"
    assert first[column["原因分析"]].value == "外贸订单下滑"
    assert first[0].fill.fgColor.rgb.endswith("FFF3C4")
    third = rows[3]
    assert third[column["原因分析"]].value == '=HYPERLINK("http://x")'
    assert third[column["原因分析"]].data_type == "s"  # text, never a formula
    assert rows[18][column["评价"]].value == "✖ 滞后"
    summary = workbook["部门汇总"]
    names = [row[1].value for row in summary.iter_rows(min_row=3)]
    assert names[:2] == ["区工信局", "各产业链办公室"]  # 96.1% before 85.7%; no figures last


@pytest.mark.parametrize(
    "url",
    [*PAGES, "/departments/{dept}/?plan=" + PLAN + "&year=2021", f"/reports/{PLAN}/2021.xlsx"],
)
def test_query_count_does_not_grow_with_the_data(client, reported, leader_user, admin_user, url):
    dept = Indicator.objects.get(plan=reported, number=1).lead_department_id
    url = url.replace("{dept}", str(dept))
    client.force_login(leader_user)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow_plan(reported, 40)
    for indicator in Indicator.objects.filter(plan=reported, number__gt=42)[:20]:
        actual = actual_save(
            indicator=indicator,
            year=2021,
            user=admin_user,
            entry=ActualEntry(
                value=Decimal(2021), explanation="x", measures="y", confirm_jump=True
            ),
            expected_version=None,
            submit=True,
        )
        actual_approve(actual_id=actual.pk, user=admin_user)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    # Session, user, plan menu; the page's own reads (none on a hit of its kept body:
    # tests/dashboards/test_page_cache.py); the indicator page's 公开报道 (parks/).
    assert len(large) == len(small) <= 11
