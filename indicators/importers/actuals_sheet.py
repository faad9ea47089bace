"""The Excel template for reporting a year's actuals, and the reader of a filled-in sheet.

The template is prefilled with the indicators a user may report. The reader accepts it,
or any sheet whose header has 序号 (or 指标名称) and a 实际值 column; columns are found
by their header text. Values are read with the same rules as the form. No Django: the
caller passes the plan's indicators in.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ..actual_input import ActualValueError
from ..reporting.sheet import (
    UNCALCULATED,
    TemplateColumn,
    TemplateRow,
    parse_figure_cell,
    template_versions,
)
from ..reporting.sheet import build_template as build_sheet
from . import workbook as xlsx
from .cells import CellValueError, compact_text, is_missing, parse_integer

TEXT_STATUSES = {"已完成": "done", "未完成": "not_done"}
STATUS_LABELS = {code: label for label, code in TEXT_STATUSES.items()}
KINDS = {"快报": "preliminary", "年报": "final"}
EXPLANATION_TITLE = "说明"
EXPLANATION_HEADER = "说明（未达目标或变动超过50%时必填：原因分析及整改措施）"
NAME_LABELS = {"指标", "指标名称", "指标名", "主要指标", "主要指标名称"}
EXPLANATION_LABELS = {"情况说明", "原因说明", "原因分析", "原因分析及整改措施"}
# 2023年实际值, 2023年度实际值, 实际值, 实际完成值; compact_text has already applied NFKC.
ACTUAL_LABEL = re.compile(r"(?:(?P<year>\d{4})年度?)?(?:实际值|实际完成值|完成值)(?:\(.*\))?")


@dataclass(frozen=True)
class SheetIndicator:
    """What the reader needs to know about an indicator of the plan."""

    number: int
    name: str
    unit: str


@dataclass(frozen=True)
class TemplateLine:
    """One prefilled row of the template."""

    number: int
    name: str
    unit: str
    target_value: Decimal | None
    target_text: str
    previous_value: Decimal | None
    previous_text: str = ""
    version: int = 0  # the saved figure's version, 0 when none


@dataclass(frozen=True)
class ActualRow:
    """One filled-in row: the indicator's 序号, the parsed figure, and where it sits."""

    sheet: str
    row: int
    number: int
    value: Decimal | None
    text_status: str
    explanation: str
    kind: str
    number_column: str
    value_column: str
    explanation_column: str = EXPLANATION_TITLE
    version: int | None = None  # from the template's stamp; None for a sheet of one's own

    @property
    def key(self) -> int:
        return self.number

    def issue(self, field_name: str | None, reason: str) -> xlsx.CellIssue:
        """An issue on the row's key, value or explanation cell."""
        column = {"value": self.value_column, "explanation": self.explanation_column}
        return xlsx.CellIssue(
            self.sheet, self.row, column.get(field_name, self.number_column), reason
        )


@dataclass
class ActualSheet:
    """The rows read from the sheet, the year they report, and the rows that could not be read."""

    title: str
    year: int
    rows: list[ActualRow] = field(default_factory=list)
    issues: list[xlsx.CellIssue] = field(default_factory=list)


# ---------------------------------------------------------------- the template

NOTE = (
    "注：1. 实际值按“单位”列的单位填写数字，不要换算为其他单位；目标为文字的指标填写“已完成”或"
    "“未完成”。2. 未达到目标值、未完成，或与上年相比变动超过50%时，必须在说明中写明原因分析及"
    "整改措施。3. 实际值为空的行不导入。4. 请勿修改序号和指标名称。"
)


def build_template(
    *, title: str, year: int, previous_header: str, lines: Iterable[TemplateLine]
) -> bytes:
    """Return the .xlsx template: a title row, the header, one row per line, a note row."""
    # Columns D and E (target, last year) are shown grey: there to read, not to fill.
    columns = [
        TemplateColumn("序号", 6),
        TemplateColumn("指标名称", 42, wrap=True),
        TemplateColumn("单位", 9),
        TemplateColumn(f"{year}年目标值", 16, read_only=True),
        TemplateColumn(previous_header, 16, read_only=True),
        TemplateColumn(f"{year}年实际值", 16),
        TemplateColumn(EXPLANATION_HEADER, 56, wrap=True),
    ]
    rows = [
        TemplateRow(
            key=line.number,
            values=[
                line.number,
                line.name,
                line.unit,
                line.target_value if line.target_value is not None else line.target_text or None,
                line.previous_value
                if line.previous_value is not None
                else line.previous_text or None,
                None,
                None,
            ],
            version=line.version,
            choices=tuple(TEXT_STATUSES) if line.target_value is None and line.target_text else (),
        )
        for line in lines
    ]
    return build_sheet(
        title=title,
        sheet_title=f"{year}年实际值填报",
        columns=columns,
        rows=rows,
        note=NOTE,
        choice_column=6,
    )


