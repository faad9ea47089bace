"""In-app notifications: one test per event, the unread badge, opening marks read."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators.actuals import actual_approve, actual_return, comment_add
from indicators.models import ReportingDeadline, Role
from indicators.reporting.review import figure_approve, figure_return
from tests.factories import FIGURE_CASES, make_user
from workspace.deadlines import deadline_notices_send
from workspace.models import Notification, NotificationKind

from .helpers import HIGH_TECH, submit, wangcheng_indicator

PAGE_2021 = "/report/wangcheng-2021-2023/2021/"


def notes(user):
    return list(Notification.objects.filter(recipient=user))


def test_a_returned_figure_tells_its_department_with_the_reason(kjj, admin_user):
    actual = submit(kjj)
    actual_return(actual_id=actual.pk, user=admin_user, reason="与统计公报不符，请核对")
    [note] = notes(kjj)
    assert note.kind == NotificationKind.RETURNED
    assert note.title == "26. 高新技术企业 2021 年的实际值被退回"
    assert note.body == "退回原因：与统计公报不符，请核对"
    assert note.url == f"{PAGE_2021}#indicator-26"
    assert notes(admin_user) == []  # the reviewer is not told what they did


def test_an_approved_figure_tells_its_department(kjj, admin_user):
    actual = submit(kjj)
    actual_approve(actual_id=actual.pk, user=admin_user)
    [note] = notes(kjj)
    assert (note.kind, note.title) == ("approved", "26. 高新技术企业 2021 年的实际值已审核通过")


def test_a_review_rolled_back_tells_no_one(kjj, admin_user, wangcheng):
    first, other = submit(kjj), submit(kjj, number=27, value="5")
    actual_approve(actual_id=other.pk, user=admin_user)
    Notification.objects.all().delete()
    from indicators.reporting.review import figures_review
    from indicators.reporting.workflow import WorkflowError

    with pytest.raises(WorkflowError):  # 27 is no longer waiting: all or nothing
        figures_review(picks={"actual": [first.pk, other.pk]}, user=admin_user, approve=True)
    assert notes(kjj) == []


@pytest.mark.parametrize("case", FIGURE_CASES, ids=lambda c: c.key)
def test_every_kind_of_figure_tells_its_department(case, loaded_plans, admin_user):
    subject = case.subject()
    reporter = case.reporter()
    figure = case.save(subject, reporter, case.values[0], None, True)
    figure = figure_approve(kind=case.kind, pk=figure.pk, user=admin_user)
    figure = case.save(subject, reporter, case.values[1], figure.version, True)
    figure_return(kind=case.kind, pk=figure.pk, user=admin_user, reason="请补充佐证")
    kinds = [n.kind for n in notes(reporter)]
    assert kinds == ["returned", "approved"]  # newest first
    assert all(n.url for n in notes(reporter))


def test_a_comment_tells_the_lead_department_not_its_author(kjj, gxj):
    comment_add(
        indicator=wangcheng_indicator(HIGH_TECH), year=2021, user=gxj, text="数据口径已核对"
    )
    [note] = notes(kjj)
    assert note.kind == NotificationKind.COMMENT
    assert note.title == "区工信局对 26. 高新技术企业（2021年）提出意见"
    assert note.body == "数据口径已核对"
    assert notes(gxj) == []


def test_a_reminder_from_the_deadline_page_arrives_in_the_app(client, kjj, admin_user, wangcheng):
    science = kjj.department
    client.force_login(admin_user)
    response = client.post(
        "/deadlines/wangcheng-2021-2023/2021/remind/", {"department": [science.pk]}, follow=True
    )
    html = response.content.decode()
    assert "已发送站内提醒：区科技局" in html
    assert "未能发送：区科技局（已收到站内提醒）" in html  # kjj has no email address
    [note] = notes(kjj)
    assert note.kind == NotificationKind.REMINDER
    assert note.title == "请尽快填报 望城区三年行动计划（2021-2023年） 2021 年实际值"
    assert "26. 高新技术企业" in note.body and "27." in note.body


def _deadline(plan, days: int) -> ReportingDeadline:
    due = timezone.localdate() + timedelta(days=days)
    return ReportingDeadline.objects.create(plan=plan, year=2021, due_date=due)


@pytest.mark.parametrize(
    ("days", "kind", "words"),
    [
        (7, "deadline_week", "将于 7 天后"),
        (1, "deadline_day", "明天"),
        (-3, "deadline_passed", "已过截止日期"),
    ],
)
def test_deadline_notices_reach_departments_with_work_missing(kjj, wangcheng, days, kind, words):
    _deadline(wangcheng, days)
    call_command("send_deadline_notices", stdout=StringIO())
    [note] = notes(kjj)
    assert note.kind == kind and words in note.title
    assert note.body.startswith("尚未提交：26. 高新技术企业、27.")


def test_deadline_notices_are_sent_once_a_day(kjj, wangcheng):
    _deadline(wangcheng, 7)
    today = timezone.localdate()
    first = deadline_notices_send(today=today)
    assert first > 0
    assert deadline_notices_send(today=today) == 0
    assert len(notes(kjj)) == 1


def test_no_deadline_notice_on_other_days_or_for_finished_departments(kjj, gxj, wangcheng):
    _deadline(wangcheng, 5)
    assert deadline_notices_send(today=timezone.localdate()) == 0
    ReportingDeadline.objects.all().delete()
    for number, value in ((26, "260"), (27, "5"), (28, "10"), (29, "0")):
        submit(kjj, number=number, value=value)
    _deadline(wangcheng, -1)
    deadline_notices_send(today=timezone.localdate())
    assert notes(kjj) == []  # 区科技局 submitted everything
    [note] = notes(gxj)  # 区工信局 did not
    assert note.kind == "deadline_passed" and note.body.startswith(
        "尚未提交：1. 工业总产值、2. 规模工业企业总产值"
    )


def test_the_badge_counts_unread_and_opening_marks_read(client, kjj, admin_user):
    actual = submit(kjj)
    actual_return(actual_id=actual.pk, user=admin_user, reason="请核对")
    client.force_login(kjj)
    html = client.get("/notifications/").content.decode()
    assert '<span class="badge" aria-label="未读通知">1</span>' in html
    assert "退回原因：请核对" in html
    note = Notification.objects.get(recipient=kjj)
    response = client.get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response.url == f"{PAGE_2021}#indicator-26"
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'aria-label="未读通知"' not in client.get("/notifications/").content.decode()


def test_read_all(client, kjj, admin_user):
    for number, value in ((26, "260"), (27, "5")):
        actual_approve(actual_id=submit(kjj, number=number, value=value).pk, user=admin_user)
    client.force_login(kjj)
    response = client.post("/notifications/read-all/", follow=True)
    assert "已将 2 条通知标为已读。" in response.content.decode()
    assert not Notification.objects.filter(recipient=kjj, read_at__isnull=True).exists()


def test_someone_elses_notification_is_404(client, kjj, gxj, admin_user):
    actual_approve(actual_id=submit(kjj).pk, user=admin_user)
    client.force_login(gxj)
    note = Notification.objects.get(recipient=kjj)
    assert client.get(f"/notifications/{note.pk}/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_the_unread_count_costs_at_most_one_query(client, kjj, admin_user):
    actual_approve(actual_id=submit(kjj).pk, user=admin_user)
    client.force_login(kjj)
    cache.clear()

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/plans/").status_code == 200
        return sum('FROM "workspace_notification"' in q["sql"] for q in queries)

    assert counted() == 1
    assert counted() == 0  # then from the cache, until a notification changes


def test_login_is_required(client):
    for url in ("/notifications/", "/settings/", "/start/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_leaders_get_notifications_page_too(client, wangcheng):
    client.force_login(make_user("leader9", Role.LEADER, department="区委区政府"))
    assert "暂无通知。" in client.get("/notifications/").content.decode()


@pytest.mark.parametrize("url", ["/notifications/", "/settings/"])
def test_the_pages_cost_the_same_at_two_sizes(client, kjj, url):
    from workspace.notify import notifications_send

    def send(count: int) -> None:
        for number in range(count):
            notifications_send(
                recipients=[kjj], kind=NotificationKind.REMINDER, title=f"提醒{number}"
            )

    send(1)
    client.force_login(kjj)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    send(80)
    client.get(url)  # the unread count, dropped by the writes, is counted again once
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert len(large) == len(small) <= 8
    if url == "/notifications/":
        assert "第 1 / 3 页" in html and html.count('class="card notification') == 30
