"""The Excel import writes its rows in bulk (indicators/reporting/bulk.py): a fixed number of
queries whatever the rows, and exactly the figures, history and notifications that saving
the rows one by one through the form's services writes."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from indicators.actual_import import ACTUAL_ROWS, actuals_upload, read_upload
from indicators.actuals import ACTUAL, ActualEntry, actual_return, actual_save
from indicators.importers.workbook import SheetInvalid
from indicators.models import Actual, Indicator, Role
from indicators.reporting import upload, workflow
from tests.factories import grow_plan, make_user
from tests.indicators.sheets import workbook_bytes
from workspace.models import Notification

FILE = "统计公报.xlsx"
YEAR = 2021
EXPLANATION = "按统计快报数填报"
# SQLite takes 999 variables a query, so Django splits a bulk insert of more than about 33
# history rows into batches; both sizes stay within one batch, as a bulk write's queries do
# not otherwise grow with its rows.
SMALL, LARGE = 5, 30


@pytest.fixture
def grown(wangcheng):
    """The Wangcheng plan with 2 × LARGE more indicators, led by 扩容甲 (targets: the year)."""
    grow_plan(wangcheng, 2 * LARGE)
    return wangcheng


@pytest.fixture
def lead_staff(grown):
    """Two 填报员 of the department that leads the grown indicators: they are notified."""
    return [make_user(name, Role.STAFF, department="扩容甲") for name in ("kr1", "kr2")]


def grown_numbers(plan, count: int, skip: int = 0) -> list[int]:
    numbers = plan.indicators.filter(name__startswith="测试指标").order_by("number")
    return list(numbers.values_list("number", flat=True)[skip : skip + count])


def sheet_of(numbers: list[int], value=None, explanation: str = EXPLANATION) -> bytes:
    """A 统计公报-style sheet: the year's figure of each indicator (its target when no value)."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["序号", "指标名称", f"{YEAR}年实际值", "说明"])
    for number in numbers:
        figure = YEAR if value is None else value
        workbook.active.append([number, f"测试指标{number}", figure, explanation])
    return workbook_bytes(workbook)


def import_sheet(plan, content: bytes, user, mode: str):
    return actuals_upload(
        plan=plan, file_name=FILE, content=content, user=user, mode=mode, year=YEAR
    )


def save_draft(user, number: int, value: str = "7", *, submit: bool = False) -> Actual:
    """The department's own save by the form (draft, or submitted)."""
    return actual_save(
        indicator=Indicator.objects.select_related("plan").get(
            plan__slug="wangcheng-2021-2023", number=number
        ),
        entry=ActualEntry(
            value=Decimal(value), explanation="初稿", measures="措施", confirm_jump=True
        ),
        year=YEAR,
        user=user,
        expected_version=None,
        submit=submit,
    )


def per_row_import(plan, content: bytes, user, mode: str) -> None:
    """The import as it was before bulk writes: each row through the kind's save service
    and, for an approving import, the review's approve; the reference the bulk path meets."""
    sheet = read_upload(plan=plan, file_name=FILE, content=content, year=YEAR)
    reason = f"Excel 导入 {FILE}"
    with transaction.atomic():
        for row in sheet.rows:
            indicator = (
                Indicator.objects.select_related("plan")
                .prefetch_related("targets", "actuals")
                .get(plan=plan, number=row.number)
            )
            existing = indicator.actuals.filter(year=YEAR).first()
            figure = ACTUAL.save(
                indicator=indicator,
                entry=ACTUAL_ROWS.entry_of(row),
                year=YEAR,
                user=user,
                expected_version=existing.version if existing else None,
                submit=mode != upload.DRAFT,
                reason=f"{reason}：{'保存草稿' if mode == upload.DRAFT else '提交审核'}",
            )
            if mode == upload.APPROVE:
                workflow.approve(figure, user=user, reason=f"{reason}：直接审核通过")


TIMES = ("entered_at", "submitted_at", "reviewed_at", "approved_at")


