"""Saving, submitting, approving and returning a project's yearly investment: the same
permissions, rules, lost-update guard and history as an indicator's actual."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from indicators.models import Role
from indicators.reporting.review import figure_approve, figure_return, figures_review
from indicators.reporting.workflow import FigureConflict, FigureInvalid, WorkflowError
from projects.investment_input import InvestmentEntry
from projects.investments import (
    INVESTMENT,
    investment_save,
    project_status_update,
)
from projects.models import ProjectInvestment
from tests.factories import make_user

D = Decimal


def save(
    project,
    user,
    planned="20",
    completed="18",
    *,
    year=2022,
    submit=True,
    version=None,
    explanation="",
):
    return investment_save(
        project=project,
        year=year,
        user=user,
        entry=InvestmentEntry(
            D(planned) if planned is not None else None,
            D(completed) if completed is not None else None,
            explanation,
        ),
        expected_version=version,
        submit=submit,
    )


def test_the_supervising_department_saves_a_draft_then_submits(project, project_staff):
    draft = save(project, project_staff, submit=False, completed=None)
    assert (draft.state, draft.version, draft.planned, draft.completed) == (
        "draft",
        1,
        D("20"),
        None,
    )
    submitted = save(project, project_staff, version=1)
    assert (submitted.state, submitted.version) == ("submitted", 2)
    assert submitted.submitted_by == project_staff
    assert submitted.approved_planned is None  # leaders see nothing until it is approved


def test_staff_of_another_department_may_not_save(project, other_staff):
    with pytest.raises(PermissionDenied, match="只有该项目主管部门的填报员或规划办管理员可以填报"):
        save(project, other_staff)
    assert not ProjectInvestment.objects.filter(project=project).exists()


def test_no_one_but_the_plan_office_reports_an_unassigned_project(hitech, other_staff, admin_user):
    from projects.models import Project

    unassigned = Project.objects.get(plan=hitech, number=30)
    with pytest.raises(PermissionDenied):
        save(unassigned, other_staff)
    assert save(unassigned, admin_user).state == "submitted"


def test_a_leader_may_not_save(project, leader_user):
    with pytest.raises(PermissionDenied):
        save(project, leader_user)


def test_a_year_outside_the_plan_is_refused(project, project_staff):
    with pytest.raises(WorkflowError, match="2026 年不在规划期 2021–2025 年内"):
        save(project, project_staff, year=2026)


def test_a_bad_figure_changes_nothing_and_says_why(project, project_staff):
    with pytest.raises(FigureInvalid) as refused:
        save(project, project_staff, planned="10", completed="16")
    assert [p.message for p in refused.value.problems] == [
        "完成投资 16 亿元，比计划投资 10 亿元高出 60%，超过 50%：请核实数值，并在说明中写明原因"
    ]
    assert not ProjectInvestment.objects.filter(project=project).exists()
    saved = save(project, project_staff, planned="10", completed="16", explanation="设备提前到货")
    assert saved.explanation == "设备提前到货"


def test_a_save_from_an_older_version_is_refused(project, project_staff, admin_user):
    first = save(project, project_staff, submit=False)
    save(project, admin_user, planned="25", submit=False, version=first.version)
    with pytest.raises(FigureConflict) as conflict:
        save(project, project_staff, planned="21", submit=False, version=first.version)
    assert conflict.value.current.planned == D("25")
    assert conflict.value.current.entered_by == admin_user
    assert ProjectInvestment.objects.get(project=project, year=2022).planned == D("25")


def test_a_second_first_save_is_a_conflict(project, project_staff):
    save(project, project_staff, submit=False)
    with pytest.raises(FigureConflict):
        save(project, project_staff, submit=False, version=None)


def test_approval_locks_the_figure_and_keeps_it_while_a_correction_waits(
    project, project_staff, admin_user
):
    submitted = save(project, project_staff)
    approved = figure_approve(kind=INVESTMENT, pk=submitted.pk, user=admin_user)
    assert (approved.state, approved.approved_planned, approved.approved_completed) == (
        "approved",
        D("20"),
        D("18"),
    )
    assert approved.reviewed_by == admin_user
    correction = save(project, project_staff, completed="19", version=approved.version)
    assert correction.state == "submitted"
    assert (correction.approved_planned, correction.approved_completed) == (D("20"), D("18"))
    figure_approve(kind=INVESTMENT, pk=correction.pk, user=admin_user)
    correction.refresh_from_db()
    assert correction.approved_completed == D("19")


def test_only_the_plan_office_reviews(project, project_staff):
    submitted = save(project, project_staff)
    with pytest.raises(PermissionDenied, match="只有规划办管理员可以审核"):
        figure_approve(kind=INVESTMENT, pk=submitted.pk, user=project_staff)


def test_a_return_needs_a_reason_and_shows_it(project, project_staff, admin_user):
    submitted = save(project, project_staff)
    with pytest.raises(WorkflowError, match="退回时请填写退回原因"):
        figure_return(kind=INVESTMENT, pk=submitted.pk, user=admin_user, reason=" ")
    returned = figure_return(
        kind=INVESTMENT, pk=submitted.pk, user=admin_user, reason="完成额与台账不符"
    )
    assert (returned.state, returned.return_reason) == ("returned", "完成额与台账不符")
    # Reworking it as a draft keeps the reason visible; submitting again clears it.
    reworked = save(project, project_staff, submit=False, version=returned.version)
    assert (reworked.state, reworked.return_reason) == ("returned", "完成额与台账不符")
    resubmitted = save(project, project_staff, version=reworked.version)
    assert (resubmitted.state, resubmitted.return_reason) == ("submitted", "")


def test_only_a_submitted_figure_is_reviewed(project, project_staff, admin_user):
    draft = save(project, project_staff, submit=False)
    with pytest.raises(WorkflowError) as refused:
        figure_approve(kind=INVESTMENT, pk=draft.pk, user=admin_user)
    assert str(refused.value) == (
        "12. 湖南三安第三代半导体产业园项目 2022 年的投资当前为“草稿”，只能审核待审核的数据。"
    )


def test_every_change_is_in_the_history(project, project_staff, admin_user):
    submitted = save(project, project_staff)
    figure_approve(kind=INVESTMENT, pk=submitted.pk, user=admin_user)
    records = list(submitted.history.order_by("history_id"))
    assert [(r.history_user, r.history_change_reason, r.state) for r in records] == [
        (project_staff, "提交审核", "submitted"),
        (admin_user, "审核通过", "approved"),
    ]


def test_bulk_review_is_all_or_nothing(project, project_staff, admin_user, hitech, supervisor):
    from projects.models import Project

    other = Project.objects.get(plan=hitech, number=14)
    other.supervising_department = supervisor
    other.save()
    first = save(project, project_staff)
    draft = save(other, project_staff, submit=False)
    with pytest.raises(WorkflowError):
        figures_review(picks={"investment": [first.pk, draft.pk]}, user=admin_user, approve=True)
    first.refresh_from_db()
    assert first.state == "submitted"


def test_the_database_refuses_what_the_rules_refuse(project):
    cases = [
        dict(planned=D("-1")),
        dict(state="submitted", planned=None),
        dict(state="returned", planned=D("1"), return_reason=""),
        dict(state="approved", planned=D("1")),  # no approved snapshot
        dict(state="unknown", planned=D("1")),
        dict(version=0),
        dict(year=1999),
    ]
    for values in cases:
        with pytest.raises(IntegrityError), transaction.atomic():
            ProjectInvestment.objects.create(
                project=project, year=values.pop("year", 2022), **values
            )


def test_the_project_status_is_recorded_by_its_department(project, project_staff, other_staff):
    updated = project_status_update(project=project, user=project_staff, status="construction")
    assert updated.status_label == "在建"
    assert updated.history.first().history_change_reason == "更新项目状态"
    with pytest.raises(PermissionDenied):
        project_status_update(project=project, user=other_staff, status="completed")
    with pytest.raises(WorkflowError, match="请选择项目状态"):
        project_status_update(project=project, user=project_staff, status="done")


def test_an_inactive_user_may_not_save(project, supervisor):
    user = make_user("fgj-gone", Role.STAFF, department=supervisor.name)
    user.is_active = False
    user.save()
    with pytest.raises(PermissionDenied):
        save(project, user)
