"""Writes to reported actuals: save (draft or submit), approve, return. One transaction each.

Every write checks, on the server, that the user may make it; every save names the
version it started from and is refused when someone else saved in between.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from . import permissions
from .actual_input import IndicatorFacts, check_actual
from .evidence_files import evidence_problem
from .formatting import UNASSIGNED, figure_text
from .models import Actual, ActualKind, Comment, Evidence, Indicator, TextStatus, User
from .reporting import kinds, review
from .reporting.workflow import FigureConflict, FigureInvalid, WorkflowError

# The errors of every reported figure (indicators/reporting/workflow.py), under the names
# the reporting code has always used.
ActualInvalid = FigureInvalid
ActualConflict = FigureConflict
can_report = permissions.can_report
can_contribute = permissions.can_contribute
can_review = permissions.can_review


@dataclass
class ActualEntry:
    """What a user typed for one indicator and year, already parsed."""

    value: Decimal | None = None
    text_status: str = ""
    kind: str = ActualKind.PRELIMINARY
    explanation: str = ""
    measures: str = ""
    # None keeps the saved source (an Excel row does not state it).
    source: str | None = ""
    confirm_jump: bool = False
    # An Excel 说明 column holds cause and remedy together (see check_actual).
    measures_required: bool = True

    def is_empty(self) -> bool:
        """No figure, no 完成情况 and no explanation: nothing to save (data type and source
        only describe a figure)."""
        return (
            self.value is None
            and not self.text_status
            and not self.explanation.strip()
            and not self.measures.strip()
        )

    def fill(self, actual: Actual) -> None:
        actual.value, actual.text_status, actual.kind = self.value, self.text_status, self.kind
        actual.explanation = self.explanation.strip()
        actual.measures = self.measures.strip()
        if self.source is not None:
            actual.source = self.source.strip()


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


def _rules(indicator: Indicator, entry: ActualEntry, year: int, submitting: bool) -> list:
    return check_actual(
        indicator_facts(indicator, year),
        value=entry.value,
        text_status=entry.text_status,
        explanation=entry.explanation,
        measures=entry.measures,
        confirm_jump=entry.confirm_jump,
        submitting=submitting,
        measures_required=entry.measures_required,
    )


def actual_approve(
    *, actual_id: int, user: User, expected_version: int | None = None, reason: str = ""
) -> Actual:
    """Approve a submitted figure: it becomes the figure leaders see, and is locked."""
    return review.figure_approve(
        kind=ACTUAL, pk=actual_id, user=user, expected_version=expected_version, reason=reason
    )


def actual_return(
    *, actual_id: int, user: User, reason: str, expected_version: int | None = None
) -> Actual:
    """Return a submitted figure to its department with the reason."""
    return review.figure_return(
        kind=ACTUAL, pk=actual_id, user=user, reason=reason, expected_version=expected_version
    )


def actuals_review_many(
    *, actual_ids: list[int], user: User, approve: bool, reason: str = ""
) -> list[Actual]:
    """Approve or return several figures at once: all of them, or none."""
    done = review.figures_review(
        picks={ACTUAL.key: actual_ids}, user=user, approve=approve, reason=reason
    )
    return [figure for _kind, figure in done]


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
    # Checked here too, so no path (form, admin, a future API) stores a disguised file.
    problem = evidence_problem(upload)
    if problem:
        raise WorkflowError(problem)
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


def actual_shown(actual: Actual) -> str:
    """The working figure as people read it: “260 家”, “已完成”, or 空."""
    if actual.value is not None:
        return figure_text(actual.value, actual.indicator.unit)
    return actual.get_text_status_display() or "空"


def _approved_shown(actual: Actual) -> str:
    if not actual.approved_at:
        return ""
    if actual.approved_value is not None:
        return figure_text(actual.approved_value, actual.indicator.unit)
    return actual.get_approved_text_status_display()


def _review_line(actual: Actual) -> kinds.ReviewLine:
    indicator = actual.indicator
    facts = indicator_facts(indicator, actual.year)
    if facts.target_value is not None:
        target = figure_text(facts.target_value, indicator.unit)
    else:
        target = facts.target_text or "—"
    figure = f"{actual_shown(actual)}（{actual.get_kind_display()}）"
    return kinds.ReviewLine(
        subject=ACTUAL.describe(actual),
        url=reverse("report_history", args=[indicator.plan.slug, actual.year, indicator.number]),
        department=indicator.lead_department.name if indicator.lead_department else UNASSIGNED,
        plan_name=indicator.plan.short_name,
        figures=[("实际值", figure, _approved_shown(actual))],
        target=target,
        previous=figure_text(facts.previous_value, indicator.unit),
        previous_label=facts.previous_label,
        notes=[
            (label, text)
            for label, text in (("原因", actual.explanation), ("措施", actual.measures))
            if text
        ],
        source=actual.source,
    )


ACTUAL = kinds.register(
    kinds.FigureKind(
        "actual", "指标实际值", "实际值", Actual, "indicator", "indicator__plan",
        order=("year", "indicator__number"),
        also_related=("indicator__lead_department",),
        name_of=lambda indicator: f"{indicator.number}. {indicator.name}",
        shown=actual_shown, review_line=_review_line, rules=_rules,
        prefetch=("indicator__targets", "indicator__actuals"),
        not_allowed="只有该指标的牵头单位填报员或规划办管理员可以填报。",
    )
)
# Save the department's figure as a draft, or submit it for review: actual_save(indicator=,
# entry=, year=, user=, expected_version=, submit=, reason=). Raises PermissionDenied,
# ActualInvalid, ActualConflict or WorkflowError.
actual_save = ACTUAL.save


__all__ = [
    "ActualConflict",
    "ActualEntry",
    "ActualInvalid",
    "TextStatus",
    "WorkflowError",
    "actual_approve",
    "actual_return",
    "actual_save",
    "actual_shown",
    "actuals_review_many",
    "can_contribute",
    "can_report",
    "can_review",
    "comment_add",
    "evidence_add",
]
