"""Writes to the key tasks' milestones (yearly progress: save, approve, return) and to the
status of the named enterprises. One transaction each.

Progress is reported like an indicator's actual: the milestone's lead unit (or a 管理员)
enters it, only a 管理员 reviews it, and the same input rules apply (indicators'
check_actual: whole counts, an explanation when short of the target or far off last year).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from indicators import permissions
from indicators.actual_input import VALUE, IndicatorFacts, Problem, check_actual
from indicators.formatting import UNASSIGNED, figure_text
from indicators.models import User
from indicators.reporting import kinds
from indicators.reporting.workflow import FigureConflict, WorkflowError

from .models import STATUSES_BY_KIND, Enterprise, Milestone, MilestoneProgress

RANK_UNIT = "名"


def can_report_milestone(user: User, milestone: Milestone) -> bool:
    """Return True for the plan office and for staff of one of the milestone's lead units."""
    return permissions.can_report(user, milestone)


def can_update_enterprise(user: User, enterprise: Enterprise) -> bool:
    """Return True for the plan office and for staff of the task's lead unit."""
    return permissions.can_report(user, enterprise)


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
    # An Excel 说明 column holds cause and remedy together (see check_actual).
    measures_required: bool = True

    def is_empty(self) -> bool:
        """No figure and no explanation: nothing to save (a ticked 确认数值无误 alone is not)."""
        return self.value is None and not self.explanation.strip() and not self.measures.strip()

    def fill(self, progress: MilestoneProgress) -> None:
        progress.value = self.value
        progress.explanation = self.explanation.strip()
        progress.measures = self.measures.strip()


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
        measures_required=entry.measures_required,
    )


@transaction.atomic
def enterprise_update(
    *, enterprise: Enterprise, user: User, status: str, note: str, expected_version: int
) -> Enterprise:
    """Record an enterprise's status (e.g. 已上市) and note; return it.

    Raises PermissionDenied, WorkflowError for a status its kind cannot have, or
    FigureConflict when someone updated it after the user opened the page.
    """
    permissions.require(
        can_update_enterprise(user, enterprise),
        "只有该任务的牵头单位填报员或规划办管理员可以更新企业状态。",
    )
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


def progress_shown(progress: MilestoneProgress) -> str:
    """The working figure as people read it: “36 家”, or 空."""
    return figure_text(progress.value, progress.milestone.unit, "空")


def _review_line(progress: MilestoneProgress) -> kinds.ReviewLine:
    milestone = progress.milestone
    facts = milestone_facts(milestone, progress.year)
    approved = figure_text(progress.approved_value, milestone.unit) if progress.approved_at else ""
    notes = [("原因", progress.explanation), ("措施", progress.measures)]
    leads = [d.name for d in milestone.lead_departments.all()]
    return kinds.ReviewLine(
        subject=PROGRESS.describe(progress),
        url=reverse("task_board", args=[milestone.task.plan.slug]) + f"?year={progress.year}",
        department="、".join(leads) or UNASSIGNED,
        plan_name=milestone.task.plan.short_name,
        figures=[("完成值", figure_text(progress.value, milestone.unit), approved)],
        target=figure_text(facts.target_value, milestone.unit),
        previous=figure_text(facts.previous_value, milestone.unit),
        previous_label=facts.previous_label,
        notes=[(label, text) for label, text in notes if text],
    )


PROGRESS = kinds.register(
    kinds.FigureKind(
        "progress", "任务目标完成值", "完成值", MilestoneProgress, "milestone",
        "milestone__task__plan",
        prefetch=("milestone__progress", "milestone__lead_departments"),
        order=("year", "milestone__task__number", "milestone__number"),
        name_of=lambda milestone: f"目标 {milestone.code} {milestone.name}",
        shown=progress_shown, review_line=_review_line, plan_of=lambda m: m.task.plan,
        rules=lambda m, entry, year, submit: check_progress(m, year, entry, submitting=submit),
        not_allowed="只有该目标的牵头单位填报员或规划办管理员可以填报。",
    )
)
# Save a milestone's progress for a year (milestone=, entry=, year=, user=, …).
progress_save = PROGRESS.save
