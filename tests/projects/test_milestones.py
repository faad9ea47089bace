"""Reporting a key task's milestone like an indicator, and keeping the enterprises' status."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from indicators.reporting.review import figure_approve, figure_return
from indicators.reporting.workflow import FigureConflict, FigureInvalid, WorkflowError
from projects.milestones import (
    PROGRESS,
    ProgressEntry,
    enterprise_update,
    progress_save,
)
from projects.models import Enterprise, MilestoneProgress
from projects.selectors import key_tasks_for_board, milestone_line
from tests.factories import milestone

D = Decimal


def report(m, user, value, year=2021, *, submit=True, version=None, **texts):
    return progress_save(
        milestone=m,
        year=year,
        user=user,
        entry=ProgressEntry(value=D(value) if value is not None else None, **texts),
        expected_version=version,
        submit=submit,
    )


def approved(m, user, admin, value, year, **texts):
    figure = report(m, user, value, year, **texts)
    return figure_approve(kind=PROGRESS, pk=figure.pk, user=admin)


def test_the_lead_unit_reports_and_the_office_approves(wangcheng, cyfzj_staff, admin_user):
    m = milestone(wangcheng, "5-11")
    figure = report(m, cyfzj_staff, "2")
    assert (figure.state, figure.value) == ("submitted", D("2"))
    figure = figure_approve(kind=PROGRESS, pk=figure.pk, user=admin_user)
    assert (figure.state, figure.approved_value) == ("approved", D("2"))


def test_staff_outside_the_lead_units_may_not_report(wangcheng, other_staff, leader_user):
    m = milestone(wangcheng, "5-11")
    for user in (other_staff, leader_user):
        with pytest.raises(
            PermissionDenied, match="只有该目标的牵头单位填报员或规划办管理员可以填报"
        ):
            report(m, user, "2")
    assert not MilestoneProgress.objects.filter(milestone=m).exists()


def test_a_count_is_whole(wangcheng, cyfzj_staff):
    with pytest.raises(FigureInvalid) as refused:
        report(milestone(wangcheng, "5-11"), cyfzj_staff, "2.5")
    assert [p.message for p in refused.value.problems] == ["2.5 家：家数应为不小于 0 的整数"]


def test_a_rank_is_a_whole_number_from_1(wangcheng, cyfzj_staff):
    with pytest.raises(FigureInvalid) as refused:
        report(milestone(wangcheng, "1-3"), cyfzj_staff, "0")
    assert [p.message for p in refused.value.problems] == ["0名：名次应为不小于 1 的整数"]


def test_short_of_a_yearly_quota_needs_cause_and_remedy(wangcheng, admin_user):
    m = milestone(wangcheng, "4-1")  # 每年引进产业链企业35家以上
    with pytest.raises(FigureInvalid) as refused:
        report(m, admin_user, "30")
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("explanation", "未达到目标值 35 家，请填写原因分析"),
        ("measures", "未达到目标值 35 家，请填写整改措施"),
    ]
    figure = report(m, admin_user, "30", explanation="两家签约延至次年", measures="加快签约")
    assert figure.state == "submitted"


def test_a_rank_above_target_falls_short(wangcheng, cyfzj_staff):
    m = milestone(wangcheng, "1-3")  # 挺进全国百强园区前90名: lower is better
    with pytest.raises(FigureInvalid, match="未达到目标值 90 名"):
        report(m, cyfzj_staff, "95", year=2023)
    assert report(m, cyfzj_staff, "88", year=2023).value == D("88")


def test_before_the_target_year_there_is_no_shortfall(wangcheng, cyfzj_staff):
    figure = report(milestone(wangcheng, "5-6"), cyfzj_staff, "20", year=2021)
    assert figure.state == "submitted"


def test_a_jump_from_last_year_needs_confirmation(wangcheng, cyfzj_staff, admin_user):
    m = milestone(wangcheng, "5-6")
    approved(m, cyfzj_staff, admin_user, "20", 2021)
    m = milestone(wangcheng, "5-6")
    with pytest.raises(FigureInvalid) as refused:
        report(m, cyfzj_staff, "50", year=2022)
    assert [p.field for p in refused.value.problems] == ["confirm_jump", "explanation"]
    assert "与2021年完成值 20 家 相比变动 150%" in refused.value.problems[0].message


def test_a_stale_save_is_refused(wangcheng, cyfzj_staff, admin_user):
    m = milestone(wangcheng, "5-11")
    first = report(m, cyfzj_staff, "1", submit=False)
    report(m, admin_user, "2", submit=False, version=first.version)
    with pytest.raises(FigureConflict) as conflict:
        report(m, cyfzj_staff, "3", submit=False, version=first.version)
    assert conflict.value.current.value == D("2")


def test_a_returned_figure_carries_the_reason(wangcheng, cyfzj_staff, admin_user):
    figure = report(milestone(wangcheng, "5-11"), cyfzj_staff, "1")
    returned = figure_return(kind=PROGRESS, pk=figure.pk, user=admin_user, reason="请附上市公告")
    assert (returned.state, returned.return_reason) == ("returned", "请附上市公告")
    with pytest.raises(WorkflowError):
        figure_approve(kind=PROGRESS, pk=figure.pk, user=admin_user)


def test_progress_of_a_yearly_quota_is_plan_to_date(wangcheng, admin_user):
    m = milestone(wangcheng, "4-1")
    approved(m, admin_user, admin_user, "40", 2021)
    approved(m, admin_user, admin_user, "28", 2022, explanation="疫情", measures="补签")
    line = milestone_line(milestone(wangcheng, "4-1"), 2022)
    # (40 + 28) ÷ (35 + 35)
    assert line.progress == D("0.9714")
    assert line.progress_text == "97.1%"
    assert line.rating_label == "✖ 滞后"  # 2022: 28 of 35 is 80%


def test_progress_of_a_rank_is_target_over_rank(wangcheng, admin_user):
    m = milestone(wangcheng, "1-3")
    approved(m, admin_user, admin_user, "120", 2021)
    line = milestone_line(milestone(wangcheng, "1-3"), 2022)
    assert line.progress == D("0.75")  # 90 ÷ 120
    assert line.percent == D("75.0")
    assert line.rating_label == "目标年份 2023 年"


def test_the_board_counts_listed_enterprises(wangcheng, cyfzj_staff):
    listed = Enterprise.objects.get(task__plan=wangcheng, kind="listing", name="军信环保")
    enterprise_update(
        enterprise=listed, user=cyfzj_staff, status="listed", note="2022年上市", expected_version=1
    )
    task = next(t for t in key_tasks_for_board(wangcheng, 2022) if t.number == 5)
    kinds = dict(task.enterprises_by_kind)
    statuses = {e.name: e.get_status_display() for e in kinds["上市（挂牌）企业"]}
    assert statuses["军信环保"] == "已上市"
    assert statuses["联智科技"] == "培育中"


def test_the_lead_unit_updates_an_enterprise_with_history(wangcheng, cyfzj_staff):
    enterprise = Enterprise.objects.get(task__plan=wangcheng, kind="listing", name="联智科技")
    updated = enterprise_update(
        enterprise=enterprise,
        user=cyfzj_staff,
        status="filed",
        note="已报送交易所",
        expected_version=1,
    )
    assert (updated.status, updated.note, updated.version) == ("filed", "已报送交易所", 2)
    assert updated.updated_by == cyfzj_staff
    record = updated.history.first()
    assert (record.status, record.history_user, record.history_change_reason) == (
        "filed",
        cyfzj_staff,
        "更新企业状态",
    )


def test_others_may_not_update_an_enterprise(wangcheng, other_staff):
    enterprise = Enterprise.objects.get(task__plan=wangcheng, kind="leader", name="比亚迪电子")
    with pytest.raises(PermissionDenied, match="只有该任务的牵头单位填报员或规划办管理员"):
        enterprise_update(
            enterprise=enterprise, user=other_staff, status="champion", note="", expected_version=1
        )


def test_a_status_must_fit_the_kind(wangcheng, admin_user):
    enterprise = Enterprise.objects.get(task__plan=wangcheng, kind="leader", name="比亚迪电子")
    with pytest.raises(WorkflowError) as refused:
        enterprise_update(
            enterprise=enterprise, user=admin_user, status="listed", note="", expected_version=1
        )
    assert str(refused.value) == "龙头领军企业的状态应为：培育中、已获评单项冠军、已退出培育"
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.filter(pk=enterprise.pk).update(status="listed")


def test_a_stale_enterprise_update_is_refused(wangcheng, admin_user, cyfzj_staff):
    enterprise = Enterprise.objects.get(task__plan=wangcheng, kind="listing", name="湘江涂料")
    enterprise_update(
        enterprise=enterprise, user=admin_user, status="counselling", note="", expected_version=1
    )
    with pytest.raises(FigureConflict):
        enterprise_update(
            enterprise=enterprise, user=cyfzj_staff, status="listed", note="", expected_version=1
        )
    enterprise.refresh_from_db()
    assert enterprise.status == "counselling"