# ---------------------------------------------------------------- the reader


def classify(label: str) -> tuple[str, int | None]:
    """Return (kind, year) for a header label; kind "" when the column is not read."""
    if label in {"序号", "编号", "序"}:
        return "number", None
    if label in NAME_LABELS or label.endswith("指标名称"):
        return "name", None
    if label in {"数据类型", "数据类别"}:
        return "kind", None
    if label.startswith(EXPLANATION_TITLE) or label in EXPLANATION_LABELS:
        return "explanation", None
    match = ACTUAL_LABEL.fullmatch(label)
    if match:
        year = match.group("year")
        return "actual", int(year) if year else None
    return "", None


def _is_header(labels: list[str]) -> bool:
    kinds = {classify(label)[0] for label in labels}
    return bool(kinds & {"number", "name"}) and "actual" in kinds


def read_actuals_sheet(
    file_name: str,
    content: bytes,
    *,
    indicators: Iterable[SheetIndicator],
    first_year: int,
    last_year: int,
    year: int | None = None,
) -> ActualSheet:
    """Return the filled-in rows and every row issue found; `year` is the one chosen by the user.

    Raises WorkbookRefused when the file or its table cannot be used at all, and
    SheetInvalid when the header is wrong (e.g. its year differs from `year`).
    """
    workbook = xlsx.open_workbook(file_name, content)
    found = next(
        xlsx.find_tables(workbook, is_header=_is_header, is_subheader=lambda _: False), None
    )
    if found is None:
        raise xlsx.WorkbookRefused(
            "未找到实际值填报表：没有一个工作表的表头同时包含「序号」（或「指标名称」）和"
            "「实际值」列。请使用下载的填报模板。"
        )
    table, reader = found
    sheet_year = _classify_columns(table, year, first_year, last_year)
    sheet = ActualSheet(title=table.title, year=sheet_year)
    _read_rows(table, reader, sheet, list(indicators), template_versions(workbook))
    if not sheet.rows and not sheet.issues:
        label = next(column.label for column in table.columns if column.kind == "actual")
        raise xlsx.WorkbookRefused(
            f"工作表「{table.title}」中没有填写任何实际值（「{label}」列全部为空），未导入任何数据。"
        )
    return sheet


def _classify_columns(table: xlsx.Table, year: int | None, first_year: int, last_year: int) -> int:
    """Mark the columns the reader uses and return the reported year; raise SheetInvalid."""
    header_row = table.header_rows[0]
    issues: list[xlsx.CellIssue] = []

    def issue(column: xlsx.Column | None, reason: str) -> None:
        issues.append(
            xlsx.CellIssue(table.title, header_row, column.label if column else None, reason)
        )

    seen: dict[str, xlsx.Column] = {}
    actual_columns: list[tuple[xlsx.Column, int | None]] = []
    for column in table.columns:
        kind, column_year = classify(column.label)
        if kind == "actual":
            actual_columns.append((column, column_year))
        elif kind in seen:
            issue(column, f"与第 {seen[kind].index} 列的表头重复，无法确定使用哪一列")
        elif kind:
            column.kind = kind
            seen[kind] = column

    plain = [column for column, column_year in actual_columns if column_year is None]
    dated = sorted((c for c in actual_columns if c[1] is not None), key=lambda c: c[1])
    chosen: xlsx.Column | None = None
    if len(plain) > 1:
        issue(plain[1], f"与第 {plain[0].index} 列的表头重复，无法确定使用哪一列")
    elif plain:
        chosen, later = plain[0], [c for c, y in dated if year is None or y >= year]
        if year is None:
            issue(
                chosen,
                f"表头「{chosen.label}」没有注明年份：请选择填报年份（命令行加 --year），"
                f"或把表头改为如「{last_year}年实际值」",
            )
        elif later:
            issue(
                later[0],
                f"表头中同时有「{chosen.label}」和「{later[0].label}」，无法确定填报哪一列",
            )
    else:
        # The template also shows last year's 实际值: the column to fill is the latest year.
        chosen, sheet_year = dated[-1]
        same = [c for c, y in dated[:-1] if y == sheet_year]
        if same:
            issue(chosen, f"与第 {same[0].index} 列的表头重复，无法确定使用哪一列")
        elif year is not None and year != sheet_year:
            issue(
                chosen,
                f"表头为 {sheet_year} 年实际值，与所选的 {year} 年不符：请核对文件，"
                f"或改为填报 {sheet_year} 年",
            )
        year = sheet_year
    if year is not None and not first_year <= year <= last_year and not issues:
        issue(chosen, f"{year} 年不在规划期 {first_year}–{last_year} 年内")
    if issues:
        raise xlsx.SheetInvalid(issues)
    chosen.kind, chosen.year = "actual", year
    return year


