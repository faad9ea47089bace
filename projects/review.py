"""Reviewing several submitted figures at once: project investments and milestone progress."""

from django.db import transaction

from indicators.models import User
from indicators.workflow import WorkflowError

from .investments import investment_approve, investment_return
from .milestones import progress_approve, progress_return
from .models import MilestoneProgress, ProjectInvestment


@transaction.atomic
def figures_review_many(
    *,
    investment_ids: list[int],
    progress_ids: list[int],
    user: User,
    approve: bool,
    reason: str = "",
) -> tuple[list[ProjectInvestment], list[MilestoneProgress]]:
    """Approve or return the chosen figures: all of them, or none (one transaction).

    Raises PermissionDenied, WorkflowError or FigureConflict; then nothing is changed.
    """
    if not investment_ids and not progress_ids:
        raise WorkflowError("请至少选择一条数据。")
    if not approve and not reason.strip():
        raise WorkflowError("退回时请填写退回原因。")
    if approve:
        investments = [
            investment_approve(investment_id=pk, user=user) for pk in sorted(investment_ids)
        ]
        progress = [progress_approve(progress_id=pk, user=user) for pk in sorted(progress_ids)]
    else:
        investments = [
            investment_return(investment_id=pk, user=user, reason=reason)
            for pk in sorted(investment_ids)
        ]
        progress = [
            progress_return(progress_id=pk, user=user, reason=reason) for pk in sorted(progress_ids)
        ]
    return investments, progress
