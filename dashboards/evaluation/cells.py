"""An evaluation row's figures as the exports write them (indicators/formatting.py rules)."""

import re

from indicators.evaluation.rules import STANDING_ICONS, STANDING_LABELS
from indicators.formatting import MISSING, figure_text, percent_text, points_text

# Characters XML 1.0 cannot hold: python-docx and openpyxl refuse a whole file for one.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text a document can hold: control characters a form let through are dropped."""
    return UNWRITABLE.sub("", text)


def target_text(target, unit: str) -> str:
    """A target as read: its text (完成市里下达任务) or its value with the unit; none is —."""
    if target is None:
        return MISSING
    return target.text or figure_text(target.value, unit)


def latest_text(row) -> str:
    """The latest approved figure and its year, "1,650 亿元（2023年）"; a text target's status."""
    if row.latest is None:
        return MISSING
    shown = row.latest_status_label or figure_text(row.latest_value, row.indicator.unit)
    return f"{shown}（{row.latest_year}年）"


def growth_text(row) -> str:
    """The yearly growth achieved / required: "12.3% / 19.4%"; — where undefined."""
    if row.growth.achieved is None:
        return MISSING
    return f"{percent_text(row.growth.achieved)} / {percent_text(row.growth.required)}"


def standing_text(row) -> str:
    """The standing with its sign; a text target says what the reviewer found."""
    text = f"{STANDING_ICONS[row.standing]} {STANDING_LABELS[row.standing]}"
    if row.latest_status_label:
        text += f"（{row.latest_status_label}）"
    return text


def completion_text(row) -> str:
    """The completion, and for a share its gap in points: "95.2%（-1.3 个百分点）"."""
    text = percent_text(row.completion)
    if row.gap is not None:
        text += f"（{points_text(row.gap)}）"
    return text
