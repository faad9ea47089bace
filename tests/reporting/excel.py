"""Download a reporting template as a user does, fill it in, and upload it."""

import io

import openpyxl


def download(client, url: str) -> openpyxl.Workbook:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return openpyxl.load_workbook(io.BytesIO(response.content))


def fill(workbook: openpyxl.Workbook, key, **cells) -> None:
    """Write `cells` ({"F": 260, "G": "说明"}) on the row whose first cell is `key`."""
    sheet = workbook.active
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == key)
    for column, value in cells.items():
        sheet[f"{column}{row}"] = value


def upload(client, url: str, workbook: openpyxl.Workbook, mode: str = "draft"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.name = "填报.xlsx"
    buffer.seek(0)
    return client.post(url, {"file": buffer, "mode": mode})
