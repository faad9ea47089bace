"""Leaders' pages kept whole (dashboards/shell.py): one rendering per plan data version and
parts, with each request's own header and messages put in."""

import datetime

import pytest
from django.test import Client

from dashboards import shell
from indicators.models import Department, Role
from tests.factories import commit_so_far, make_user

OVERVIEW = "/?plan=wangcheng-2021-2023&year=2021"


def header(html: str) -> str:
    return html.split("<main")[0]


@pytest.fixture
def leaders(wangcheng):
    users = [
        make_user("leader-a", Role.LEADER, department="区委区政府"),
        make_user("leader-b", Role.LEADER, department="区发改局"),
    ]
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    commit_so_far()
    return clients


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The templates dashboards/shell.py renders from now on."""
    seen = []
    real = shell.render_to_string
    monkeypatch.setattr(
        shell, "render_to_string", lambda name, *a, **k: seen.append(name) or real(name, *a, **k)
    )
    return seen


def test_two_leaders_share_the_kept_page_each_with_their_own_header(leaders, rendered):
    first = leaders[0].get(OVERVIEW).content.decode()
    assert "dashboards/overview.html" in rendered
    rendered.clear()
    second = leaders[1].get(OVERVIEW).content.decode()
    # The page came from what the first request kept: only the second user's header ran.
    assert rendered == ["includes/site_header.html"]
    assert ">leader-a</a>（区委区政府，领导）" in header(first) and "leader-b" not in first
    assert ">leader-b</a>（区发改局，领导）" in header(second) and "leader-a" not in second
    assert first.split("</header>")[1] == second.split("</header>")[1]
    for hole in (shell.HEADER_HOLE, shell.MESSAGES_HOLE):
        assert hole not in first and hole not in second


def test_a_message_is_put_into_the_kept_page_and_read(leaders, rf):
    from django.contrib import messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from dashboards.views import overview

    leaders[0].get(OVERVIEW)  # kept now
    request = rf.get(OVERVIEW)
    request.user = leaders[1].get(OVERVIEW).wsgi_request.user
    request.session = SessionStore()
    request._messages = storage = FallbackStorage(request)
    messages.success(request, "示例数据已删除")
    html = overview(request).content.decode()
    assert '<li class="message success">示例数据已删除</li>' in html
    assert html.count("示例数据已删除") == 1
    assert storage.used  # shown: not carried to the next page


def test_the_print_date_moves_the_kept_page_at_midnight(leaders, monkeypatch):
    client = leaders[0]
    today = datetime.date(2026, 12, 6)
    monkeypatch.setattr(shell.timezone, "localdate", lambda: today)
    assert "打印日期：" in client.get(OVERVIEW).content.decode()
    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(shell.timezone, "localdate", lambda: tomorrow)
    rendered = []
    real = shell.render_to_string
    monkeypatch.setattr(
        shell,
        "render_to_string",
        lambda name, *a, **k: rendered.append(name) or real(name, *a, **k),
    )
    client.get(OVERVIEW)
    assert "dashboards/overview.html" in rendered  # a new day: rendered again


def test_the_plan_office_and_a_leader_are_kept_apart(leaders, admin_user):
    office = Client()
    office.force_login(admin_user)
    commit_so_far()
    leader_html = leaders[0].get(OVERVIEW).content.decode()
    office_html = office.get(OVERVIEW).content.decode()
    assert ">审核</a>" in header(office_html) and ">审核</a>" not in header(leader_html)
    department = Department.objects.get(name="区工信局")
    page = f"/departments/{department.pk}/?plan=wangcheng-2021-2023&year=2021"
    assert leaders[0].get(page).status_code == office.get(page).status_code == 200
