"""Large, valid sheets for the import benchmark (bench/imports.py) and its tests."""

import io
from pathlib import Path

import openpyxl

# The plan office's own sheet: its title and header rows head every generated sheet.
WANGCHENG_SHEET = (
    Path(__file__).resolve().parent.parent / "fixtures" / "wangcheng_responsibility_sheet.xlsx"
)
GROUP_SIZE = 50  # indicators per category, merged down column A as in the fixture
DEPARTMENTS = ["区工信局", "区发改局", "区科技局", "望城经开区产业发展局", "区统计局"]


def large_sheet(rows: int) -> bytes:
    """The fixture's title and header over `rows` valid indicator rows."""
    fixture = openpyxl.load_workbook(WANGCHENG_SHEET)["附件1"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "附件1"
    for row in fixture.iter_rows(min_row=1, max_row=3, values_only=True):
        sheet.append(row)
    sheet.merge_cells("A2:K2")
    for number in range(1, rows + 1):
        first_of_group = (number - 1) % GROUP_SIZE == 0
        sheet.append(
            [
                f"类别{(number - 1) // GROUP_SIZE + 1}" if first_of_group else None,
                number,
                f"测试指标{number}",
                "%" if number % 7 == 0 else "亿元",
                number,
                number + 1,
                number + 2.5,
                number + 3,
                "占比值" if number % 7 == 0 else "累计值",
                DEPARTMENTS[number % len(DEPARTMENTS)],
                f"{DEPARTMENTS[(number + 1) % len(DEPARTMENTS)]}、区财政局",
            ]
        )
    for start in range(4, rows + 4, GROUP_SIZE):
        end = min(start + GROUP_SIZE - 1, rows + 3)
        sheet.merge_cells(start_row=start, start_column=1, end_row=end, end_column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
