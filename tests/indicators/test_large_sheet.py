"""A legitimate large responsibility sheet reads in time linear in its rows (DESIGN.md §9).

Reading used to ask openpyxl for `max_column` and single cells on every row: 1,000 /
2,500 / 5,000 rows took 1.3 / 5.5 / 34.6 s. The sheet is now read in one pass.
"""

import io
import time

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import Indicator, SheetImport, Target
from indicators.plan_import.reader import PlanYears, read_sheet
from tests.factories import WANGCHENG_SHEET

YEARS = PlanYears(2020, 2021, 2023)
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


def reading_time(content: bytes) -> tuple[float, float]:
    """Seconds of this process's CPU, and of the wall clock, to read the sheet."""
    cpu, wall = time.process_time(), time.perf_counter()
    read_sheet("责任分解表.xlsx", content, YEARS)
    return time.process_time() - cpu, time.perf_counter() - wall


def test_reading_is_linear_in_the_rows():
    small, large = large_sheet(1000), large_sheet(5000)

    # CPU time, the best of three taken in turns: other tests sharing the machine slow
    # the wall clock, not the work done.
    times = [(reading_time(small), reading_time(large)) for _ in range(3)]
    small_cpu = min(small[0] for small, _ in times)
    large_cpu = min(large[0] for _, large in times)
    large_wall = min(large[1] for _, large in times)

    # Five times the rows, at most six times the time; and within the budget of §9.
    # Measured: 0.12 s and 0.61 s (it was 1.3 s and 34.6 s); 10,000 rows take 1.24 s.
    assert large_cpu < 6 * small_cpu, times
    assert large_wall < 5, times


def test_a_large_sheet_reads_every_row_and_its_merged_categories():
    rows = read_sheet("责任分解表.xlsx", large_sheet(120), YEARS).rows

    assert [row.number for row in rows] == list(range(1, 121))
    assert rows[0].group == rows[49].group == "类别1"
    assert rows[50].group == "类别2"
    assert rows[119].lead == DEPARTMENTS[120 % len(DEPARTMENTS)]


def upload_and_preview(client, plan, content: bytes) -> tuple[str, float, float]:
    """Upload the sheet and open its preview as 管理员; return the preview's URL and the
    seconds each took."""
    start = time.perf_counter()
    upload = client.post(
        f"/plans/{plan.slug}/import/", {"file": SimpleUploadedFile("责任分解表.xlsx", content)}
    )
    uploaded = time.perf_counter()
    assert upload.status_code == 302, upload.content.decode()[:2000]
    preview = client.get(upload.url)
    assert preview.status_code == 200
    assert "测试指标5000" in preview.content.decode()
    return upload.url, uploaded - start, time.perf_counter() - uploaded


def test_a_5000_row_sheet_uploads_and_previews_on_the_web_in_seconds(
    client, admin_user, empty_wangcheng_plan
):
    client.force_login(admin_user)

    _url, upload, preview = upload_and_preview(client, empty_wangcheng_plan, large_sheet(5000))

    # Measured: 1.3 s for the upload (reading the file, 0.6–0.9 s, and comparing it with
    # the plan), 4.2 s for the preview, most of it rendering the 5,000 new indicators
    # (1.9 MB of HTML). The bounds are generous: other tests may share the machine.
    assert upload < 5, upload
    assert upload + preview < 15, (upload, preview)


def test_a_5000_row_sheet_imports_on_the_web_in_under_10_seconds(
    client, admin_user, empty_wangcheng_plan
):
    client.force_login(admin_user)
    start = time.perf_counter()
    url, _upload, _preview = upload_and_preview(client, empty_wangcheng_plan, large_sheet(5000))

    confirm = client.post(f"{url}confirm/")

    assert confirm.status_code == 302
    assert SheetImport.objects.get().status == SheetImport.Status.APPLIED
    assert Indicator.objects.filter(plan=empty_wangcheng_plan).count() == 5000
    assert Target.objects.filter(indicator__plan=empty_wangcheng_plan).count() == 15000
    # Measured about 10 s here (upload 1.3, preview 4.2, confirm 4.4); the bound is loose
    # so a busy CI machine does not fail it, and still catches a return to row-by-row
    # writes (53 s for the confirmation alone).
    assert time.perf_counter() - start < 30
