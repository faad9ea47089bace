"""Every number from a query string or a form is parsed one way (indicators/params.py):
ASCII digits of a bounded length, else a Chinese 400 page, never a 500. The 400 and 500
pages are ours, in Chinese. An entry with nothing in it saves nothing, for every kind."""

from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.template import loader
from django.test import RequestFactory, override_settings

from indicators.actuals import ActualEntry, actual_save
from indicators.models import Actual, Department, Indicator, Role, Target
from indicators.reporting.workflow import WorkflowError
from projects.investment_input import InvestmentEntry
from projects.investments import investment_save
from projects.milestones import ProgressEntry, progress_save
from projects.models import MilestoneProgress, ProjectInvestment
from tests.factories import HITECH, WANGCHENG, indicator, make_user, milestone, supervised_project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_plans")]

# Values no page of ours sends: a superscript, Arabic-Indic digits, a decimal, a sign,
# letters, a number too long for any year, full-width digits, a space.
MALFORMED = ["²", "١٢", "2021.0", "-1", "abc", "9" * 50, "１２", " 2021", "+2021"]
YEAR_RULE = "year 应为 2021–2023 之间的年份"
HITECH_YEAR_RULE = "year 应为 2021–2025 之间的年份"
EMPTY_MESSAGE = "或说明后再保存"


@pytest.fixture
def office(client):
    user = make_user("office-params", Role.ADMIN)
    client.force_login(user)
    client.raise_request_exception = False
    return user


# ---------------------------------------------------------------------------------------
# The helper, as a table.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021", 2021),
        ("0", 0),
        ("007", 7),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),  # past a 64-bit column
        ("9" * 5000, None),  # never handed to int()
        ("", None),
        (None, None),
        ("²", None),
        ("³", None),
        ("١٢", None),
        ("１２", None),
        ("𝟗", None),
        ("2021.0", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1 ", None),
        ("1_000", None),
        ("abc", None),
        ("0x10", None),
    ],
)
def test_ascii_int_takes_ascii_digits_only(text, expected):
    from indicators.params import ascii_int

    assert ascii_int(text) == expected


def test_ascii_int_bounds_the_length():
    from indicators.params import ascii_int

    assert ascii_int("2021", max_digits=4) == 2021
    assert ascii_int("20210", max_digits=4) is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", None), ("year=", None), ("year=2022", 2022), ("year=2030", None), ("year=0", None)],
)
def test_year_param_gives_a_plan_year_or_none(wangcheng, query, expected):
    from indicators.params import year_param

    assert year_param(RequestFactory().get(f"/?{query}"), wangcheng) == expected


@pytest.mark.parametrize("value", [*MALFORMED, "2030"])
def test_year_param_refuses_a_malformed_year_and_strictly_one_outside_the_plan(wangcheng, value):
    from indicators.params import BadParameter, year_param

    request = RequestFactory().get("/", {"year": value})
    with pytest.raises(BadParameter, match=YEAR_RULE):
        year_param(request, wangcheng, strict=True)
    if value != "2030":
        with pytest.raises(BadParameter, match=YEAR_RULE):
            year_param(request, wangcheng)


def test_ids_param_takes_every_id_once_and_refuses_anything_else():
    from indicators.params import BadParameter, ids_param

    factory = RequestFactory()
    assert ids_param(factory.post("/", {}), "actual") == []
    assert ids_param(factory.post("/", {"actual": ["3", "1", "3"]}), "actual") == [3, 1]
    for bad in MALFORMED:
        with pytest.raises(BadParameter, match="actual 应为数据编号"):
            ids_param(factory.post("/", {"actual": ["1", bad]}), "actual")


# ---------------------------------------------------------------------------------------
# Every page that reads ?year=: a malformed one is a 400 in Chinese, never a 500.

YEAR_PAGES = [
    f"/?plan={WANGCHENG}",
    f"/departments/?plan={WANGCHENG}",
    f"/plans/{WANGCHENG}/indicators/1/?plan={WANGCHENG}",
    f"/tasks/{WANGCHENG}/?plan={WANGCHENG}",
    f"/deadlines/?plan={WANGCHENG}",
]


