"""Which changes of an import are risky enough to need an explicit confirmation.

A responsibility sheet of another plan reads without a single bad cell: its rows match the
plan's numbers and every figure is a number. What gives it away is what it changes. The rule:

1. an existing indicator is renamed;
2. an existing indicator's unit changes;
3. an existing indicator's 属性 or 方向 changes while it already has reported figures (Actual
   rows): they were reported, and rated, under the old meaning;
4. more than a third of the existing indicators in the file are renamed (on top of 1: the
   file most likely belongs to another plan);
5. the file's title lines or sheet name name another area (望城 / 高新区, 麓谷) than the plan
   does, or state another plan period (2021-2023, 十四五) than the plan's first–last year.

Anything else (targets, base values, lead and responsible units, new indicators) is the
ordinary business of an import and shows in the preview without a tick.
"""

import re
from dataclasses import dataclass

from ..importers.cells import compact_text
from ..models import Plan
from .reader import SheetSource

NAME = "指标名称"
UNIT = "单位"
# Changing these changes how reported figures are read and rated.
MEANING = ("属性", "方向")
RENAME_SHARE = 1 / 3

# The areas whose plans this system holds, and the words that name each in a title.
# A plan for another area needs its line here before the title check can protect it.
AREAS = {
    "望城区": ("望城",),
    "长沙高新区": ("高新区", "高新技术产业开发区", "麓谷"),
}
YEAR_RANGE = re.compile(r"(20\d{2})年?[-－—–~～至到](20\d{2})")
# 十三五 is 2016–2020, 十四五 2021–2025, …
FIVE_YEAR_PLAN = re.compile(r"十([三四五六])五")
FIVE_YEAR_START = {"三": 2016, "四": 2021, "五": 2026, "六": 2031}


@dataclass(frozen=True)
class Risk:
    """A change the user must confirm explicitly; number is None for the file as a whole."""

    number: int | None
    reason: str

    def __str__(self) -> str:
        return self.reason if self.number is None else f"序号 {self.number}：{self.reason}"


class RiskyImport(Exception):
    """The import holds risky changes and nobody confirmed them; nothing was written."""

    def __init__(self, risks: list[Risk]):
        self.risks = risks
        super().__init__("\n".join(str(risk) for risk in risks))


def change_risk(label: str, old: str, new: str, *, reported: int) -> str:
    """Return the reason a change of an existing indicator is risky, "" when it is not."""
    if label == NAME:
        return f"指标更名：{old} → {new}"
    if label == UNIT:
        return f"单位变更：{old} → {new}"
    if label in MEANING and reported:
        return f"{label}变更：{old} → {new}（该指标已有 {reported} 条填报数据）"
    return ""


def rename_share_risk(*, renamed: int, matched: int) -> Risk | None:
    """Return a file-wide risk when more than a third of the matched indicators are renamed."""
    if matched and renamed > matched * RENAME_SHARE:
        return Risk(
            None,
            f"文件中与现有指标序号相同的 {matched} 项里有 {renamed} 项更名，超过三分之一，"
            "文件可能属于另一个规划",
        )
    return None


def source_risks(plan: Plan, source: SheetSource | None) -> list[Risk]:
    """Return a risk for each title line or sheet name that names another area or period."""
    if source is None:
        return []
    plan_text = compact_text(f"{plan.name}{plan.short_name}{plan.issuer}")
    plan_areas = {area for area, words in AREAS.items() if any(w in plan_text for w in words)}
    risks = []
    texts = [("文件标题", line) for line in source.titles]
    texts.append(("工作表名称", source.sheet_name))
    for what, text in texts:
        compact = compact_text(text)
        others = [
            area
            for area, words in AREAS.items()
            if area not in plan_areas and any(w in compact for w in words)
        ]
        if others:
            risks.append(
                Risk(
                    None,
                    f"{what}“{text}”提到{'、'.join(others)}，与导入目标“{plan.name}”不符，"
                    "请确认没有选错文件或规划",
                )
            )
        period = _stated_period(compact)
        if period and period != (plan.first_year, plan.last_year):
            risks.append(
                Risk(
                    None,
                    f"{what}“{text}”的规划期为 {period[0]}–{period[1]} 年，与导入目标"
                    f"“{plan.name}”（{plan.first_year}–{plan.last_year} 年）不符",
                )
            )
    return risks


def _stated_period(text: str) -> tuple[int, int] | None:
    """Return the plan period a title states, as (first, last) year, or None."""
    match = YEAR_RANGE.search(text)
    if match:
        return int(match.group(1)), int(match.group(2))
    match = FIVE_YEAR_PLAN.search(text)
    if match:
        start = FIVE_YEAR_START[match.group(1)]
        return start, start + 4
    return None
