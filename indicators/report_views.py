"""我的填报: department staff enter and submit their indicators' yearly actuals."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .actual_input import IndicatorFacts
from .actuals import (
    ActualConflict,
    ActualInvalid,
    WorkflowError,
    actual_save,
    can_contribute,
    can_report,
    comment_add,
    evidence_add,
    indicator_facts,
)
from .formatting import figure_text, plain_decimal
from .forms import ActualForm, CommentForm
from .models import (
    Actual,
    ActualKind,
    ActualState,
    Evidence,
    Indicator,
    Plan,
    Target,
    TextStatus,
)
from .models.reporting import SOURCES
from .selectors import (
    days_left_text,
    deadline_of,
    plans_reported_by,
    report_indicators,
    reporting_year,
)


@dataclass
class ReportLine:
    """One indicator on the page, with its figures for the year and, if editable, its form."""

    indicator: Indicator
    facts: IndicatorFacts
    target: Target | None
    actual: Actual | None
    previous_actual: Actual | None
    form: ActualForm | None = None
    comment_form: CommentForm | None = None
    evidence: list[Evidence] = field(default_factory=list)
    comments: list = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"indicator-{self.indicator.number}"


def _line(indicator: Indicator, year: int) -> ReportLine:
    actuals = {a.year: a for a in indicator.actuals.all()}
    return ReportLine(
        indicator=indicator,
        facts=indicator_facts(indicator, year),
        target=next((t for t in indicator.targets.all() if t.year == year), None),
        actual=actuals.get(year),
        previous_actual=actuals.get(year - 1),
        evidence=list(indicator.evidence.all()),
        comments=list(indicator.comments.all()),
    )


def _initial(line: ReportLine) -> dict:
    actual = line.actual
    if actual is None:
        return {"kind": "preliminary", "version": 0}
    return {
        "value": plain_decimal(actual.value) or "",
        "text_status": actual.text_status,
        "kind": actual.kind,
        "source": actual.source,
        "explanation": actual.explanation,
        "measures": actual.measures,
        "version": actual.version,
    }


@login_required
def report_home(request):
    """Send the user to the plan and year they report now."""
    plan = plans_reported_by(request.user).first()
    if plan is None:
        raise PermissionDenied(_("您所在的单位没有牵头的指标，无需填报。"))
    year = reporting_year(plan, timezone.localdate())
    return redirect("report_page", slug=plan.slug, year=year)


def _page_lines(request, plan: Plan, year: int):
    led, contributing = [], []
    for indicator in report_indicators(plan, year):
        line = _line(indicator, year)
        if can_report(request.user, indicator):
            line.form = ActualForm(initial=_initial(line), facts=line.facts, prefix=line.anchor)
            led.append(line)
        elif can_contribute(request.user, indicator):
            line.comment_form = CommentForm(prefix=line.anchor)
            contributing.append(line)
    return led, contributing


def _render_page(request, plan: Plan, year: int, led, contributing, status=200):
    if not request.user.is_plan_admin and not led and not contributing:
        raise PermissionDenied(_("您所在的单位在该规划中没有需要填报的指标。"))
    today = timezone.localdate()
    deadline = deadline_of(plan, year)
    context = {
        "plan": plan,
        "year": year,
        "years": plan.years,
        "plans": plans_reported_by(request.user),
        "led": led,
        "contributing": contributing,
        "deadline": deadline,
        "days_left": days_left_text(deadline.due_date, today) if deadline else "",
        "overdue": bool(deadline and deadline.due_date < today),
        "sources": SOURCES,
    }
    return render(request, "indicators/report.html", context, status=status)


@login_required
def report_page(request, slug: str, year: int):
    plan = get_object_or_404(Plan, slug=slug)
    if year not in plan.years:
        raise Http404
    led, contributing = _page_lines(request, plan, year)
    return _render_page(request, plan, year, led, contributing)


@require_POST
@login_required
def report_save(request, slug: str, year: int, number: int):
    """Save one indicator's figure as a draft or submit it; on any problem, show the input again."""
    plan = get_object_or_404(Plan, slug=slug)
    if year not in plan.years:
        raise Http404
    indicator = get_object_or_404(report_indicators(plan, year), number=number)
    if not can_report(request.user, indicator):
        raise PermissionDenied(_("只有该指标的牵头单位填报员或规划办管理员可以填报。"))
    line = _line(indicator, year)
    submit = request.POST.get("action") == "submit"
    form = ActualForm(
        request.POST, request.FILES, facts=line.facts, submitting=submit, prefix=line.anchor
    )
    if form.is_valid():
        try:
            # The figure and its evidence file are one action: both or neither.
            with transaction.atomic():
                actual_save(
                    indicator=indicator,
                    year=year,
                    user=request.user,
                    entry=form.entry(),
                    expected_version=form.cleaned_data["version"] or None,
                    submit=submit,
                )
                upload = form.cleaned_data.get("evidence")
                if upload:
                    evidence_add(indicator=indicator, year=year, user=request.user, upload=upload)
        except ActualConflict as conflict:
            current = conflict.current
            shown = (
                figure_text(current.value, indicator.unit)
                if current.value is not None
                else current.get_text_status_display() or "空"
            )
            who = current.entered_by.username if current.entered_by else "他人"
            when = (
                timezone.localtime(current.entered_at).strftime("%Y-%m-%d %H:%M")
                if current.entered_at
                else ""
            )
            state = current.get_state_display()
            form.add_error(
                None,
                f"保存失败：该数据已被 {who} 于 {when} 修改为 {shown}（{state}）。"
                "您填写的内容仍保留在下方，请核对后再次保存。",
            )
            # The next save starts from what the other person saved.
            form.data = form.data.copy()
            form.data[f"{line.anchor}-version"] = str(current.version)
        except (ActualInvalid, WorkflowError) as exc:
            problems = getattr(exc, "problems", None)
            if problems:
                for problem in problems:
                    form.add_error(problem.field, problem.message)
            else:
                form.add_error(None, str(exc))
        else:
            verb = _("已提交审核") if submit else _("草稿已保存")
            messages.success(request, f"{indicator.number}. {indicator.name}：{verb}")
            url = reverse("report_page", kwargs={"slug": slug, "year": year})
            return redirect(f"{url}#{line.anchor}")
    led, contributing = _page_lines(request, plan, year)
    for other in led:
        if other.indicator.pk == indicator.pk:
            other.form = form
    return _render_page(request, plan, year, led, contributing, status=400)


