"""Page setup of every workbook the product writes (reports, templates): how it prints.

Landscape A4, one page wide and as many pages long as it takes, the header rows repeated
on every page, the title row on the first, and columns wide enough for the names they hold.
"""

import unicodedata

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

WIDE_CHARACTERS = ("W", "F")  # East Asian Wide and Fullwidth: two columns of Excel width


def text_width(text: str) -> int:
    """Return how many Excel width units the text needs: two per CJK character, one per other."""
    return sum(2 if unicodedata.east_asian_width(c) in WIDE_CHARACTERS else 1 for c in text)


def fit_column(sheet, column: int, texts, *, minimum: int = 8, maximum: int = 40) -> None:
    """Make the column wide enough for the longest of `texts` (within minimum and maximum)."""
    longest = max((text_width(str(t)) for t in texts if t), default=0)
    width = min(max(longest + 2, minimum), maximum)
    sheet.column_dimensions[get_column_letter(column)].width = width


def print_setup(sheet, *, header_rows: str) -> None:
    """Set the sheet to print on landscape A4, fitted to one page wide, with `header_rows`
    (e.g. "2:2", the row under the title) repeated on every page and page numbers below."""
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages long as the rows need
    sheet.print_title_rows = header_rows
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
