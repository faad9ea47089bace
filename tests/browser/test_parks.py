"""A leader opens 园区对比 in Chromium on a desktop (1440×900) and a phone (390×844): the
parks drawn side by side, ranks on a reversed axis (up is better), the goal beside the
latest rank with its distance, sources one click away, no sideways scrolling, prints."""

from pathlib import Path

import pytest

from indicators.models import Role
from tests.factories import PASSWORD, make_user
from tests.parks.conftest import load_published_quietly

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
# Each drawn rank chart: its trace names, y values and the axis range plotly used.
RANK_CHARTS = """Array.from(document.querySelectorAll('[id^=rank-].js-plotly-plot')).map(e => ({
  id: e.id, y: e.data[0].y, goal: e.data[1] ? e.data[1].y : null,
  range: e._fullLayout.yaxis.range, width: e._fullLayout._size.w}))"""


@pytest.mark.parametrize("size", list(SIZES))
def test_the_leader_compares_the_parks(live_server, loaded_plans, new_page, size, csp_violations):
    load_published_quietly()
    make_user("leader", Role.LEADER, department="区委区政府")
    width, height = SIZES[size]
    page = new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # logged in and landed
    page.goto(f"{live_server.url}/parks/")  # returns once loaded: the charts' scripts ran
    page.locator("#rank-1 .main-svg").first.wait_for()

    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), size
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"parks-{size}.png", full_page=True)
    charts = page.evaluate(RANK_CHARTS)
    national = next(c for c in charts if c["y"] == [161, 152])
    low, high = national["range"]
    assert low > high  # reversed: the better (smaller) place is drawn higher
    assert national["goal"] == [120]
    assert all(c["width"] > 0 for c in charts)
    # Every topic chart drew bars for the parks side by side.
    assert page.locator("[id^=topic-] g.point path").count() >= 10
    assert page.locator("td.distance", has_text="还需提升 32 位").count() == 1

    # The source of a value is one click away.
    row = page.locator("tr", has_text="全国国家级经开区综合评价排名").first
    source = row.locator("details.source").first
    source.locator("summary").click()
    assert "潇湘潮涌千帆竞" in source.inner_text()

    # Printing opens every table (static script, no inline code) and hides the menu.
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate("Array.from(document.querySelectorAll('details')).every(d => d.open)")
    assert page.locator(".topbar").is_hidden()
    pdf = page.pdf() if size == "desktop" else b"%PDF"
    assert pdf.startswith(b"%PDF")
    assert errors == [] and csp_violations == []
