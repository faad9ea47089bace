"""A leader opens the overview in a real browser: the chart draws, the year switch works."""

from decimal import Decimal

import pytest

from indicators.actuals import ActualEntry, actual_approve, actual_save
from indicators.models import Indicator, Plan, Role
from projects.models import KeyTask
from tests.browser.test_reporting_flow import log_in
from tests.factories import make_user
from tests.test_security_headers import directives

pytestmark = pytest.mark.django_db(transaction=True)


def approve(number: int, value: str, user) -> None:
    indicator = Indicator.objects.select_related("plan").get(
        plan__slug="wangcheng-2021-2023", number=number
    )
    actual = actual_save(
        indicator=indicator,
        year=2021,
        user=user,
        entry=ActualEntry(value=Decimal(value), explanation="原因", measures="措施"),
        expected_version=None,
        submit=True,
    )
    actual_approve(actual_id=actual.pk, user=user)


def test_leader_sees_the_chart_and_switches_the_year(
    live_server, loaded_plans, new_page, csp_violations
):
    office = make_user("office", Role.ADMIN, department="区工信局")
    make_user("leader", Role.LEADER, department="区委区政府")
    for number, value in ((1, "1000"), (3, "400"), (18, "30")):
        approve(number, value, office)

    page = new_page()
    log_in(page, live_server.url, "leader")
    response = page.goto(f"{live_server.url}/?plan=wangcheng-2021-2023&year=2021")
    assert directives(response.headers["content-security-policy"])["script-src"] == ["'self'"]
    bars = page.locator("#completion-chart .main-svg g.point path")
    bars.first.wait_for()
    assert bars.count() == 3  # one bar per indicator with a completion
    assert "已报送 3 项" in page.locator("p.meta").first.inner_text()
    assert page.locator("#rating-chart .main-svg").count() >= 1

    page.select_option("select[name=year]", "2022")
    page.click(".switcher button[type=submit]")
    page.wait_for_url("**year=2022**")
    assert "已报送 0 项" in page.locator("p.meta").first.inner_text()
    page.locator("#rating-chart .main-svg").first.wait_for()
    assert page.locator("#completion-chart .main-svg g.point path").count() == 0
    # plotly drew its SVG under the Content-Security-Policy, and nothing was blocked.
    assert page.locator("#completion-chart svg.main-svg").count() >= 1

    # The plan switch of 重点任务 (a static script, no inline onchange) opens the other plan.
    hitech = Plan.objects.get(slug="changsha-hitech-2021-2025")
    KeyTask.objects.create(plan=hitech, number=1, name="创新引领")
    page.goto(f"{live_server.url}/tasks/wangcheng-2021-2023/")
    page.select_option(".switcher select[name=plan]", "changsha-hitech-2021-2025")
    page.wait_for_url("**/tasks/changsha-hitech-2021-2025/")
    assert csp_violations == []
