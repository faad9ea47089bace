"""The reporting kernel's contract, the same for every kind of reported figure: save,
conflict, submit, approve, return, lock, a sample replaced, history, one review queue."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from indicators.models import Role
from indicators.reporting import kinds
from indicators.reporting.review import figure_approve, figure_return, figures_review
from indicators.reporting.workflow import FigureConflict, WorkflowError
from tests.factories import FIGURE_CASES, make_user

pytestmark = pytest.mark.django_db

cases = pytest.mark.parametrize("case", FIGURE_CASES, ids=lambda case: case.key)


@pytest.fixture
def office(loaded_plans):
    return make_user("office-k", Role.ADMIN)


def submitted(case):
    subject = case.subject()
    figure = case.save(subject, case.reporter(), case.values[0], None, True)
    return subject, figure


@cases
def test_a_draft_then_a_second_save_raise_the_version(loaded_plans, case):
    subject, user = case.subject(), case.reporter()
    one, two, _three = case.values
    first = case.save(subject, user, one, None, False)
    assert (first.state, first.version, case.value(first)) == ("draft", 1, Decimal(one))
    second = case.save(subject, user, two, 1, False)
    assert (second.pk, second.version, case.value(second)) == (first.pk, 2, Decimal(two))
    assert [r.history_user for r in second.history.all()] == [user, user]


@cases
def test_a_save_from_an_older_version_is_refused(loaded_plans, case):
    subject, user = case.subject(), case.reporter()
    case.save(subject, user, case.values[0], None, False)
    with pytest.raises(FigureConflict) as refused:
        case.save(subject, user, case.values[2], None, False)  # opened before the first save
    assert refused.value.current.version == 1
    assert case.value(case.figure(subject)) == Decimal(case.values[0])


@cases
def test_only_its_own_department_or_the_office_reports_it(loaded_plans, case, office):
    subject = case.subject()
    stranger = make_user("stranger", Role.STAFF, department="区财政局")
    with pytest.raises(PermissionDenied):
        case.save(subject, stranger, case.values[0], None, True)
    leader = make_user("boss", Role.LEADER, department="区委区政府")
    with pytest.raises(PermissionDenied):
        case.save(subject, leader, case.values[0], None, True)
    assert case.save(subject, office, case.values[0], None, True).state == "submitted"


@cases
def test_approval_publishes_the_figure_and_locks_it(loaded_plans, case, office):
    subject, figure = submitted(case)
    kind = kinds.get(case.key)
    with pytest.raises(PermissionDenied):
        figure_approve(kind=kind, pk=figure.pk, user=case.reporter())
    approved = figure_approve(kind=kind, pk=figure.pk, user=office)
    one, _two, three = (Decimal(v) for v in case.values)
    assert (approved.state, approved.is_locked, case.approved(approved)) == ("approved", True, one)
    with pytest.raises(WorkflowError, match="只能审核待审核的数据"):
        figure_approve(kind=kind, pk=figure.pk, user=office)
    # A correction waits for review while leaders keep seeing the approved figure.
    corrected = case.save(subject, case.reporter(), case.values[2], approved.version, True)
    assert (case.value(corrected), case.approved(corrected)) == (three, one)


@cases
def test_a_return_says_why_and_keeps_the_figure_with_its_department(loaded_plans, case, office):
    _subject, figure = submitted(case)
    kind = kinds.get(case.key)
    with pytest.raises(WorkflowError, match="退回时请填写退回原因"):
        figure_return(kind=kind, pk=figure.pk, user=office, reason=" ")
    returned = figure_return(kind=kind, pk=figure.pk, user=office, reason="请附统计台账")
    assert (returned.state, returned.return_reason) == ("returned", "请附统计台账")
    assert case.approved(returned) is None


@cases
def test_a_real_entry_over_a_sample_keeps_nothing_of_it(loaded_plans, case):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    subject = case.subject()
    sample = case.figure(subject)
    assert sample.is_demo and sample.state == "approved"
    setattr(sample, case.sample_text, "示例：受市场需求波动影响")
    sample.save()
    real = case.save(subject, case.reporter(), case.values[1], sample.version, False)
    assert (real.pk, real.is_demo, real.state) == (sample.pk, False, "draft")
    assert getattr(real, case.sample_text) == ""
    assert case.approved(real) is None and real.approved_at is None
    call_command("clear_demo", stdout=open("/dev/null", "w"))
    kept = case.figure(subject)
    assert (kept.pk, case.value(kept), kept.is_demo) == (real.pk, Decimal(case.values[1]), False)


@cases
def test_history_lists_every_version(client, loaded_plans, case, office):
    subject, figure = submitted(case)
    figure_approve(kind=kinds.get(case.key), pk=figure.pk, user=office)
    client.force_login(case.reporter())
    html = client.get(case.history_url(subject)).content.decode()
    assert "首次填报" in html and "状态：待审核 → 已审核" in html
    assert html.count(f"staff-{case.key}") == 2 and html.count("office-k") == 1
    # Leaders read the approvals alone: who approved, and the approved figure.
    client.force_login(make_user("leader-k", Role.LEADER, department="区委区政府"))
    html = client.get(case.history_url(subject)).content.decode()
    assert "待审核" not in html and html.count("office-k") == 1
    assert f"staff-{case.key}" not in html


@cases
def test_the_one_queue_shows_and_decides_every_kind(client, loaded_plans, case, office):
    _subject, figure = submitted(case)
    kind = kinds.get(case.key)
    client.force_login(office)
    html = client.get(f"/review/?kind={case.key}").content.decode()
    assert kind.describe(figure) in html and kind.label in html
    response = client.post(
        "/review/decide/", {case.key: [figure.pk], "action": "approve"}, follow=True
    )
    assert f"已审核通过 1 条：{kind.describe(figure)}（{case.year}）" in response.content.decode()
    figure.refresh_from_db()
    assert figure.state == "approved"


def test_a_mixed_review_is_all_or_nothing(loaded_plans, office):
    figures = {case.key: submitted(case)[1] for case in FIGURE_CASES}
    first = FIGURE_CASES[0]
    version = figures["actual"].version
    draft = first.save(first.subject(), office, first.values[0], version, False)
    picks = {key: [figure.pk] for key, figure in figures.items()}
    with pytest.raises(WorkflowError, match="只能审核待审核的数据"):
        figures_review(picks=picks, user=office, approve=True)
    for case in FIGURE_CASES:
        assert case.figure(case.subject()).state == (
            "draft" if case.key == "actual" else "submitted"
        )
    assert draft.state == "draft"
