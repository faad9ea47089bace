"""Each role lands on its work; a chosen default plan wins over the automatic choice."""

from indicators.actuals import actual_approve, actual_return
from indicators.models import Indicator, Plan
from tests.factories import PASSWORD
from workspace.models import Preference

from .helpers import HITECH, WANGCHENG, sample, staff_of_both_plans, submit

# Today (2026) the Wangcheng plan reports its last year, 2023; the Hi-Tech plan 2025.
WANGCHENG_NOW = f"/report/{WANGCHENG}/2023/"


def test_login_lands_on_the_landing_page(client, kjj):
    response = client.post("/accounts/login/", {"username": "kjj", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/start/"


def test_staff_land_on_my_report_where_their_department_has_work(client, kjj):
    client.force_login(kjj)
    assert client.get("/start/").url == WANGCHENG_NOW


def test_a_returned_figure_comes_first(client, kjj, admin_user):
    actual_return(actual_id=submit(kjj, year=2021).pk, user=admin_user, reason="请核对")
    client.force_login(kjj)
    assert client.get("/start/").url == f"/report/{WANGCHENG}/2021/"
    assert client.get("/report/").url == f"/report/{WANGCHENG}/2021/"


def test_staff_of_two_plans_land_on_the_one_with_work_left(client, hitech, wangcheng):
    user = staff_of_both_plans()
    # Everything of 区科技局 in Wangcheng 2023 is submitted; the Hi-Tech indicator is not.
    for number, value in ((26, "330"), (27, "5"), (28, "10"), (29, "1")):
        submit(user, number=number, value=value, year=2023)
    client.force_login(user)
    assert client.get("/start/").url == f"/report/{HITECH}/2025/"


def test_the_plan_office_lands_on_the_review_queue(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/start/").url == "/review/"


def test_leaders_land_on_the_plan_with_the_most_recent_approved_figure(
    client, kjj, admin_user, leader_user
):
    actual_approve(actual_id=submit(kjj, year=2022, value="300").pk, user=admin_user)
    client.force_login(leader_user)
    assert client.get("/start/").url == f"/?plan={WANGCHENG}&year=2022"


def test_a_real_figure_wins_over_a_later_sample(client, kjj, admin_user, leader_user, hitech):
    actual_approve(actual_id=submit(kjj, year=2021).pk, user=admin_user)
    sample(Indicator.objects.filter(plan=hitech).first(), 2024, "2026-01-01T00:00:00Z")
    client.force_login(leader_user)
    assert client.get("/start/").url == f"/?plan={WANGCHENG}&year=2021"


def test_a_default_plan_wins(client, kjj, admin_user, leader_user, hitech):
    actual_approve(actual_id=submit(kjj, year=2022, value="300").pk, user=admin_user)
    client.force_login(leader_user)
    response = client.post("/settings/", {"default_plan": hitech.pk}, follow=True)
    assert "个人设置已保存。" in response.content.decode()
    preference = Preference.objects.get(user=leader_user)
    assert preference.default_plan == hitech
    assert preference.history.count() == 1
    assert client.get("/start/").url == f"/?plan={HITECH}&year=2025"
    client.post("/settings/", {"default_plan": ""})
    assert client.get("/start/").url == f"/?plan={WANGCHENG}&year=2022"


def test_a_staff_default_plan_wins_over_the_first_plan(client, hitech, wangcheng):
    user = staff_of_both_plans()
    Preference.objects.create(user=user, default_plan=hitech)
    client.force_login(user)
    assert client.get("/start/").url == f"/report/{HITECH}/2025/"


def test_the_settings_page_offers_every_plan(client, kjj):
    client.force_login(kjj)
    html = client.get("/settings/").content.decode()
    for plan in Plan.objects.all():
        assert plan.short_name in html
    assert "自动选择（按待办工作或最新审核数据）" in html
    assert client.post("/settings/", {"default_plan": "999999"}).status_code == 200
    assert not Preference.objects.filter(user=kjj).exists()


def test_leaders_land_on_the_running_plan_once_the_other_is_closed(
    client, kjj, admin_user, leader_user, hitech, wangcheng
):
    """Wangcheng has the latest approved figure; once it is closed, the Hi-Tech plan (still
    running, nothing approved yet) is where leaders land, at the year reported now."""
    from indicators.lifecycle import plans
    from tests.lifecycle.test_revisions_and_closing import _close

    actual_approve(actual_id=submit(kjj, year=2022, value="300").pk, user=admin_user)
    client.force_login(leader_user)
    assert client.get("/start/").url == f"/?plan={WANGCHENG}&year=2022"
    _close(wangcheng, admin_user)
    assert client.get("/start/").url == f"/?plan={HITECH}&year=2025"
    plans.plan_reopen(plan=Plan.objects.get(slug=WANGCHENG), user=admin_user, reason="补报")
    assert client.get("/start/").url == f"/?plan={WANGCHENG}&year=2023"
