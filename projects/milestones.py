"""Writes to the key tasks' milestones (yearly progress: save, approve, return) and to the
status of the named enterprises. One transaction each.

Progress is reported like an indicator's actual: the milestone's lead unit (or a 管理员)
enters it, only a 管理员 reviews it, and the same input rules apply (indicators'
check_actual: whole counts, an explanation when short of the target or far off last year).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from indicators.actual_input import VALUE, IndicatorFacts, Problem, check_actual
from indicators.models import Role, User
from indicators.workflow import (
    FigureConflict,
    FigureInvalid,
    WorkflowError,
    approve,
    lock_for_review,
    lock_for_save,
    record_entry,
    save_version,
    send_back,
)

from .models import STATUSES_BY_KIND, Enterprise, Milestone, MilestoneProgress

RANK_UNIT = "名"


def _in_lead_units(user: User, departments) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_plan_admin:
        return True
    if user.role != Role.STAFF or user.department_id is None:
        return False
    return any(d.pk == user.department_id for d in departments)


def can_report_milestone(user: User, milestone: Milestone) -> bool:
    """Return True for the plan office and for staff of one of the milestone's lead units."""
    return _in_lead_units(user, milestone.lead_departments.all())


def can_update_enterprise(user: User, enterprise: Enterprise) -> bool:
    """Return True for the plan office and for staff of the task's lead unit."""
    return _in_lead_units(user, enterprise.task.lead_departments.all())


def milestone_facts(milestone: Milestone, year: int) -> IndicatorFacts:
    """Return what the input rules need: the year's target and last year's approved figure.

    Uses the milestone's prefetched progress when present.
    """
    previous = next((p for p in milestone.progress.all() if p.year == year - 1), None)
    previous_value = previous.approved_value if previous is not None else None
    return IndicatorFacts(
        unit=milestone.unit,
        attribute=milestone.attribute,
        direction=milestone.direction,
        is_rate=False,
        target_value=milestone.target_for(year),
        target_text="",
        previous_value=previous_value,
        previous_label=f"{year - 1}年完成值" if previous_value is not None else "",
    )


@dataclass
class ProgressEntry:
    value: Decimal | None = None
    explanation: str = ""
    measures: str = ""
    confirm_jump: bool = False


def check_progress(
    milestone: Milestone, year: int, entry: ProgressEntry, *, submitting: bool
) -> list[Problem]:
    """Return every problem of the entry, by the indicators' rules plus the rank's own."""
    value = entry.value
    if milestone.unit == RANK_UNIT and value is not None:
        if value < 1 or value != value.to_integral_value():
            return [Problem(VALUE, f"{value}{RANK_UNIT}：名次应为不小于 1 的整数")]
    return check_actual(
        milestone_facts(milestone, year),
        value=value,
        text_status="",
        explanation=entry.explanation,
        measures=entry.measures,
        confirm_jump=entry.confirm_jump,
        submitting=submitting,
    )


@transaction.atomic
def progress_save(
    *,
    milestone: Milestone,
    year: int,
    user: User,
    entry: ProgressEntry,
    expected_version: int | None,
    submit: bool,
) -> MilestoneProgress:
    """Save the milestone's figure for the year as a draft, or submit it; return it.

    Raises PermissionDenied, FigureInvalid, FigureConflict or WorkflowError.
    """
    if not can_report_milestone(user, milestone):
        raise PermissionDenied("只有该目标的牵头单位填报员或规划办管理员可以填报。")
    plan = milestone.task.plan
    if year not in plan.years:
        raise WorkflowError(f"{year} 年不在规划期 {plan.first_year}–{plan.last_year} 年内。")
    problems = check_progress(milestone, year, entry, submitting=submit)
    if problems:
        raise FigureInvalid(problems)
    rows = MilestoneProgress.objects.filter(milestone=milestone, year=year)
    progress = lock_for_save(
        rows,
        expected_version=expected_version,
        new=lambda: MilestoneProgress(milestone=milestone, year=year),
    )
    progress.value = entry.value
    progress.explanation = entry.explanation.strip()
    progress.measures = entry.measures.strip()
    record_entry(progress, user=user, submit=submit)
    return save_version(
        progress, user=user, reason="提交审核" if submit else "保存草稿", current=rows.first
    )


def _describe(progress: MilestoneProgress) -> str:
    return f"目标 {progress.milestone.code} {progress.milestone.name} {progress.year} 年的完成值"


def _locked(progress_id: int, user: User, expected_version: int | None) -> MilestoneProgress:
    return lock_for_review(
        MilestoneProgress.objects.select_related("milestone", "milestone__task"),
        pk=progress_id,
        user=user,
        expected_version=expected_version,
        describe=_describe,
    )


@transaction.atomic
def progress_approve(
    *, progress_id: int, user: User, expected_version: int | None = None
) -> MilestoneProgress:
    return approve(_locked(progress_id, user, expected_version), user=user)


@transaction.atomic
def progress_return(
    *, progress_id: int, user: User, reason: str, expected_version: int | None = None
) -> MilestoneProgress:
    if not reason.strip():
        raise WorkflowError("退回时请填写退回原因。")
    return send_back(_locked(progress_id, user, expected_version), user=user, reason=reason)


@transaction.atomic
def enterprise_update(
    *, enterprise: Enterprise, user: User, status: str, note: str, expected_version: int
) -> Enterprise:
    """Record an enterprise's status (e.g. 已上市) and note; return it.

    Raises PermissionDenied, WorkflowError for a status its kind cannot have, or
    FigureConflict when someone updated it after the user opened the page.
    """
    if not can_update_enterprise(user, enterprise):
        raise PermissionDenied("只有该任务的牵头单位填报员或规划办管理员可以更新企业状态。")
    allowed = [s.value for s in STATUSES_BY_KIND[enterprise.kind]]
    if status not in allowed:
        labels = "、".join(str(s.label) for s in STATUSES_BY_KIND[enterprise.kind])
        raise WorkflowError(f"{enterprise.get_kind_display()}的状态应为：{labels}")
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if locked.version != expected_version:
        raise FigureConflict(locked)
    note = note.strip()
    if locked.status == status and locked.note == note:
        return locked
    locked.status, locked.note = status, note
    locked.updated_by, locked.updated_at = user, timezone.now()
    locked.version += 1
    locked._history_user = user
    locked._change_reason = "更新企业状态"
    locked.save()
    return locked
