"""Writes to reported actuals: save (draft or submit), approve, return. One transaction each.

Every write checks, on the server, that the user may make it; every save names the
version it started from and is refused when someone else saved in between.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import workflow
from .actual_input import IndicatorFacts, check_actual
from .models import (
    Actual,
    ActualKind,
    ActualState,
    Comment,
    Evidence,
    Indicator,
    Role,
    TextStatus,
    User,
)
from .workflow import FigureConflict, FigureInvalid, WorkflowError, can_review

# The errors of every reported figure (indicators/workflow.py), under the names the
# reporting code has always used.
ActualInvalid = FigureInvalid
ActualConflict = FigureConflict


def can_report(user: User, indicator: Indicator) -> bool:
    """Return True if the user may enter figures for the indicator.

    The plan office may enter any; department staff only what their department leads.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_plan_admin:
        return True
    return (
        user.role == Role.STAFF
        and user.department_id is not None
        and user.department_id == indicator.lead_department_id
    )


def can_contribute(user: User, indicator: Indicator) -> bool:
    """Return True if the user may comment or add evidence: its lead or a responsible unit."""
    if can_report(user, indicator):
        return True
    if user.role != Role.STAFF or user.department_id is None:
        return False
    return any(d.pk == user.department_id for d in indicator.responsible_departments.all())


@dataclass
class ActualEntry:
    """What a user typed for one indicator and year, already parsed."""

    value: Decimal | None = None
    text_status: str = ""
    kind: str = ActualKind.PRELIMINARY
    explanation: str = ""
    measures: str = ""
    source: str = ""
    confirm_jump: bool = False
    # An Excel 说明 column holds cause and remedy together (see check_actual).
    measures_required: bool = True


def indicator_facts(indicator: Indicator, year: int) -> IndicatorFacts:
    """Return what the input rules need: this year's target and last year's figure.

    Uses the indicator's prefetched targets and actuals when present.
    """
    targets = {t.year: t for t in indicator.targets.all()}
    target = targets.get(year)
    previous_value, previous_label = None, ""
    if year - 1 == indicator.plan.base_year:
        previous_value = indicator.base_value
        previous_label = f"{indicator.plan.base_year}年基期值"
    else:
        previous = next((a for a in indicator.actuals.all() if a.year == year - 1), None)
        if previous is not None and previous.approved_value is not None:
            previous_value = previous.approved_value
            previous_label = f"{year - 1}年实际值"
    return IndicatorFacts(
        unit=indicator.unit,
        attribute=indicator.attribute,
        direction=indicator.direction,
        is_rate=indicator.is_rate,
        target_value=target.value if target else None,
        target_text=target.text if target else "",
        previous_value=previous_value,
        previous_label=previous_label,
    )


@transaction.atomic
def actual_save(
    *,
    indicator: Indicator,
    year: int,
    user: User,
    entry: ActualEntry,
    expected_version: int | None,
    submit: bool,
    reason: str = "",
) -> Actual:
    """Save the department's figure as a draft, or submit it for review; return the actual.

    `expected_version` is the version the user started from (None for a new figure).
    Raises PermissionDenied, ActualInvalid, ActualConflict or WorkflowError.
    """
    if not can_report(user, indicator):
        raise PermissionDenied("只有该指标的牵头单位填报员或规划办管理员可以填报。")
    if year not in indicator.plan.years:
        raise WorkflowError(
            f"{year} 年不在规划期 {indicator.plan.first_year}–{indicator.plan.last_year} 年内。"
        )
    problems = check_actual(
        indicator_facts(indicator, year),
        value=entry.value,
        text_status=entry.text_status,
        explanation=entry.explanation,
        measures=entry.measures,
        confirm_jump=entry.confirm_jump,
        submitting=submit,
        measures_required=entry.measures_required,
    )
    if problems:
        raise ActualInvalid(problems)

    actuals = Actual.objects.filter(indicator=indicator, year=year)
    actual = workflow.lock_for_save(
        actuals,
        expected_version=expected_version,
        new=lambda: Actual(indicator=indicator, year=year),
    )
    actual.value = entry.value
    actual.text_status = entry.text_status
    actual.kind = entry.kind
    actual.explanation = entry.explanation.strip()
    actual.measures = entry.measures.strip()
    actual.source = entry.source.strip()
    if actual.is_demo:
        # A department's own figure replaces a sample one, approved sample figure included.
        actual.is_demo = False
        actual.approved_value, actual.approved_text_status = None, ""
        actual.approved_kind, actual.approved_at = "", None
        actual.state = ActualState.DRAFT
    workflow.record_entry(actual, user=user, submit=submit)
    return workflow.save_version(
        actual,
        user=user,
        reason=reason or ("提交审核" if submit else "保存草稿"),
        current=actuals.first,
    )


