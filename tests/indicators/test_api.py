"""The read-only JSON API: shapes, exact figures as strings, login, and a fixed query cost."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator
from tests.factories import grow_plan

# No target of the loaded plans is revised (目标调整: tests/lifecycle/).
NOT_REVISED = {"revised_target": None, "revised_target_text": None}

API_BUDGET = 8


def test_it_requires_login(client, loaded_plans):
    for url in ("/api/v1/plans/", "/api/v1/plans/wangcheng-2021-2023/indicators/"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json() == {"error": "未登录：请先登录后再调用接口。"}


def test_plan_list(client, staff_user, loaded_plans):
    client.force_login(staff_user)
    plans = client.get("/api/v1/plans/").json()["plans"]
    summary = [(p["slug"], p["years"], p["indicator_count"]) for p in plans]
    assert summary == [
        ("changsha-hitech-2021-2025", [2021, 2022, 2023, 2024, 2025], 26),
        ("wangcheng-2021-2023", [2021, 2022, 2023], 42),
    ]
    wangcheng = next(p for p in plans if p["slug"] == "wangcheng-2021-2023")
    assert wangcheng["name"] == "长沙市望城区打造国家重要先进制造业高地三年行动计划（2021-2023年）"
    assert wangcheng["base_year"] == 2020


def test_plan_indicators_gives_exact_figures_as_strings(client, leader_user, loaded_plans):
    client.force_login(leader_user)
    payload = client.get("/api/v1/plans/wangcheng-2021-2023/indicators/").json()
    assert payload["plan"]["slug"] == "wangcheng-2021-2023"
    indicators = {item["number"]: item for item in payload["indicators"]}
    assert len(indicators) == 42
    first = indicators[1]
    assert {k: first[k] for k in ("number", "name", "group", "unit", "attribute", "direction")} == {
        "number": 1,
        "name": "工业总产值",
        "group": "规模总量",
        "unit": "亿元",
        "attribute": "cumulative",
        "direction": "increase",
    }
    assert first["lead"] == "区工信局"
    assert first["responsible"] == ["望城经开区产业发展局"]
    assert first["base"] == {"year": 2020, "value": "1000"}
    assert first["targets"] == [
        {"year": 2021, "value": "1100", "text": None, "derived": False, **NOT_REVISED},
        {"year": 2022, "value": "1400", "text": None, "derived": False, **NOT_REVISED},
        {"year": 2023, "value": "1700", "text": None, "derived": False, **NOT_REVISED},
    ]
    assert indicators[27]["base"] == {"year": 2020, "value": None}
    assert [t["value"] for t in indicators[27]["targets"]] == ["3", "3.05", "3.1"]
    assert indicators[18]["attribute"] == "annual"
    assert indicators[42]["attribute"] == "ratio"


def test_hitech_indicators_show_derived_and_text_targets_and_no_lead(client, staff_user, hitech):
    client.force_login(staff_user)
    payload = client.get(f"/api/v1/plans/{hitech.slug}/indicators/").json()
    indicators = {item["number"]: item for item in payload["indicators"]}
    assert indicators[1]["lead"] is None and indicators[1]["responsible"] == []
    assert indicators[1]["targets"][0] == {
        "year": 2021,
        "value": "3162.23",
        "text": None,
        "derived": True,
        **NOT_REVISED,
    }
    assert indicators[1]["targets"][-1] == {
        "year": 2025,
        "value": "5000",
        "text": None,
        "derived": False,
        **NOT_REVISED,
    }
    assert indicators[22]["targets"] == [
        {"year": 2025, "value": None, "text": "完成市里下达任务", "derived": False, **NOT_REVISED}
    ]
    assert indicators[14]["alignment"] == {"city": True, "most": False, "remark": "一致"}


def test_unknown_plan_is_404(client, staff_user, loaded_plans):
    client.force_login(staff_user)
    assert client.get("/api/v1/plans/nope/indicators/").status_code == 404


def test_api_is_read_only(client, admin_user, loaded_plans):
    client.force_login(admin_user)
    assert client.post("/api/v1/plans/").status_code == 405


@pytest.mark.parametrize("url", ["/api/v1/plans/", "/api/v1/plans/wangcheng-2021-2023/indicators/"])
def test_query_count_does_not_grow_with_the_data(client, admin_user, wangcheng, url):
    client.force_login(admin_user)
    client.get(url)  # warm the session and the content-type caches
    small = answer_cost(client, url)
    grow_plan(wangcheng, 60)
    large = answer_cost(client, url)
    assert large == small
    assert small[1] <= API_BUDGET


def answer_cost(client, url: str) -> tuple[int, int]:
    """The queries of an answer computed afresh (nothing kept), then of the same answer
    served from what the first one kept."""
    cache.clear()
    with CaptureQueriesContext(connection) as computed:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as kept:
        assert client.get(url).status_code == 200
    return len(computed), len(kept)


def test_actuals_show_the_approved_figure_and_on_request_the_submitted_one(
    client, leader_user, admin_user, wangcheng
):
    from indicators.actuals import ActualEntry, actual_approve, actual_save

    indicator = Indicator.objects.select_related("plan").get(plan=wangcheng, number=27)
    first = actual_save(
        indicator=indicator,
        year=2021,
        user=admin_user,
        entry=ActualEntry(value=Decimal("3.2"), kind="final"),
        expected_version=None,
        submit=True,
    )
    actual_approve(actual_id=first.pk, user=admin_user)
    correction = actual_save(
        indicator=indicator,
        year=2021,
        user=admin_user,
        entry=ActualEntry(value=Decimal("3.25")),
        expected_version=first.version + 1,
        submit=True,
    )
    assert correction.state == "submitted"

    client.force_login(leader_user)
    url = "/api/v1/plans/wangcheng-2021-2023/indicators/"
    by_number = {i["number"]: i for i in client.get(url).json()["indicators"]}
    approved = {
        "year": 2021,
        "value": "3.2",
        "text_status": None,
        "kind": "final",
        "status": "approved",
        "completion": "1.0667",
        "rating": "met",
    }  # 3.2 ÷ 3
    assert by_number[27]["actuals"] == [approved]
    assert by_number[1]["actuals"] == []
    # A leader may not ask for figures still waiting for review; the plan office may.
    by_number = {
        i["number"]: i for i in client.get(url + "?include=submitted").json()["indicators"]
    }
    assert by_number[27]["actuals"] == [approved]
    client.force_login(admin_user)
    by_number = {
        i["number"]: i for i in client.get(url + "?include=submitted").json()["indicators"]
    }
    assert by_number[27]["actuals"] == [
        approved,
        {
            "year": 2021,
            "value": "3.25",
            "text_status": None,
            "kind": "preliminary",
            "status": "submitted",
            "completion": "1.0833",  # 3.25 ÷ 3
            "rating": "met",
        },
    ]


def test_progress_endpoint_counts_ratings_outlooks_and_departments(
    client, leader_user, admin_user, wangcheng
):
    from indicators.actuals import ActualEntry, actual_approve, actual_save

    office = admin_user
    # 1000 of 1100 is 90.9%: near; 400 of 395: met; 30 of 35 is 85.7%: behind.
    figures = {1: "1000", 3: "400", 18: "30"}
    for number, value in figures.items():
        indicator = Indicator.objects.select_related("plan").get(plan=wangcheng, number=number)
        actual = actual_save(
            indicator=indicator,
            year=2021,
            user=office,
            entry=ActualEntry(value=Decimal(value), explanation="原因", measures="措施"),
            expected_version=None,
            submit=True,
        )
        actual_approve(actual_id=actual.pk, user=office)

    client.force_login(leader_user)
    payload = client.get("/api/v1/plans/wangcheng-2021-2023/progress/?year=2021").json()
    assert payload["year"] == 2021 and payload["elapsed"] == "0.3333"
    assert payload["counts"] == {"met": 1, "near": 1, "behind": 1, "no_data": 39, "manual": 0}
    by_number = {row["number"]: row for row in payload["indicators"]}
    assert by_number[1]["completion"] == "0.9091" and by_number[1]["rating"] == "near"
    # 1000 → 1000 in 2021 against 19.35% a year needed: R = 0.
    assert by_number[1]["outlook"] == {
        "status": "limited",
        "label": "进展有限",
        "ratio": "0",
        "projected": "1000",
    }
    assert by_number[18]["to_date"] == {
        "years": [2021],
        "actual": "30",
        "target": "35",
        "completion": "0.8571",
    }
    assert by_number[4]["rating"] == "no_data"
    departments = {d["name"]: d for d in payload["departments"]}
    assert departments["区工信局"]["counts"]["met"] == 1
    assert departments["区工信局"]["average_completion"] == "0.9609"  # (0.9091 + 1.0127) ÷ 2
    assert payload["departments"][-1]["rank"] == len(payload["departments"])
    assert client.get("/api/v1/plans/wangcheng-2021-2023/progress/?year=2030").status_code == 400


def test_progress_endpoint_query_count_does_not_grow(client, leader_user, wangcheng):
    url = "/api/v1/plans/wangcheng-2021-2023/progress/?year=2021"
    client.force_login(leader_user)
    client.get(url)
    small = answer_cost(client, url)
    grow_plan(wangcheng, 60)
    assert answer_cost(client, url) == small
    assert small[1] <= API_BUDGET
