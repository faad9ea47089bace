"""A legitimate large responsibility sheet reads in time linear in its rows (DESIGN.md §9).

Reading used to ask openpyxl for `max_column` and single cells on every row: 1,000 /
2,500 / 5,000 rows took 1.3 / 5.5 / 34.6 s. The sheet is now read in one pass.
"""

import time

from django.core.files.uploadedfile import SimpleUploadedFile

from bench.sheets import DEPARTMENTS, large_sheet
from indicators.models import Indicator, SheetImport, Target
from indicators.plan_import.reader import PlanYears, read_sheet

YEARS = PlanYears(2020, 2021, 2023)


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

    # Five times the rows, at most ten times the time (quadratic reading took 25 times:
    # the margin is for the other test worker on the same cores); and within §9's budget.
    # Measured: 0.12 s and 0.61 s (it was 1.3 s and 34.6 s); 10,000 rows take 1.24 s.
    assert large_cpu < 10 * small_cpu, times
    assert large_cpu < 5, times


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
    assert "测试指标500" in preview.content.decode()
    return upload.url, uploaded - start, time.perf_counter() - uploaded


def test_a_large_sheet_imports_on_the_web_with_bulk_writes(
    client, admin_user, empty_wangcheng_plan, django_assert_max_num_queries
):
    """The web flow end to end at 500 rows; 5,000 rows are timed by `make bench-imports`
    (bench/imports.py), not here. The confirmation's queries do not grow with the rows."""
    client.force_login(admin_user)
    url, _upload, _preview = upload_and_preview(client, empty_wangcheng_plan, large_sheet(500))

    with django_assert_max_num_queries(120):
        confirm = client.post(f"{url}confirm/")

    assert confirm.status_code == 302
    assert SheetImport.objects.get().status == SheetImport.Status.APPLIED
    assert Indicator.objects.filter(plan=empty_wangcheng_plan).count() == 500
    assert Target.objects.filter(indicator__plan=empty_wangcheng_plan).count() == 1500
