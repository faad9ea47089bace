"""The comparison page, the 公开报道 block of the indicator page, and who may write."""

import json
import re
from decimal import Decimal

import pytest
from django.template import Context, Template

from indicators.models import Indicator
from parks.models import PublishedFigure

COMPARE = "/parks/"


def double_the_figures() -> None:
    """A second copy of every figure under other keys: the budgets must hold at both sizes."""
    copies = []
    for figure in PublishedFigure.objects.all():
        figure.pk, figure.key = None, f"{figure.key}-copy"
        copies.append(figure)
    PublishedFigure.objects.bulk_create(copies)


@pytest.mark.parametrize("role", ["leader", "staff", "office"])
def test_every_role_sees_the_parks_side_by_side(client, published, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(COMPARE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "园区对比（公开报道）" in page
    # 永州经开区 152 → 前120: 32 places still to climb.
    assert "还需提升 32 位" in page
    assert "第152位" in page and "前120位" in page
    # Every value carries its period and source one click away.
    assert "潇湘潮涌千帆竞 产业新城崛起时" in page and "2025年12月" in page
    assert "长沙高新区" in page and "湖南湘江新区" in page and "望城经开区" in page
    assert "不计入任何完成率或评级" in page


def test_ranks_are_drawn_up_is_better_with_the_goal(client, leader, published):
    client.force_login(leader)
    page = client.get(COMPARE).content.decode()
    charts = {
        chart_id: json.loads(data)
        for chart_id, data in re.findall(
            r'<script id="(rank-\d+)-data" type="application/json">(.*?)</script>', page
        )
    }
    # Series with a path or a goal: 永州 national and 五好园区 ranks.
    assert len(charts) == 2
    national = next(
        c
        for c in charts.values()
        if c["data"][0]["x"] == ["2023年", "2024年"] and c["data"][0]["y"] == [161, 152]
    )
    low, high = national["layout"]["yaxis"]["range"]
    assert low > high  # the axis is reversed: 1st place on top
    assert national["data"][1]["y"] == [120] and national["data"][1]["text"] == ["目标：前120位"]


def test_the_page_is_for_logged_in_users(client, published):
    response = client.get(COMPARE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_costs_a_fixed_number_of_queries(
    client, leader, published, django_assert_max_num_queries
):
    client.force_login(leader)
    client.get(COMPARE)
    with django_assert_max_num_queries(6):
        client.get(COMPARE)
    double_the_figures()
    with django_assert_max_num_queries(6):
        assert client.get(COMPARE).status_code == 200


def test_the_indicator_page_shows_the_published_figure_beside_the_approved_ones(
    client, leader, published
):
    client.force_login(leader)
    page = client.get("/plans/wangcheng-2021-2023/indicators/8/").content.decode()
    assert "公开报道" in page
    assert "年产值过百亿元企业" in page and "2 家（原文：两）" in page
    assert "不计入完成率和评级" in page
    # Never counted: the indicator still has no completion without an approved figure.
    assert "未填报" in page


def test_an_indicator_without_links_shows_no_block(client, leader, published):
    client.force_login(leader)
    page = client.get("/plans/wangcheng-2021-2023/indicators/3/").content.decode()
    assert "公开报道" not in page


def test_the_tag_loads_its_data_in_one_query(published, django_assert_num_queries):
    indicator = Indicator.objects.get(plan__slug="wangcheng-2021-2023", number=6)
    template = Template("{% load published %}{% published_figures indicator %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"indicator": indicator}))
    assert "突破500 亿元" in html and "五百亿" in html


NEW = {
    "source": "003_32114bcb5331f121",
    "key": "",
    "entity": "永州经开区",
    "entity_kind": "park",
    "metric": "高新技术企业",
    "kind": "result",
    "topic": "enterprises",
    "period": "2026年",
    "reference_year": "2026",
    "value": "60",
    "stated_as": "",
    "unit": "家",
    "qualifier": "",
    "direction": "higher",
    "note": "",
    "quote": "园区高新技术企业60家",
}


@pytest.mark.parametrize("role", ["leader", "staff"])
@pytest.mark.parametrize(
    "url",
    ["/parks/figures/new/", "/parks/upload/", "/parks/figures.xlsx", "/parks/figures/{pk}/edit/"],
)
def test_only_the_plan_office_writes(client, published, role, url, request):
    client.force_login(request.getfixturevalue(role))
    url = url.format(pk=PublishedFigure.objects.get(key="yz-hightech").pk)
    assert client.get(url).status_code == 403
    if not url.endswith(".xlsx"):
        response = client.post(url, NEW)
        assert response.status_code == 403
        assert "只有规划办管理员可以新增或修改公开报道数据" in response.content.decode()
    assert PublishedFigure.objects.count() == 128


def test_the_office_adds_a_figure_with_its_source(client, office, published):
    client.force_login(office)
    response = client.post("/parks/figures/new/", NEW)
    assert response.status_code == 302
    figure = PublishedFigure.objects.get(quote="园区高新技术企业60家")
    assert figure.value == Decimal("60") and figure.stated_as == "60"
    assert figure.key.startswith("web-")
    assert figure.history.get().history_user == office


def test_the_office_corrects_a_figure_and_a_rank_is_never_read_upwards(client, office, published):
    figure = PublishedFigure.objects.get(key="yz-rank-2024")
    client.force_login(office)
    data = {
        **NEW,
        "key": figure.key,
        "metric": figure.metric,
        "kind": "rank",
        "period": "2024年",
        "reference_year": "2024",
        "value": "150",
        "unit": "位",
        "direction": "higher",
        "quote": figure.quote,
        "stated_as": "2024年",
    }
    assert client.post(f"/parks/figures/{figure.pk}/edit/", data).status_code == 302
    figure.refresh_from_db()
    assert figure.value == Decimal("150") and figure.direction == "lower"
    assert [h.value for h in figure.history.order_by("history_date")] == [
        Decimal("152"),
        Decimal("150"),
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"source": ""}, "source", "必须注明来源文档"),
        ({"stated_as": "六十"}, "stated_as", "原文中找不到“六十”"),
        ({"kind": "rank", "value": "1.5"}, "value", "名次应为不小于 1 的整数"),
        ({"uncertain": "on"}, "note", "标为存疑时须写明如何理解原文"),
        ({"value": "很多"}, "value", "不是数字"),
    ],
)
def test_the_form_names_what_is_wrong(client, office, published, change, field, message):
    client.force_login(office)
    response = client.post("/parks/figures/new/", {**NEW, **change})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert PublishedFigure.objects.count() == 128


def test_the_office_links_a_figure_to_an_indicator_with_its_scope(client, office, staff, published):
    figure = PublishedFigure.objects.get(key="yz-hightech")
    indicator = Indicator.objects.get(plan__slug="changsha-hitech-2021-2025", number=11)
    url = f"/parks/figures/{figure.pk}/links/"
    client.force_login(staff)
    assert (
        client.post(url, {"indicator": indicator.pk, "scope_note": "不同园区"}).status_code == 403
    )
    client.force_login(office)
    form_page = client.get(f"/parks/figures/{figure.pk}/edit/")
    assert form_page.status_code == 200 and "关联规划指标" in form_page.content.decode()
    refused = client.post(url, {"indicator": indicator.pk, "scope_note": ""})
    assert refused.status_code == 400
    assert "须说明报道与指标的口径差异" in refused.content.decode()
    assert (
        client.post(
            url, {"indicator": indicator.pk, "scope_note": "永州经开区，非高新区"}
        ).status_code
        == 302
    )
    link = figure.indicator_links.get()
    assert link.indicator == indicator and link.history.get().history_user == office
    page = client.get("/plans/changsha-hitech-2021-2025/indicators/11/").content.decode()
    assert "公开报道" in page and "永州经开区，非高新区" in page
