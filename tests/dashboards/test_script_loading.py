"""plotly.js is loaded deferred, and only by pages that draw a chart."""

import re

import pytest

PLOTLY = re.compile(r'<script src="[^"]*plotly[^"]*\.js"([^>]*)>')
CHART_PAGES = [
    "/?plan=wangcheng-2021-2023&year=2021",
    "/departments/?plan=wangcheng-2021-2023&year=2021",
    "/plans/wangcheng-2021-2023/indicators/1/?year=2021",
]
PLAIN_PAGES = ["/plans/", "/plans/wangcheng-2021-2023/", "/report/"]


@pytest.mark.parametrize("url", CHART_PAGES)
def test_chart_pages_load_plotly_deferred(client, loaded_plans, admin_user, url):
    client.force_login(admin_user)
    html = client.get(url, follow=True).content.decode()
    tags = PLOTLY.findall(html)
    assert len(tags) == 1 and "defer" in tags[0]
    assert re.search(r'<script src="[^"]*charts[^"]*\.js" defer>', html)


@pytest.mark.parametrize("url", PLAIN_PAGES)
def test_pages_without_charts_do_not_load_plotly(client, loaded_plans, admin_user, url):
    client.force_login(admin_user)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert not PLOTLY.search(response.content.decode())
