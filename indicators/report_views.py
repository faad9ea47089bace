"""我的填报: department staff enter and submit their indicators' yearly actuals."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
from .params import BadParameter
from .permissions import can_see_history, object_for_user_or_404
from .reporting.figure import ReviewState
from .reporting.views import is_submit, render_history, save_and_answer, save_view
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

    @property
    def status(self) -> str:
        """todo (nothing real yet; a sample is nobody's entry), draft, submitted, returned or
        approved: the filters of the summary strip."""
        if self.actual is None or self.actual.is_demo:
            return TODO
        return self.actual.state


TODO = "todo"
# The summary strip of 我的填报, in the order a department works through it.
STATUSES = [
    (TODO, gettext_lazy("待填")),
    (ReviewState.DRAFT.value, gettext_lazy("草稿")),
    (ReviewState.SUBMITTED.value, gettext_lazy("已提交")),
    (ReviewState.RETURNED.value, gettext_lazy("已退回")),
    (ReviewState.APPROVED.value, gettext_lazy("已审核")),
]


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


def open_work(user, today: date, preferred: Plan | None = None) -> tuple[Plan, int] | None:
    """The plan and year the user should work on now, or None if they report nothing.

    A returned figure of their department comes first; then the year reported now of the
    `preferred` plan, or of the first plan where some of their indicators are not yet
    submitted; else the first plan they report on.
    """
    plans = list(plans_reported_by(user))
    if not plans:
        return None
    mine = Q() if user.is_plan_admin else Q(indicator__lead_department=user.department_id)
    real = Actual.objects.filter(mine, indicator__plan__in=plans, is_demo=False)
    returned = (
        real.filter(state=ReviewState.RETURNED)
        .select_related("indicator")
        .order_by("-year")
        .first()
    )
    by_pk = {plan.pk: plan for plan in plans}
    if returned is not None:
        return by_pk[returned.indicator.plan_id], returned.year
    if preferred is not None and preferred.pk in by_pk:
        return preferred, reporting_year(preferred, today)
    for plan in plans:
        year = reporting_year(plan, today)
        led = Indicator.objects.filter(plan=plan, targets__year=year)
        if not user.is_plan_admin:
            led = led.filter(lead_department=user.department_id)
        done = real.filter(
            indicator__plan=plan,
            year=year,
            state__in=[ReviewState.SUBMITTED, ReviewState.APPROVED],
        )
        if led.distinct().count() > done.count():
            return plan, year
    return plans[0], reporting_year(plans[0], today)


@login_required
def report_home(request):
    """Send the user to the plan and year where their department has work to do now."""
    found = open_work(request.user, timezone.localdate())
    if found is None:
        raise PermissionDenied(_("您所在的单位没有牵头的指标，无需填报。"))
    plan, year = found
    return redirect("report_page", slug=plan.slug, year=year)


def own_indicators(user, plan: Plan, year: int):
    """The indicators the user reports or contributes to, with what the page shows: the
    plan office sees all, a department only its own (their figures, evidence and comments
    are the only ones read)."""
    indicators = report_indicators(plan, year)
    if user.is_plan_admin:
        return indicators
    if user.department_id is None:
        return indicators.none()
    department = user.department_id
    return indicators.filter(
        Q(lead_department=department) | Q(responsible_departments=department)
    ).distinct()


def _page_lines(request, plan: Plan, year: int):
    led, contributing = [], []
    for indicator in own_indicators(request.user, plan, year):
        line = _line(indicator, year)
        if can_report(request.user, indicator):
            line.form = ActualForm(initial=_initial(line), facts=line.facts, prefix=line.anchor)
            led.append(line)
        elif can_contribute(request.user, indicator):
            line.comment_form = CommentForm(prefix=line.anchor)
            contributing.append(line)
    # Returned figures first: they are what the department must rework.
    led.sort(key=lambda line: line.status != ReviewState.RETURNED)
    return led, contributing


def status_param(request) -> str:
    """The strip's ?status= filter: "" for all, else one of STATUSES; BadParameter if not."""
    status = request.GET.get("status", "")
    if status and status not in dict(STATUSES):
        raise BadParameter(_("status 应为 todo、draft、submitted、returned 或 approved"))
    return status


def _render_page(request, plan: Plan, year: int, led, contributing, status=200, shown=""):
    if not request.user.is_plan_admin and not led and not contributing:
        raise PermissionDenied(_("您所在的单位在该规划中没有需要填报的指标。"))
    today = timezone.localdate()
    deadline = deadline_of(plan, year)
    counts = {key: 0 for key, _label in STATUSES}
    for line in led:
        counts[line.status] += 1
    context = {
        "plan": plan,
        "year": year,
        "years": plan.years,
        "plans": plans_reported_by(request.user),
        "led": [line for line in led if not shown or line.status == shown],
        "led_count": len(led),
        "contributing": [] if shown else contributing,
        "contributing_count": len(contributing),
        "strip": [(key, label, counts[key]) for key, label in STATUSES],
        "shown": shown,
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
    shown = status_param(request)
    led, contributing = _page_lines(request, plan, year)
    return _render_page(request, plan, year, led, contributing, shown=shown)


@save_view("report_page", lambda kwargs: f"indicator-{kwargs['number']}")
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
