"""Each role's landing page and a short tour, on a desktop (1440×900) and a phone (390×844):
no page scrolls sideways, every plotly chart is drawn with a width, no console error.

Screenshots go to var/screenshots/ (not committed), on screen and printed to PDF pages.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from indicators.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
PLAN = "wangcheng-2021-2023"
HITECH = "changsha-hitech-2021-2025"
TOURS = {
    "kjj": [f"/report/{PLAN}/2021/", f"/plans/{PLAN}/indicators/26/?year=2021", "/tasks/"],
    "office": ["/review/", "/deadlines/", f"/departments/?plan={PLAN}&year=2021"],
    "leader": [
        f"/?plan={PLAN}&year=2021",
        f"/plans/{HITECH}/indicators/22/?year=2025",
        "/projects/dashboard/",
    ],
}
# How wide each plotly chart's plotting area is; 0 when it collapsed.
CHART_WIDTHS = """Array.from(document.querySelectorAll('.js-plotly-plot')).map(
  e => [e.id, e._fullLayout ? e._fullLayout._size.w : 0])"""


def tour(page, base: str, username: str, size: str, errors: list) -> None:
    """Check the landing page the user is on, then each page of the user's tour.

    Each page is checked once loaded: its scripts (static files, none deferred) have run
    and drawn every chart by then, and the pages fetch nothing afterwards, so waiting for
    the network to stay idle for half a second more would only wait.
    """
    for number, path in enumerate([None, *TOURS[username]]):
        if path is not None:
            page.goto(base + path)
        page.wait_for_load_state("load")
        where = f"{username} {size} {page.url}"
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), where
        for chart, width in page.evaluate(CHART_WIDTHS):
            assert width > 0, f"{where}: {chart}"
        page.screenshot(path=SHOTS / f"{username}-{size}-{number}.png", full_page=True)
    assert errors == [], errors


@pytest.fixture
def people(loaded_plans):
    call_command("load_demo", stdout=io.StringIO())
    make_user("kjj", Role.STAFF, department="区科技局")
    make_user("office", Role.ADMIN, department="区工信局")
    make_user("leader", Role.LEADER, department="区委区政府")


@pytest.mark.parametrize("size", list(SIZES))
def test_each_role_tours_its_pages(live_server, people, browser, size):
    SHOTS.mkdir(parents=True, exist_ok=True)
    width, height = SIZES[size]
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    try:
        # One tab for the three users, one after the other, each with no cookie of the one
        # before (the site keeps nothing else in the browser): the tab's renderer compiles
        # plotly.js once, not once per user.
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors = []  # the current user's
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        for username in TOURS:
            context.clear_cookies()
            errors.clear()
            log_in_anywhere(page, live_server.url, username)
            tour(page, live_server.url, username, size, errors)
        page.close()
    finally:
        context.close()


def log_in_anywhere(page, base: str, username: str) -> None:
    """Log in and stay on the landing page the role is sent to."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-123456")
    page.click("button[type=submit]")
    # Until the landing page has replaced the login page: the click only starts that.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state()


def test_the_phone_menu_opens_and_print_shows_the_header(live_server, people, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in_anywhere(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/?plan={PLAN}&year=2021")
    nav = page.locator("#site-nav")
    assert not nav.is_visible()  # folded away behind the menu button
    page.click(".nav-toggle")
    assert nav.is_visible() and page.locator(".nav-toggle").get_attribute("aria-expanded") == "true"
    assert not page.locator(".print-header").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".print-header").is_visible() and not nav.is_visible()
    # The charts redraw for paper (static/js/charts.js): until every one is as narrow.
    page.wait_for_function(f"{CHART_WIDTHS}.every(([, w]) => 0 < w && w <= 680)")
    widths = page.evaluate(CHART_WIDTHS)
    assert widths and all(0 < w <= 680 for _, w in widths)  # as wide as A4 at most
    page.pdf(path=str(SHOTS / "leader-overview.pdf"), format="A4")
    context.close()


def test_the_confirm_box_sits_beside_its_label(live_server, people, browser):
    # A jump of more than 50% from last year's (sample) figure asks for 确认数值无误.
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in_anywhere(page, live_server.url, "kjj")
    page.goto(f"{live_server.url}/report/{PLAN}/2022/")
    line = page.locator("#indicator-26")
    line.locator("input[name='indicator-26-value']").fill("99999")
    line.locator("button[value=submit]").click()
    page.wait_for_load_state()
    box = page.locator("#indicator-26 .field.confirm input[type=checkbox]").bounding_box()
    label = page.locator("#indicator-26 .field.confirm label").bounding_box()
    assert label["x"] > box["x"] + box["width"] - 1  # after the box
    assert abs((label["y"] + label["height"] / 2) - (box["y"] + box["height"] / 2)) < 8
    context.close()