@require_POST
@login_required
def report_comment(request, slug: str, year: int, number: int):
    """A responsible unit (or the lead) adds a remark and, optionally, evidence."""
    plan = get_object_or_404(Plan, slug=slug)
    indicator = get_object_or_404(
        Indicator.objects.select_related("plan").prefetch_related("responsible_departments"),
        plan=plan,
        number=number,
    )
    if year not in plan.years or not can_contribute(request.user, indicator):
        raise PermissionDenied(_("只有该指标的牵头单位、责任单位或规划办可以填写意见。"))
    anchor = f"indicator-{number}"
    form = CommentForm(request.POST, request.FILES, prefix=anchor)
    if form.is_valid():
        with transaction.atomic():
            comment_add(
                indicator=indicator, year=year, user=request.user, text=form.cleaned_data["text"]
            )
            if form.cleaned_data.get("evidence"):
                evidence_add(
                    indicator=indicator,
                    year=year,
                    user=request.user,
                    upload=form.cleaned_data["evidence"],
                )
        messages.success(request, f"{indicator.number}. {indicator.name}：意见已保存")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{indicator.number}. {indicator.name}：{error}")
    url = reverse("report_page", kwargs={"slug": slug, "year": year})
    return redirect(f"{url}#{anchor}")


@login_required
def evidence_download(request, pk: int):
    """Serve an evidence file to those who may see it; 404 for anyone else."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("indicator", "indicator__plan").prefetch_related(
            "indicator__responsible_departments"
        ),
        pk=pk,
    )
    user = request.user
    if not (user.is_plan_admin or user.is_leader or can_contribute(user, evidence.indicator)):
        raise Http404
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )


HISTORY_FIELDS = {
    "value": "实际值",
    "text_status": "完成情况",
    "kind": "数据类型",
    "source": "数据来源",
    "explanation": "原因分析",
    "measures": "整改措施",
    "state": "状态",
    "return_reason": "退回原因",
    "approved_value": "已审核值",
}


@login_required
def report_history(request, slug: str, year: int, number: int):
    """Every version of one indicator's figure for a year: who, when, what changed."""
    plan = get_object_or_404(Plan, slug=slug)
    indicator = get_object_or_404(
        Indicator.objects.select_related("plan", "lead_department").prefetch_related(
            "responsible_departments"
        ),
        plan=plan,
        number=number,
    )
    user = request.user
    if not (user.is_plan_admin or user.is_leader or can_contribute(user, indicator)):
        raise PermissionDenied(_("只有该指标的牵头单位、责任单位、规划办或领导可以查看。"))
    actual = Actual.objects.filter(indicator=indicator, year=year).first()
    versions = []
    if actual is not None:
        records = list(actual.history.select_related("history_user").order_by("history_id"))
        previous = None
        for record in records:
            changes = []
            if previous is not None:
                delta = record.diff_against(previous, included_fields=list(HISTORY_FIELDS))
                for change in delta.changes:
                    changes.append(
                        (HISTORY_FIELDS[change.field], _shown(change.old), _shown(change.new))
                    )
            versions.append((record, changes, previous is None))
            previous = record
        versions.reverse()
    context = {"plan": plan, "year": year, "indicator": indicator, "versions": versions}
    return render(request, "indicators/report_history.html", context)


CHOICE_LABELS = {
    str(value): str(label)
    for choices in (ActualState, ActualKind, TextStatus)
    for value, label in choices.choices
}


def _shown(value) -> str:
    """Return a history value as people read it: 空 for blank, labels for choices."""
    if value is None or value == "":
        return "空"
    if isinstance(value, Decimal):
        return plain_decimal(value)
    return CHOICE_LABELS.get(str(value), str(value))
