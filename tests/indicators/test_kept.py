"""The rows each process keeps (indicators/kept.py), the header each process keeps
(dashboards/templatetags/site_nav.py) and the versions a request reads once
(indicators/cache.py): no query once kept, and every change seen at the next request."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache as shared_cache
from django.db import transaction
from django.test import Client

from indicators import cache as versions
from indicators.kept import CATALOGUE, kept_plan_menu, kept_user, user_version_key
from indicators.models import Department, Plan, Role, User
from tests.factories import commit_so_far, committed, make_user

PROGRESS_API = "/api/v1/plans/wangcheng-2021-2023/progress/?year=2021"
OVERVIEW = "/?plan=wangcheng-2021-2023&year=2021"


@pytest.fixture
def signed_in(client, admin_user):
    """The plan office signed in, the user and its login committed (a login saves the
    user: until the commit its row is this transaction's own, never kept)."""
    client.force_login(admin_user)
    commit_so_far()
    return client


def test_a_kept_answer_costs_only_the_session(signed_in, wangcheng, django_assert_num_queries):
    assert signed_in.get(PROGRESS_API).status_code == 200  # keeps the user, plan, answer
    # The session (the database engine in the tests; Redis with REDIS_URL): nothing else.
    with django_assert_num_queries(1):
        assert signed_in.get(PROGRESS_API).status_code == 200


def test_a_kept_page_costs_only_the_session(signed_in, wangcheng, django_assert_num_queries):
    assert signed_in.get(OVERVIEW).status_code == 200  # keeps the page and the unread count
    with django_assert_num_queries(1):
        assert signed_in.get(OVERVIEW).status_code == 200


def test_a_deactivated_user_is_signed_out_at_the_next_request(signed_in, admin_user, wangcheng):
    assert signed_in.get(OVERVIEW).status_code == 200
    with committed():
        admin_user.is_active = False
        admin_user.save()
    response = signed_in.get(OVERVIEW)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_new_password_ends_the_other_sessions_at_once(signed_in, admin_user, wangcheng):
    assert signed_in.get(OVERVIEW).status_code == 200
    with committed():
        admin_user.set_password("another-long-password-2026")
        admin_user.save()
    assert signed_in.get(OVERVIEW).status_code == 302
    assert SESSION_KEY not in signed_in.session


def test_a_new_role_shows_at_the_next_request(signed_in, admin_user, wangcheng):
    assert ">审核</a>" in signed_in.get(OVERVIEW).content.decode()
    with committed():
        admin_user.role = Role.LEADER
        admin_user.save()
    html = signed_in.get(OVERVIEW).content.decode()
    assert ">审核</a>" not in html and "（区工信局，领导）" in html.replace(" ", "")


def test_a_renamed_department_shows_beside_its_users_at_once(signed_in, admin_user, wangcheng):
    assert "（区工信局，管理员）" in signed_in.get(OVERVIEW).content.decode()
    with committed():
        department = Department.objects.get(pk=admin_user.department_id)
        department.name = "区工业和信息化局"
        department.save()
    assert "（区工业和信息化局，管理员）" in signed_in.get(OVERVIEW).content.decode()


def test_another_process_s_change_is_seen_through_the_shared_version(admin_user, wangcheng):
    """Another process saves the user and bumps its version in the shared cache: this
    process's copy is not served again."""
    with committed():
        user = make_user("kept-reader", Role.LEADER, department="区委区政府")
    assert kept_user(user.pk).role == Role.LEADER  # kept now
    User.objects.filter(pk=user.pk).update(role=Role.ADMIN)  # the other process's write…
    with committed():
        versions.bump_version_on_commit(user_version_key(user.pk))  # …and its commit
    assert kept_user(user.pk).role == Role.ADMIN


def test_a_transaction_that_changed_the_user_reads_its_own_and_keeps_nothing(wangcheng):
    with committed():
        user = make_user("kept-writer", Role.STAFF, department="区科技局")
    assert kept_user(user.pk).first_name == ""
    with pytest.raises(RuntimeError), transaction.atomic():
        user.first_name = "未提交"
        user.save()
        assert kept_user(user.pk).first_name == "未提交"  # its own write
        raise RuntimeError("rolled back")
    assert kept_user(user.pk).first_name == ""  # the rolled-back name was never kept


def test_a_renamed_plan_shows_in_every_plan_s_menu_at_once(signed_in, wangcheng, hitech):
    hitech_overview = f"/?plan={hitech.slug}"
    assert f">{wangcheng.short_name}</option>" in signed_in.get(hitech_overview).content.decode()
    with committed():
        wangcheng.short_name = "望城三年行动"
        wangcheng.save()
    # The other plan's kept page carries the menu: it moved too.
    assert ">望城三年行动</option>" in signed_in.get(hitech_overview).content.decode()
    assert [p.short_name for p in kept_plan_menu() if p.pk == wangcheng.pk] == ["望城三年行动"]


def test_a_new_plan_joins_the_menu_at_once(signed_in, wangcheng):
    kept_plan_menu()
    with committed():
        Plan.objects.create(
            slug="kept-2026-2030", name="测试规划", short_name="测试十五五",
            base_year=2025, first_year=2026, last_year=2030,
        )
    assert "测试十五五" in [p.short_name for p in kept_plan_menu()]
    assert ">测试十五五</option>" in signed_in.get(OVERVIEW).content.decode()


# --- the header each process keeps -----------------------------------------------------------


def test_each_user_gets_a_header_of_their_own(wangcheng, admin_user, leader_user):
    pages = {}
    for user in (admin_user, leader_user, admin_user):
        client = Client()
        client.force_login(user)
        commit_so_far()
        pages.setdefault(user.username, []).append(client.get(OVERVIEW).content.decode())
    office, leader = pages["office"][0], pages["leader1"][0]
    assert ">office</a>（区工信局，管理员）" in office and ">审核</a>" in office
    assert ">leader1</a>（区委区政府，领导）" in leader and ">审核</a>" not in leader
    assert "office" not in leader.split("<main")[0]


def test_the_kept_header_carries_this_request_s_unread_count_and_csrf_token(
    wangcheng, admin_user
):
    from workspace.models import Notification, NotificationKind

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    commit_so_far()
    assert 'class="badge"' not in client.get(OVERVIEW).content.decode()
    with committed():
        Notification.objects.create(
            recipient=admin_user, kind=NotificationKind.APPROVED, title="已审核"
        )
        shared_cache.clear()  # the count is kept per user; a write drops it (notify.py)
    html = client.get(OVERVIEW).content.decode()
    assert '<span class="badge" aria-label="未读通知">1</span>' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert "<!--" not in html.split("<main")[0]  # no hole left unfilled
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # the token in the kept header is this session's


def test_a_search_keeps_its_words_in_the_box(signed_in, wangcheng):
    html = signed_in.get("/search/?q=企业").content.decode()
    assert 'name="q" maxlength="100" value="企业"' in html
    assert 'name="q" maxlength="100" value=""' in signed_in.get(OVERVIEW).content.decode()


# --- versions read once per request ----------------------------------------------------------


def test_a_page_asks_the_shared_cache_for_the_plans_version_once(
    signed_in, wangcheng, monkeypatch
):
    department = Department.objects.get(name="区工信局")
    page = f"/departments/{department.pk}/?plan=wangcheng-2021-2023"
    signed_in.get(page)
    asked = []
    get_many = shared_cache.get_many
    monkeypatch.setattr(
        versions.cache, "get_many", lambda keys, **kw: asked.extend(keys) or get_many(keys, **kw)
    )
    assert signed_in.get(page).status_code == 200
    # The plans' version serves the department, the plan and the menu: read once.
    assert asked.count(CATALOGUE) == 1


def test_a_bump_in_the_request_is_seen_by_the_rest_of_it():
    versions.start_request()
    try:
        before = versions.current_version("test-version")
        versions.bump_version("test-version")
        assert versions.current_version("test-version") == before + 1
    finally:
        versions.end_request()


def test_without_a_shared_cache_nothing_is_kept(wangcheng):
    """DEBUG off and no REDIS_URL: the cache is off (settings.py), so there is no version to
    check a copy by, and every read reads the row."""
    from django.test import override_settings

    with committed():
        user = make_user("kept-nocache", Role.LEADER, department="区委区政府")
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        assert kept_user(user.pk).first_name == ""
        User.objects.filter(pk=user.pk).update(first_name="无缓存")  # no signal, no bump
        assert kept_user(user.pk).first_name == "无缓存"
