"""Finding the indicator table of a responsibility sheet and what each column holds.

Columns are recognised by their header text, not their position: 序号, 指标名称, 单位,
属性, 牵头单位, 责任单位, the base year and the plan's target years.
"""

import re
from dataclasses import dataclass

from ..importers.workbook import (
    YEAR,
    CellIssue,
    Column,
    MergedReader,
    SheetInvalid,
    Table,
    WorkbookRefused,
    find_tables,
)

NAME_LABELS = {"指标", "指标名称", "指标名", "主要指标", "主要指标名称"}

REQUIRED_KINDS = {
    "number": "序号",
    "name": "指标名称",
    "unit": "单位",
    "attribute": "属性",
    "lead": "牵头单位",
}


@dataclass(frozen=True)
class PlanYears:
    base_year: int
    first_year: int
    last_year: int


FINAL_ONLY_OPTIONAL = {"attribute", "lead"}


def is_final_only(target_years: set[int], years: PlanYears) -> bool:
    """A final-target-only table (表1): the last year is the one target column of a plan
    of several years; the years between are derived (final_only.py)."""
    return target_years == {years.last_year} and years.first_year < years.last_year


def classify(label: str, years: PlanYears) -> tuple[str, int | None]:
    """Return (kind, year) for a header label; kind "" when the column is not ours."""
    if label in {"序号", "编号", "序"}:
        return "number", None
    if label in {"类别", "分类", "类型", "指标类别", "目标", "发展目标"}:
        return "group", None
    if label in {"属性", "指标属性", "数值属性"}:
        return "attribute", None
    if label in {"单位", "计量单位"}:
        return "unit", None
    if "牵头" in label:
        return "lead", None
    if "责任" in label or "配合" in label:
        return "responsible", None
    year_match = YEAR.search(label)
    if year_match:
        year = int(year_match.group(1))
        if "基期" in label or "基数" in label or "基准" in label:
            return "base", year
        if "目标" in label:
            return "target", year
        if re.fullmatch(r"\d{4}年?", label):
            return ("base", year) if year == years.base_year else ("target", year)
        return "", None
    # 主要指标, 指标名称 …, but not an extra 指标解释 or 指标说明 column.
    if label in NAME_LABELS or label.endswith(("指标", "指标名称")):
        return "name", None
    return "", None


def _is_header(labels: list[str]) -> bool:
    return any(label in {"序号", "编号"} for label in labels) and any(
        "指标" in label for label in labels
    )


def _is_subheader(labels: list[str]) -> bool:
    # The second header row holds the years under a merged 目标值 (or 目标值 under the
    # years), and no data: a data row has a small 序号.
    return any(SUBHEADER_LABEL.fullmatch(label) for label in labels) and not any(
        re.fullmatch(r"\d{1,3}", label) for label in labels
    )


SUBHEADER_LABEL = re.compile(r"\d{4}年?(目标值?)?|目标值?|基期值?")


def column_title(column: Column) -> str:
    """The header as users know it; the two header rows read as 2021年目标值."""
    if column.kind == "target" and column.year:
        return f"{column.year}年目标值"
    if column.kind == "base" and column.year:
        return f"{column.year}年基期值"
    return column.label


def pick_table(workbook, years: PlanYears) -> tuple[Table, MergedReader]:
    """Return the first candidate table whose header has every column we need.

    When none has, the first candidate's header problems are reported, since that is
    the sheet the user most likely meant.
    """
    first_issues: list[CellIssue] | None = None
    for table, reader in find_tables(workbook, is_header=_is_header, is_subheader=_is_subheader):
        issues = _classify_columns(table, years)
        if not issues:
            return table, reader
        if first_issues is None:
            first_issues = issues
    if first_issues is None:
        raise WorkbookRefused(
            "未找到指标表：没有一个工作表的表头同时包含「序号」和「指标」列。"
            "请检查文件是否为主要指标责任分解表。"
        )
    raise SheetInvalid(first_issues)


def _classify_columns(table: Table, years: PlanYears) -> list[CellIssue]:
    issues: list[CellIssue] = []
    seen: dict[tuple[str, int | None], Column] = {}
    header_row = table.header_rows[0]
    for column in table.columns:
        kind, year = classify(column.label, years)
        if not kind:
            continue
        key = (kind, year)
        if key in seen:
            issues.append(
                CellIssue(
                    table.title,
                    header_row,
                    column.label,
                    f"与第 {seen[key].index} 列的表头重复，无法确定使用哪一列",
                )
            )
            continue
        if kind == "base" and year != years.base_year:
            issues.append(
                CellIssue(
                    table.title,
                    header_row,
                    column.label,
                    f"基期年份 {year} 与规划的基期 {years.base_year} 年不符",
                )
            )
            continue
        if kind == "target" and not (years.first_year <= year <= years.last_year):
            issues.append(
                CellIssue(
                    table.title,
                    header_row,
                    column.label,
                    f"{year} 年不在规划期 {years.first_year}–{years.last_year} 年内",
                )
            )
            continue
        column.kind, column.year = kind, year
        seen[key] = column
    kinds = {kind for kind, _ in seen}
    required = REQUIRED_KINDS
    if is_final_only({year for kind, year in seen if kind == "target"}, years):
        # A 表1 table (base value, final target, goal) names no attribute or lead unit.
        required = {k: v for k, v in REQUIRED_KINDS.items() if k not in FINAL_ONLY_OPTIONAL}
    for kind, title in required.items():
        if kind not in kinds:
            issues.append(CellIssue(table.title, header_row, None, f"表头中缺少「{title}」列"))
    if "target" not in kinds:
        issues.append(
            CellIssue(table.title, header_row, None, "表头中缺少目标值列（如「2021年目标值」）")
        )
    return issues
