"""Reading a filled-in figure sheet (project investment, milestone progress) by its spec.

The reader accepts the downloaded template, or any sheet whose header has the key column
(序号 or 编号) and one of the figure columns, found by header text. Figures are read with
the actuals' rules in the subject's unit. Every bad cell is collected, not only the first.
No Django: the caller passes the plan's subjects in.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..actual_input import ActualValueError, Problem
from ..importers import workbook as xlsx
from ..importers.cells import CellValueError, compact_text, is_missing, parse_integer
from .sheet import UNCALCULATED, FigureRow, FigureSheet, parse_figure_cell, template_versions

EXPLANATION = "说明"


@dataclass(frozen=True)
class Subject:
    """What the reader knows of one row's subject: its name and the unit of its figures."""

    name: str
    unit: str


@dataclass(frozen=True)
class SheetSpec:
    """How one kind's sheet reads: its key and name columns and its figure columns."""

    what: str  # 项目投资填报表
    subject_noun: str  # 项目, 目标
    key_label: str  # 序号, 编号: as messages name the key column
    key_hint: str  # what a key looks like: 序号应为正整数
    figure_noun: str  # 投资额, 完成值
    key_labels: frozenset[str]
    name_labels: frozenset[str]
    figures: dict[str, str]  # field → the header word: {"planned": "计划投资"}
    parse_key: Callable[[object], int | str | None] = parse_integer
    # Format rules on a row's figures (no negative figure …), checked while reading.
    row_problems: Callable[[dict], list[Problem]] | None = None

    def classify(self, label: str) -> tuple[str, int | None]:
        """Return (field, year) of a header: key, name, explanation, a figure, or ""."""
        if label in self.key_labels:
            return "key", None
        if label in self.name_labels:
            return "name", None
        if label.startswith(EXPLANATION):
            return "explanation", None
        words = "|".join(self.figures.values())
        match = re.fullmatch(rf"(?:(?P<year>\d{{4}})年度?)?(?P<word>{words})(?:\(.*\))?", label)
        if match:
            field_name = next(k for k, v in self.figures.items() if v == match.group("word"))
            return field_name, int(match.group("year")) if match.group("year") else None
        return "", None

    def is_header(self, labels: list[str]) -> bool:
        fields = {self.classify(label)[0] for label in labels}
        return "key" in fields and bool(fields & set(self.figures))


def read_figure_sheet(
    spec: SheetSpec, file_name: str, content: bytes, *, subjects: dict, year: int
) -> FigureSheet:
    """Return the filled-in rows and every row issue; `subjects` maps a key to a Subject.

    Raises WorkbookRefused when the file or its table cannot be used, and SheetInvalid
    when the header names another year or repeats a column.
    """
    workbook = xlsx.open_workbook(file_name, content)
    found = next(
        xlsx.find_tables(workbook, is_header=spec.is_header, is_subheader=lambda _: False), None
    )
    if found is None:
        figures = "或".join(f"「{word}」" for word in spec.figures.values())
        raise xlsx.WorkbookRefused(
            f"未找到{spec.what}：没有一个工作表的表头同时包含「{spec.key_label}」和"
            f"{figures}列。请使用下载的填报模板。"
        )
    table, reader = found
    columns = _columns(spec, table, year)
    labels = {name: column.label for name, column in columns.items()}
    labels["explanation"] = EXPLANATION
    sheet = FigureSheet(title=table.title, year=year)
    versions = template_versions(workbook)
    seen: dict[object, int] = {}
    for excel_row, values in xlsx.data_rows(table, reader):
        issues: list[xlsx.CellIssue] = []

        def issue(name: str, reason: str, excel_row: int = excel_row, issues=issues) -> None:
            issues.append(
                xlsx.CellIssue(table.title, excel_row, labels.get(name, labels["key"]), reason)
            )

        raw = {name: values.get(column.index) for name, column in columns.items()}
        if compact_text(raw.get("key")) in spec.key_labels:
            continue  # the header repeated after a page break
        key_issues: list[xlsx.CellIssue] = []
        key = _match(spec, raw, subjects, lambda *a, found=key_issues: issue(*a, issues=found))
        unit = subjects[key].unit if key is not None else ""
        figures = {}
        for name in spec.figures:
            if name in columns and reader.is_uncalculated(excel_row, columns[name].index):
                issue(name, UNCALCULATED)
            try:
                figures[name] = parse_figure_cell(raw.get(name), unit)
            except ActualValueError as exc:
                issue(name, str(exc))
                figures[name] = None
        if not issues and all(value is None for value in figures.values()):
            continue  # nothing reported on this row
        for problem in spec.row_problems(figures) if spec.row_problems else []:
            issue(problem.field, problem.message)
        issues.extend(key_issues)
        if key is not None:
            if key in seen:
                issue("key", f"与第{seen[key]}行是同一个{spec.subject_noun}，只能填写一行")
            seen[key] = excel_row
        if issues or key is None:
            sheet.issues.extend(issues)
            continue
        explanation = raw.get("explanation")
        sheet.rows.append(
            FigureRow(
                sheet=table.title,
                row=excel_row,
                key=key,
                figures=figures,
                explanation="" if is_missing(explanation) else str(explanation).strip(),
                columns=labels,
                version=versions.get(str(key)),
            )
        )
    if not sheet.rows and not sheet.issues:
        raise xlsx.WorkbookRefused(
            f"工作表「{table.title}」中没有填写任何{spec.figure_noun}，未导入任何数据。"
        )
    return sheet


def _columns(spec: SheetSpec, table, year: int) -> dict:
    """The columns the reader uses, by field; raise SheetInvalid for a bad header."""
    issues, columns = [], {}
    header_row = table.header_rows[0]
    for column in table.columns:
        name, column_year = spec.classify(column.label)
        if not name:
            continue
        if name in columns:
            issues.append(xlsx.CellIssue(table.title, header_row, column.label, "表头重复"))
        elif column_year is not None and column_year != year:
            reason = f"表头为 {column_year} 年，与所选的 {year} 年不符"
            issues.append(xlsx.CellIssue(table.title, header_row, column.label, reason))
        column.kind = name
        columns[name] = column
    if issues:
        raise xlsx.SheetInvalid(issues)
    return columns


def _match(spec: SheetSpec, raw: dict, subjects: dict, issue) -> int | str | None:
    """Return the row's key when it names a subject of the plan; report why when not."""
    try:
        key = spec.parse_key(raw.get("key"))
    except CellValueError as exc:
        issue("key", f"{exc}，{spec.key_hint}")
        return None
    if key is None:
        issue("key", f"{spec.key_label}为空，无法确定是哪个{spec.subject_noun}")
        return None
    if key not in subjects:
        issue("key", f"本规划没有{spec.key_label}为 {key} 的{spec.subject_noun}")
        return None
    name = raw.get("name")
    expected = subjects[key].name
    if not is_missing(name) and compact_text(name) != compact_text(expected):
        what = f"{spec.key_label} {key} 的{spec.subject_noun}"
        issue("name", f"“{str(name).strip()}”与{what}“{expected}”不符")
        return None
    return key
