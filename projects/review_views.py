"""项目与任务审核: the plan office approves or returns submitted investments and milestones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from indicators.decorators import plan_admin_required
from indicators.workflow import FigureConflict, WorkflowError

from .milestones import milestone_facts
from .models import INVESTMENT_UNIT
from .review import figures_review_many
from .selectors import submitted_investments, submitted_progress


@login_required
@plan_admin_required
def review_queue(request):
    progress = submitted_progress()
    context = {
        "investments": submitted_investments(),
        "progress_rows": [(p, milestone_facts(p.milestone, p.year)) for p in progress],
        "unit": INVESTMENT_UNIT,
    }
    return render(request, "projects/review.html", context)


def _ids(request, name: str) -> list[int]:
    return [int(pk) for pk in request.POST.getlist(name) if pk.isdigit()]


@require_POST
@login_required
@plan_admin_required
def review_decide(request):
    approve = request.POST.get("action") == "approve"
    try:
        investments, progress = figures_review_many(
            investment_ids=_ids(request, "investment"),
            progress_ids=_ids(request, "progress"),
            user=request.user,
            approve=approve,
            reason=request.POST.get("reason", ""),
        )
    except FigureConflict:
        messages.error(request, "未做任何修改：所选数据刚被他人修改，请刷新页面后重新审核。")
    except WorkflowError as exc:
        messages.error(request, f"未做任何修改：{exc}")
    else:
        verb = "审核通过" if approve else "退回"
        names = [f"{i.project.number}. {i.project.name}（{i.year}）" for i in investments]
        names += [f"目标 {p.milestone.code} {p.milestone.name}（{p.year}）" for p in progress]
        messages.success(request, f"已{verb} {len(names)} 条：{'、'.join(names)}")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("project_review")
    return redirect(target)
