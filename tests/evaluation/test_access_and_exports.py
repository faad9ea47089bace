"""Who sees the evaluation, what it costs, and what the exports look like."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Actual, Indicator, Role
from tests.dashboards.test_pages import approve
from tests.factories import grow_plan, make_user

from .helpers import API, PAGE, PLAN, document, workbook

XLSX = f"/reports/{PLAN}/evaluation-2023.xlsx"
DOCX = f"/reports/{PLAN}/evaluation-2023.docx"
URLS = [PAGE, API, XLSX, DOCX]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("role", "status"), [(Role.LEADER, 200), (Role.ADMIN, 200), (Role.STAFF, 403)]
)
def test_leaders_and_the_plan_office_only(client, loaded_plans, url, role, status):
    client.force_login(make_user("viewer", role, department="区科技局"))
    assert client.get(url).status_code == status


def test_a_login_is_needed(client, loaded_plans):
    assert client.get(API).status_code == 401
    for url in (PAGE, XLSX, DOCX):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_year_is_read_strictly(client, loaded_plans, leader_user):
    client.force_login(leader_user)
    for bad in ("２０２２", "2022x", "2019", "+2022"):
        response = client.get(API, {"year": bad})
        assert response.status_code == 400
        assert response.json() == {"error": "year 应为 2021–2023 之间的年份"}
        assert client.get(PAGE, {"year": bad}).status_code == 400
    assert client.get(API, {"year": "2022"}).json()["stage"] == "midterm"
    assert client.get(f"/reports/{PLAN}/evaluation-2030.xlsx").status_code == 404
    assert client.get("/api/v1/plans/nothing/evaluation/").status_code == 404


@pytest.mark.parametrize("url", URLS)
def test_query_count_does_not_grow_with_the_data(client, wangcheng, leader_user, admin_user, url):
    approve(wangcheng, 1, "1000", admin_user, year=2023, explanation="x", measures="y")
    client.force_login(leader_user)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow_plan(wangcheng, 40)
    for indicator in Indicator.objects.filter(plan=wangcheng, number__gt=42)[:20]:
        for year in (2022, 2023):
            Actual.objects.create(
                indicator=indicator, year=year, value=year, approved_value=year,
                state="approved", approved_at="2024-01-01T00:00Z",
            )  # fmt: skip
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small) <= 10


def test_the_workbook_is_print_ready(client, wangcheng, leader_user):
    client.force_login(leader_user)
    book = workbook(client.get(XLSX).content)
    assert book.sheetnames == ["评估摘要", "指标评估", "部门汇总"]
    assert {"评估标题", "评估表头", "评估正文"} <= set(book.named_styles)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert book["指标评估"].print_title_rows == "$1:$2"
    assert book["部门汇总"].print_title_rows == "$1:$2"
    assert book["指标评估"]["A2"].style == "评估表头"


def test_text_is_escaped_and_the_document_has_its_charts(
    client, wangcheng, admin_user, leader_user
):
    approve(wangcheng, 1, "1000", admin_user, year=2023, explanation="x", measures="y")
    actual = Actual.objects.get(indicator__plan=wangcheng, indicator__number=1, year=2023)
    actual.approved_explanation = '=HYPERLINK("http://x")\x0b'
    actual.save()
    client.force_login(leader_user)
    sheet = workbook(client.get(XLSX).content)["指标评估"]
    cell = next(row[19] for row in sheet.iter_rows(min_row=3) if row[1].value == 1)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    word = document(client.get(DOCX).content)
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["一、总体情况", "二、分类别情况"]
    assert len(word.inline_shapes) == 4  # standing, groups, departments, completion
    assert word.sections[-1].orientation == 1  # the wide tables in landscape
    texts = "".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert '=HYPERLINK("http://x")' in texts
