"""Reading the key-task sheet (附件2: 重点推进五大任务责任分解表) of a plan workbook."""

from dataclasses import dataclass

from indicators.importers import workbook as xlsx
from indicators.importers.cells import (
    CellValueError,
    clean_label,
    compact_text,
    parse_departments,
    parse_integer,
)

COLUMN_KINDS = {
    "序号": "number",
    "主要任务": "name",
    "重点任务": "name",
    "主要内容": "content",
    "牵头单位": "lead",
    "责任单位": "responsible",
}


@dataclass
class KeyTaskRow:
    number: int
    name: str
    content: str
    leads: list[str]
    responsible: list[str]


def _is_header(labels: list[str]) -> bool:
    return "序号" in labels and ("主要任务" in labels or "重点任务" in labels)


def read_key_task_sheet(file_name: str, content: bytes) -> list[KeyTaskRow]:
    """Return the key tasks of the workbook; raise WorkbookRefused or SheetInvalid."""
    workbook = xlsx.open_workbook(file_name, content)
    found = next(
        xlsx.find_tables(workbook, is_header=_is_header, is_subheader=lambda labels: False), None
    )
    if found is None:
        raise xlsx.WorkbookRefused("未找到重点任务表：没有表头含「序号」和「主要任务」的工作表。")
    table, reader = found
    for column in table.columns:
        column.kind = COLUMN_KINDS.get(column.label, "")
    by_kind = {c.kind: c for c in table.columns if c.kind}
    missing = [label for label, kind in COLUMN_KINDS.items() if kind not in by_kind]
    if {"number", "name"} - set(by_kind):
        raise xlsx.WorkbookRefused(f"重点任务表缺少列：{'、'.join(missing)}")
    rows: list[KeyTaskRow] = []
    issues: list[xlsx.CellIssue] = []
    for excel_row, values in xlsx.data_rows(table, reader):
        if compact_text(values[by_kind["number"].index]) == "序号":
            continue
        try:
            number = parse_integer(values[by_kind["number"].index])
        except CellValueError as exc:
            issues.append(xlsx.CellIssue(table.title, excel_row, "序号", str(exc)))
            continue
        name = clean_label(values[by_kind["name"].index])
        if number is None or not name:
            issues.append(xlsx.CellIssue(table.title, excel_row, None, "序号或主要任务为空"))
            continue

        def cell(kind: str, values: dict = values) -> object:
            return values[by_kind[kind].index] if kind in by_kind else None

        rows.append(
            KeyTaskRow(
                number=number,
                name=name,
                content=str(cell("content") or "").strip(),
                leads=parse_departments(cell("lead")),
                responsible=parse_departments(cell("responsible")),
            )
        )
    if issues:
        raise xlsx.SheetInvalid(issues)
    return rows
