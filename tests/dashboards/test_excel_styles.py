"""The Excel report styles its rows with one named style per rating, not one per cell."""

import io

import openpyxl

from dashboards.excel import FILLS, progress_workbook
from indicators.progress import Rating
from indicators.scorecard import plan_progress
from tests.indicators.test_progress_cache import committed


def test_rows_share_one_named_style_per_rating(wangcheng):
    progress = plan_progress(wangcheng, 2021)
    book = openpyxl.load_workbook(io.BytesIO(progress_workbook(progress)))
    sheet = book["指标完成情况"]
    assert {f"rating-{r.value}" for r in Rating} <= set(book.named_styles)
    # No figure is reported yet: every row is 未填报, text targets 人工评定 (none in 望城).
    first, last = sheet[3], sheet[2 + len(progress.rows)]
    for cell in (*first, *last):
        assert cell.style == "rating-no_data"
        assert cell.fill.fgColor.rgb == "00" + FILLS[Rating.NO_DATA]
        assert cell.alignment.wrap_text


def test_the_report_is_kept_until_a_figure_changes(client, wangcheng, leader_user):
    client.force_login(leader_user)
    first = client.get("/reports/wangcheng-2021-2023/2021.xlsx").content
    assert client.get("/reports/wangcheng-2021-2023/2021.xlsx").content == first
    indicator = wangcheng.indicators.get(number=1)
    indicator.name = "规模工业总产值（改）"
    with committed():  # a signal bumps the plan's data version once the change commits
        indicator.save()
    changed = client.get("/reports/wangcheng-2021-2023/2021.xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(changed))["指标完成情况"]
    assert sheet.cell(3, 3).value == "规模工业总产值（改）"
