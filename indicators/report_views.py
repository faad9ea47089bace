"""我的填报: department staff enter and submit their indicators' yearly actuals."""

from dataclasses import dataclass, field

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
    ACTUAL,
    can_contribute,
    can_report,
    comment_add,
    evidence_add,
    indicator_facts,
)
from .formatting import plain_decimal
from .forms import ActualForm, CommentForm
from .models import (
    Actual,
    Evidence,
    Indicator,
    Plan,
    Target,
)
from .models.reporting import SOURCES
from .permissions import can_see_history, object_for_user_or_404
from .reporting.views import is_submit, render_history, save_and_answer
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
    if actual.is_demo:
        # A sample is there to show the pages, not to be copied into a real figure.
        return {"kind": "preliminary", "version": actual.version}
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
    form = ActualForm(
        request.POST,
        request.FILES,
        facts=line.facts,
        submitting=is_submit(request),
        prefix=line.anchor,
    )

    def rerender(form):
        led, contributing = _page_lines(request, plan, year)
        for other in led:
            if other.indicator.pk == indicator.pk:
                other.form = form
        return _render_page(request, plan, year, led, contributing, status=400)

    def add_evidence() -> None:
        upload = form.cleaned_data.get("evidence")
        if upload:
            evidence_add(indicator=indicator, year=year, user=request.user, upload=upload)

    page_url = reverse("report_page", kwargs={"slug": slug, "year": year})
    return save_and_answer(
        request, form, ACTUAL, indicator, year, page_url, rerender, also=add_evidence
    )


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
    evidence = object_for_user_or_404(
        Evidence.objects.select_related("indicator", "indicator__plan").prefetch_related(
            "indicator__responsible_departments"
        ),
        request.user,
        may=can_see_history,
        subject=lambda evidence: evidence.indicator,
        pk=pk,
    )
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )


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
    back_url = reverse("report_page", args=[slug, year]) + f"#indicator-{number}"
    return render_history(request, ACTUAL, indicator, year, back_url)