def with_query(url: str, **params) -> str:
    """The test client drops the URL's own query string when given data: join them here."""
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def assert_chinese_400(response, rule: str = YEAR_RULE) -> None:
    assert response.status_code == 400, response.status_code
    body = response.content.decode()
    assert '<html lang="zh-Hans">' in body
    assert "请求有误" in body and rule in body
    assert "Bad Request" not in body


@override_settings(DEBUG=False)
@pytest.mark.parametrize("value", MALFORMED)
@pytest.mark.parametrize("url", YEAR_PAGES)
def test_a_malformed_year_is_a_400_page_in_chinese(client, office, url, value):
    assert_chinese_400(client.get(with_query(url, year=value)))


@override_settings(DEBUG=False)
@pytest.mark.parametrize("value", MALFORMED)
def test_a_department_page_refuses_a_malformed_year(client, office, value):
    department = Department.objects.get(name="区科技局")
    url = with_query(f"/departments/{department.pk}/", plan=WANGCHENG, year=value)
    assert_chinese_400(client.get(url))


@override_settings(DEBUG=False)
@pytest.mark.parametrize("value", MALFORMED)
def test_the_project_dashboard_refuses_a_malformed_year(client, office, value):
    response = client.get(f"/projects/{HITECH}/dashboard/", {"year": value})
    assert_chinese_400(response, HITECH_YEAR_RULE)


@override_settings(DEBUG=False)
@pytest.mark.parametrize("value", ["", "2030", "2019"])
@pytest.mark.parametrize("url", YEAR_PAGES)
def test_a_blank_year_or_one_outside_the_plan_shows_the_year_reported_now(
    client, office, url, value
):
    assert client.get(with_query(url, year=value)).status_code == 200


@override_settings(DEBUG=False)
@pytest.mark.parametrize("value", MALFORMED)
def test_the_review_queue_reads_no_year_and_ignores_unknown_filters(client, office, value):
    response = client.get("/review/", {"year": value, "plan": value, "kind": value})
    assert response.status_code == 200


