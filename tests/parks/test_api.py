"""GET /api/v1/published/: filters, strict parameters, values as strings, sources, links."""

import pytest

from tests.parks.test_pages import double_the_figures

URL = "/api/v1/published/"


def test_yongzhou_ranks_are_161_and_152_with_their_periods_and_quotes(client, leader, published):
    client.force_login(leader)
    response = client.get(URL, {"entity": "永州经开区", "kind": "rank"})
    assert response.status_code == 200
    figures = response.json()["figures"]
    national = {f["value"]: f for f in figures if f["metric"] == "全国国家级经开区综合评价排名"}
    assert set(national) == {"161", "152"}
    assert national["161"]["period"] == "2023年"
    assert national["152"]["period"] == "2024年"
    for figure in national.values():
        assert figure["quote"] == "即由2023年的第161位一跃而升到了2024年的第152位"
        assert figure["direction"] == "lower"
        assert figure["unit"] == "位"
        assert figure["source"] == {
            "title": "潇湘潮涌千帆竞 产业新城崛起时——聚焦永州经开区加速崛起的奋进之路与崭新征程",
            "authors": "李礼壹 蒋文 刘佳宾 陈程",
            "published": "2025年12月",
            "document": "003_32114bcb5331f121",
        }
    # The province's 五好园区 ranks are ranks of the same park too.
    assert sorted(f["value"] for f in figures) == ["152", "161", "47", "64"]


def test_it_lists_every_field_and_the_links_to_indicators(client, leader, published):
    client.force_login(leader)
    figures = client.get(URL, {"entity": "望城经开区", "kind": "result"}).json()["figures"]
    enterprises = next(f for f in figures if f["metric"] == "年产值过百亿元企业")
    assert enterprises["value"] == "2" and enterprises["stated_as"] == "两"
    assert enterprises["period"] == "“十四五”"
    assert enterprises["indicators"] == [
        {
            "plan": "wangcheng-2021-2023",
            "number": 8,
            "name": "产值百亿级企业",
            "scope_note": enterprises["indicators"][0]["scope_note"],
        }
    ]
    assert set(enterprises) >= {
        "entity",
        "metric",
        "kind",
        "period",
        "value",
        "unit",
        "qualifier",
        "direction",
        "uncertain",
        "note",
        "source",
        "quote",
        "indicators",
    }
    share = next(f for f in figures if f["metric"] == "“两主一特”产业产值占比")
    assert share["value"] == "89.5"  # a string: no digit lost


def test_period_filter_and_uncertain_readings(client, leader, published):
    client.force_login(leader)
    figures = client.get(URL, {"period": "“十五五”末"}).json()["figures"]
    assert {(f["entity"], f["kind"], f["value"], f["qualifier"]) for f in figures} == {
        ("永州经开区", "rank_goal", "120", "前"),
        ("永州经开区", "goal", "2", ""),
    }
    clusters = next(f for f in figures if f["kind"] == "goal")
    assert clusters["uncertain"] is True and "2到3" in clusters["note"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "ranking"}, "kind 应为"),
        ({"kind": "RANK"}, "kind 应为"),
        ({"entity": "园" * 61}, "最多 60 个字"),
    ],
)
def test_it_refuses_malformed_parameters(client, leader, published, params, message):
    client.force_login(leader)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_it_needs_a_login(client, published):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json() == {"error": "未登录：请先登录后再调用接口。"}


def test_it_costs_a_fixed_number_of_queries(
    client, leader, published, django_assert_max_num_queries
):
    client.force_login(leader)
    client.get(URL)
    with django_assert_max_num_queries(5):
        response = client.get(URL)
    assert len(response.json()["figures"]) == 128
    double_the_figures()
    with django_assert_max_num_queries(5):
        response = client.get(URL)
    assert len(response.json()["figures"]) == 256


@pytest.mark.parametrize("role", ["leader", "staff", "office"])
def test_every_role_reads_it(client, published, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL, {"kind": "rank_goal"}).json()["figures"][0]["value"] == "120"
