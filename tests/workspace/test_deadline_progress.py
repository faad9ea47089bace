"""填报进度: which indicators each department still owes, counting only real figures."""

from indicators.models import Actual, Target
from indicators.reminders import late_work

from .helpers import sample, submit, wangcheng_indicator

PAGE = "/deadlines/?plan=wangcheng-2021-2023&year=2021"


def science(plan):
    return next(row for row in late_work(plan, 2021) if row.name == "区科技局")


def test_the_page_names_the_missing_indicators(client, admin_user, kjj, wangcheng):
    submit(kjj, number=26)
    client.force_login(admin_user)
    html = client.get(PAGE).content.decode()
    row = html[html.index(f'id="department-{kjj.department_id}"') :]
    row = row[: row.index("</tr>")]
    assert "27. 全社会研发经费投入占GDP比重" in row
    assert "28. 智能制造关键装备" in row and "29. 国家技术创新中心" in row
    assert "26. 高新技术企业" not in row
    assert '<strong class="bad">3</strong>' in row


def test_samples_are_not_submissions(kjj, wangcheng):
    for number in (26, 27):
        sample(wangcheng_indicator(number), 2021)
    row = science(wangcheng)
    assert (row.led, row.submitted, row.approved, row.missing_count) == (4, 0, 0, 4)


def test_drafts_and_returned_figures_are_missing_approved_corrections_are_not(
    kjj, admin_user, wangcheng
):
    from indicators.actuals import actual_approve, actual_return

    submit(kjj, number=26, submit=False)
    actual_return(actual_id=submit(kjj, number=27, value="5").pk, user=admin_user, reason="口径")
    approved = actual_approve(actual_id=submit(kjj, number=28, value="1").pk, user=admin_user)
    Actual.objects.filter(pk=approved.pk).update(state="draft")  # a correction under way
    row = science(wangcheng)
    assert [i.number for i in row.missing] == [26, 27, 29]
    assert (row.submitted, row.approved) == (1, 1)


def test_a_year_without_a_target_is_not_missing(kjj, wangcheng):
    Target.objects.filter(indicator=wangcheng_indicator(29), year=2021).delete()
    row = science(wangcheng)
    assert (row.led, row.without_target) == (3, 1)
    assert 29 not in [i.number for i in row.missing]


def test_the_page_costs_the_same_at_two_sizes(client, admin_user, kjj, wangcheng):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import grow_plan

    client.force_login(admin_user)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as small:
        client.get(PAGE)
    grow_plan(wangcheng, 30)
    with CaptureQueriesContext(connection) as large:
        html = client.get(PAGE).content.decode()
    assert "测试指标60" in html
    assert len(large) == len(small)
