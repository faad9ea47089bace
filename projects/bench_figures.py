"""The reported figures of the bench data set (`manage.py build_bench_data`, bench_data.py):
for every plan, approved actuals, investments and milestone progress for each year reported so
far (one history row each, as the pages read it), one submitted correction of each kind per plan
for the review queue, and a deadline per plan year, entered by bench users who cannot log in.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from indicators.formatting import COUNT_UNITS
from indicators.models import (
    Actual,
    ActualKind,
    ActualState,
    Attribute,
    Department,
    Direction,
    Indicator,
    Plan,
    ReportingDeadline,
    Role,
    TextStatus,
    User,
)
from indicators.selectors import reporting_year
from projects.demo import COMPLETED_SHARES, PLANNED_SHARES, approved_investment
from projects.models import Milestone, MilestoneProgress, Project, ProjectInvestment

BATCH = 1000
SOURCE = "统计年报"
BEHIND_EXPLANATION = "受市场需求波动影响，部分项目进度滞后。"
BEHIND_MEASURES = "加强项目调度，加快在建项目投产。"
CORRECTION = "根据统计年报更正。"
TWO_PLACES = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")


def by_plan(queryset) -> dict[int, list]:
    """The objects of `queryset` by their plan_id, in the queryset's order."""
    grouped = defaultdict(list)
    for obj in queryset:
        grouped[obj.plan_id].append(obj)
    return grouped


def bench_users() -> dict:
    """One 填报员 per lead department and one 管理员, who appear as who entered and reviewed."""
    led = Department.objects.filter(led_indicators__isnull=False).distinct()
    staff = [
        User(username=f"bench-staff-{d.pk}", role=Role.STAFF, department=d, is_active=False)
        for d in led
    ]
    office = User(username="bench-office", role=Role.ADMIN, is_active=False)
    for user in [*staff, office]:
        user.set_unusable_password()
    User.objects.bulk_create([*staff, office])
    return {
        "office": User.objects.get(username="bench-office"),
        "staff": {
            u.department_id: u for u in User.objects.filter(username__startswith="bench-staff-")
        },
    }


def _reported_years(plan: Plan, today: date) -> list[int]:
    return list(range(plan.first_year, reporting_year(plan, today) + 1))


def _moment(rng: random.Random, year: int) -> datetime:
    """A time in the first four months after `year`, when its figures are reported."""
    day = date(year + 1, 1, 5) + timedelta(days=rng.randrange(110))
    return timezone.make_aware(datetime.combine(day, time(9 + rng.randrange(8))))


def _approve(figure, rng: random.Random, year: int, staff, office) -> None:
    """Fill in the workflow fields of an approved figure entered by `staff`."""
    submitted = _moment(rng, year)
    figure.state = ActualState.APPROVED
    figure.version = 3  # saved as a draft, submitted, approved
    figure.entered_by = figure.submitted_by = staff
    figure.entered_at = figure.submitted_at = submitted
    figure.reviewed_by = office
    figure.reviewed_at = figure.approved_at = submitted + timedelta(days=3)
    figure._history_user = office
    figure._history_date = figure.approved_at


def _correct(figure, fields: dict) -> None:
    """Turn an approved figure into a submitted correction, the approved snapshot kept."""
    figure.state = ActualState.SUBMITTED
    figure.version += 1
    figure.submitted_at = figure.entered_at = figure.approved_at + timedelta(days=20)
    figure._history_user = figure.entered_by
    figure._history_date = figure.submitted_at
    for name, value in fields.items():
        setattr(figure, name, value)


def add_deadlines(plans: list[Plan], today: date) -> None:
    ReportingDeadline.objects.bulk_create(
        [
            ReportingDeadline(plan=plan, year=year, due_date=date(year + 1, 3, 31))
            for plan in plans
            for year in _reported_years(plan, today)
        ],
        batch_size=BATCH,
    )


def _actual_value(indicator: Indicator, target: Decimal, rng: random.Random) -> Decimal:
    factor = Decimal(rng.randrange(82, 115)) / 100  # 0.82 – 1.14 of the target
    places = Decimal(1) if indicator.unit in COUNT_UNITS else TWO_PLACES
    value = (target * factor).quantize(places, rounding=ROUND_HALF_UP)
    if indicator.unit in COUNT_UNITS:
        value = max(value, Decimal(0))
    if indicator.attribute == Attribute.RATIO and not indicator.is_rate:
        value = min(value, Decimal(100))
    return value


