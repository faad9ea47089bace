"""The 管理员's pages for the life of a plan: create, manage (close, reopen, copy, bases),
revise a target. Thin: parse, ask permissions.py through the services, render."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions
from ..models import Indicator, Plan, TargetRevision, with_revisions
from . import plans, predecessor, targets
from .forms import PlanCreateForm, ReasonForm, TargetRevisionForm


def _require_office(request) -> None:
    permissions.require(
        permissions.can_manage_plans(request.user), _("只有规划办管理员可以执行此操作。")
    )


@login_required
def plan_create(request):
    _require_office(request)
    form = PlanCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = plans.plan_create(
                **{k: v for k, v in data.items() if k != "copy_indicators"}, user=request.user
            )
            if data["copy_indicators"]:
                copies = predecessor.indicators_copy_from_predecessor(plan=plan, user=request.user)
                messages.success(request, _("已从前一规划复制 %(n)s 项指标。") % {"n": len(copies)})
        except plans.PlanRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已新建规划“%(name)s”。") % {"name": plan.short_name})
            return redirect("plan_manage", slug=plan.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "lifecycle/plan_form.html", {"form": form}, status=status)


@login_required
def plan_manage(request, slug: str):
    _require_office(request)
    plan = get_object_or_404(Plan.objects.select_related("predecessor", "closed_by"), slug=slug)
    context = {
        "plan": plan,
        "blockers": [] if plan.is_closed else plans.closing_blockers(plan),
        "proposals": predecessor.base_proposals(plan) if plan.predecessor_id else [],
        "reopen_form": ReasonForm(),
        "indicator_count": plan.indicators.count(),
    }
    return render(request, "lifecycle/manage.html", context)


def _refused(request, slug: str, exc: Exception):
    messages.error(request, str(exc))
    return redirect("plan_manage", slug=slug)


def _plan_action(request, slug: str, act, refusals: tuple, success) -> HttpResponse:
    """Run act(plan) for the plan office; back to the plan's page with `success(result)`,
    or with the refusal's reason."""
    _require_office(request)
    plan = get_object_or_404(Plan, slug=slug)
    try:
        result = act(plan)
    except refusals as exc:
        return _refused(request, slug, exc)
    messages.success(request, success(result))
    return redirect("plan_manage", slug=slug)


@require_POST
@login_required
def plan_close(request, slug: str):
    return _plan_action(
        request,
        slug,
        lambda plan: plans.plan_close(plan=plan, user=request.user),
        (plans.PlanRefused,),
        lambda _plan: _("规划已结束：不再接受填报和导入。"),
    )


@require_POST
@login_required
def plan_reopen(request, slug: str):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _plan_action(
        request,
        slug,
        lambda plan: plans.plan_reopen(plan=plan, user=request.user, reason=reason),
        (plans.PlanRefused,),
        lambda _plan: _("规划已重新开启。"),
    )


@require_POST
@login_required
def indicators_copy(request, slug: str):
    return _plan_action(
        request,
        slug,
        lambda plan: predecessor.indicators_copy_from_predecessor(plan=plan, user=request.user),
        (plans.PlanRefused, plans.PlanClosed),
        lambda copies: _("已从前一规划复制 %(n)s 项指标。") % {"n": len(copies)},
    )


@require_POST
@login_required
def base_values_confirm(request, slug: str):
    _require_office(request)
    plan = get_object_or_404(Plan, slug=slug)
    shown = {}
    for key, value in request.POST.items():
        if key.startswith("base-") and key[5:].isascii() and key[5:].isdigit():
            try:
                shown[int(key[5:])] = Decimal(value)
            except ArithmeticError:
                continue
    if not shown:
        return _refused(request, slug, _("请至少选择一项基期值建议。"))
    try:
        applied = predecessor.base_proposals_confirm(plan=plan, user=request.user, shown=shown)
    except predecessor.StaleProposal:
        return _refused(request, slug, _("基期值建议在您查看后已有变化，请核对后重新确认。"))
    except plans.PlanClosed as exc:
        return _refused(request, slug, exc)
    messages.success(request, _("已确认 %(n)s 项基期值。") % {"n": len(applied)})
    return redirect("plan_manage", slug=slug)


def _indicator(slug: str, number: int) -> Indicator:
    queryset = Indicator.objects.select_related("plan").prefetch_related(with_revisions())
    return get_object_or_404(queryset, plan__slug=slug, number=number)


@login_required
def target_revise(request, slug: str, number: int):
    _require_office(request)
    indicator = _indicator(slug, number)
    form = TargetRevisionForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        value, text = form.cleaned_data["new_target"]
        try:
            targets.target_revise(
                indicator=indicator,
                year=form.cleaned_data["year"],
                value=value,
                text=text,
                reason=form.cleaned_data["reason"],
                document_number=form.cleaned_data["document_number"],
                user=request.user,
            )
        except targets.RevisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("目标已调整，评价将按调整后目标进行。"))
            return redirect("indicator_detail", slug=slug, number=number)
    context = {
        "plan": indicator.plan,
        "indicator": indicator,
        "form": form,
        "targets": sorted(targets.targets_in_force(indicator).values(), key=lambda t: t.year),
        "revisions": targets.revisions_of(indicator),
        "withdraw_form": ReasonForm(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "lifecycle/revise.html", context, status=status)


@require_POST
@login_required
def revision_withdraw(request, pk: int):
    _require_office(request)
    revision = get_object_or_404(TargetRevision.objects.select_related("indicator__plan"), pk=pk)
    indicator = revision.indicator
    form = ReasonForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        targets.revision_withdraw(revision=revision, user=request.user, reason=reason)
    except targets.RevisionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已撤销目标调整，恢复规划目标。"))
    return redirect("target_revise", slug=indicator.plan.slug, number=indicator.number)
