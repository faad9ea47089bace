"""What the lifecycle tests share: a 2026–2030 responsibility sheet built with openpyxl,
approved figures written as the review leaves them, and a command runner."""

import io
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

from indicators.models import Actual, Indicator

YEARS = [2026, 2027, 2028, 2029, 2030]
# 序号, 类别, 指标名称, 单位, 2025年基期值, 2026–2030 targets, 属性, 牵头单位, 责任单位
ROWS = [
    (
        1,
        "规模总量",
        "规模工业总产值",
        "亿元",
        "1800",
        ["1900", "2000", "2100", "2200", "2300"],
        "累计值",
        "区工信局",
        "区统计局、区发改局",
    ),
    (
        2,
        "规模总量",
        "产业链企业引进数",
        "家",
        "30",
        ["35", "35", "36", "36", "40"],
        "当年值",
        "各产业链办公室",
        "",
    ),
    (
        3,
        "创新驱动",
        "研发经费投入强度",
        "%",
        "3.2",
        ["3.3", "3.4", "3.5", "3.6", "3.8"],
        "占比值",
        "区科技局",
        "区工信局",
    ),
    (4, "开放合作", "利用外资", "亿美元", "", ["完成市里下达任务"] * 5, "累计值", "区商务局", ""),
]


def sheet_2026_2030() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "十五五主要指标"
    sheet.append(["测试区“十五五”规划主要指标责任分解表（2026-2030年）"])
    sheet.append(
        [
            "序号",
            "类别",
            "主要指标",
            "单位",
            "2025年基期值",
            *[f"{y}年目标值" for y in YEARS],
            "属性",
            "牵头单位",
            "责任单位",
        ]
    )
    for number, group, name, unit, base, targets, attribute, lead, responsible in ROWS:
        sheet.append([number, group, name, unit, base, *targets, attribute, lead, responsible])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table1_final_only() -> bytes:
    """表1 layout: goal, name, unit, 2025 value, 2030 target; no attribute, no lead."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "表1"
    sheet.append(["序号", "目标", "指标名称", "单位", "2025年", "2030年目标"])
    sheet.append([1, "综合实力", "企业总收入", "亿元", 5000, 8000])
    sheet.append([2, "创新能力", "研发投入年均增长", "%", 10, 12])
    sheet.append([3, "综合实力", "上市企业数", "家", 20, 30])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def approve(indicator: Indicator, year: int, value: str) -> Actual:
    """An approved figure, as the review leaves it."""
    figure = Decimal(value)
    return Actual.objects.create(
        indicator=indicator,
        year=year,
        value=figure,
        approved_value=figure,
        approved_kind="final",
        kind="final",
        state="approved",
        approved_at=timezone.now(),
        version=2,
    )


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
