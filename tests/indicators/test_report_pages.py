"""我的填报, the review queue and the deadlines: every view, every role, real messages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators.actuals import ActualEntry, actual_approve, actual_save
from indicators.models import Actual, Comment, Evidence, Indicator, ReportingDeadline, Role
from tests.factories import grow_plan, make_user

PAGE = "/report/wangcheng-2021-2023/2021/"
HIGH_TECH = 26  # 高新技术企业, lead 区科技局, responsible 区工信局 and 望城经开区产业发展局


def save_url(number: int) -> str:
    return f"{PAGE}{number}/"


def form_data(number: int, action: str = "draft", **fields) -> dict:
    prefix = f"indicator-{number}"
    data = {"action": action, f"{prefix}-kind": "preliminary", f"{prefix}-version": "0"}
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return data


@pytest.fixture
def kjj(wangcheng):
    """A 填报员 of 区科技局, which leads indicators 26–29 of the Wangcheng plan."""
    return make_user("kjj", Role.STAFF, department="区科技局")


@pytest.fixture
def gxj(wangcheng):
    """A 填报员 of 区工信局, a responsible unit of indicator 26."""
    return make_user("gxj", Role.STAFF, department="区工信局")


def test_report_home_sends_staff_to_their_plan_and_the_current_year(client, kjj):
    client.force_login(kjj)
    response = client.get("/report/")
    year = min(max(timezone.localdate().year - 1, 2021), 2023)
    assert response.status_code == 302
    assert response.url in (
        f"/report/changsha-hitech-2021-2025/{year}/",
        f"/report/wangcheng-2021-2023/{year}/",
    )
    assert "wangcheng-2021-2023" in response.url  # 区科技局 leads nothing in the Hi-Tech plan


def test_leaders_do_not_report(client, leader_user, wangcheng):
    client.force_login(leader_user)
    assert client.get("/report/").status_code == 403
    assert client.get(PAGE).status_code == 403
    assert client.post(save_url(HIGH_TECH), form_data(HIGH_TECH, value="260")).status_code == 403


def test_staff_see_their_led_indicators_with_base_target_and_input(client, kjj):
    client.force_login(kjj)
    html = client.get(PAGE).content.decode()
    assert "本单位牵头的指标（4）" in html
    assert "26. 高新技术企业" in html and "29. 国家技术创新中心" in html
    assert "199 家" in html and "250 家" in html  # base and 2021 target
    assert 'name="indicator-26-value"' in html
    assert "1. 工业总产值" not in html  # led by 区工信局, and 区科技局 is not responsible for it


def test_staff_see_responsible_indicators_read_only(client, gxj):
    client.force_login(gxj)
    html = client.get(PAGE).content.decode()
    assert "本单位为责任单位的指标" in html
    assert 'action="/report/wangcheng-2021-2023/2021/26/comment/"' in html
    assert 'name="indicator-26-value"' not in html


def test_a_draft_then_a_submission(client, kjj, wangcheng):
    client.force_login(kjj)
    response = client.post(save_url(HIGH_TECH), form_data(HIGH_TECH, value="２４０家"))
    assert response.status_code == 302 and response.url == f"{PAGE}#indicator-26"
    actual = Actual.objects.get()
    assert (actual.value, actual.state, actual.version) == (Decimal("240"), "draft", 1)

    response = client.post(
        save_url(HIGH_TECH),
        form_data(
            HIGH_TECH,
            "submit",
            value="1,260",
            version="1",
            confirm_jump="on",
            explanation="新认定企业集中",
            source="统计快报",
        ),
    )
    assert response.status_code == 302
    actual.refresh_from_db()
    assert (actual.value, actual.state, actual.source) == (Decimal("1260"), "submitted", "统计快报")


def test_a_malformed_number_is_shown_next_to_the_field_with_the_input_kept(client, kjj):
    client.force_login(kjj)
    response = client.post(save_url(HIGH_TECH), form_data(HIGH_TECH, "submit", value="二百六"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "“二百六”不是数字" in html
    assert 'value="二百六"' in html
    assert not Actual.objects.exists()


def test_another_unit_is_refused_not_converted(client, kjj):
    client.force_login(kjj)
    response = client.post(save_url(27), form_data(27, "submit", value="3.2亿元"))
    assert "单位应为“%”，不能填写“亿元”" in response.content.decode()


def test_below_target_asks_for_cause_and_remedy(client, kjj):
    client.force_login(kjj)
    html = client.post(
        save_url(HIGH_TECH), form_data(HIGH_TECH, "submit", value="240")
    ).content.decode()
    assert "未达到目标值 250 家，请填写原因分析" in html
    assert "未达到目标值 250 家，请填写整改措施" in html
    assert not Actual.objects.exists()


def test_a_jump_asks_for_confirmation(client, kjj):
    client.force_login(kjj)
    html = client.post(
        save_url(HIGH_TECH), form_data(HIGH_TECH, "submit", value="400")
    ).content.decode()
    assert "与2020年基期值 199 家 相比变动 101%，超过 50%" in html
    assert 'name="indicator-26-confirm_jump"' in html


def test_a_share_above_100_is_refused(client, kjj):
    client.force_login(kjj)
    html = client.post(save_url(27), form_data(27, "submit", value="101%")).content.decode()
    assert "101%：占比应在 0 到 100 之间" in html


@pytest.mark.parametrize("number", [1, 11, 18])
def test_staff_cannot_save_what_another_department_leads(client, kjj, number):
    client.force_login(kjj)
    response = client.post(save_url(number), form_data(number, value="1"))
    assert response.status_code == 403
    assert not Actual.objects.exists()


def test_the_second_of_two_editors_is_refused_and_shown_the_other_value(client, kjj, wangcheng):
    indicator = Indicator.objects.select_related("plan").get(plan=wangcheng, number=HIGH_TECH)
    colleague = make_user("kjj2", Role.STAFF, department="区科技局")
    actual_save(
        indicator=indicator,
        year=2021,
        user=kjj,
        entry=ActualEntry(value=Decimal(240)),
        expected_version=None,
        submit=False,
    )
    actual_save(
        indicator=indicator,
        year=2021,
        user=colleague,
        entry=ActualEntry(value=Decimal(255)),
        expected_version=1,
        submit=False,
    )
    client.force_login(kjj)
    response = client.post(save_url(HIGH_TECH), form_data(HIGH_TECH, value="260", version="1"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "保存失败：该数据已被 kjj2" in html and "修改为 255 家（草稿）" in html
    assert 'value="260"' in html  # the user's input is kept
    assert 'name="indicator-26-version" value="2"' in html  # the next save starts from theirs
    assert Actual.objects.get().value == Decimal("255")


def test_evidence_upload_and_download_permissions(client, kjj, gxj, leader_user):
    client.force_login(kjj)
    data = form_data(HIGH_TECH, value="260")
    data["indicator-26-evidence"] = SimpleUploadedFile("快报.pdf", b"%PDF-1.4 test")
    assert client.post(save_url(HIGH_TECH), data).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "快报.pdf" and evidence.uploaded_by == kjj
    for user, status in ((kjj, 200), (gxj, 200), (leader_user, 200)):
        client.force_login(user)
        assert client.get(f"/evidence/{evidence.pk}/").status_code == status
    client.force_login(make_user("czj", Role.STAFF, department="区财政局"))
    assert client.get(f"/evidence/{evidence.pk}/").status_code == 404


def test_evidence_of_another_type_is_refused(client, kjj):
    client.force_login(kjj)
    data = form_data(HIGH_TECH, value="260")
    data["indicator-26-evidence"] = SimpleUploadedFile("run.exe", b"MZ")
    html = client.post(save_url(HIGH_TECH), data).content.decode()
    assert "佐证材料只接受 .pdf" in html
    assert not Actual.objects.exists() and not Evidence.objects.exists()


def test_a_responsible_unit_comments(client, gxj):
    client.force_login(gxj)
    response = client.post(
        f"{PAGE}{HIGH_TECH}/comment/", {"indicator-26-text": "已协调园区企业申报"}
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.text, comment.department.name, comment.author) == (
        "已协调园区企业申报",
        "区工信局",
        gxj,
    )


def test_an_unrelated_unit_cannot_comment(client, wangcheng):
    client.force_login(make_user("czj", Role.STAFF, department="区财政局"))
    response = client.post(f"{PAGE}{HIGH_TECH}/comment/", {"indicator-26-text": "x"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


# Review


def submitted(wangcheng, user, number=HIGH_TECH, value="260"):
    indicator = Indicator.objects.select_related("plan").get(plan=wangcheng, number=number)
    return actual_save(
        indicator=indicator,
        year=2021,
        user=user,
        entry=ActualEntry(value=Decimal(value), explanation="说明", measures="措施"),
        expected_version=None,
        submit=True,
    )


def test_review_queue_shows_target_previous_and_explanation(client, admin_user, kjj, wangcheng):
    submitted(wangcheng, kjj)
    client.force_login(admin_user)
    html = client.get("/review/?plan=wangcheng-2021-2023").content.decode()
    assert "26. 高新技术企业" in html
    assert "260 家" in html and "250 家" in html and "199 家" in html
    assert "原因：说明" in html and "措施：措施" in html


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADER])
def test_only_the_plan_office_opens_review_and_deadlines(client, wangcheng, role):
    client.force_login(make_user("x", role, department="区科技局"))
    for url in ("/review/", "/deadlines/"):
        assert client.get(url).status_code == 403
    assert client.post("/review/decide/", {"actual": "1", "action": "approve"}).status_code == 403
    assert (
        client.post("/deadlines/wangcheng-2021-2023/2021/", {"due_date": "2022-03-31"}).status_code
        == 403
    )
    assert (
        client.post("/deadlines/wangcheng-2021-2023/2021/remind/", {"department": "1"}).status_code
        == 403
    )


def test_approve_and_return_from_the_queue(client, admin_user, kjj, wangcheng):
    first = submitted(wangcheng, kjj)
    second = submitted(wangcheng, kjj, number=29, value="0")
    client.force_login(admin_user)
    response = client.post(
        "/review/decide/", {"actual": [first.pk], "action": "approve"}, follow=True
    )
    assert "已审核通过 1 条：26. 高新技术企业（2021）" in response.content.decode()
    response = client.post(
        "/review/decide/",
        {"actual": [second.pk], "action": "return", "reason": "请附证明"},
        follow=True,
    )
    assert "已退回 1 条" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.approved_value) == ("approved", Decimal("260"))
    assert (second.state, second.return_reason) == ("returned", "请附证明")
    # The department sees the reason on its page.
    client.force_login(kjj)
    assert "退回原因：请附证明" in client.get(PAGE).content.decode()


def test_return_without_reason_changes_nothing(client, admin_user, kjj, wangcheng):
    actual = submitted(wangcheng, kjj)
    client.force_login(admin_user)
    response = client.post(
        "/review/decide/", {"actual": [actual.pk], "action": "return"}, follow=True
    )
    assert "未做任何修改：退回时请填写退回原因。" in response.content.decode()
    actual.refresh_from_db()
    assert actual.state == "submitted"


def test_bulk_approval(client, admin_user, kjj, wangcheng):
    ids = [submitted(wangcheng, kjj, number=n, value=v).pk for n, v in ((26, "260"), (29, "0"))]
    client.force_login(admin_user)
    client.post("/review/decide/", {"actual": ids, "action": "approve"})
    assert list(Actual.objects.values_list("state", flat=True)) == ["approved", "approved"]


# Deadlines and reminders


def test_deadline_is_set_and_shown_with_days_left(client, admin_user, kjj, wangcheng):
    due = timezone.localdate() + timedelta(days=10)
    client.force_login(admin_user)
    client.post("/deadlines/wangcheng-2021-2023/2021/", {"due_date": due.isoformat()})
    assert ReportingDeadline.objects.get(plan=wangcheng, year=2021).due_date == due
    client.force_login(kjj)
    assert "距截止还有 10 天" in client.get(PAGE).content.decode()


def test_late_departments_are_listed_and_reminded(client, admin_user, kjj, wangcheng):
    make_user("czj", Role.STAFF, department="区财政局").__class__.objects.filter(
        username="czj"
    ).update(email="czj@wangcheng.gov.cn")
    submitted(wangcheng, kjj)
    client.force_login(admin_user)
    html = client.get("/deadlines/?plan=wangcheng-2021-2023&year=2021").content.decode()
    assert "区财政局" in html and "区科技局" in html
    finance = Indicator.objects.get(plan=wangcheng, number=11).lead_department
    science = Indicator.objects.get(plan=wangcheng, number=26).lead_department
    response = client.post(
        "/deadlines/wangcheng-2021-2023/2021/remind/",
        {"department": [finance.pk, science.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "已发送提醒邮件：区财政局" in html
    assert "以下单位没有填写邮箱的填报员，未能发送：区科技局" in html
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["czj@wangcheng.gov.cn"]
    assert "2021 年实际值" in mail.outbox[0].subject


def test_department_progress_counts(admin_user, kjj, wangcheng):
    from indicators.selectors import department_progress

    first = submitted(wangcheng, kjj)
    actual_approve(actual_id=first.pk, user=admin_user)
    submitted(wangcheng, kjj, number=29, value="0")
    rows = {row.name: row for row in department_progress(wangcheng, 2021)}
    science = rows["区科技局"]
    assert (science.led, science.submitted, science.approved, science.missing) == (4, 2, 1, 2)
    assert rows["区工信局"].submitted == 0 and rows["区工信局"].led == 19


@pytest.mark.parametrize(
    "url",
    [PAGE, "/review/?plan=wangcheng-2021-2023", "/deadlines/?plan=wangcheng-2021-2023&year=2021"],
)
def test_query_count_does_not_grow_with_the_data(client, admin_user, kjj, wangcheng, url):
    submitted(wangcheng, kjj)
    client.force_login(admin_user)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow_plan(wangcheng, 40)
    for indicator in Indicator.objects.filter(plan=wangcheng, number__gt=42)[:20]:
        Actual.objects.create(
            indicator=indicator,
            year=2021,
            value=Decimal(5),
            state="submitted",
            submitted_by=kjj,
            submitted_at=timezone.now(),
        )
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small) <= 16
