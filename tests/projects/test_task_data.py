"""The five key tasks' items, milestones and enterprises as loaded from fixtures/, checked
against the task texts (§三) and the responsibility sheet (附件2) they come from."""

import re
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Count

from projects.models import Enterprise, KeyTask, Milestone, TaskItem
from tests.factories import milestone


def test_each_task_has_its_numbered_items(wangcheng):
    counts = dict(
        KeyTask.objects.filter(plan=wangcheng).values_list("number").annotate(n=Count("items"))
    )
    assert counts == {1: 3, 2: 2, 3: 3, 4: 4, 5: 5}


def test_item_titles_are_those_of_the_responsibility_sheet(wangcheng):
    for item in TaskItem.objects.filter(task__plan=wangcheng).select_related("task"):
        assert f"{item.number}. {item.title}" in item.task.content


def test_an_item_cut_by_a_page_break_reads_as_one_text(wangcheng):
    item = TaskItem.objects.get(task__plan=wangcheng, task__number=5, number=5)
    assert item.title == "培育一批上市(挂牌)企业"
    assert item.text.startswith("实施企业上市培育“123”计划，推动10家企业筹备上市")
    assert item.text.endswith("到2023年实现6家以上制造业企业成功上市。")


def test_every_milestone_quotes_its_item(wangcheng):
    milestones = list(Milestone.objects.filter(task__plan=wangcheng).select_related("item"))
    assert len(milestones) == 22
    for m in milestones:
        assert m.text in m.item.text, m.code


def test_every_number_in_a_milestone_text_is_its_target(wangcheng):
    for m in Milestone.objects.filter(task__plan=wangcheng).select_related("task"):
        numbers = [Decimal(n) for n in re.findall(r"\d+", m.text) if n != "2023"]
        assert numbers in ([], [m.target_value]), m.code


@pytest.mark.parametrize(
    "code, target, unit, attribute, target_year, direction",
    [
        ("1-1", "60", "平方公里", "cumulative", 2023, "increase"),
        ("1-3", "90", "名", "cumulative", 2023, "decrease"),
        ("2-1", "10", "家", "cumulative", 2023, "increase"),
        ("4-1", "35", "家", "annual", None, "increase"),
        ("4-2", "10", "个", "annual", None, "increase"),
        ("4-3", "90", "%", "ratio", 2023, "increase"),
        ("5-6", "90", "家", "cumulative", 2023, "increase"),
        ("5-7", "50", "家", "cumulative", 2023, "increase"),
        ("5-11", "6", "家", "cumulative", 2023, "increase"),
    ],
)
def test_milestones_named_in_the_issue(
    wangcheng, code, target, unit, attribute, target_year, direction
):
    m = milestone(wangcheng, code)
    assert (m.target_value, m.unit, m.attribute, m.target_year, m.direction) == (
        Decimal(target),
        unit,
        attribute,
        target_year,
        direction,
    )


def test_the_quoted_milestones(wangcheng):
    texts = set(Milestone.objects.filter(task__plan=wangcheng).values_list("text", flat=True))
    for text in [
        "到2023年培育10家以上省级企业技术中心（工程研究中心）",
        "每年引进产业链企业35家以上",
        "到2023年实现6家以上制造业企业成功上市",
        "到2023年新增入规工业企业90家",
        "市级以上小巨人企业50家",
        "积极争取新增建设用地60平方公里以上",
        "挺进全国百强园区前90名",
    ]:
        assert text in texts


def test_milestones_are_led_by_their_tasks_lead_units(wangcheng):
    for m in Milestone.objects.filter(task__plan=wangcheng).prefetch_related(
        "lead_departments", "task__lead_departments"
    ):
        assert set(m.lead_departments.all()) == set(m.task.lead_departments.all())


def test_there_are_ten_enterprises_of_each_kind(wangcheng):
    enterprises = list(Enterprise.objects.filter(task__plan=wangcheng).select_related("task"))
    assert Counter(e.kind for e in enterprises) == {
        "leader": 10,
        "smart_manufacturing": 10,
        "quality_brand": 10,
        "specialised": 10,
        "listing": 10,
    }
    assert {e.status for e in enterprises} == {"cultivating"}
    for e in enterprises:
        assert e.task.number == 5 and e.name in e.task.content


def test_the_listing_candidates_in_the_sheets_order(wangcheng):
    names = list(
        Enterprise.objects.filter(task__plan=wangcheng, kind="listing")
        .order_by("order")
        .values_list("name", flat=True)
    )
    assert names == [
        "联智科技",
        "军信环保",
        "湘船重工",
        "衡开智能",
        "吴赣药业",
        "黑金刚",
        "金龙电缆",
        "金旅环保",
        "兆恒科技",
        "湘江涂料",
    ]
