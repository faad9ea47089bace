"""Counts and words that agree (issue 11 item 7): 待审核, 无目标 and 按时 on every page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators.actuals import ActualEntry, actual_approve, actual_return, actual_save
from indicators.models import Actual, Indicator, ReportingDeadline
from indicators.progress import Rating
from indicators.scorecard import plan_progress
from indicators.standing import (
    Punctuality,
    Standing,
    counted_submission,
    punctuality,
    standing_counts,
    year_standing,
)
from tests.factories import chart_on_page

WANGCHENG = "wangcheng-2021-2023"
HITECH = "changsha-hitech-2021-2025"
DAY = date(2022, 3, 31)


@pytest.mark.parametrize(
    ("rating", "has_target", "pending", "expected"),
    [
        (Rating.MET, True, False, Standing.MET),
        (Rating.BEHIND, True, True, Standing.BEHIND),  # a correction waits; the approved stands
        (Rating.MANUAL, True, False, Standing.MANUAL),
        (Rating.NO_DATA, True, True, Standing.PENDING),
        (Rating.NO_DATA, True, False, Standing.NO_DATA),
        (Rating.NO_DATA, False, False, Standing.NO_TARGET),
        (Rating.NO_DATA, False, True, Standing.NO_TARGET),  # nothing to rate it against
    ],
)
def test_year_standing(rating, has_target, pending, expected):
    assert year_standing(rating, has_target=has_target, pending=pending) == expected


@pytest.mark.parametrize(
    ("state", "approved", "sample", "submitted_on", "expected"),
    [
        (None, False, False, None, None),  # no figure
        ("draft", False, False, None, None),  # never submitted
        ("submitted", False, False, DAY, DAY),
        ("approved", True, False, DAY, DAY),
        ("draft", False, False, DAY, None),  # submitted, then taken back to draft
        ("returned", False, False, DAY, None),
        ("draft", True, False, DAY, DAY),  # approved; its correction is in draft
        ("returned", True, False, DAY, DAY),  # approved; its correction was returned
        ("approved", True, True, DAY, None),  # a sample is not the department's submission
    ],
)
def test_counted_submission(state, approved, sample, submitted_on, expected):
    found = counted_submission(
        state=state, approved=approved, sample=sample, submitted_on=submitted_on
    )
    assert found == expected


@pytest.mark.parametrize(
    ("submitted_on", "due", "expected_flag", "expected"),
    [
        (DAY, DAY, True, Punctuality.ON_TIME),  # on the day itself
        (DAY - timedelta(days=1), DAY, True, Punctuality.ON_TIME),
        (DAY + timedelta(days=1), DAY, True, Punctuality.LATE),
        (None, DAY, True, Punctuality.MISSING),
        (DAY, None, True, Punctuality.SUBMITTED),  # no deadline: neither on time nor late
        (None, DAY, False, Punctuality.NOT_DUE),
    ],
)
def test_punctuality(submitted_on, due, expected_flag, expected):
    assert punctuality(submitted_on, due=due, expected=expected_flag) == expected


def test_standing_counts_lists_every_standing_in_order():
    counts = standing_counts([Standing.PENDING, Standing.MET, Standing.PENDING])
    assert list(counts) == list(Standing)
    assert counts[Standing.PENDING] == 2 and counts[Standing.MET] == 1
    assert counts[Standing.NO_TARGET] == 0


def _save(plan, number, user, *, submit=True, value="1", year=2021, version=None):
    indicator = Indicator.objects.select_related("plan").get(plan__slug=plan, number=number)
    return actual_save(
        indicator=indicator,
        year=year,
        user=user,
        entry=ActualEntry(value=Decimal(value), explanation="x", measures="y", confirm_jump=True),
        expected_version=version,
        submit=submit,
    )


def _tile(label: str, count: int) -> str:
    return f'{label}</span><span class="tile-value">{count}</span>'


def test_a_submitted_figure_is_pending_not_missing(client, wangcheng, admin_user, leader_user):
    _save(WANGCHENG, 1, admin_user)  # submitted, waiting for review
    actual_approve(actual_id=_save(WANGCHENG, 3, admin_user, value="400").pk, user=admin_user)
    client.force_login(leader_user)
    html = client.get(f"/?plan={WANGCHENG}&year=2021").content.decode()
    assert "共 42 项指标，已报送 2 项，已审核 1 项" in html
    assert _tile("⧗ 待审核", 1) in html
    assert _tile("— 未填报", 40) in html  # 42 − 1 approved − 1 pending (the old page said 41)
    assert _tile("✔ 达标", 1) in html
    assert '<span class="rating rating-pending">⧗ 待审核</span>' in html
    # The API counts as the page does.
    api = client.get(f"/api/v1/plans/{WANGCHENG}/progress/?year=2021").json()
    assert api["standing_counts"] == {
        "met": 1,
        "near": 0,
        "behind": 0,
        "manual": 0,
        "pending": 1,
        "no_data": 40,
        "no_target": 0,
    }
    assert api["counts"]["no_data"] == 41  # by rating: the pending figure is not rated yet
    assert next(i for i in api["indicators"] if i["number"] == 1)["standing"] == "pending"


def test_a_year_without_a_target_is_no_target(client, hitech, leader_user):
    progress = plan_progress(hitech, 2021)
    by_number = {row.indicator.number: row for row in progress.rows}
    assert by_number[22].standing == by_number[23].standing == Standing.NO_TARGET
    counts = progress.standing_counts
    assert counts[Standing.NO_TARGET] == 2
    assert counts[Standing.NO_DATA] == 24  # the other 24 have a derived 2021 target
    client.force_login(leader_user)
    html = client.get(f"/?plan={HITECH}&year=2021").content.decode()
    assert _tile("∅ 无目标", 2) in html
    assert _tile("— 未填报", 24) in html
    # In 2025 they have their text target and are missing until reported.
    assert plan_progress(hitech, 2025).standing_counts[Standing.NO_DATA] == 26


@pytest.fixture
def gxj_mix(wangcheng, admin_user):
    """区工信局 leads 19 indicators in 2021 (deadline today): 1 approved and 1 submitted on
    time, 1 submitted late, 1 draft that had been submitted, 1 returned, 14 not reported."""
    today = timezone.localdate()
    ReportingDeadline.objects.create(plan=wangcheng, year=2021, due_date=today)
    actual_approve(actual_id=_save(WANGCHENG, 1, admin_user, value="1200").pk, user=admin_user)
    _save(WANGCHENG, 2, admin_user)
    late = _save(WANGCHENG, 3, admin_user, value="400")
    Actual.objects.filter(pk=late.pk).update(submitted_at=timezone.now() + timedelta(days=2))
    withdrawn = _save(WANGCHENG, 4, admin_user, value="50")
    _save(WANGCHENG, 4, admin_user, value="51", submit=False, version=withdrawn.version)
    assert Actual.objects.get(pk=withdrawn.pk).state == "draft"
    returned = _save(WANGCHENG, 15, admin_user, value="10")
    actual_return(actual_id=returned.pk, user=admin_user, reason="请补充依据")
    return Indicator.objects.get(plan=wangcheng, number=1).lead_department


def test_on_time_rate_counts_unreported_drafts_and_returned_against(wangcheng, gxj_mix):
    progress = plan_progress(wangcheng, 2021)
    row = next(d for d in progress.departments if d.department_id == gxj_mix.pk)
    # 2 on time (1 approved, 2 submitted) of 19 indicators with a 2021 target: 2 ÷ 19.
    assert (row.score.submitted, row.score.on_time) == (3, 2)
    assert row.score.on_time_rate == Decimal("0.1053")
    due = progress.deadline.due_date
    marks = {r.indicator.number: r.punctuality(due) for r in row.indicators}
    assert marks[1] == marks[2] == Punctuality.ON_TIME
    assert marks[3] == Punctuality.LATE
    assert marks[4] == marks[15] == marks[16] == Punctuality.MISSING


def test_department_page_says_on_time_only_for_standing_submissions(
    client, wangcheng, gxj_mix, leader_user
):
    client.force_login(leader_user)
    html = client.get(f"/departments/{gxj_mix.pk}/?plan={WANGCHENG}&year=2021").content.decode()
    assert _tile("按时报送率", "10.5%") in html
    assert html.count('<span class="punctuality punctuality-on_time">按时</span>') == 2
    assert html.count('<span class="punctuality punctuality-late">逾期</span>') == 1
    assert html.count('<span class="punctuality punctuality-missing">未报送</span>') == 16
    assert _tile('<span class="rating rating-pending">⧗ 待审核</span>', 2) in html
    assert _tile('<span class="rating rating-no_data">— 未填报</span>', 16) in html


def test_departments_table_and_chart_count_standings(client, wangcheng, gxj_mix, leader_user):
    client.force_login(leader_user)
    response = client.get(f"/departments/?plan={WANGCHENG}&year=2021")
    html = response.content.decode()
    assert '<th class="num"><span class="rating rating-pending">⧗ 待审核</span></th>' in html
    stack = chart_on_page(response, "rating-stack")["data"]
    pending = next(trace for trace in stack if trace["name"] == "⧗ 待审核")
    gxj = pending["x"].index("区工信局")
    assert pending["y"][gxj] == 2


def test_the_task_board_says_pending_for_submitted_progress(client, wangcheng, leader_user):
    """Submitted milestone progress waits for review: 待审核 on the task board, never 未填报."""
    from projects.models import Milestone, MilestoneProgress

    milestone = Milestone.objects.get(task__plan=wangcheng, task__number=4, number=1)
    assert milestone.target_for(2022) is not None
    client.force_login(leader_user)
    html = client.get(f"/tasks/{WANGCHENG}/?year=2022").content.decode()
    assert "— 未填报" in html and "⧗ 待审核" not in html
    MilestoneProgress.objects.create(milestone=milestone, year=2022, value=30, state="submitted")
    html = client.get(f"/tasks/{WANGCHENG}/?year=2022").content.decode()
    assert "⧗ 待审核" in html
