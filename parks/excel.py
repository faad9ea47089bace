"""Published figures in Excel: the workbook the 管理员 downloads (every figure, one row
each) and the upload that takes it back, all or nothing.

The upload is bounded and read by the shared importer (indicators/importers/workbook.py)
and written through indicators/reporting/upload.py's all_or_nothing; each row is checked
by the same form as the web page, and every bad cell is named by sheet, row and column.
"""

import io
from dataclasses import dataclass, field

import openpyxl
from openpyxl.styles import Alignment, Font

from indicators.importers.cells import CellValueError, is_missing, parse_decimal, parse_integer
from indicators.importers.workbook import (
    CellIssue,
    SheetInvalid,
    data_rows,
    find_tables,
    open_workbook,
)
from indicators.reporting.upload import all_or_nothing

from .forms import PublishedFigureForm
from .models import (
    Direction,
    EntityKind,
    FigureKind,
    PublishedFigure,
    Qualifier,
    SourceDocument,
    Topic,
)
from .services import figures_import

SHEET = "公开报道数据"
# (form field, column header); the order of the downloaded workbook.
COLUMNS = (
    ("source", "文档编号"),
    ("key", "编号"),
    ("entity", "主体"),
    ("entity_kind", "主体类型"),
    ("metric", "指标"),
    ("kind", "类别"),
    ("topic", "对比主题"),
    ("period", "时期"),
    ("reference_year", "参照年份"),
    ("value", "数值"),
    ("stated_as", "原文写法"),
    ("unit", "单位"),
    ("qualifier", "修饰词"),
    ("direction", "方向"),
    ("uncertain", "存疑"),
    ("note", "说明"),
    ("quote", "原文"),
)
LABELS = dict(COLUMNS)
REQUIRED = (
    "source",
    "key",
    "entity",
    "metric",
    "kind",
    "period",
    "reference_year",
    "value",
    "quote",
)
CHOICES = {
    "entity_kind": EntityKind,
    "kind": FigureKind,
    "topic": Topic,
    "qualifier": Qualifier,
    "direction": Direction,
}
YES, NO = {"是", "存疑", "true", "1", "y", "yes"}, {"否", "", "false", "0", "n", "no"}
WIDTHS = {"entity": 16, "metric": 28, "period": 14, "note": 40, "quote": 60, "source": 22}


def figures_workbook() -> bytes:
    """Every published figure as the upload reads it, and the allowed values on a 2nd sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([label for _, label in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for figure in PublishedFigure.objects.with_source().order_by("source__key", "pk"):
        sheet.append([_cell(figure, name) for name, _ in COLUMNS])
    for index, (name, _) in enumerate(COLUMNS, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(name, 10)
    for row in sheet.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    help_sheet = book.create_sheet("填写说明")
    help_sheet.append(["列", "可填写的值"])
    for name, choices in CHOICES.items():
        help_sheet.append([LABELS[name], "、".join(str(c.label) for c in choices if c.value)])
    help_sheet.append(["存疑", "是 / 否（标为存疑时须填写说明）"])
    help_sheet.append(
        ["编号", "在同一文档内唯一；与已有数据的文档编号和编号相同即为修改，否则为新增"]
    )
    for document in SourceDocument.objects.order_by("key"):
        help_sheet.append(["文档编号", f"{document.key}：{document.title}（{document.published}）"])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _cell(figure, name: str):
    if name == "source":
        return figure.source.key
    if name == "uncertain":
        return "是" if figure.uncertain else "否"
    if name == "value":
        return format(figure.value.normalize(), "f")
    if name in CHOICES:
        return str(getattr(figure, f"get_{name}_display")()) if getattr(figure, name) else ""
    return getattr(figure, name)


@dataclass
class FigureSheet:
    """What the upload read: every row as cleaned form data, and every bad cell."""

    rows: list[dict] = field(default_factory=list)
    issues: list[CellIssue] = field(default_factory=list)


def _choice(choices, text: str) -> str:
    """The stored value for a label (实绩) or a value (result); raise CellValueError."""
    for choice in choices:
        if text in (choice.value, str(choice.label)):
            return choice.value
    allowed = "、".join(str(c.label) for c in choices if c.value)
    raise CellValueError(f"“{text}”不是可选的值（{allowed}）")


def _form_value(name: str, raw):
    """A cell as the form's data; raise CellValueError with the reason."""
    if name == "value":
        number = parse_decimal(raw)
        return "" if number is None else str(number)
    if name == "reference_year":
        year = parse_integer(raw)
        return "" if year is None else str(year)
    text = "" if raw is None else str(raw).strip()
    if name == "uncertain":
        if text.lower() in YES:
            return "on"
        if text.lower() in NO or is_missing(raw):
            return ""
        raise CellValueError(f"“{text}”应为“是”或“否”")
    if name in CHOICES:
        return _choice(CHOICES[name], text) if text else ""
    return text


