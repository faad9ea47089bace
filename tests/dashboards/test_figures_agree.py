"""The same figure reads the same everywhere: overview, task board, API and Excel report.

The case sits exactly on a half at the shown precision, where two rounding rules part:
half-up (the product's rule, indicators/formatting.py) reads 87.3%, half-even 87.2%.
"""

import io
import re
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest

from indicators.formatting import percent_text
from indicators.reporting.review import figure_approve
from projects.milestones import PROGRESS, ProgressEntry, progress_save
from tests.dashboards.test_pages import approve
from tests.factories import chart_on_page, milestone

PLAN = "wangcheng-2021-2023"
YEAR = 2021
SHOWN = "87.3%"  # half-even would give 87.2%
WRONG = "87.2%"

# Indicator 1 (规模工业总产值, 亿元), 2021 target 1,100: an approved 959.75 gives
#   completion = 959.75 ÷ 1100 = 0.8725 exactly (1100 × 0.8725 = 959.75), so RATIO_PLACES
#   (0.0001, progress.py) keeps it as is; × 100 = 87.25, a half at one decimal.
#   It is below the 90% line: 滞后, so it needs a cause and a remedy.
INDICATOR_VALUE = "959.75"
# Milestone 1-2 (园区规模工业产值, a level towards 1,500 亿元 by 2023): an approved 2021
#   figure of 1,308.75 gives 1308.75 ÷ 1500 = 0.8725 exactly (1500 × 0.8725 = 1308.75).
MILESTONE_VALUE = "1308.75"


@pytest.fixture
def on_a_half(wangcheng, admin_user):
    approve(
        wangcheng, 1, INDICATOR_VALUE, admin_user, explanation="外贸订单下滑", measures="稳链补链"
    )
    figure = progress_save(
        milestone=milestone(wangcheng, "1-2"),
        year=YEAR,
        user=admin_user,
        entry=ProgressEntry(value=Decimal(MILESTONE_VALUE)),
        expected_version=None,
        submit=True,
    )
    figure_approve(kind=PROGRESS, pk=figure.pk, user=admin_user)
    return wangcheng


def excel_shows(value, number_format: str) -> str:
    """What Excel shows for a number under a simple percentage format such as "0.0%".

    Excel reads the stored double to 15 significant digits and rounds a shown half away
    from zero.
    """
    match = re.fullmatch(r"0(?:\.(0+))?%", number_format)
    assert match, f"not a plain percentage format: {number_format}"
    places = len(match.group(1) or "")
    shown = (Decimal(f"{float(value):.15g}") * 100).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    return f"{shown}%"


def test_the_case_is_on_a_half():
    assert percent_text(Decimal("0.8725")) == SHOWN
    half_even = (Decimal("0.8725") * 100).quantize(Decimal("0.1"))  # the default context
    assert f"{half_even}%" == WRONG


def test_a_completion_on_a_half_reads_the_same_everywhere(client, on_a_half, leader_user):
    client.force_login(leader_user)

    # 总览: the table row and the bar's label and length.
    response = client.get(f"/?plan={PLAN}&year={YEAR}")
    html = response.content.decode()
    assert f'<td class="num">{SHOWN}</td>' in html
    assert WRONG not in html
    bars = chart_on_page(response, "completion-chart")["data"][0]
    assert bars["x"] == [87.3]
    assert bars["text"] == [f"{SHOWN} 滞后"]

    # 指标详情 and 部门对比 (区工信局 leads indicator 1, its only figure: average 0.8725).
    html = client.get(f"/plans/{PLAN}/indicators/1/?year={YEAR}").content.decode()
    assert SHOWN in html and WRONG not in html
    response = client.get(f"/departments/?plan={PLAN}&year={YEAR}")
    html = response.content.decode()
    assert f'<td class="num">{SHOWN}</td>' in html and WRONG not in html
    scores = chart_on_page(response, "score-chart")["data"][0]
    assert 87.3 in scores["y"] and SHOWN in scores["text"]

    # 任务看板: the milestone's text, its progress bar and its chart bar.
    response = client.get(f"/tasks/{PLAN}/?year={YEAR}")
    html = response.content.decode()
    assert f'<td class="num">{SHOWN}</td>' in html
    assert 'value="87.3"' in html  # the <progress> fill
    assert WRONG not in html
    chart = response.context["milestones_chart"]["data"][0]
    at = chart["y"].index("1-2 园区规模工业产值")
    assert (chart["x"][at], chart["text"][at]) == ("87.3", SHOWN)

    # The progress API: the exact ratio, and beside it the text the pages show.
    payload = client.get(f"/api/v1/plans/{PLAN}/progress/?year={YEAR}").json()
    row = next(r for r in payload["indicators"] if r["number"] == 1)
    assert (row["completion"], row["completion_text"]) == ("0.8725", SHOWN)
    assert percent_text(Decimal(row["completion"])) == SHOWN
    department = next(d for d in payload["departments"] if d["name"] == "区工信局")
    assert (department["average_completion"], department["average_completion_text"]) == (
        "0.8725",
        SHOWN,
    )

    # The Excel report: the cell keeps the ratio; its number format shows the pages' text.
    response = client.get(f"/reports/{PLAN}/{YEAR}.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["指标完成情况"]
    header = [cell.value for cell in sheet[2]]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=3)}
    cell = rows[1][header.index("完成率")]
    assert Decimal(str(cell.value)) == Decimal("0.8725")
    assert cell.number_format == "0.0%"
    assert excel_shows(cell.value, cell.number_format) == SHOWN
    summary = workbook["部门汇总"]
    header = [cell.value for cell in summary[2]]
    row = next(r for r in summary.iter_rows(min_row=3) if r[1].value == "区工信局")
    cell = row[header.index("平均完成率（封顶120%）")]
    assert excel_shows(cell.value, cell.number_format) == SHOWN


def test_a_share_gap_reads_the_same_on_the_page_and_in_the_api(client, wangcheng, admin_user):
    # Indicator 4 (制造业增加值占GDP比重, %), 2021 target 23: 22.5 is 22.5 − 23 = −0.5
    # percentage points, shown as exactly as the two figures it is taken from.
    approve(wangcheng, 4, "22.5", admin_user, explanation="原因", measures="措施")
    client.force_login(admin_user)
    html = client.get(f"/plans/{PLAN}/indicators/4/?year={YEAR}").content.decode()
    assert "-0.5 个百分点" in html
    payload = client.get(f"/api/v1/plans/{PLAN}/progress/?year={YEAR}").json()
    row = next(r for r in payload["indicators"] if r["number"] == 4)
    assert row["gap_points"] == "-0.5"
