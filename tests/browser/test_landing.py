"""In Chromium: each role lands on its work after logging in; select-all ticks the page."""

import pytest

from indicators.models import Role
from tests.factories import PASSWORD, make_user
from tests.workspace.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_roles_land_on_their_work_and_select_all_ticks_the_page(
    live_server,
    loaded_plans,
    new_page,
    csp_violations,
):
    kjj = make_user("kjj", Role.STAFF, department="区科技局")
    make_user("office", Role.ADMIN, department="区工信局")
    for number, value in ((26, "260"), (28, "1")):
        submit(kjj, number=number, value=value)
    base = live_server.url

    staff = new_page()
    log_in(staff, base, "kjj")
    assert staff.url == f"{base}/report/wangcheng-2021-2023/2023/"
    assert staff.locator(".status-strip").is_visible()

    office = new_page()
    log_in(office, base, "office")
    assert office.url == f"{base}/review/"
    boxes = office.locator("input[form=bulk]")
    assert boxes.count() == 2
    office.check("input[data-select-all]")
    assert all(boxes.nth(i).is_checked() for i in range(2))
    boxes.nth(0).uncheck()
    assert office.locator("input[data-select-all]").evaluate("box => box.indeterminate")
    office.check("input[data-select-all]")
    office.click("#bulk button[value=approve]")
    office.wait_for_load_state()
    assert "已审核通过 2 条" in office.content()
    assert csp_violations == []

    staff.goto(f"{base}/notifications/")
    assert staff.locator(".notifications-link .badge").inner_text() == "2"
    assert "26. 高新技术企业 2021 年的实际值已审核通过" in staff.content()