def written(plan) -> dict:
    """Every figure of the year, its history and the notifications, as people read them:
    times only as set or not (the two paths run at different moments)."""

    def as_read(record) -> dict:
        values = {
            f.attname: getattr(record, f.attname)
            for f in Actual._meta.concrete_fields
            if f.attname not in ("id", *TIMES)
        }
        return values | {name: getattr(record, name) is not None for name in TIMES}

    figures = {}
    for actual in Actual.objects.filter(indicator__plan=plan, year=YEAR).select_related(
        "indicator"
    ):
        history = [
            (
                record.history_type,
                record.history_user_id,
                record.history_change_reason,
                as_read(record),
            )
            for record in actual.history.order_by("history_id")
        ]
        figures[actual.indicator.number] = (as_read(actual), history)
    notes = sorted(Notification.objects.values_list("recipient_id", "kind", "title", "body", "url"))
    return {"figures": figures, "notifications": notes}


def per_row_result(plan, content: bytes, user, mode: str) -> dict:
    """What the row-by-row import writes, then undone."""
    with transaction.atomic():
        per_row_import(plan, content, user, mode)
        result = written(plan)
        transaction.set_rollback(True)
    return result


# ---------------------------------------------------------------- queries


@pytest.mark.parametrize("mode", [upload.APPROVE, upload.SUBMIT, upload.DRAFT])
def test_an_import_costs_the_same_queries_at_two_sizes(
    grown, lead_staff, admin_user, mode, django_assert_max_num_queries
):
    def queries(numbers: list[int]) -> int:
        content = sheet_of(numbers)
        with CaptureQueriesContext(connection) as captured:
            summary = import_sheet(grown, content, admin_user, mode)
        assert summary.saved == len(numbers)
        return len(captured)

    small = queries(grown_numbers(grown, SMALL))
    large = queries(grown_numbers(grown, LARGE, skip=SMALL))
    assert small == large
    # Reading, the facts, the lock, the writes with their history, the notices: 20 at most.
    content = sheet_of(grown_numbers(grown, LARGE, skip=LARGE))
    with django_assert_max_num_queries(20):
        import_sheet(grown, content, admin_user, mode)


def test_an_import_over_saved_figures_costs_the_same_queries_at_two_sizes(
    grown, lead_staff, admin_user
):
    """Corrections (bulk_update) and their approval: as few queries for 30 rows as for 5."""

    def queries(numbers: list[int]) -> int:
        for number in numbers:
            save_draft(lead_staff[0], number)
        content = sheet_of(numbers)
        with CaptureQueriesContext(connection) as captured:
            summary = import_sheet(grown, content, admin_user, upload.APPROVE)
        assert summary.approved == len(numbers)
        return len(captured)

    assert queries(grown_numbers(grown, SMALL)) == queries(grown_numbers(grown, LARGE, SMALL))


# ---------------------------------------------------------------- same as row by row


def test_an_approving_import_writes_what_saving_row_by_row_writes(grown, lead_staff, admin_user):
    numbers = grown_numbers(grown, 8)
    content = sheet_of(numbers)
    expected = per_row_result(grown, content, admin_user, upload.APPROVE)
    assert not Actual.objects.filter(indicator__plan=grown, year=YEAR).exists()
    import_sheet(grown, content, admin_user, upload.APPROVE)
    assert written(grown) == expected
    # What that is: saved and submitted, then approved, both by the office, with the reason.
    row, history = expected["figures"][numbers[0]]
    assert (row["state"], row["version"], row["approved_value"]) == ("approved", 2, YEAR)
    assert [
        (kind, user, reason, h["state"], h["version"]) for kind, user, reason, h in history
    ] == [
        ("+", admin_user.pk, f"Excel 导入 {FILE}：提交审核", "submitted", 1),
        ("~", admin_user.pk, f"Excel 导入 {FILE}：直接审核通过", "approved", 2),
    ]
    assert history[1][3]["reviewed_by_id"] == admin_user.pk and history[1][3]["approved_at"]
    # Each figure tells both staff of its lead department, once; the office is not told.
    assert len(expected["notifications"]) == 2 * len(numbers)
    recipient, kind, title, _body, url = expected["notifications"][0]
    assert recipient in {u.pk for u in lead_staff} and kind == "approved"
    assert title == f"{numbers[0]}. 测试指标{numbers[0]} 2021 年的实际值已审核通过"
    assert url == f"/report/wangcheng-2021-2023/2021/#indicator-{numbers[0]}"


