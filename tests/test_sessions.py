"""A session ends after SESSION_IDLE_SECONDS without a request, and only then."""

import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from indicators.models import Role
from tests.factories import make_user
from wangcheng_plan.middleware import LAST_SEEN

PAGE = "/plans/"


@pytest.fixture
def leader(db):
    return make_user("leader", Role.LEADER, department="区委区政府")


def set_last_seen(client, seconds_ago: int) -> None:
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds_ago
    session.save()


def test_the_default_idle_timeout_is_two_hours_and_the_cookie_dies_with_the_browser():
    assert django_settings.SESSION_IDLE_SECONDS == 2 * 60 * 60
    assert django_settings.SESSION_COOKIE_AGE == django_settings.SESSION_IDLE_SECONDS
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_a_session_idle_for_longer_than_the_timeout_is_logged_out(client, leader):
    client.force_login(leader)
    assert client.get(PAGE).status_code == 200
    set_last_seen(client, django_settings.SESSION_IDLE_SECONDS + 1)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    # Logged out for good: the API, too, now answers 401.
    assert client.get("/api/v1/plans/").status_code == 401


def test_an_active_session_is_renewed_and_stays(client, leader):
    client.force_login(leader)
    set_last_seen(client, django_settings.SESSION_IDLE_SECONDS - 5)
    assert client.get(PAGE).status_code == 200
    assert int(time.time()) - client.session[LAST_SEEN] < 5
    # The session is saved again, so it also lives on in the database.
    expires = Session.objects.get(session_key=client.session.session_key).expire_date
    assert expires > timezone.now() + timedelta(seconds=django_settings.SESSION_IDLE_SECONDS - 10)
    assert client.get(PAGE).status_code == 200


def test_requests_within_a_minute_do_not_write_the_session(client, leader):
    client.force_login(leader)
    set_last_seen(client, 10)
    stamp = client.session[LAST_SEEN]
    assert client.get(PAGE).status_code == 200
    assert client.session[LAST_SEEN] == stamp


def test_a_session_without_a_stamp_counts_from_the_login(client, leader):
    """Sessions from before the timeout existed: idle since the login if nothing newer."""
    client.force_login(leader)
    assert client.get(PAGE).status_code == 200  # just logged in: no stamp needed yet
    assert LAST_SEEN not in client.session
    leader.last_login = timezone.now() - timedelta(
        seconds=django_settings.SESSION_IDLE_SECONDS + 60
    )
    leader.save(update_fields=["last_login"])
    response = client.get(PAGE)
    assert response.status_code == 302


def test_the_idle_time_comes_from_the_settings(client, leader, settings):
    settings.SESSION_IDLE_SECONDS = 600
    client.force_login(leader)
    set_last_seen(client, 601)
    assert client.get(PAGE).status_code == 302
