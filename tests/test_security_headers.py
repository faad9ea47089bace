"""Every page carries a strict Content-Security-Policy, and nothing behind the login is cached."""

import re
from html.parser import HTMLParser

import pytest
from django.test import override_settings

from indicators.models import Department, Evidence, Indicator, Role
from tests.factories import HITECH, WANGCHENG, make_user

# Every kind of page, for a 管理员 (who may open them all), and the API.
PAGES = [
    "/",
    "/?plan={W}&year=2021",
    "/departments/",
    "/departments/{department}/",
    "/plans/",
    "/plans/{W}/",
    "/plans/{W}/indicators/26/",
    "/plans/{W}/import/",
    "/report/{W}/2021/",
    "/report/{W}/2021/26/history/",
    "/report/{W}/2021/upload/",
    "/review/",
    "/deadlines/",
    "/projects/{H}/",
    "/projects/{H}/dashboard/",
    "/projects/{H}/14/",
    "/projects/{H}/report/2022/",
    "/tasks/{W}/",
    "/tasks/{W}/report/2022/",
    "/api/v1/plans/",
    "/admin/",
    "/admin/indicators/indicator/",
    "/admin/indicators/user/add/",
]


def directives(header: str) -> dict[str, list[str]]:
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


class InlineScripts(HTMLParser):
    """Collect what a CSP without 'unsafe-inline' would block: inline scripts, on* handlers,
    javascript: addresses."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "script" and "src" not in attributes:
            # JSON data (json_script) is never executed, so CSP allows it.
            self._in_inline_script = attributes.get("type") != "application/json"

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def assert_strict_csp(response) -> None:
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert not any("unsafe" in source for source in policy["script-src"])


def assert_private(response) -> None:
    cache_control = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control, response["Cache-Control"]


@pytest.fixture
def office(loaded_plans):
    return make_user("office", Role.ADMIN, department="区工信局")


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_strict_csp_and_no_inline_script(client, office, url):
    department = Department.objects.filter(led_indicators__isnull=False).first()
    url = url.format(W=WANGCHENG, H=HITECH, department=department.pk)
    client.force_login(office)
    response = client.get(url)
    assert response.status_code == 200, url
    assert_strict_csp(response)
    assert_private(response)
    if response["Content-Type"].startswith("text/html"):
        parser = InlineScripts()
        parser.feed(response.content.decode())
        assert parser.found == [], url


def test_the_login_and_error_pages_have_the_csp_too(client, office):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert_strict_csp(response)
    assert "no-store" in response["Cache-Control"]  # Django's login view is never cached
    client.force_login(office)
    response = client.get("/plans/no-such-plan/")
    assert response.status_code == 404
    assert_strict_csp(response)
    assert_private(response)


def test_the_report_switcher_has_no_inline_handler(client, loaded_plans):
    client.force_login(make_user("kjj", Role.STAFF, department="区科技局"))
    html = client.get(f"/report/{WANGCHENG}/2021/").content.decode()
    assert 'data-navigate="/report/{plan}/{year}/"' in html
    assert re.search(r"<script src=\"/static/js/navigation\.js\"></script>", html)


def test_the_api_is_private(client, office):
    client.force_login(office)
    for url in (
        "/api/v1/plans/",
        f"/api/v1/plans/{WANGCHENG}/indicators/",
        f"/api/v1/plans/{WANGCHENG}/progress/?year=2021",
        f"/api/v1/plans/{HITECH}/projects/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json")
        assert_private(response)


def test_excel_downloads_are_private(client, office):
    client.force_login(office)
    for url in (
        f"/reports/{WANGCHENG}/2021.xlsx",
        f"/report/{WANGCHENG}/2021/template.xlsx",
        f"/projects/{HITECH}/report/2022/template.xlsx",
        f"/tasks/{WANGCHENG}/report/2022/template.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "spreadsheetml" in response["Content-Type"]
        assert_private(response)


def test_evidence_downloads_are_private(client, office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    indicator = Indicator.objects.get(plan__slug=WANGCHENG, number=26)
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "kb.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    evidence = Evidence.objects.create(
        indicator=indicator,
        year=2021,
        file="evidence/kb.pdf",
        original_name="快报.pdf",
        uploaded_by=office,
    )
    client.force_login(office)
    response = client.get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert_private(response)


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_keep_their_public_caching(client, office):
    client.force_login(office)
    response = client.get("/static/js/charts.js")
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age" in cache_control
    assert "no-store" not in cache_control and "private" not in cache_control