def read_figure_sheet(file_name: str, content: bytes) -> FigureSheet:
    """Read the upload; raise WorkbookRefused for a file that is not a bounded .xlsx."""
    workbook = open_workbook(file_name, content)
    wanted = {label: name for name, label in COLUMNS}
    found = next(
        find_tables(
            workbook,
            is_header=lambda labels: {"原文", "数值", "主体"} <= set(labels),
            is_subheader=lambda labels: False,
        ),
        None,
    )
    if found is None:
        header = "、".join(LABELS[name] for name in REQUIRED)
        raise SheetInvalid([CellIssue("", None, None, f"找不到表头：表头应包含{header}等列")])
    table, reader = found
    for column in table.columns:
        column.kind = wanted.get(column.label, "")
    present = {column.kind for column in table.columns if column.kind}
    sheet = FigureSheet()
    missing = [LABELS[name] for name in REQUIRED if name not in present]
    if missing:
        sheet.issues.append(CellIssue(table.title, None, None, f"缺少列「{'」「'.join(missing)}」"))
        return sheet
    by_index = {column.index: column.kind for column in table.columns if column.kind}
    existing = {(f.source.key, f.key): f for f in PublishedFigure.objects.with_source()}
    seen: dict[tuple[str, str], int] = {}
    for row_number, cells in data_rows(table, reader):
        data, unread = {}, set()
        for index, raw in cells.items():
            name = by_index[index]
            try:
                data[name] = _form_value(name, raw)
            except CellValueError as exc:
                sheet.issues.append(CellIssue(table.title, row_number, LABELS[name], str(exc)))
                unread.add(name)
        identity = (data.get("source", ""), data.get("key", ""))
        if all(identity) and identity in seen:
            sheet.issues.append(
                CellIssue(
                    table.title,
                    row_number,
                    LABELS["key"],
                    f"编号“{identity[1]}”与第{seen[identity]}行重复",
                )
            )
            continue
        seen[identity] = row_number
        form = PublishedFigureForm(data=data, instance=existing.get(identity), key_required=True)
        if not form.is_valid():
            for name, errors in form.errors.items():
                if name in unread:
                    continue  # named above, with what the cell held
                column = LABELS.get(name)
                sheet.issues.extend(CellIssue(table.title, row_number, column, e) for e in errors)
            continue
        if not unread:
            sheet.rows.append(form.cleaned_data)
    if not sheet.rows and not sheet.issues:
        sheet.issues.append(CellIssue(table.title, None, None, "表中没有数据行"))
    return sheet


def figures_upload(*, file_name: str, content: bytes, user) -> tuple[int, int, int]:
    """Read and import the workbook: every issue at once, or every row written.

    Returns (created, corrected, unchanged); raises WorkbookRefused or SheetInvalid.
    """

    def write(sheet: FigureSheet):
        if sheet.issues:
            return None  # all_or_nothing raises with the read issues; write nothing
        return figures_import(rows=sheet.rows, user=user, file_name=file_name)

    return all_or_nothing(lambda: read_figure_sheet(file_name, content), write)
