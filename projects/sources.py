"""Reading the transcribed source tables in fixtures/: the project list, the task items, the
milestones and the enterprises. No Django models: rows in, dataclasses out.

Every problem of a file is collected and raised at once as SheetInvalid (the same error
the Excel imports raise), so `load_plans` refuses a bad file whole and names each row.
The project list is checked against the subtotals its headings state: a row lost or
mistyped in the transcription cannot go unnoticed.
"""

import csv
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from indicators.importers.cells import parse_departments
from indicators.importers.workbook import CellIssue, SheetInvalid
from indicators.params import ascii_int

from .models import EnterpriseKind, ProjectCategory

CATEGORY_CODES = {str(label): value for value, label in ProjectCategory.choices}
ATTRIBUTE_CODES = {"累计值": "cumulative", "当年值": "annual", "占比值": "ratio"}
DIRECTIONS = {"increase", "decrease"}
KIND_CODES = {value for value, _label in EnterpriseKind.choices}


def read_sources(path: Path) -> dict[str, dict]:
    """Return fixtures/projects_sources.json: per plan slug, its files and stated subtotals."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _records(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Return (line number, record) pairs; line 1 is the header."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [(line, record) for line, record in enumerate(csv.DictReader(handle), start=2)]


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation as exc:
        raise ValueError(f"“{text}”不是数字") from exc
    if not value.is_finite():
        raise ValueError(f"“{text}”不是数字")
    return value


@dataclass(frozen=True)
class ProjectRow:
    number: int
    category: str  # a ProjectCategory value
    name: str
    builder: str
    total_investment: Decimal
    content: str
    notes: str


@dataclass(frozen=True)
class CategorySubtotal:
    """What a heading of the list states: 二、产业类项目（共 60 个，…计划投资 1027.395 亿元）."""

    label: str
    count: int
    total: Decimal
    heading: str


def stated_subtotals(definition: dict) -> list[CategorySubtotal]:
    return [
        CategorySubtotal(label, int(stated["count"]), Decimal(stated["total"]), stated["heading"])
        for label, stated in definition["categories"].items()
    ]


def read_projects(path: Path, subtotals: list[CategorySubtotal]) -> list[ProjectRow]:
    """Return the project rows; raise SheetInvalid listing every bad cell and every subtotal
    that the rows do not add up to."""
    sheet = path.name
    rows: list[ProjectRow] = []
    issues: list[CellIssue] = []
    for line, record in _records(path):
        row_issues: list[CellIssue] = []

        def issue(column: str, reason: str, line=line, row_issues=row_issues) -> None:
            row_issues.append(CellIssue(sheet, line, column, reason))

        number = record.get("number", "").strip()
        if not ascii_int(number):
            issue("number", f"序号“{number}”不是正整数")
        category = CATEGORY_CODES.get(record.get("category", "").strip())
        if category is None:
            issue("category", f"类别“{record.get('category')}”应为 {'、'.join(CATEGORY_CODES)}")
        for column in ("name", "builder", "content"):
            if not record.get(column, "").strip():
                issue(column, "不能为空")
        try:
            total = _decimal(record.get("total_investment", ""))
            if total < 0:
                issue("total_investment", f"总投资 {total} 亿元不能为负数")
        except ValueError as exc:
            issue("total_investment", str(exc))
        if row_issues:
            issues.extend(row_issues)
            continue
        rows.append(
            ProjectRow(
                number=int(number),
                category=category,
                name=record["name"].strip(),
                builder=record["builder"].strip(),
                total_investment=total,
                content=record["content"].strip(),
                notes=record.get("notes", "").strip(),
            )
        )
    numbers = [row.number for row in rows]
    if not issues and sorted(numbers) != list(range(1, len(rows) + 1)):
        missing = sorted(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        issues.append(
            CellIssue(sheet, None, None, f"序号应从 1 连续编号：缺 {missing}，重复 {repeated}")
        )
    if not issues:
        issues.extend(_subtotal_issues(sheet, rows, subtotals))
    if issues:
        raise SheetInvalid(issues)
    return rows


def _subtotal_issues(
    sheet: str, rows: list[ProjectRow], subtotals: list[CategorySubtotal]
) -> list[CellIssue]:
    issues = []
    for stated in subtotals:
        code = CATEGORY_CODES[stated.label]
        members = [row for row in rows if row.category == code]
        total = sum((row.total_investment for row in members), Decimal(0))
        if len(members) != stated.count or total != stated.total:
            issues.append(
                CellIssue(
                    sheet,
                    None,
                    None,
                    f"{stated.label}：{len(members)} 个项目合计 {total} 亿元，"
                    f"与标题“{stated.heading}”所列 {stated.count} 个、{stated.total} 亿元不符",
                )
            )
    return issues


@dataclass(frozen=True)
class TaskItemRow:
    task: int
    number: int
    title: str
    text: str


def read_task_items(path: Path) -> list[TaskItemRow]:
    rows, issues = [], []
    for line, record in _records(path):
        try:
            rows.append(
                TaskItemRow(
                    int(record["task"]),
                    int(record["number"]),
                    record["title"].strip(),
                    record["text"].strip(),
                )
            )
        except (KeyError, ValueError) as exc:
            issues.append(CellIssue(path.name, line, None, f"无法读取：{exc}"))
        else:
            if not rows[-1].title:
                issues.append(CellIssue(path.name, line, "title", "不能为空"))
    if issues:
        raise SheetInvalid(issues)
    return rows


@dataclass(frozen=True)
class MilestoneRow:
    task: int
    item: int | None
    number: int
    name: str
    text: str
    target: Decimal
    unit: str
    attribute: str
    target_year: int | None
    direction: str
    leads: list[str]


def read_milestones(path: Path) -> list[MilestoneRow]:
    rows, issues = [], []
    for line, record in _records(path):
        row_issues = []
        attribute = ATTRIBUTE_CODES.get(record.get("attribute", "").strip())
        if attribute is None:
            row_issues.append(CellIssue(path.name, line, "attribute", "应为累计值、当年值或占比值"))
        direction = record.get("direction", "").strip()
        if direction not in DIRECTIONS:
            row_issues.append(CellIssue(path.name, line, "direction", "应为 increase 或 decrease"))
        year_text = record.get("target_year", "").strip()
        if (attribute == "annual") == bool(year_text):
            row_issues.append(
                CellIssue(path.name, line, "target_year", "当年值不填目标年份，其余必须填写")
            )
        try:
            target = _decimal(record.get("target", ""))
            task, number = int(record["task"]), int(record["number"])
            item = int(record["item"]) if record.get("item", "").strip() else None
            year = int(year_text) if year_text else None
        except (KeyError, ValueError) as exc:
            row_issues.append(CellIssue(path.name, line, None, f"无法读取：{exc}"))
        if not record.get("text", "").strip() or not record.get("name", "").strip():
            row_issues.append(CellIssue(path.name, line, "text", "名称和原文不能为空"))
        if row_issues:
            issues.extend(row_issues)
            continue
        rows.append(
            MilestoneRow(
                task=task,
                item=item,
                number=number,
                name=record["name"].strip(),
                text=record["text"].strip(),
                target=target,
                unit=record["unit"].strip(),
                attribute=attribute,
                target_year=year,
                direction=direction,
                leads=parse_departments(record.get("leads", "").replace("|", "、")),
            )
        )
    if issues:
        raise SheetInvalid(issues)
    return rows


@dataclass(frozen=True)
class EnterpriseRow:
    task: int
    kind: str
    order: int
    name: str


def read_enterprises(path: Path) -> list[EnterpriseRow]:
    rows, issues = [], []
    for line, record in _records(path):
        kind = record.get("kind", "").strip()
        name = record.get("name", "").strip()
        if kind not in KIND_CODES or not name:
            issues.append(CellIssue(path.name, line, "kind", f"类别“{kind}”或企业名称无效"))
            continue
        try:
            rows.append(EnterpriseRow(int(record["task"]), kind, int(record["order"]), name))
        except (KeyError, ValueError) as exc:
            issues.append(CellIssue(path.name, line, None, f"无法读取：{exc}"))
    if issues:
        raise SheetInvalid(issues)
    return rows
