"""From login to approval in a real browser: a malformed number, a fix, a review."""

from decimal import Decimal

import pytest

from indicators.models import Actual, Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-123456"


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    # Each role lands on its own work (workspace/landing): wait to have left the login.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state()


def test_staff_reports_and_the_plan_office_approves(
    live_server, loaded_plans, new_page, csp_violations
):
    make_user("kjj", Role.STAFF, department="区科技局")
    make_user("office", Role.ADMIN, department="区工信局")
    base = live_server.url

    staff = new_page()
    log_in(staff, base, "kjj")
    # The year switcher (a static script under the CSP, no inline handler) opens the page.
    staff.goto(f"{base}/report/wangcheng-2021-2023/2022/")
    staff.select_option(".switcher select[name=year]", "2021")
    staff.click(".switcher button[type=submit]")
    staff.wait_for_url(f"{base}/report/wangcheng-2021-2023/2021/")
    line = staff.locator("#indicator-26")
    line.locator("input[name='indicator-26-value']").fill("二百六")
    assert "不是数字" in line.locator(".hint").inner_text()  # the browser hints first
    line.locator("button[value=submit]").click()
    staff.wait_for_load_state()
    line = staff.locator("#indicator-26")
    assert "“二百六”不是数字" in line.inner_text()
    assert line.locator("input[name='indicator-26-value']").input_value() == "二百六"
    assert not Actual.objects.exists()

    line.locator("input[name='indicator-26-value']").fill("２６０")
    line.locator("button[value=submit]").click()
    staff.wait_for_load_state()
    assert "26. 高新技术企业：已提交审核" in staff.locator(".messages").inner_text()
    assert staff.locator("#indicator-26 .state").inner_text() == "待审核"

    office = new_page()
    log_in(office, base, "office")
    office.goto(f"{base}/review/?plan=wangcheng-2021-2023")
    row = office.locator("tr", has_text="26. 高新技术企业")
    assert "260 家" in row.inner_text()
    row.locator("button[value=approve]").click()
    office.wait_for_load_state()
    assert "已审核通过 1 条：26. 高新技术企业（2021）" in office.locator(".messages").inner_text()

    staff.reload()
    assert staff.locator("#indicator-26 .state").inner_text() == "已审核"
    actual = Actual.objects.get()
    assert (actual.approved_value, actual.state) == (Decimal("260"), "approved")
    assert csp_violations == []
