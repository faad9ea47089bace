"""Leaders' pages, the API and the Excel report are kept rendered per data version: every
write path shows on them at once, and what they serve equals a fresh render."""

import io
import re

import openpyxl
import pytest
from django.core.cache import cache

from indicators.models import Indicator, Role, User
from tests.factories import make_user
from tests.indicators.test_progress_cache import WANGCHENG, WRITE_PATHS, World, committed

YEAR = 2021
# The department pages keep their bodies the same way (their hits are pinned below).
PAGES = [
    f"/?plan={WANGCHENG}&year={YEAR}",
    f"/plans/{WANGCHENG}/indicators/26/?year={YEAR}",
    f"/api/v1/plans/{WANGCHENG}/progress/?year={YEAR}",
    f"/api/v1/plans/{WANGCHENG}/indicators/",
]
REPORT = f"/reports/{WANGCHENG}/{YEAR}.xlsx"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def served(client) -> dict[str, str]:
    """Every page as served now, with the per-request CSRF token left out."""
    pages = {url: CSRF.sub("", client.get(url).content.decode()) for url in PAGES}
    book = openpyxl.load_workbook(io.BytesIO(client.get(REPORT).content))
    pages[REPORT] = repr([[c.value for c in r] for r in book["指标完成情况"].iter_rows()])
    return pages


@pytest.mark.parametrize("name", WRITE_PATHS)
def test_every_write_path_shows_at_once_on_the_pages(name, client, loaded_plans, leader_user):
    path = WRITE_PATHS[name]
    with committed():
        world = World(
            client=client,
            staff=make_user("kjj", Role.STAFF, department="区科技局"),
            office=make_user("office", Role.ADMIN),
            root=User.objects.create_superuser("root", "", "Pw-root-2026!"),
        )
        client.force_login(leader_user)
        if path.setup:
            path.setup(world)
    before = served(client)
    assert served(client) == before  # the second time from the cache

    with committed():
        path.write(world)

    after = served(client)
    cache.clear()
    assert after == served(client), "a kept page differs from a fresh render"
    assert after != before, "the write shows on no page"


# On a hit a page reads the session, the user with its department (the header) and the
# plan menu, and nothing of the plan's data; the department page its department, the
# indicator page its indicator (who may see its working figures) and the 公开报道 linked to
# it (parks/, not part of the plan's data). The API has no header.
HIT_BUDGETS = [
    (f"/?plan={WANGCHENG}&year={YEAR}", 3),
    (f"/departments/?plan={WANGCHENG}&year={YEAR}", 3),
    ("/departments/{dept}/?plan=" + f"{WANGCHENG}&year={YEAR}", 4),
    (f"/plans/{WANGCHENG}/indicators/26/?year={YEAR}", 5),
    (f"/api/v1/plans/{WANGCHENG}/progress/?year={YEAR}", 3),
    (f"/api/v1/plans/{WANGCHENG}/indicators/", 3),
    (REPORT, 3),
]


@pytest.mark.parametrize(("url", "budget"), HIT_BUDGETS)
def test_a_kept_page_reads_nothing_of_the_plan(
    url, budget, client, loaded_plans, leader_user, django_assert_max_num_queries
):
    dept = Indicator.objects.get(plan__slug=WANGCHENG, number=26).lead_department_id
    url = url.format(dept=dept)
    client.force_login(leader_user)
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200
