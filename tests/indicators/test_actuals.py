"""The reporting workflow: who may write, draft → submitted → approved | returned, versions."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from indicators.actuals import (
    ActualConflict,
    ActualEntry,
    ActualInvalid,
    WorkflowError,
    actual_approve,
    actual_return,
    actual_save,
    actuals_review_many,
)
from indicators.models import Actual, ActualState, Indicator, Role
from tests.factories import make_user

HIGH_TECH = 26  # 高新技术企业, 家, lead 区科技局, base 199, 2021 target 250


@pytest.fixture
def high_tech(wangcheng) -> Indicator:
    return Indicator.objects.select_related("plan").get(plan=wangcheng, number=HIGH_TECH)


def save(indicator, user, value, *, version=None, submit=False, year=2021, **entry):
    return actual_save(
        indicator=indicator,
        year=year,
        user=user,
        entry=ActualEntry(value=Decimal(value) if value is not None else None, **entry),
        expected_version=version,
        submit=submit,
    )


def test_lead_department_staff_saves_a_draft_then_submits(high_tech, staff_user):
    draft = save(high_tech, staff_user, "240")
    assert (draft.state, draft.value, draft.version) == (ActualState.DRAFT, Decimal("240"), 1)
    submitted = save(
        high_tech, staff_user, "260", version=1, submit=True, source="部门台账", kind="final"
    )
    assert (submitted.state, submitted.value, submitted.version) == ("submitted", Decimal("260"), 2)
    assert submitted.submitted_by == staff_user and submitted.kind == "final"
    assert submitted.approved_value is None  # not approved yet: leaders see nothing


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADER])
def test_others_may_not_report(high_tech, role):
    other = make_user("other", role, department="区工信局")
    with pytest.raises(PermissionDenied):
        save(high_tech, other, "260")
    assert not Actual.objects.exists()


def test_the_plan_office_may_enter_any_figure(high_tech, admin_user):
    assert save(high_tech, admin_user, "260", submit=True).state == "submitted"


def test_submitting_below_target_without_explanation_is_refused(high_tech, staff_user):
    with pytest.raises(ActualInvalid) as raised:
        save(high_tech, staff_user, "240", submit=True)
    assert [p.field for p in raised.value.problems] == ["explanation", "measures"]
    assert not Actual.objects.exists()


def test_a_stale_version_is_refused_and_shows_the_other_value(high_tech, staff_user, admin_user):
    save(high_tech, staff_user, "240")
    save(high_tech, admin_user, "255", version=1)  # someone else saved in between
    with pytest.raises(ActualConflict) as raised:
        save(high_tech, staff_user, "260", version=1)
    assert raised.value.current.value == Decimal("255")
    assert Actual.objects.get().value == Decimal("255")


def test_approval_locks_the_figure_and_a_correction_keeps_it_until_approved(
    high_tech, staff_user, admin_user
):
    actual = save(high_tech, staff_user, "260", submit=True)
    approved = actual_approve(actual_id=actual.pk, user=admin_user)
    assert (approved.state, approved.approved_value, approved.reviewed_by) == (
        "approved",
        Decimal("260"),
        admin_user,
    )
    assert approved.is_locked

    correction = save(high_tech, staff_user, "262", version=approved.version, submit=True)
    assert correction.state == "submitted"
    assert (correction.value, correction.approved_value) == (Decimal("262"), Decimal("260"))

    again = actual_approve(actual_id=correction.pk, user=admin_user)
    assert again.approved_value == Decimal("262")
    values = [(h.state, h.value, h.approved_value) for h in again.history.order_by("history_id")]
    assert values == [
        ("submitted", Decimal("260"), None),
        ("approved", Decimal("260"), Decimal("260")),
        ("submitted", Decimal("262"), Decimal("260")),
        ("approved", Decimal("262"), Decimal("262")),
    ]
    assert [h.history_user for h in again.history.order_by("history_id")] == [
        staff_user,
        admin_user,
        staff_user,
        admin_user,
    ]


def test_return_needs_a_reason_and_goes_back_to_the_department(high_tech, staff_user, admin_user):
    actual = save(high_tech, staff_user, "260", submit=True)
    with pytest.raises(WorkflowError, match="请填写退回原因"):
        actual_return(actual_id=actual.pk, user=admin_user, reason="  ")
    returned = actual_return(actual_id=actual.pk, user=admin_user, reason="请附统计快报")
    assert (returned.state, returned.return_reason) == ("returned", "请附统计快报")
    # Reworking it as a draft keeps the reason visible; submitting again clears it.
    reworked = save(high_tech, staff_user, "261", version=returned.version)
    assert (reworked.state, reworked.return_reason) == ("returned", "请附统计快报")
    resubmitted = save(high_tech, staff_user, "261", version=reworked.version, submit=True)
    assert (resubmitted.state, resubmitted.return_reason) == ("submitted", "")


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADER])
def test_only_the_plan_office_reviews(high_tech, staff_user, role):
    actual = save(high_tech, staff_user, "260", submit=True)
    reviewer = make_user("reviewer", role, department="区科技局")
    with pytest.raises(PermissionDenied):
        actual_approve(actual_id=actual.pk, user=reviewer)
    with pytest.raises(PermissionDenied):
        actual_return(actual_id=actual.pk, user=reviewer, reason="x")
    assert Actual.objects.get().state == "submitted"


def test_only_submitted_figures_are_reviewed(high_tech, staff_user, admin_user):
    draft = save(high_tech, staff_user, "260")
    with pytest.raises(WorkflowError, match="当前为“草稿”，只能审核待审核的数据"):
        actual_approve(actual_id=draft.pk, user=admin_user)


def test_bulk_review_is_all_or_nothing(wangcheng, high_tech, staff_user, admin_user):
    first = save(high_tech, staff_user, "260", submit=True)
    other = Indicator.objects.select_related("plan").get(plan=wangcheng, number=29)
    draft = save(other, staff_user, "0")
    with pytest.raises(WorkflowError):
        actuals_review_many(actual_ids=[first.pk, draft.pk], user=admin_user, approve=True)
    assert Actual.objects.get(pk=first.pk).state == "submitted"
    done = actuals_review_many(actual_ids=[first.pk], user=admin_user, approve=True)
    assert [a.state for a in done] == ["approved"]


def test_a_year_outside_the_plan_is_refused(high_tech, staff_user):
    with pytest.raises(WorkflowError, match="2024 年不在规划期 2021–2023 年内"):
        save(high_tech, staff_user, "260", year=2024)


def test_previous_year_jump_is_checked_against_the_approved_figure(
    high_tech, staff_user, admin_user
):
    first = save(high_tech, staff_user, "260", submit=True)
    actual_approve(actual_id=first.pk, user=admin_user)
    high_tech = Indicator.objects.select_related("plan").get(pk=high_tech.pk)
    with pytest.raises(ActualInvalid) as raised:
        save(high_tech, staff_user, "400", year=2022, submit=True)
    messages = [p.message for p in raised.value.problems]
    assert (
        "与2021年实际值 260 家 相比变动 54%，超过 50%：请核实数值，勾选“确认数值无误”" in messages
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_one_wins_the_other_is_told(loaded_plans):
    """Two people opened version 1; A saves and holds its transaction; B must wait, then lose."""
    from django.db import close_old_connections, transaction

    indicator = Indicator.objects.select_related("plan").get(
        plan__slug="wangcheng-2021-2023", number=HIGH_TECH
    )
    alice = make_user("alice", Role.STAFF, department="区科技局")
    bob = make_user("bob", Role.STAFF, department="区科技局")
    save(indicator, alice, "240")  # version 1
    a_saved, b_started, b_done = threading.Event(), threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def bob_is_waiting_on_a_lock() -> bool:
        with connection.cursor() as cursor:
            # Statistics are read once per transaction unless the snapshot is dropped.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0

    def alice_saves():
        try:
            with transaction.atomic():
                save(indicator, alice, "255", version=1)
                a_saved.set()
                b_started.wait(5)
                # Hold the row lock until Bob's save is waiting on it (or has ended).
                import time

                deadline = time.monotonic() + 5
                while not (b_done.is_set() or bob_is_waiting_on_a_lock()):
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.01)
            outcome["alice"] = "saved"
        finally:
            close_old_connections()
            connection.close()

    def bob_saves():
        try:
            a_saved.wait(5)
            b_started.set()
            save(indicator, bob, "260", version=1)
            outcome["bob"] = "saved"
        except ActualConflict as conflict:
            outcome["bob"] = conflict.current.value
        finally:
            b_done.set()
            connection.close()

    threads = [threading.Thread(target=alice_saves), threading.Thread(target=bob_saves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert outcome == {"alice": "saved", "bob": Decimal("255")}
    actual = Actual.objects.get()
    assert (actual.value, actual.version, actual.entered_by) == (Decimal("255"), 2, alice)