def _read_rows(
    table: xlsx.Table,
    reader: xlsx.MergedReader,
    sheet: ActualSheet,
    indicators: list[SheetIndicator],
    versions: dict[str, int],
) -> None:
    columns = {column.kind: column for column in table.columns if column.kind}
    actual = columns["actual"]
    number_column, name_column = columns.get("number"), columns.get("name")
    explanation_column, kind_column = columns.get("explanation"), columns.get("kind")
    by_number = {indicator.number: indicator for indicator in indicators}
    by_name = {compact_text(indicator.name): indicator for indicator in indicators}
    seen_rows: dict[int, int] = {}
    for excel_row, values in xlsx.data_rows(table, reader):
        if number_column and compact_text(values.get(number_column.index)) in {"序号", "编号"}:
            continue  # the header repeated after a page break
        issues: list[xlsx.CellIssue] = []

        def issue(
            column: xlsx.Column, reason: str, excel_row: int = excel_row, issues=issues
        ) -> None:
            issues.append(xlsx.CellIssue(table.title, excel_row, _title(column), reason))

        uncalculated = [c for c in columns.values() if reader.is_uncalculated(excel_row, c.index)]
        for column in uncalculated:
            issue(column, UNCALCULATED)
        raw_value = values.get(actual.index)
        if uncalculated or is_missing(raw_value):
            sheet.issues.extend(issues)
            continue  # a blank 实际值 is a row the department does not report yet

        indicator = _match_indicator(values, number_column, name_column, by_number, by_name, issue)
        if indicator is not None:
            if indicator.number in seen_rows:
                where = number_column or name_column
                issue(where, f"与第{seen_rows[indicator.number]}行是同一项指标，只能填写一行")
            else:
                seen_rows[indicator.number] = excel_row
        value, text_status = None, ""
        if indicator is not None:
            try:
                value, text_status = _parse_value(raw_value, indicator.unit)
            except ActualValueError as exc:
                issue(actual, str(exc))
        kind_text = compact_text(values.get(kind_column.index)) if kind_column else ""
        if kind_text and kind_text not in KINDS:
            issue(kind_column, f"“{kind_text}”不是有效的数据类型，应为快报或年报")
        kind = KINDS.get(kind_text or "快报", KINDS["快报"])
        raw_explanation = values.get(explanation_column.index) if explanation_column else None
        explanation = "" if raw_explanation is None else str(raw_explanation).strip()
        if issues or indicator is None:
            sheet.issues.extend(issues)
            continue
        sheet.rows.append(
            ActualRow(
                sheet=table.title,
                row=excel_row,
                number=indicator.number,
                value=value,
                text_status=text_status,
                explanation=explanation,
                kind=kind,
                number_column=_title(number_column or name_column),
                value_column=_title(actual),
                version=versions.get(str(indicator.number)),
            )
        )


def _title(column: xlsx.Column) -> str:
    """The column as named in messages: the long 说明 header reads simply 说明."""
    return EXPLANATION_TITLE if column.kind == "explanation" else column.label


def _match_indicator(values, number_column, name_column, by_number, by_name, issue):
    """Return the row's indicator, by 序号, else by exact 指标名称; report why when none."""
    name = ""
    if name_column is not None:
        raw_name = values.get(name_column.index)
        name = "" if is_missing(raw_name) else re.sub(r"\s*\n\s*", "", str(raw_name)).strip()
    raw_number = values.get(number_column.index) if number_column else None
    if number_column is not None and not is_missing(raw_number):
        try:
            number = parse_integer(raw_number)
        except CellValueError as exc:
            issue(number_column, f"{exc}，序号应为正整数")
            return None
        indicator = by_number.get(number)
        if indicator is None:
            issue(number_column, f"本规划没有序号为 {number} 的指标")
            return None
        if name and compact_text(name) != compact_text(indicator.name):
            issue(name_column, f"“{name}”与序号 {number} 的指标“{indicator.name}”不符")
            return None
        return indicator
    if name:
        indicator = by_name.get(compact_text(name))
        if indicator is None:
            issue(name_column, f"本规划没有名为“{name}”的指标")
        return indicator
    issue(number_column or name_column, "序号和指标名称都为空，无法确定是哪项指标")
    return None


def _parse_value(raw: object, unit: str) -> tuple[Decimal | None, str]:
    """Return (value, text_status) for a 实际值 cell; raise ActualValueError."""
    if isinstance(raw, str) and compact_text(raw) in TEXT_STATUSES:
        return None, TEXT_STATUSES[compact_text(raw)]
    return parse_figure_cell(raw, unit), ""
