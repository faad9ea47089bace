"""Search (/search/?q=): indicators, projects and key tasks across plans, grouped by plan."""

import pytest

from dashboards.search import pinyin_initials, search_results
from indicators.models import Role
from tests.factories import HITECH, WANGCHENG, grow_plan, make_user


@pytest.fixture
def reader(client, loaded_plans):
    client.force_login(make_user("reader", Role.LEADER, department="区委区政府"))
    return client


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("工业总产值", "gyzcz"),
        ("产业链企业引进数", "cylqyyjs"),
        ("制造业增加值占GDP比重", "zzyzjzzgbz"),  # a Latin word keeps its first letter
    ],
)
def test_pinyin_initials(name, initials):
    assert pinyin_initials(name) == initials


def _plans(groups) -> list[str]:
    return [group.plan.slug for group in groups]


def test_a_number_finds_that_indicator_in_every_plan_and_the_project(loaded_plans):
    groups = search_results("18")
    assert _plans(groups) == [HITECH, WANGCHENG]  # the plan menu's order: first year, slug
    hitech, wangcheng = groups
    assert [hit.title for hit in wangcheng.indicators] == ["18. 产业链企业引进数"]
    assert wangcheng.indicators[0].url == f"/plans/{WANGCHENG}/indicators/18/"
    assert hitech.indicators[0].title.startswith("18. ")
    assert [hit.url for hit in hitech.projects] == [f"/projects/{HITECH}/18/"]


def test_a_name_finds_indicators_and_tasks(loaded_plans):
    groups = {group.plan.slug: group for group in search_results("产业链")}
    titles = [hit.title for hit in groups[WANGCHENG].indicators]
    assert "18. 产业链企业引进数" in titles
    assert all("产业链" in title for title in titles)
    assert groups[WANGCHENG].tasks  # 附件2's tasks speak of 产业链
    assert groups[WANGCHENG].tasks[0].url.startswith(f"/tasks/{WANGCHENG}/#task-")


def test_pinyin_initials_find_an_indicator(loaded_plans):
    groups = search_results("gyzcz")
    found = [(g.plan.slug, hit.title) for g in groups for hit in g.indicators]
    assert (WANGCHENG, "1. 工业总产值") in found


def test_the_page_lists_hits_by_plan_and_each_lands_on_its_page(reader):
    html = reader.get("/search/?q=18").content.decode()
    first, second = f"/plans/{HITECH}/indicators/18/", f"/plans/{WANGCHENG}/indicators/18/"
    assert html.count("<h2>") == 2 and html.index(first) < html.index(second)
    assert "“18”共找到" in html
    for url in (f"/plans/{WANGCHENG}/indicators/18/", f"/projects/{HITECH}/18/"):
        assert f'href="{url}"' in html
        assert reader.get(url).status_code == 200


def test_nothing_found_says_so(reader):
    html = reader.get("/search/?q=不存在的指标名称").content.decode()
    assert "没有找到匹配的指标、项目或任务。" in html


def test_an_empty_box_explains_what_to_type(reader):
    html = reader.get("/search/").content.decode()
    assert "拼音首字母" in html and "共找到" not in html


def test_a_query_over_100_characters_is_a_bad_request(reader):
    response = reader.get("/search/", {"q": "产" * 101})
    assert response.status_code == 400
    assert "搜索词最多 100 个字" in response.content.decode()


def test_search_needs_a_login(client, loaded_plans):
    response = client.get("/search/?q=18")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_page_has_the_search_box(reader):
    html = reader.get(f"/?plan={WANGCHENG}&year=2021").content.decode()
    assert '<form class="nav-search" role="search" method="get" action="/search/">' in html


@pytest.mark.parametrize("query", ["18", "产业链", "gyzcz"])
def test_the_query_count_does_not_grow_with_the_plans(
    reader, loaded_plans, django_assert_max_num_queries, query
):
    reader.get(f"/search/?q={query}")
    with django_assert_max_num_queries(12) as small:
        reader.get(f"/search/?q={query}")
    grow_plan(loaded_plans[WANGCHENG], 60)  # 60 more indicators, some named 测试指标18…
    with django_assert_max_num_queries(12) as large:
        assert reader.get(f"/search/?q={query}").status_code == 200
    assert len(small) == len(large)
