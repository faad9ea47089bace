"""A published figure as people read it: the qualifier where the text puts it, ranks as
places (第152位, 前120位, 上升9位), and the text's own words when they were not digits."""

from decimal import Decimal

from indicators.formatting import grouped_decimal, plain_decimal

from .models import FigureKind, PublishedFigure

# 超200亿元, 近半, 约1000亩, 突破500亿元, 不足50米 — before the number; 7000余家, 900多个
# on the number; 85%以上, 1000亿元左右, 500亿元级 after the unit.
BEFORE = frozenset({"超", "近", "约", "突破", "前", "不足"})
ON_NUMBER = frozenset({"余", "多"})


def places(value: Decimal) -> str:
    return grouped_decimal(value) or ""


def value_text(figure: PublishedFigure) -> str:
    """Return the figure with its qualifier and unit: 超200 亿元, 7,000余 家, 第152位."""
    if figure.kind == FigureKind.RANK:
        text = f"第{places(figure.value)}位"
    elif figure.kind == FigureKind.RANK_GOAL:
        text = f"{figure.qualifier}{places(figure.value)}位"
    elif figure.kind == FigureKind.RANK_CHANGE:
        word = "上升" if figure.value >= 0 else "下降"
        text = f"{word}{places(abs(figure.value))}位"
    else:
        number = grouped_decimal(figure.value)
        qualifier = figure.qualifier
        before = qualifier if qualifier in BEFORE else ""
        on_number = qualifier if qualifier in ON_NUMBER else ""
        after = "" if before or on_number else qualifier
        unit = figure.unit if figure.unit in ("", "%") else f" {figure.unit}"
        text = f"{before}{number}{on_number}{unit}{after}"
    if figure.stated_as not in (plain_decimal(figure.value), grouped_decimal(figure.value)):
        text += f"（原文：{figure.stated_as}）"
    return text


def source_text(figure: PublishedFigure) -> str:
    """The source as a leader cites it: title, authors, date of publication."""
    source = figure.source
    authors = f"，{source.authors}" if source.authors else ""
    return f"{source.title}{authors}（{source.published}）"
