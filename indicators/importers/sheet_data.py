"""The values of a workbook's sheets, read once and looked up in memory."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple


class MergedRange(NamedTuple):
    min_row: int
    min_col: int
    max_row: int
    max_col: int


class _Cell(NamedTuple):
    value: object


class SheetData:
    """One worksheet's values, read once; looked up by (row, column), both 1-based.

    Reads as openpyxl's normal mode does: the cells of a merged range other than its
    top-left one are blank, and the sheet extends to its last cell or merged range.
    """

    def __init__(
        self,
        title: str,
        rows: dict[int, tuple],
        merged: tuple[MergedRange, ...] = (),
        *,
        max_row: int = 0,
        max_column: int = 0,
    ):
        self.title = title
        self.merged_ranges = merged
        for area in merged:
            for row in range(area.min_row, area.max_row + 1):
                values = rows.get(row)
                if values is None or len(values) < area.min_col:
                    continue
                first = area.min_col + 1 if row == area.min_row else area.min_col
                last = min(area.max_col, len(values))
                if first <= last:
                    rows[row] = values[: first - 1] + (None,) * (last - first + 1) + values[last:]
        self._rows = rows
        self.max_row = max([1, max_row, *rows, *(area.max_row for area in merged)])
        self.max_column = max(
            [1, max_column, *map(len, rows.values()), *(area.max_col for area in merged)]
        )

    @classmethod
    def from_worksheet(cls, sheet) -> "SheetData":
        """Take the values of an openpyxl worksheet loaded in normal mode (e.g. in tests)."""
        rows = {}
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if any(value is not None for value in values):
                rows[number] = tuple(values)
        ranges = sheet.merged_cells.ranges if hasattr(sheet, "merged_cells") else ()
        merged = tuple(MergedRange(r.min_row, r.min_col, r.max_row, r.max_col) for r in ranges)
        return cls(sheet.title, rows, merged, max_row=sheet.max_row, max_column=sheet.max_column)

    def value(self, row: int, col: int) -> object:
        values = self._rows.get(row)
        if values is None or col > len(values) or col < 1:
            return None
        return values[col - 1]

    def cell(self, row: int, col: int) -> _Cell:
        """The cell as openpyxl's `sheet.cell(row, col)`, for its `.value`."""
        return _Cell(self.value(row, col))

    def row_values(self, row: int) -> tuple:
        """The row's values from column 1 to its last cell; () for an empty row."""
        return self._rows.get(row, ())

    def rows_from(self, first_row: int) -> Iterator[tuple[int, tuple]]:
        """Yield (row number, values) of the rows holding any value, from `first_row` down."""
        for row in sorted(number for number in self._rows if number >= first_row):
            yield row, self._rows[row]


@dataclass
class Workbook:
    """What the readers use of a workbook: its sheets' values, read once, and its properties."""

    sheets: list[SheetData]
    custom_doc_props: object = None
    # (sheet title, row, column) of the formula cells saved without their result.
    uncalculated: frozenset = frozenset()

    @property
    def worksheets(self) -> list[SheetData]:
        return self.sheets
