"""Where each role lands after logging in: on its work."""

from urllib.parse import urlencode

from django.urls import reverse

from indicators.models import Actual, Plan
from indicators.report_views import open_work
from indicators.selectors import reporting_year

from .models import Preference


def default_plan(user) -> Plan | None:
    """The plan the user chose as their default, or None (one query)."""
    preference = Preference.objects.filter(user=user).select_related("default_plan").first()
    return preference.default_plan if preference else None


def latest_approved(plan: Plan | None = None) -> tuple[Plan, int] | None:
    """The plan and year of the most recent approved figure (real ones before samples), of
    `plan` or of any plan; None when nothing is approved."""
    approved = Actual.objects.filter(approved_at__isnull=False).select_related("indicator__plan")
    if plan is not None:
        approved = approved.filter(indicator__plan=plan)
    latest = approved.order_by("is_demo", "-year", "-approved_at").first()
    if latest is None:
        return None
    return latest.indicator.plan, latest.year


def overview_url(plan: Plan, year: int) -> str:
    return f"{reverse('overview')}?{urlencode({'plan': plan.slug, 'year': year})}"


def landing_url(user, today) -> str:
    """The page the user starts on.

    管理员: the review queue of every plan. 填报员: 我的填报 where their department has
    work (open_work; their default plan first, after returned figures). 领导 and anyone
    else: the overview of their default plan, else of the plan with the most recent
    approved figures, at that year; a running plan wins over a closed one.
    """
    if user.is_plan_admin:
        return reverse("review_queue")
    preferred = default_plan(user)
    if user.role == "staff":
        found = open_work(user, today, preferred)
        if found is not None:
            plan, year = found
            return reverse("report_page", args=[plan.slug, year])
    found = latest_approved(preferred)
    if preferred is None and (found is None or found[0].is_closed):
        # A plan still running comes before a finished one (十五五 before 十四五), even
        # before it has approved figures: its overview is where the year's work shows.
        running = Plan.objects.filter(closed_at__isnull=True).order_by("-last_year", "slug")
        current = running.first()
        if current is not None:
            found = latest_approved(current) or (current, reporting_year(current, today))
    if found is not None:
        return overview_url(*found)
    if preferred is not None:
        return overview_url(preferred, reporting_year(preferred, today))
    return reverse("overview")
