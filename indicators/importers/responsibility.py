"""Reading a 主要指标责任分解表 (responsibility sheet) into IndicatorRows.

Columns are found by their header text, not their position; every bad cell of the file
is reported at once, named by sheet, Excel row and column header.
"""

import re
from dataclasses import dataclass

from .cells import (
    CellValueError,
    clean_label,
    compact_text,
    is_missing,
    normalize_text,
    parse_decimal,
    parse_departments,
    parse_integer,
)
from .rows import UNSET, IndicatorRow, TargetCell
from .workbook import (
    YEAR,
    CellIssue,
    Column,
    MergedReader,
    SheetInvalid,
    Table,
    WorkbookRefused,
    data_rows,
    find_tables,
    open_workbook,
)

ATTRIBUTES = {
    "累计值": "cumulative",
    "累计": "cumulative",
    "当年值": "annual",
    "当年": "annual",
    "年度值": "annual",
    "占比值": "ratio",
    "占比": "ratio",
    "比重": "ratio",
}
# Text a plan uses instead of a number, e.g. 完成市里下达任务; anything else is a typo.
TEXT_TARGET = re.compile(r"^完成.{0,12}任务$")

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


def read_responsibility_sheet(
    file_name: str, content: bytes, years: PlanYears
) -> list[IndicatorRow]:
    """Return the sheet's rows; raise WorkbookRefused or SheetInvalid with every issue."""
    workbook = open_workbook(file_name, content)
    table, reader = _pick_table(workbook, years)
    issues: list[CellIssue] = []

    by_kind = {column.kind: column for column in table.columns if column.kind}
    year_columns = [c for c in table.columns if c.kind == "target"]
    rows: list[IndicatorRow] = []
    seen_numbers: dict[int, int] = {}
    current_group: str | None = None
    for excel_row, values in data_rows(table, reader):
        number_cell = values.get(by_kind["number"].index)
        if compact_text(number_cell) in {"序号", "编号"}:
            continue  # the header repeated after a page break
        row_issues: list[CellIssue] = []

        def issue(
            column: Column, reason: str, excel_row: int = excel_row, row_issues=row_issues
        ) -> None:
            row_issues.append(CellIssue(table.title, excel_row, column_title(column), reason))

        uncalculated = [
            c for c in table.columns if c.kind and reader.is_uncalculated(excel_row, c.index)
        ]
        for column in uncalculated:
            issue(column, "公式没有保存计算结果，请在 Excel 中打开并保存后再上传")
        if uncalculated:
            issues.extend(row_issues)
            continue

        if "group" in by_kind:
            group_text = clean_label(values.get(by_kind["group"].index))
            if group_text:
                current_group = group_text
            elif current_group is None:
                issue(by_kind["group"], "类别为空，且上方没有可沿用的类别")

        number = None
        try:
            number = parse_integer(number_cell)
            if number is None:
                issue(by_kind["number"], "序号为空")
            elif number < 1:
                issue(by_kind["number"], f"序号“{number_cell}”应为正整数")
                number = None
        except CellValueError as exc:
            issue(by_kind["number"], f"{exc}，序号应为正整数")
        if number is not None:
            if number in seen_numbers:
                issue(by_kind["number"], f"序号 {number} 与第{seen_numbers[number]}行重复")
            else:
                seen_numbers[number] = excel_row

        name = _single_line(values.get(by_kind["name"].index))
        if not name:
            issue(by_kind["name"], "指标名称为空")
        unit = re.sub(r"\s+", "", normalize_text(values.get(by_kind["unit"].index)))
        if not unit:
            issue(by_kind["unit"], "单位为空")
        percent_allowed = unit == "%"

        attribute_text = compact_text(values.get(by_kind["attribute"].index))
        attribute = ATTRIBUTES.get(attribute_text)
        if attribute is None:
            shown = values.get(by_kind["attribute"].index)
            if is_missing(shown):
                issue(by_kind["attribute"], "属性为空，应为累计值、当年值或占比值")
            else:
                issue(by_kind["attribute"], f"“{shown}”不是有效的属性，应为累计值、当年值或占比值")
            attribute = None
        if attribute == "ratio":
            percent_allowed = True

        base_value = UNSET
        if "base" in by_kind:
            try:
                base_value = parse_decimal(
                    values.get(by_kind["base"].index), percent_allowed=percent_allowed
                )
            except CellValueError as exc:
                issue(by_kind["base"], str(exc))

        targets: dict[int, TargetCell | None] = {}
        for column in year_columns:
            raw = values.get(column.index)
            try:
                value = parse_decimal(raw, percent_allowed=percent_allowed)
                targets[column.year] = None if value is None else TargetCell(value=value)
            except CellValueError as exc:
                text = re.sub(r"\s+", "", normalize_text(raw))
                if TEXT_TARGET.match(text):
                    targets[column.year] = TargetCell(text=text)
                else:
                    issue(column, str(exc))

        leads = parse_departments(values.get(by_kind["lead"].index))
        responsible = UNSET
        if "responsible" in by_kind:
            responsible = parse_departments(values.get(by_kind["responsible"].index))

        if len(leads) > 1:
            # An indicator answers to one lead unit; guessing which one would be wrong.
            issue(
                by_kind["lead"], f"牵头单位只能填写一个，这里有 {len(leads)} 个：{'、'.join(leads)}"
            )
        if row_issues:
            issues.extend(row_issues)
            continue
        rows.append(
            IndicatorRow(
                number=number,
                name=name,
                unit=unit,
                attribute=attribute,
                group=current_group if "group" in by_kind else UNSET,
                base_value=base_value,
                targets=targets,
                lead=leads[0] if leads else None,
                responsible=responsible,
                source_row=excel_row,
            )
        )
    if issues:
        raise SheetInvalid(issues)
    if not rows:
        raise WorkbookRefused(f"工作表「{table.title}」的表头下没有任何指标行。")
    return rows


def _pick_table(workbook, years: PlanYears) -> tuple[Table, MergedReader]:
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


def _single_line(value: object) -> str:
    """Return a name cell as one line: a wrapped cell's line break is not part of the name."""
    if value is None:
        return ""
    return re.sub(r"\s*\n\s*", "", str(value)).strip()


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
    for kind, title in REQUIRED_KINDS.items():
        if kind not in kinds:
            issues.append(CellIssue(table.title, header_row, None, f"表头中缺少「{title}」列"))
    if "target" not in kinds:
        issues.append(
            CellIssue(table.title, header_row, None, "表头中缺少目标值列（如「2021年目标值」）")
        )
    return issues