def add_actuals(plans, today, rng, users) -> None:
    indicators = by_plan(
        Indicator.objects.prefetch_related("targets").order_by("plan_id", "number")
    )
    actuals = []
    for plan in plans:
        years = _reported_years(plan, today)
        corrected = False
        for indicator in indicators[plan.pk]:
            targets = {t.year: t for t in indicator.targets.all()}
            staff = users["staff"].get(indicator.lead_department_id, users["office"])
            for year in years:
                target = targets.get(year)
                if target is None:
                    continue
                actual = Actual(
                    indicator=indicator, year=year, kind=ActualKind.FINAL, source=SOURCE
                )
                _approve(actual, rng, year, staff, users["office"])
                if target.text:
                    done = rng.random() < 0.8
                    actual.text_status = TextStatus.DONE if done else TextStatus.NOT_DONE
                    behind = not done
                else:
                    actual.value = _actual_value(indicator, target.value, rng)
                    if indicator.direction == Direction.DECREASE:
                        behind = actual.value > target.value
                    else:
                        behind = actual.value < target.value
                if behind:
                    actual.explanation = BEHIND_EXPLANATION
                    actual.measures = BEHIND_MEASURES
                actual.approved_value = actual.value
                actual.approved_text_status = actual.text_status
                actual.approved_kind = actual.kind
                actual.approved_explanation = actual.explanation
                actual.approved_measures = actual.measures
                if not corrected and year == years[-1] and actual.value is not None:
                    _correct(actual, {"value": actual.value + 1, "explanation": CORRECTION})
                    corrected = True
                actuals.append(actual)
    bulk_create_with_history(actuals, Actual, batch_size=BATCH)


def add_investments(plans, today, rng, users) -> None:
    projects = by_plan(Project.objects.order_by("plan_id", "number"))
    investments = []
    for plan in plans:
        years = _reported_years(plan, today)
        corrected = False
        for project in projects[plan.pk]:
            if project.number % 3 == 0:
                continue  # a third of the projects stay unreported
            staff = users["staff"].get(project.supervising_department_id, users["office"])
            for index, year in enumerate(years):
                share = PLANNED_SHARES[index % len(PLANNED_SHARES)]
                planned = (project.total_investment * share).quantize(FOUR_PLACES)
                pace = COMPLETED_SHARES[rng.randrange(len(COMPLETED_SHARES))]
                investment = approved_investment(project, year, planned, pace)
                _approve(investment, rng, year, staff, users["office"])
                if not corrected and year == years[-1]:
                    _correct(investment, {"completed": planned, "explanation": CORRECTION})
                    corrected = True
                investments.append(investment)
    bulk_create_with_history(investments, ProjectInvestment, batch_size=BATCH)


def _milestone_value(milestone: Milestone, index: int, rng: random.Random) -> Decimal:
    target = milestone.target_value
    if milestone.attribute == Attribute.ANNUAL:
        value = target * Decimal(rng.randrange(85, 120)) / 100
    elif milestone.direction == Direction.DECREASE:
        value = target * (Decimal("1.6") - Decimal("0.3") * index)  # a rank closing in
    else:
        value = target * Decimal(35 * (index + 1) + rng.randrange(-10, 10)) / 100
    if milestone.unit in {"家", "个", "名"}:
        return max(value.to_integral_value(), Decimal(1) if milestone.unit == "名" else Decimal(0))
    if milestone.unit == "%":
        return max(min(value, Decimal(100)), Decimal(0)).quantize(Decimal("0.1"))
    return max(value, Decimal(0)).quantize(TWO_PLACES)


def add_milestone_progress(plans, today, rng, users) -> None:
    milestones = defaultdict(list)
    for milestone in (
        Milestone.objects.select_related("task")
        .prefetch_related("lead_departments")
        .order_by("task__plan_id", "task__number", "number")
    ):
        milestones[milestone.task.plan_id].append(milestone)
    progress = []
    for plan in plans:
        years = _reported_years(plan, today)
        corrected = False
        for milestone in milestones[plan.pk]:
            leads = list(milestone.lead_departments.all())
            staff = users["staff"].get(leads[0].pk if leads else None, users["office"])
            for index, year in enumerate(years):
                value = _milestone_value(milestone, index, rng)
                item = MilestoneProgress(
                    milestone=milestone, year=year, value=value, approved_value=value
                )
                _approve(item, rng, year, staff, users["office"])
                if not corrected and year == years[-1]:
                    _correct(item, {"value": value + 1, "explanation": CORRECTION})
                    corrected = True
                progress.append(item)
    bulk_create_with_history(progress, MilestoneProgress, batch_size=BATCH)
