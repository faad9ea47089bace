"""Reading what the evaluation page, workbook and document show, for the tests."""

import io
from html.parser import HTMLParser

import docx
import openpyxl

PLAN = "wangcheng-2021-2023"
PAGE = f"/plans/{PLAN}/evaluation/"
API = f"/api/v1/plans/{PLAN}/evaluation/"


class _Rows(HTMLParser):
    """The text of every cell of the rows marked data-number, by indicator number."""

    def __init__(self):
        super().__init__()
        self.rows: dict[int, list[str]] = {}
        self._number = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-number" in attrs:
            self._number = int(attrs["data-number"])
            self.rows[self._number] = []
        elif tag == "td" and self._number is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[self._number].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr":
            self._number = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_rows(html: str) -> dict[int, list[str]]:
    parser = _Rows()
    parser.feed(html)
    return parser.rows


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def sheet_rows(sheet, header_row: int) -> tuple[dict[str, int], list[tuple]]:
    """The header's column numbers by name, and the rows below it as value tuples."""
    header = [cell.value for cell in sheet[header_row]]
    columns = {name: index for index, name in enumerate(header) if name}
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=header_row + 1)]
    return columns, rows


def document(content: bytes):
    return docx.Document(io.BytesIO(content))


def table_texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]
