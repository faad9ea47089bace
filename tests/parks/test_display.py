"""A published figure reads as the text says it: the qualifier in its place, ranks as places."""

from decimal import Decimal

import pytest

from parks.display import value_text
from parks.models import PublishedFigure


@pytest.mark.parametrize(
    ("kind", "value", "unit", "qualifier", "stated", "text"),
    [
        ("result", "200", "亿元", "超", "200", "超200 亿元"),
        ("result", "7000", "家", "余", "7000", "7,000余 家"),
        ("result", "900", "个", "多", "900", "900多 个"),
        ("result", "85", "%", "以上", "85", "85%以上"),
        ("result", "1000", "亿元", "左右", "1000", "1,000 亿元左右"),
        ("goal", "500", "亿元", "级", "五百亿", "500 亿元级（原文：五百亿）"),
        ("result", "50", "%", "近", "近半", "近50%（原文：近半）"),
        ("result", "89.5", "%", "", "89.5", "89.5%"),
        ("rank", "152", "位", "", "152", "第152位"),
        ("rank_goal", "120", "位", "前", "120", "前120位"),
        ("rank_change", "9", "位", "", "9", "上升9位"),
        ("rank_change", "-3", "位", "", "3", "下降3位（原文：3）"),
    ],
)
def test_value_text(kind, value, unit, qualifier, stated, text):
    figure = PublishedFigure(
        kind=kind, value=Decimal(value), unit=unit, qualifier=qualifier, stated_as=stated
    )
    assert value_text(figure) == text
