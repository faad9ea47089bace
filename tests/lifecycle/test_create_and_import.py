"""create_plan, then import_responsibility_sheet: what was in the sheet reads back exactly."""

from decimal import Decimal

import pytest
from django.core.management.base import CommandError

from indicators.models import Plan

from .helpers import ROWS, YEARS, run, sheet_2026_2030, table1_final_only

CREATE = [
    "create_plan",
    "test-2026-2030",
    "--name",
    "测试区“十五五”规划",
    "--short-name",
    "测试十五五",
    "--base-year",
    "2025",
    "--first-year",
    "2026",
    "--last-year",
    "2030",
    "--document-number",
    "测发〔2026〕1号",
    "--threshold",
    "0.85",
]


@pytest.fixture
def new_plan(db) -> Plan:
    run(*CREATE)
    return Plan.objects.get(slug="test-2026-2030")


def test_it_creates_an_open_plan_without_indicators(new_plan):
    assert (new_plan.base_year, new_plan.first_year, new_plan.last_year) == (2025, 2026, 2030)
    assert new_plan.near_threshold == Decimal("0.85")
    assert new_plan.document_number == "测发〔2026〕1号"
    assert not new_plan.is_closed and new_plan.indicators.count() == 0
    assert new_plan.history.first().history_change_reason == "新建规划"


def test_it_refuses_a_second_plan_with_the_same_slug_and_bad_years(new_plan):
    with pytest.raises(CommandError, match="标识为“test-2026-2030”的规划已存在"):
        run(*CREATE)
    bad = [
        *CREATE[:2],
        "--name",
        "x",
        "--short-name",
        "x",
        "--base-year",
        "2026",
        "--first-year",
        "2026",
        "--last-year",
        "2030",
    ]
    bad[1] = "other"
    with pytest.raises(CommandError, match="基期年份 < 起始年份 ≤ 终止年份"):
        run(*bad)


def test_a_2026_2030_sheet_reads_back_exactly_through_the_api(
    new_plan, tmp_path, client, admin_user
):
    path = tmp_path / "十五五责任分解表.xlsx"
    path.write_bytes(sheet_2026_2030())
    output = run("import_responsibility_sheet", str(path), "--plan", new_plan.slug)
    assert "新增指标 4 项" in output
    client.force_login(admin_user)
    answer = client.get(f"/api/v1/plans/{new_plan.slug}/indicators/").json()
    assert answer["plan"]["years"] == YEARS and answer["plan"]["closed"] is False
    got = answer["indicators"]
    assert [i["number"] for i in got] == [1, 2, 3, 4]
    for indicator, (number, group, name, unit, base, targets, _attr, lead, resp) in zip(
        got, ROWS, strict=True
    ):
        assert (indicator["number"], indicator["group"], indicator["name"]) == (number, group, name)
        assert indicator["unit"] == unit and indicator["lead"] == lead
        assert sorted(indicator["responsible"]) == sorted(filter(None, resp.split("、")))
        assert indicator["base"] == {"year": 2025, "value": base or None}
        shown = [t["text"] or t["value"] for t in indicator["targets"]]
        assert shown == targets
        assert [t["year"] for t in indicator["targets"]] == YEARS
        assert not any(t["derived"] or t["revised_target"] for t in indicator["targets"])
    assert [i["attribute"] for i in got] == ["cumulative", "annual", "ratio", "cumulative"]


def test_a_final_target_only_table_gets_derived_yearly_targets(new_plan, tmp_path):
    path = tmp_path / "表1.xlsx"
    path.write_bytes(table1_final_only())
    run("import_responsibility_sheet", str(path), "--plan", new_plan.slug)
    income, rate, listed = new_plan.indicators.order_by("number")
    targets = {t.year: t for t in income.targets.all()}
    assert targets[2030].value == Decimal("8000") and not targets[2030].is_derived
    # Compound growth 5000 → 8000 over five years: 5000 × 1.6^(1/5) = 5492.80
    assert targets[2026].value == Decimal("5492.80") and targets[2026].is_derived
    assert all(targets[y].is_derived for y in range(2026, 2030))
    assert income.group.name == "综合实力" and income.lead_department is None
    # A rate stated per year takes the same rate every year; counts are whole.
    assert {t.value for t in rate.targets.all()} == {Decimal("12")}
    assert [t.value for t in listed.targets.order_by("year")] == [
        Decimal(v)
        for v in ("22", "24", "26", "28", "30")  # 20 × 1.5^(n/5), whole
    ]


def test_the_web_creates_a_plan_then_leads_to_the_sheet_import(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/plans/new/").status_code == 200
    answer = client.post(
        "/plans/new/",
        {
            "slug": "web-2026-2030",
            "name": "网页新建的规划",
            "short_name": "网页规划",
            "base_year": 2025,
            "first_year": 2026,
            "last_year": 2030,
            "near_threshold": "0.9",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == "/plans/web-2026-2030/manage/"
    page = client.get("/plans/web-2026-2030/manage/").content.decode()
    assert "导入责任分解表" in page and "/plans/web-2026-2030/import/" in page
    refused = client.post(
        "/plans/new/",
        {
            "slug": "new",
            "name": "x",
            "short_name": "x",
            "base_year": 2025,
            "first_year": 2026,
            "last_year": 2030,
            "near_threshold": "0.9",
        },
    )
    assert refused.status_code == 400 and "系统保留" in refused.content.decode()
