"""Reading a 主要指标责任分解表 (responsibility sheet) into IndicatorRows.

Columns are found by their header text, not their position (columns.py); every bad cell
of the file is reported at once, named by sheet, Excel row and column header.
"""

import re
from dataclasses import dataclass

from ..importers.cells import (
    CellValueError,
    clean_label,
    compact_text,
    is_missing,
    normalize_text,
    parse_decimal,
    parse_departments,
    parse_integer,
)
from ..importers.rows import UNSET, IndicatorRow, TargetCell
from ..importers.workbook import (
    FOOTER,
    CellIssue,
    Column,
    SheetInvalid,
    Table,
    WorkbookRefused,
    data_rows,
    first_text,
    open_workbook,
)
from .columns import PlanYears, column_title, is_final_only, pick_table
from .final_only import derived_targets

__all__ = ["PlanYears", "SheetContent", "SheetSource", "read_responsibility_sheet", "read_sheet"]

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


@dataclass(frozen=True)
class SheetSource:
    """What the file says about itself: the sheet's name and the title lines above the header.

    The import compares them with the plan it goes into (risks.py).
    """

    sheet_name: str
    titles: tuple[str, ...] = ()


@dataclass
class SheetContent:
    rows: list[IndicatorRow]
    source: SheetSource


def read_sheet(file_name: str, content: bytes, years: PlanYears) -> SheetContent:
    """Return rows and title lines; raise WorkbookRefused or SheetInvalid with every issue."""
    workbook = open_workbook(file_name, content)
    table, reader = pick_table(workbook, years)
    issues: list[CellIssue] = []

    by_kind = {column.kind: column for column in table.columns if column.kind}
    year_columns = [c for c in table.columns if c.kind == "target"]
    final_only = is_final_only({c.year for c in year_columns}, years)
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

        attribute = UNSET  # a 表1 table has no attribute column: a new indicator is 累计值
        if "attribute" in by_kind:
            attribute = ATTRIBUTES.get(compact_text(values.get(by_kind["attribute"].index)))
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

        leads = [UNSET]  # a 表1 table names no lead unit: assigned later
        if "lead" in by_kind:
            leads = parse_departments(values.get(by_kind["lead"].index))
        responsible = UNSET
        if "responsible" in by_kind:
            responsible = parse_departments(values.get(by_kind["responsible"].index))

        if not leads:
            # A blank lead would silently unassign the indicator; the office must name one.
            issue(by_kind["lead"], "不能为空，请填写该指标的牵头单位（一个）")
        elif len(leads) > 1:
            # An indicator answers to one lead unit; guessing which one would be wrong.
            issue(
                by_kind["lead"], f"牵头单位只能填写一个，这里有 {len(leads)} 个：{'、'.join(leads)}"
            )
        if row_issues:
            issues.extend(row_issues)
            continue
        if final_only:
            targets = derived_targets(name, unit, base_value, targets, years)
        rows.append(
            IndicatorRow(
                number=number,
                name=name,
                unit=unit,
                attribute=attribute,
                group=current_group if "group" in by_kind else UNSET,
                base_value=base_value,
                targets=targets,
                lead=leads[0],
                responsible=responsible,
                source_row=excel_row,
            )
        )
    issues.extend(_rows_below_footer(table, by_kind["number"], by_kind["name"]))
    if issues:
        raise SheetInvalid(issues)
    if not rows:
        raise WorkbookRefused(f"工作表「{table.title}」的表头下没有任何指标行。")
    return SheetContent(rows, SheetSource(table.title, _title_lines(table)))


def read_responsibility_sheet(
    file_name: str, content: bytes, years: PlanYears
) -> list[IndicatorRow]:
    """Return only the sheet's rows; see read_sheet."""
    return read_sheet(file_name, content, years).rows


def _title_lines(table: Table) -> tuple[str, ...]:
    """Return the text of the rows above the header, a line per row, e.g. the plan's title.

    The characters stay as typed, so a message can quote the title as the user sees it.
    """
    lines = []
    for row in range(1, table.header_rows[0]):
        values = table.sheet.row_values(row)
        cells = [" ".join(str(value).split()) for value in values if not is_missing(value)]
        if cells:
            lines.append(" ".join(cells))
    return tuple(lines)


def _rows_below_footer(table: Table, number_column: Column, name_column: Column) -> list[CellIssue]:
    """Return an issue for each row below a note (注：, 说明：) that looks like an indicator.

    Reading stops at the note, so an indicator added under it would be lost without a word.
    Such a row has a whole number in 序号 and a name; the prose lines of a note do not.
    """
    sheet = table.sheet
    footer_row = next(
        (
            row
            for row, values in sheet.rows_from(table.first_data_row)
            if FOOTER.match(first_text(values))
        ),
        None,
    )
    if footer_row is None:
        return []
    issues = []
    for row, _values in sheet.rows_from(footer_row + 1):
        # The cell itself, not the merged value: a note merged across the row is no 序号.
        try:
            number = parse_integer(sheet.value(row, number_column.index))
        except CellValueError:
            continue
        name = _single_line(sheet.value(row, name_column.index))
        if number is None or number < 1 or not name:
            continue
        issues.append(
            CellIssue(
                table.title,
                row,
                column_title(number_column),
                f"该行（序号 {number}“{name}”）位于第{footer_row}行的说明之下，不会被导入："
                "如果是指标，请把它移到说明行之上；如果不是，请删除该行的序号",
            )
        )
    return issues


def _single_line(value: object) -> str:
    """Return a name cell as one line: a wrapped cell's line break is not part of the name."""
    if value is None:
        return ""
    return re.sub(r"\s*\n\s*", "", str(value)).strip()
