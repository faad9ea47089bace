"""Every reporting URL, every role: anonymous users log in, others get 403 or 404, never a form."""

from decimal import Decimal

import pytest

from indicators.actuals import ActualEntry, actual_save
from indicators.models import Actual, Indicator, Role
from tests.factories import make_user

PLAN = "wangcheng-2021-2023"
GETS = [
    "/report/",
    f"/report/{PLAN}/2021/",
    f"/report/{PLAN}/2021/26/history/",
    f"/report/{PLAN}/2021/template.xlsx",
    f"/report/{PLAN}/2021/upload/",
    "/review/",
    "/deadlines/",
]
POSTS = [
    f"/report/{PLAN}/2021/26/",
    f"/report/{PLAN}/2021/26/comment/",
    f"/report/{PLAN}/2021/upload/",
    "/review/decide/",
    f"/deadlines/{PLAN}/2021/",
    f"/deadlines/{PLAN}/2021/remind/",
]


@pytest.mark.parametrize("url", GETS + POSTS)
def test_anonymous_users_are_sent_to_login(client, loaded_plans, url):
    response = client.get(url) if url in GETS else client.post(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# (role, department) → the status each URL answers; 区财政局 leads 11 only, and is not
# responsible for 26, so it must get no form for 26.
EXPECTED = {
    "leader": {
        "/report/": 403,
        f"/report/{PLAN}/2021/": 403,
        f"/report/{PLAN}/2021/26/history/": 200,
        f"/report/{PLAN}/2021/template.xlsx": 403,
        f"/report/{PLAN}/2021/upload/": 403,
        "/review/": 403,
        "/deadlines/": 403,
    },
    "other_staff": {
        "/report/": 302,
        f"/report/{PLAN}/2021/": 200,
        f"/report/{PLAN}/2021/26/history/": 403,
        f"/report/{PLAN}/2021/template.xlsx": 200,
        f"/report/{PLAN}/2021/upload/": 200,
        "/review/": 403,
        "/deadlines/": 403,
    },
    "lead_staff": {
        "/report/": 302,
        f"/report/{PLAN}/2021/": 200,
        f"/report/{PLAN}/2021/26/history/": 200,
        f"/report/{PLAN}/2021/template.xlsx": 200,
        f"/report/{PLAN}/2021/upload/": 200,
        "/review/": 403,
        "/deadlines/": 403,
    },
    "admin": {url: (302 if url == "/report/" else 200) for url in GETS},
}


def user_for(kind: str):
    if kind == "leader":
        return make_user("leader9", Role.LEADER, department="区委区政府")
    if kind == "other_staff":
        return make_user("czj9", Role.STAFF, department="区财政局")
    if kind == "lead_staff":
        return make_user("kjj9", Role.STAFF, department="区科技局")
    return make_user("office9", Role.ADMIN, department="区工信局")


@pytest.mark.parametrize("kind", list(EXPECTED))
@pytest.mark.parametrize("url", GETS)
def test_each_role_gets_what_it_may_see(client, loaded_plans, kind, url):
    client.force_login(user_for(kind))
    assert client.get(url).status_code == EXPECTED[kind][url]


def test_the_other_department_page_has_no_form_for_indicator_26(client, loaded_plans):
    client.force_login(user_for("other_staff"))
    html = client.get(f"/report/{PLAN}/2021/").content.decode()
    assert 'name="indicator-11-value"' in html
    assert 'name="indicator-26-value"' not in html and "26. 高新技术企业" not in html


@pytest.mark.parametrize("kind", ["leader", "other_staff"])
def test_writes_to_indicator_26_are_refused(client, loaded_plans, kind):
    client.force_login(user_for(kind))
    data = {"action": "submit", "indicator-26-value": "260", "indicator-26-kind": "preliminary"}
    assert client.post(f"/report/{PLAN}/2021/26/", data).status_code == 403
    assert (
        client.post(f"/report/{PLAN}/2021/26/comment/", {"indicator-26-text": "x"}).status_code
        == 403
    )
    assert not Actual.objects.exists()


def test_history_lists_every_version_with_who_and_what_changed(client, wangcheng, admin_user):
    indicator = Indicator.objects.select_related("plan").get(plan=wangcheng, number=26)
    staff = make_user("kjj8", Role.STAFF, department="区科技局")
    actual_save(
        indicator=indicator,
        year=2021,
        user=staff,
        entry=ActualEntry(value=Decimal(240)),
        expected_version=None,
        submit=False,
    )
    actual_save(
        indicator=indicator,
        year=2021,
        user=staff,
        entry=ActualEntry(value=Decimal(260), source="统计快报"),
        expected_version=1,
        submit=True,
    )
    client.force_login(admin_user)
    html = client.get(f"/report/{PLAN}/2021/26/history/").content.decode()
    assert "首次填报" in html
    assert "实际值：240 → 260" in html
    assert "状态：草稿 → 待审核" in html
    assert "数据来源：空 → 统计快报" in html
    assert html.count("kjj8") == 2
