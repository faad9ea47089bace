"""/healthz/ costs nothing, and pages and JSON travel gzip-compressed when the client asks."""

import gzip
import json

import pytest

from indicators.models import Role
from tests.factories import WANGCHENG, make_user

HTML_PAGE = f"/?plan={WANGCHENG}"
API_ANSWER = f"/api/v1/plans/{WANGCHENG}/indicators/"


def test_it_answers_ok_without_login_or_queries(client, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    # No session was started for it, and no proxy keeps the answer.
    assert "sessionid" not in response.cookies
    assert "no-store" in response["Cache-Control"]


def test_it_answers_head_and_refuses_post(client, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        assert client.head("/healthz/").status_code == 200
        assert client.post("/healthz/").status_code == 405


@pytest.fixture
def leader_client(client, loaded_plans):
    client.force_login(make_user("leader-gzip", Role.LEADER, department="区委区政府"))
    return client


@pytest.mark.parametrize("url", [HTML_PAGE, API_ANSWER])
def test_it_compresses_pages_and_json_for_clients_that_accept_gzip(leader_client, url):
    plain = leader_client.get(url)
    packed = leader_client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.status_code == packed.status_code == 200
    assert not plain.has_header("Content-Encoding")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    body = gzip.decompress(packed.content)
    assert len(packed.content) < len(body) / 3
    assert int(packed["Content-Length"]) == len(packed.content)
    # Compression keeps every header the page had.
    assert packed["Cache-Control"] == plain["Cache-Control"]
    assert packed.has_header("Content-Security-Policy")
    # Django's BREACH mitigation ("Heal the Breach"): a random-length file name in the
    # gzip header (flag FNAME), so the compressed length does not betray the content.
    assert packed.content[3] & 0x08
    if url == API_ANSWER:
        assert len(json.loads(body)["indicators"]) == 42
    else:
        assert body.lstrip().startswith(b"<!DOCTYPE html>")
