"""我的填报: the status strip and its filters, returned figures first, only one's own lines."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.actuals import actual_approve, actual_return, comment_add
from indicators.models import Actual, Indicator
from indicators.report_views import own_indicators
from tests.factories import grow_plan

from .helpers import sample, submit, wangcheng_indicator

PAGE = "/report/wangcheng-2021-2023/2021/"


@pytest.fixture
def worked(kjj, admin_user):
    """区科技局's four indicators in 2021: 26 approved, 27 returned, 28 submitted, 29 draft."""
    actual_approve(actual_id=submit(kjj, number=26).pk, user=admin_user)
    actual_return(actual_id=submit(kjj, number=27, value="5").pk, user=admin_user, reason="口径")
    submit(kjj, number=28, value="10")
    submit(kjj, number=29, value="1", submit=False)


def strip(html: str) -> str:
    start = html.index('<nav class="status-strip')
    return html[start : html.index("</nav>", start)]


def test_the_strip_counts_each_state(client, kjj, worked):
    client.force_login(kjj)
    html = strip(client.get(PAGE).content.decode())
    counts = {"全部": 4, "待填": 0, "草稿": 1, "已提交": 1, "已退回": 1, "已审核": 1}
    for label, count in counts.items():
        assert f"{label} <strong>{count}</strong>" in html


def test_a_sample_counts_as_still_to_fill(client, kjj, wangcheng):
    sample(wangcheng_indicator(26), 2021)
    client.force_login(kjj)
    assert "待填 <strong>4</strong>" in strip(client.get(PAGE).content.decode())


def test_returned_figures_come_first(client, kjj, worked):
    client.force_login(kjj)
    html = client.get(PAGE).content.decode()
    assert html.index('id="indicator-27"') < html.index('id="indicator-26"')


@pytest.mark.parametrize(
    ("status", "shown"), [("returned", [27]), ("approved", [26]), ("draft", [29]), ("todo", [])]
)
def test_each_filter_shows_its_lines(client, kjj, worked, status, shown):
    client.force_login(kjj)
    html = client.get(f"{PAGE}?status={status}").content.decode()
    lines = [n for n in (26, 27, 28, 29) if f'id="indicator-{n}"' in html]
    assert lines == shown
    if not shown:
        assert "没有该状态的指标。" in html


def test_an_unknown_filter_is_a_bad_request(client, kjj):
    client.force_login(kjj)
    response = client.get(f"{PAGE}?status=late")
    assert response.status_code == 400
    assert "status 应为" in response.content.decode()


def test_the_page_reads_only_the_departments_own_and_contributing_indicators(kjj, gxj, wangcheng):
    numbers = {i.number for i in own_indicators(kjj, wangcheng, 2021)}
    led = set(
        Indicator.objects.filter(plan=wangcheng, lead_department=kjj.department).values_list(
            "number", flat=True
        )
    )
    contributing = set(
        Indicator.objects.filter(
            plan=wangcheng, responsible_departments=kjj.department
        ).values_list("number", flat=True)
    )
    assert numbers == led | contributing
    assert {26, 27, 28, 29} <= numbers and 1 not in numbers


def test_other_departments_comments_are_not_read(client, kjj, gxj, wangcheng):
    comment_add(indicator=wangcheng_indicator(1), year=2021, user=gxj, text="工信局自己的意见")
    client.force_login(kjj)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(PAGE).content.decode()
    assert "工信局自己的意见" not in html
    comment_queries = [q["sql"] for q in queries if 'FROM "indicators_comment"' in q["sql"]]
    assert len(comment_queries) == 1
    assert str(wangcheng_indicator(1).pk) not in comment_queries[0].split(" IN (")[-1]


def test_the_query_count_holds_at_two_data_sizes(client, kjj, worked, wangcheng):
    client.force_login(kjj)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as small:
        assert client.get(PAGE).status_code == 200
    grow_plan(wangcheng, 40)
    Indicator.objects.filter(plan=wangcheng, number__gt=42, number__lte=62).update(
        lead_department=kjj.department
    )
    for indicator in Indicator.objects.filter(plan=wangcheng, number__gt=42):
        Actual.objects.create(indicator=indicator, year=2021, value=5, state="submitted")
    with CaptureQueriesContext(connection) as large:
        html = client.get(PAGE).content.decode()
    assert "已提交 <strong>21</strong>" in strip(html)
    assert len(large) == len(small) <= 20