@pytest.mark.parametrize("mode", [upload.DRAFT, upload.SUBMIT, upload.APPROVE])
def test_an_import_over_saved_figures_writes_what_row_by_row_writes(
    grown, lead_staff, admin_user, mode
):
    """Drafts, a submitted figure, a returned one (it stays returned as a draft), an
    approved one and a sample: bulk_update and its history match the one-by-one saves."""
    staff = lead_staff[0]
    numbers = grown_numbers(grown, 6)
    save_draft(staff, numbers[0])
    save_draft(staff, numbers[1], submit=True)
    returned = save_draft(staff, numbers[2], submit=True)
    actual_return(actual_id=returned.pk, user=admin_user, reason="请核对口径")
    approved = save_draft(staff, numbers[3], value=str(YEAR), submit=True)
    workflow.approve(Actual.objects.get(pk=approved.pk), user=admin_user)
    indicator = Indicator.objects.get(plan=grown, number=numbers[4])
    Actual.objects.create(
        indicator=indicator, year=YEAR, value=1, approved_value=1, state="approved",
        approved_at="2022-03-01T00:00:00Z", is_demo=True, source="示例来源",
    )  # fmt: skip
    Notification.objects.all().delete()
    user = admin_user if mode == upload.APPROVE else lead_staff[1]
    content = sheet_of(numbers, value="2100")
    expected = per_row_result(grown, content, user, mode)
    import_sheet(grown, content, user, mode)
    assert written(grown) == expected
    returned_state = {upload.DRAFT: "returned", upload.SUBMIT: "submitted"}.get(mode, "approved")
    assert expected["figures"][numbers[2]][0]["state"] == returned_state
    sample_row, sample_history = expected["figures"][numbers[4]]
    assert (sample_row["is_demo"], sample_row["source"]) == (False, "")
    assert len(sample_history) == (3 if mode == upload.APPROVE else 2)


def test_a_refused_file_writes_no_figure_history_or_notification(grown, lead_staff, admin_user):
    numbers = grown_numbers(grown, LARGE)
    workbook = openpyxl.load_workbook(io.BytesIO(sheet_of(numbers)))
    workbook.active["C5"] = "待定"
    workbook.active["C20"] = "-3"  # a count below zero
    before = (Actual.objects.count(), Actual.history.count(), Notification.objects.count())
    with pytest.raises(SheetInvalid) as refused:
        import_sheet(grown, workbook_bytes(workbook), admin_user, upload.APPROVE)
    assert [(i.row, i.column) for i in refused.value.issues] == [
        (5, f"{YEAR}年实际值"),
        (20, f"{YEAR}年实际值"),
    ]
    assert (Actual.objects.count(), Actual.history.count(), Notification.objects.count()) == before


def test_a_figure_inserted_meanwhile_refuses_its_row_and_writes_nothing(
    grown, lead_staff, admin_user
):
    """Two first saves racing: the import found no figure (its lock saw none), someone
    inserted one before its write. The unique constraint refuses the insert; the row is named."""
    numbers = grown_numbers(grown, 3)
    other = save_draft(lead_staff[0], numbers[1])
    sheet = read_upload(plan=grown, file_name=FILE, content=sheet_of(numbers), year=YEAR)
    before = (Actual.objects.count(), Actual.history.count())
    with pytest.raises(SheetInvalid) as refused:
        upload.import_rows(
            ACTUAL_ROWS,
            rows=sheet.rows,
            subjects={i.number: i for i in Indicator.objects.filter(plan=grown)},
            figures=Actual.objects.none(),  # as read before the other save committed
            user=admin_user,
            mode=upload.APPROVE,
            year=YEAR,
            file_name=FILE,
        )
    assert [str(i) for i in refused.value.issues] == [
        f"Sheet 第3行「{YEAR}年实际值」：该实际值刚被他人修改，请重新上传"
    ]
    assert (Actual.objects.count(), Actual.history.count()) == before
    other.refresh_from_db()
    assert (other.state, other.version) == ("draft", 1)


def test_an_import_bumps_its_plan_once(grown, admin_user):
    """No model signal fires for a bulk write: the kernel bumps the plan itself, once."""
    connection.run_on_commit.clear()  # the grown plan's own bump, already scheduled
    with transaction.atomic():
        import_sheet(grown, sheet_of(grown_numbers(grown, LARGE)), admin_user, upload.APPROVE)
        bumps = [
            func
            for _savepoints, func, _robust in connection.run_on_commit
            if getattr(func, "plan_id", None) == grown.pk
        ]
        transaction.set_rollback(True)
    assert len(bumps) == 1