@override_settings(DEBUG=False)
@pytest.mark.parametrize("value", MALFORMED)
def test_the_progress_api_answers_a_malformed_year_with_json_in_chinese(client, office, value):
    response = client.get(f"/api/v1/plans/{WANGCHENG}/progress/", {"year": value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": YEAR_RULE}


@override_settings(DEBUG=False)
def test_the_progress_api_keeps_its_fallback_for_a_blank_year(client, office):
    response = client.get(f"/api/v1/plans/{WANGCHENG}/progress/", {"year": ""})
    assert response.status_code == 200
    assert response.json()["year"] in (2021, 2022, 2023)


@override_settings(DEBUG=False)
@pytest.mark.parametrize("value", MALFORMED)
def test_the_project_list_refuses_a_malformed_page(client, office, value):
    response = client.get(f"/projects/{HITECH}/", {"page": value})
    assert_chinese_400(response, "page 应为页码")


@override_settings(DEBUG=False)
@pytest.mark.parametrize("query", ["", "page=", "page=1", "page=99999"])
def test_the_project_list_pages_as_before(client, office, query):
    assert client.get(f"/projects/{HITECH}/?{query}").status_code == 200


@override_settings(DEBUG=False)
@pytest.mark.parametrize("value", MALFORMED)
def test_a_malformed_project_filter_is_shown_on_the_form(client, office, value):
    query = {"department": value, "min_investment": value, "sort": value}
    assert client.get(f"/projects/{HITECH}/", query).status_code == 200


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    "url",
    [
        "/admin/indicators/actual/?year={}",
        "/admin/indicators/user/?department__id__exact={}",
        "/admin/projects/project/?supervising_department__id__exact={}",
        "/admin/projects/projectinvestment/?year={}",
    ],
)
@pytest.mark.parametrize("value", ["²", "١٢", "abc", "9" * 50])
def test_admin_changelist_filters_never_fail(client, office, url, value):
    response = client.get(url.format(value))
    # Django's admin answers a filter it cannot apply with the list and ?e=1.
    assert response.status_code == 200 or response["Location"].endswith("?e=1")


@override_settings(DEBUG=False)
@pytest.mark.parametrize("value", ["²", "١٢", "abc", "9" * 50])
def test_admin_actions_on_malformed_ids_never_fail(client, office, value):
    actual = submitted_actual(office)
    data = {"action": "delete_selected", "_selected_action": [value], "index": "0"}
    assert client.post("/admin/indicators/actual/", data).status_code == 200
    assert Actual.objects.filter(pk=actual.pk).exists()


# ---------------------------------------------------------------------------------------
# The plan office's POSTs: review decisions and reminders.


def submitted_actual(user) -> Actual:
    return actual_save(
        indicator=indicator(26),
        year=2021,
        user=user,
        entry=ActualEntry(value=Decimal("260")),
        expected_version=None,
        submit=True,
    )


@override_settings(DEBUG=False)
@pytest.mark.parametrize("value", MALFORMED)
@pytest.mark.parametrize("key", ["actual", "investment", "progress"])
def test_a_review_post_with_a_malformed_id_changes_nothing(client, office, key, value):
    actual = submitted_actual(office)
    data = {"action": "approve", "actual": str(actual.pk), key: value}
    if key == "actual":
        data["actual"] = [str(actual.pk), value]
    response = client.post("/review/decide/", data)
    assert_chinese_400(response, f"{key} 应为数据编号")
    actual.refresh_from_db()
    assert (actual.state, actual.version) == ("submitted", 1)


@override_settings(DEBUG=False)
def test_a_review_post_with_good_ids_still_approves(client, office):
    actual = submitted_actual(office)
    response = client.post("/review/decide/", {"action": "approve", "actual": str(actual.pk)})
    assert response.status_code == 302
    actual.refresh_from_db()
    assert actual.state == "approved"


@override_settings(DEBUG=False)
def test_a_review_post_naming_no_figure_is_not_a_500(client, office):
    response = client.post(
        "/review/decide/", {"action": "approve", "actual": "9" * 18}, follow=True
    )
    assert response.status_code == 200
    assert "未做任何修改：所选数据已不存在，请刷新页面。" in response.content.decode()


REMIND = f"/deadlines/{WANGCHENG}/2021/remind/"


def late_department_with_mail() -> Department:
    """区科技局 has submitted nothing for 2021; its 填报员 has an e-mail address."""
    staff = make_user("kjj-mail", Role.STAFF, department="区科技局")
    staff.email = "kjj@example.cn"
    staff.save()
    return staff.department


@override_settings(DEBUG=False)
@pytest.mark.parametrize("value", MALFORMED)
def test_a_reminder_post_with_a_malformed_department_sends_nothing(client, office, value):
    late = late_department_with_mail()
    response = client.post(REMIND, {"department": [str(late.pk), value]})
    assert_chinese_400(response, "department 应为数据编号")
    assert mail.outbox == []


@override_settings(DEBUG=False)
def test_a_reminder_post_with_good_ids_still_sends(client, office):
    late = late_department_with_mail()
    response = client.post(REMIND, {"department": [str(late.pk)]})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["kjj@example.cn"]]


# ---------------------------------------------------------------------------------------
# The 400 and 500 pages are ours, in Chinese, with DEBUG off.


