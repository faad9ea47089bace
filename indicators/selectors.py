"""Reads for pages and the API, each a fixed number of queries whatever the data size."""

from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from .formatting import UNASSIGNED
from .models import (
    Actual,
    Comment,
    Department,
    Evidence,
    Indicator,
    Plan,
    ReportingDeadline,
    Target,
)
from .permissions import reportable


def plans_with_counts(search: str = "") -> QuerySet[Plan]:
    """Return the plans with `indicator_count` annotated (one query), those whose name,
    short name, slug or document number contain `search` when given."""
    plans = Plan.objects.all()
    if search:
        plans = plans.filter(
            Q(name__icontains=search)
            | Q(short_name__icontains=search)
            | Q(slug__icontains=search)
            | Q(document_number__icontains=search)
        )
    return plans.annotate(indicator_count=Count("indicators")).order_by("first_year", "slug")


@dataclass
class IndicatorLine:
    """An indicator with its targets laid out over the plan years, for a table row."""

    indicator: Indicator
    targets: list[Target | None]

    @property
    def lead_name(self) -> str:
        lead = self.indicator.lead_department
        return lead.name if lead else UNASSIGNED

    @property
    def responsible_names(self) -> list[str]:
        return [d.name for d in self.indicator.responsible_departments.all()]


def plan_indicator_lines(plan: Plan) -> list[IndicatorLine]:
    """Return the plan's indicators in order, each with one target slot per plan year."""
    years = plan.years
    lines = []
    for indicator in Indicator.objects.filter(plan=plan).for_listing():
        by_year = {target.year: target for target in indicator.targets.all()}
        lines.append(IndicatorLine(indicator, [by_year.get(year) for year in years]))
    return lines


def reporting_year(plan: Plan, today) -> int:
    """Return the year a department reports now: last year's figures, within the plan period."""
    return min(max(today.year - 1, plan.first_year), plan.last_year)


# The plan menu on every page lists this many plans at most, whatever the number of plans;
# the rest are behind the searchable list at /plans/.
PLAN_MENU_SIZE = 12


def plan_menu(plans: QuerySet[Plan] | list[Plan], current: Plan | None) -> list[Plan]:
    """The plans a page's menu offers (one query): the current one and the most recent.

    Plans still running come first (latest last year first), so the menu stays the same
    size with a hundred plans loaded; `current` is always in it. Given a list (a menu
    already read), no query.
    """
    if isinstance(plans, QuerySet):
        plans = plans.order_by("-last_year", "-first_year", "slug")[:PLAN_MENU_SIZE]
    menu = list(plans)[:PLAN_MENU_SIZE]
    if current is not None and all(p.pk != current.pk for p in menu):
        menu = [*menu[: PLAN_MENU_SIZE - 1], current]
    return menu


def plans_reported_by(user) -> QuerySet[Plan]:
    """Return the plans the user reports on: all for the plan office, else what their unit leads."""
    plans = Plan.objects.order_by("first_year", "slug")
    return reportable(plans, user, "indicators__lead_department")


def report_indicators(plan: Plan, year: int) -> QuerySet[Indicator]:
    """The plan's indicators with everything the reporting pages show for `year`.

    A fixed number of queries: targets, responsible units, this and last year's actuals,
    this year's evidence and comments are prefetched.
    """
    return (
        Indicator.objects.filter(plan=plan)
        .for_listing()
        .prefetch_related(
            Prefetch(
                "actuals",
                queryset=Actual.objects.filter(year__in=[year - 1, year]).select_related(
                    "entered_by", "submitted_by", "reviewed_by"
                ),
            ),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(year=year).select_related("uploaded_by"),
            ),
            Prefetch(
                "comments",
                queryset=Comment.objects.filter(year=year).select_related("author", "department"),
            ),
        )
        .order_by("number")
    )


def deadline_of(plan: Plan, year: int):
    return ReportingDeadline.objects.filter(plan=plan, year=year).first()


def days_left_text(due_date, today) -> str:
    """Return 距截止还有 N 天 / 今天截止 / 已逾期 N 天."""
    days = (due_date - today).days
    if days > 0:
        return f"距截止还有 {days} 天"
    if days == 0:
        return "今天截止"
    return f"已逾期 {-days} 天"


@dataclass
class DepartmentProgress:
    """A lead department's reporting for a plan and year, for the deadline page."""

    department_id: int
    name: str
    led: int
    submitted: int  # submitted or approved
    approved: int
    last_submitted_at: object

    @property
    def missing(self) -> int:
        return self.led - self.submitted


def department_progress(plan: Plan, year: int) -> list[DepartmentProgress]:
    """Return, per lead department, how many of its indicators are submitted (one query)."""
    in_year = Q(led_indicators__plan=plan)
    actual_in_year = in_year & Q(led_indicators__actuals__year=year)
    rows = (
        Department.objects.filter(led_indicators__plan=plan)
        .annotate(
            led=Count("led_indicators", filter=in_year, distinct=True),
            submitted=Count(
                "led_indicators",
                filter=actual_in_year
                & Q(led_indicators__actuals__state__in=["submitted", "approved"]),
                distinct=True,
            ),
            approved=Count(
                "led_indicators",
                filter=actual_in_year & Q(led_indicators__actuals__approved_at__isnull=False),
                distinct=True,
            ),
            last_submitted_at=Max("led_indicators__actuals__submitted_at", filter=actual_in_year),
        )
        .order_by("name")
        .distinct()
    )
    return [
        DepartmentProgress(d.pk, d.name, d.led, d.submitted, d.approved, d.last_submitted_at)
        for d in rows
    ]