def _locked_for_review(actual_id: int, user: User, expected_version: int | None) -> Actual:
    return workflow.lock_for_review(
        Actual.objects.select_related("indicator"),
        pk=actual_id,
        user=user,
        expected_version=expected_version,
        describe=lambda actual: f"{actual.indicator.name} {actual.year} 年的实际值",
    )


@transaction.atomic
def actual_approve(
    *, actual_id: int, user: User, expected_version: int | None = None, reason: str = "审核通过"
) -> Actual:
    """Approve a submitted figure: it becomes the figure leaders see, and is locked."""
    actual = _locked_for_review(actual_id, user, expected_version)
    return workflow.approve(actual, user=user, reason=reason)


@transaction.atomic
def actual_return(
    *, actual_id: int, user: User, reason: str, expected_version: int | None = None
) -> Actual:
    """Return a submitted figure to its department with the reason."""
    if not reason.strip():
        raise WorkflowError("退回时请填写退回原因。")
    actual = _locked_for_review(actual_id, user, expected_version)
    return workflow.send_back(actual, user=user, reason=reason)


@transaction.atomic
def actuals_review_many(
    *, actual_ids: list[int], user: User, approve: bool, reason: str = ""
) -> list[Actual]:
    """Approve or return several figures at once: all of them, or none."""
    if not actual_ids:
        raise WorkflowError("请至少选择一条数据。")
    if approve:
        return [actual_approve(actual_id=pk, user=user) for pk in sorted(actual_ids)]
    return [actual_return(actual_id=pk, user=user, reason=reason) for pk in sorted(actual_ids)]


@transaction.atomic
def comment_add(*, indicator: Indicator, year: int, user: User, text: str) -> Comment:
    """Add a remark from the lead or a responsible unit; return it."""
    if not can_contribute(user, indicator):
        raise PermissionDenied("只有该指标的牵头单位、责任单位或规划办可以填写意见。")
    if not text.strip():
        raise WorkflowError("请填写意见内容。")
    return Comment.objects.create(
        indicator=indicator, year=year, text=text.strip(), department=user.department, author=user
    )


@transaction.atomic
def evidence_add(*, indicator: Indicator, year: int, user: User, upload) -> Evidence:
    """Keep an evidence file for the indicator's year; return it."""
    if not can_contribute(user, indicator):
        raise PermissionDenied("只有该指标的牵头单位、责任单位或规划办可以上传佐证材料。")
    evidence = Evidence(
        indicator=indicator,
        year=year,
        original_name=upload.name[:255],
        department=user.department,
        uploaded_by=user,
    )
    evidence._history_user = user
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    return evidence


__all__ = [
    "ActualConflict",
    "ActualEntry",
    "ActualInvalid",
    "TextStatus",
    "WorkflowError",
    "actual_approve",
    "actual_return",
    "actual_save",
    "actuals_review_many",
    "can_contribute",
    "can_report",
    "can_review",
    "comment_add",
    "evidence_add",
]