@override_settings(DEBUG=False)
def test_a_server_error_shows_the_chinese_500_page(client, office, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("dashboards.views.plan_progress", broken)
    response = client.get(f"/?plan={WANGCHENG}")
    assert response.status_code == 500
    body = response.content.decode()
    assert '<html lang="zh-Hans">' in body and "服务器错误" in body and "请稍后再试" in body
    assert "Server Error" not in body and "boom" not in body


def test_the_500_page_needs_no_request_user_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        body = loader.get_template("500.html").render()
    assert "服务器错误" in body and 'href="/"' in body


@override_settings(DEBUG=False)
def test_a_bad_request_without_our_message_shows_the_general_400_page(client, office):
    # More fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: Django's own SuspiciousOperation.
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=2):
        response = client.post(REMIND, {"department": ["1", "2", "3"], "x": "1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "请求有误" in body and "请求中的参数无效。" in body


# ---------------------------------------------------------------------------------------
# An entry with no figure and no text saves nothing, for every kind: by form and by service.


def text_target_indicator() -> Indicator:
    """Hi-Tech 22 (单位工业增加值能耗降幅): its 2025 target is 完成市里下达任务."""
    target = (
        Target.objects.filter(indicator__plan__slug=HITECH, year=2025)
        .exclude(text="")
        .select_related("indicator")
        .order_by("indicator__number")
        .first()
    )
    return target.indicator


def actual_post(number: int, version: int = 0, **fields) -> dict:
    prefix = f"indicator-{number}"
    data = {
        "action": "draft",
        f"{prefix}-kind": "preliminary",
        f"{prefix}-version": str(version),
        f"{prefix}-value": "",
        f"{prefix}-text_status": "",
        f"{prefix}-source": "",
        f"{prefix}-explanation": "",
        f"{prefix}-measures": "",
    }
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return data


def investment_post(number: int, version: int = 0, **fields) -> dict:
    prefix = f"project-{number}"
    data = {
        "action": "draft",
        f"{prefix}-planned": "",
        f"{prefix}-completed": "",
        f"{prefix}-explanation": "",
        f"{prefix}-version": str(version),
    }
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return data


def progress_post(pk: int, version: int = 0, **fields) -> dict:
    prefix = f"milestone-{pk}"
    data = {
        "action": "draft",
        f"{prefix}-value": "",
        f"{prefix}-explanation": "",
        f"{prefix}-measures": "",
        f"{prefix}-version": str(version),
    }
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return data


def assert_refused_empty(response) -> None:
    assert response.status_code == 400
    assert EMPTY_MESSAGE in response.content.decode()


@pytest.fixture
def kjj(client):
    """区科技局 leads indicator 26 (高新技术企业)."""
    user = make_user("kjj-params", Role.STAFF, department="区科技局")
    client.force_login(user)
    return user


@pytest.fixture
def fgj(client):
    """高新区发改局 supervises project 14 of the Hi-Tech plan."""
    user = make_user("fgj-params", Role.STAFF, department="高新区发改局")
    client.force_login(user)
    return user


@pytest.fixture
def cyfzj(client):
    """望城经开区产业发展局 leads milestone 4-1 of the Wangcheng plan."""
    user = make_user("cyfzj-params", Role.STAFF, department="望城经开区产业发展局")
    client.force_login(user)
    return user


ACTUAL_SAVE = f"/report/{WANGCHENG}/2021/26/"
INVESTMENT_SAVE = f"/projects/{HITECH}/report/2022/14/"


def progress_url(pk: int) -> str:
    return f"/tasks/{WANGCHENG}/report/2022/milestones/{pk}/"


def test_an_empty_actual_is_refused_and_creates_nothing(client, kjj):
    assert_refused_empty(client.post(ACTUAL_SAVE, actual_post(26)))
    assert_refused_empty(client.post(ACTUAL_SAVE, actual_post(26, source="统计快报")))
    assert not Actual.objects.filter(indicator__plan__slug=WANGCHENG, year=2021).exists()


def test_an_empty_actual_does_not_overwrite_a_figure(client, kjj):
    saved = actual_save(
        indicator=indicator(26),
        year=2021,
        user=kjj,
        entry=ActualEntry(value=Decimal("260")),
        expected_version=None,
        submit=False,
    )
    assert_refused_empty(client.post(ACTUAL_SAVE, actual_post(26, version=saved.version)))
    saved.refresh_from_db()
    assert (saved.version, saved.value) == (1, Decimal("260"))


def test_an_actual_with_only_a_text_status_or_an_explanation_is_saved(client, kjj, admin_user):
    client.force_login(admin_user)
    text = text_target_indicator()
    url = f"/report/{HITECH}/2025/{text.number}/"
    assert client.post(url, actual_post(text.number, text_status="done")).status_code == 302
    assert Actual.objects.get(indicator=text, year=2025).text_status == "done"
    client.force_login(kjj)
    response = client.post(ACTUAL_SAVE, actual_post(26, explanation="统计口径调整中"))
    assert response.status_code == 302
    assert Actual.objects.get(indicator__number=26, indicator__plan__slug=WANGCHENG).value is None


def test_an_empty_investment_is_refused_and_creates_nothing(client, fgj):
    project = supervised_project(14)
    assert_refused_empty(client.post(INVESTMENT_SAVE, investment_post(14)))
    assert not ProjectInvestment.objects.filter(project=project, year=2022).exists()


def test_an_empty_investment_does_not_overwrite_a_figure(client, fgj):
    project = supervised_project(14)
    saved = investment_save(
        project=project,
        year=2022,
        user=fgj,
        entry=InvestmentEntry(planned=Decimal("30")),
        expected_version=None,
        submit=False,
    )
    assert_refused_empty(client.post(INVESTMENT_SAVE, investment_post(14, saved.version)))
    saved.refresh_from_db()
    assert (saved.version, saved.planned) == (1, Decimal("30"))


def test_an_investment_with_only_an_explanation_is_saved(client, fgj):
    project = supervised_project(14)
    response = client.post(INVESTMENT_SAVE, investment_post(14, explanation="项目尚未开工"))
    assert response.status_code == 302
    saved = ProjectInvestment.objects.get(project=project, year=2022)
    assert (saved.planned, saved.explanation) == (None, "项目尚未开工")


def test_an_empty_milestone_entry_is_refused_and_creates_nothing(client, cyfzj):
    target = milestone(WANGCHENG, "4-1")
    response = client.post(progress_url(target.pk), progress_post(target.pk))
    assert_refused_empty(response)
    assert "请至少填写完成值或说明后再保存。" in response.content.decode()
    assert not MilestoneProgress.objects.filter(milestone=target, year=2022).exists()


def test_an_empty_milestone_entry_does_not_overwrite_a_figure(client, cyfzj):
    target = milestone(WANGCHENG, "4-1")
    saved = progress_save(
        milestone=target,
        year=2022,
        user=cyfzj,
        entry=ProgressEntry(value=Decimal("36")),
        expected_version=None,
        submit=False,
    )
    response = client.post(progress_url(target.pk), progress_post(target.pk, saved.version))
    assert_refused_empty(response)
    saved.refresh_from_db()
    assert (saved.version, saved.value) == (1, Decimal("36"))


@pytest.mark.parametrize(
    ("save", "subject", "entry"),
    [
        (actual_save, lambda: {"indicator": indicator(26), "year": 2021}, ActualEntry()),
        (
            actual_save,
            lambda: {"indicator": indicator(26), "year": 2021},
            ActualEntry(source="统计快报", explanation="  ", measures=" "),
        ),
        (
            investment_save,
            lambda: {"project": supervised_project(14), "year": 2022},
            InvestmentEntry(explanation=" "),
        ),
        (
            progress_save,
            lambda: {"milestone": milestone(WANGCHENG, "4-1"), "year": 2022},
            ProgressEntry(confirm_jump=True),
        ),
    ],
)
def test_the_one_save_refuses_an_empty_entry_of_every_kind(save, subject, entry, admin_user):
    with pytest.raises(WorkflowError, match=EMPTY_MESSAGE):
        save(**subject(), entry=entry, user=admin_user, expected_version=None, submit=False)


@pytest.mark.parametrize(
    "entry",
    [
        ActualEntry(value=Decimal("1")),
        ActualEntry(text_status="done"),
        ActualEntry(explanation="口径调整"),
        InvestmentEntry(completed=Decimal("0")),
        InvestmentEntry(explanation="未开工"),
        ProgressEntry(value=Decimal("0")),
        ProgressEntry(measures="加快推进"),
    ],
)
def test_an_entry_with_a_figure_or_a_text_is_not_empty(entry):
    assert entry.is_empty() is False
