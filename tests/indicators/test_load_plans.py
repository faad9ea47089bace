"""Every loaded figure equals the source documents, checked against tests/data transcriptions."""

import csv
from decimal import Decimal

import pytest

from indicators.models import Attribute, Department, Indicator, Plan, Target
from projects.models import KeyTask
from tests.factories import TEST_DATA, load_plans_quietly

ATTRIBUTES = {"累计值": Attribute.CUMULATIVE, "当年值": Attribute.ANNUAL, "占比值": Attribute.RATIO}


def transcription(name: str) -> list[dict]:
    with open(TEST_DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def number_or_none(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def indicators_of(slug: str) -> dict[int, Indicator]:
    queryset = Indicator.objects.filter(plan__slug=slug).for_listing()
    return {indicator.number: indicator for indicator in queryset}


def stated_targets(indicator: Indicator) -> dict[int, Target]:
    return {t.year: t for t in indicator.targets.all() if not t.is_derived}


WANGCHENG_ROWS = transcription("wangcheng_2021_2023_indicators.csv")
HITECH_ROWS = transcription("changsha_hitech_2021_2025_indicators.csv")


def test_it_loads_42_and_26_indicators(loaded_plans):
    assert Indicator.objects.filter(plan__slug="wangcheng-2021-2023").count() == 42
    assert Indicator.objects.filter(plan__slug="changsha-hitech-2021-2025").count() == 26
    assert len(WANGCHENG_ROWS) == 42 and len(HITECH_ROWS) == 26


@pytest.mark.parametrize("expected", WANGCHENG_ROWS, ids=lambda row: f"wangcheng-{row['number']}")
def test_wangcheng_indicator_matches_source(loaded_plans, expected):
    indicator = indicators_of("wangcheng-2021-2023")[int(expected["number"])]
    assert indicator.group.name == expected["group"]
    assert indicator.name == expected["name"]
    assert indicator.unit == expected["unit"]
    assert indicator.attribute == ATTRIBUTES[expected["attribute"]]
    assert indicator.base_value == number_or_none(expected["base_2020"])
    targets = stated_targets(indicator)
    assert sorted(targets) == [2021, 2022, 2023]
    for year in (2021, 2022, 2023):
        assert targets[year].value == Decimal(expected[f"target_{year}"])
        assert targets[year].text == ""
    assert indicator.lead_department.name == expected["lead"]
    responsible = sorted(d.name for d in indicator.responsible_departments.all())
    assert responsible == sorted(expected["responsible"].split("|"))
    assert indicator.direction == "increase"


@pytest.mark.parametrize("expected", HITECH_ROWS, ids=lambda row: f"hitech-{row['number']}")
def test_hitech_indicator_matches_source(loaded_plans, expected):
    indicator = indicators_of("changsha-hitech-2021-2025")[int(expected["number"])]
    assert indicator.group.name == expected["goal"]
    assert indicator.name == expected["name"]
    assert indicator.unit == expected["unit"]
    assert indicator.base_value == Decimal(expected["base_2020"])
    final = stated_targets(indicator)
    assert sorted(final) == [2025]
    assert final[2025].value == number_or_none(expected["target_2025"])
    assert final[2025].text == expected["target_2025_text"]
    assert indicator.aligned_with_city is (expected["aligned_city"] == "1")
    assert indicator.aligned_with_most is (expected["aligned_most"] == "1")
    assert indicator.alignment_remark == expected["alignment_remark"]
    # The plan names no units for these indicators: the admin assigns them later.
    assert indicator.lead_department is None
    assert list(indicator.responsible_departments.all()) == []


def test_row_27_base_stays_blank_not_zero(wangcheng):
    indicator = Indicator.objects.get(plan=wangcheng, number=27)
    assert indicator.base_value is None


def test_hitech_text_targets_of_rows_22_and_23(hitech):
    for number in (22, 23):
        targets = list(Target.objects.filter(indicator__plan=hitech, indicator__number=number))
        assert [(t.year, t.value, t.text, t.is_derived) for t in targets] == [
            (2025, None, "完成市里下达任务", False)
        ]


def test_hitech_goals_follow_the_plan_text_not_the_flattened_table(hitech):
    by_goal = {}
    for indicator in Indicator.objects.filter(plan=hitech).select_related("group"):
        by_goal.setdefault(indicator.group.name, []).append(indicator.number)
    assert by_goal == {
        "综合实力": [1, 2, 3, 4],
        "先进制造业高地示范区": [5, 6, 7, 8, 9],
        "科技创新高地引领区": [10, 11, 12, 13, 14, 15],
        "改革开放高地先行区": [16, 17, 18, 19],
        "产城融合发展样板区": [20, 21, 22, 23, 24, 25, 26],
    }
    assert list(hitech.groups.values_list("name", flat=True)) == list(by_goal)


def test_hitech_derived_targets_are_marked_and_follow_the_rule(hitech):
    revenue = Indicator.objects.get(plan=hitech, number=1)
    derived = {t.year: t.value for t in revenue.targets.all() if t.is_derived}
    # 2820 × (5000/2820)^(k/5), rounded to 0.01 (hand-checked: growth factor 1.121356…/year).
    assert derived == {
        2021: Decimal("3162.23"),
        2022: Decimal("3545.99"),
        2023: Decimal("3976.32"),
        2024: Decimal("4458.88"),
    }
    listed = Indicator.objects.get(plan=hitech, number=6)
    # Counts are whole: 47 × (55/47)^(1/5) = 48.5004 → 49.
    assert {t.year: t.value for t in listed.targets.all() if t.is_derived}[2021] == Decimal("49")
    rate = Indicator.objects.get(plan=hitech, number=14)
    assert rate.is_rate
    assert {t.year: t.value for t in rate.targets.all()} == {
        year: Decimal("19") for year in range(2021, 2026)
    }


def test_wangcheng_has_no_derived_targets(wangcheng):
    assert not Target.objects.filter(indicator__plan=wangcheng, is_derived=True).exists()


def test_plans_carry_their_metadata(loaded_plans):
    wangcheng = loaded_plans["wangcheng-2021-2023"]
    assert wangcheng.document_number == "望发〔2021〕4号"
    assert (wangcheng.base_year, wangcheng.first_year, wangcheng.last_year) == (2020, 2021, 2023)
    assert list(wangcheng.groups.values_list("name", flat=True)) == [
        "规模总量",
        "结构质量",
        "创新驱动",
        "绿色发展",
        "数字赋能",
    ]
    hitech = loaded_plans["changsha-hitech-2021-2025"]
    assert (hitech.base_year, hitech.first_year, hitech.last_year) == (2020, 2021, 2025)
    assert "麓谷园区" in hitech.notes


def test_key_tasks_of_annex_2(wangcheng):
    tasks = {
        task.number: task
        for task in KeyTask.objects.filter(plan=wangcheng).prefetch_related(
            "lead_departments", "responsible_departments"
        )
    }
    assert sorted(tasks) == [1, 2, 3, 4, 5]
    assert tasks[1].name == "打造一个千亿园区，推动跻身全国百强"
    assert sorted(d.name for d in tasks[2].lead_departments.all()) == ["区人社局", "区科技局"]
    assert sorted(d.name for d in tasks[4].responsible_departments.all()) == sorted(
        ["各产业链办公室", "望城经开区招商合作局", "区数据资源中心"]
    )
    assert "培育一批上市(挂牌)企业" in tasks[5].content


def history_counts() -> tuple[int, ...]:
    return (
        Indicator.history.count(),
        Target.history.count(),
        Department.history.count(),
        Plan.history.count(),
        KeyTask.history.count(),
    )


def test_running_load_plans_twice_changes_nothing(loaded_plans):
    before = history_counts()
    snapshot = list(Target.objects.order_by("pk").values_list("pk", "value", "text", "is_derived"))
    load_plans_quietly()
    assert history_counts() == before
    assert (
        list(Target.objects.order_by("pk").values_list("pk", "value", "text", "is_derived"))
        == snapshot
    )


def test_load_plans_keeps_an_admin_assignment_and_a_stated_yearly_target(hitech, department):
    indicator = Indicator.objects.get(plan=hitech, number=1)
    indicator.lead_department = department
    indicator.save()
    stated = indicator.targets.get(year=2022)
    stated.value, stated.is_derived = Decimal("3600"), False
    stated.save()
    load_plans_quietly()
    indicator.refresh_from_db()
    stated.refresh_from_db()
    assert indicator.lead_department == department
    assert (stated.value, stated.is_derived) == (Decimal("3600"), False)
