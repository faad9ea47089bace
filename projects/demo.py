"""Sample figures for a demonstration: approved yearly investment for a share of the
projects and approved progress for the milestones, all marked is_demo=True.

load() adds them only where nothing is reported yet, so real figures are never touched;
clear() removes exactly what load() made. Called by `manage.py load_demo` / `clear_demo`.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from indicators.cache import bump_all_on_commit, bump_on_commit
from indicators.models import Plan
from indicators.selectors import reporting_year

from .models import Milestone, MilestoneProgress, Project, ProjectInvestment

# Planned share of the total investment per year, and completed share of the plan, by
# project number: varied so some projects run ahead and some fall behind.
PLANNED_SHARES = [Decimal("0.15"), Decimal("0.2"), Decimal("0.25"), Decimal("0.2"), Decimal("0.15")]
COMPLETED_SHARES = [Decimal("1.05"), Decimal("0.9"), Decimal("0.7"), Decimal("1"), Decimal("0.5")]
MILESTONE_PACE = [Decimal("0.35"), Decimal("0.7"), Decimal("1.02")]
PLACES = Decimal("0.0001")


def _approved(figure, now) -> None:
    figure.state = "approved"
    figure.version = 2
    figure.approved_at = figure.reviewed_at = figure.entered_at = figure.submitted_at = now
    figure.is_demo = True
    figure._change_reason = "load_demo：演示数据"


@transaction.atomic
def load() -> list[str]:
    """Create the sample figures; return what was made, one line per kind.

    Once a department has reported a real figure, no samples are added: they would mix.
    """
    if (
        ProjectInvestment.objects.filter(is_demo=False).exists()
        or MilestoneProgress.objects.filter(is_demo=False).exists()
    ):
        return ["已有真实的项目投资或任务进展数据，不再载入示例数据。"]
    now = timezone.now()
    investments = progress = 0
    for plan in Plan.objects.filter(projects__isnull=False).distinct():
        taken = set(
            ProjectInvestment.objects.filter(project__plan=plan).values_list("project_id", "year")
        )
        for project in Project.objects.filter(plan=plan).order_by("number"):
            if project.number % 3 == 0:
                continue  # a third of the projects stay unreported
            last = reporting_year(plan, timezone.localdate())
            for index, year in enumerate(y for y in plan.years if y <= last):
                if (project.pk, year) in taken:
                    continue
                planned = (project.total_investment * PLANNED_SHARES[index]).quantize(PLACES)
                share = COMPLETED_SHARES[(project.number + index) % len(COMPLETED_SHARES)]
                investment = approved_investment(project, year, planned, share)
                _approved(investment, now)
                investment.save()
                investments += 1
                bump_on_commit(plan.pk)  # written past the reporting kernel, which would bump
    for milestone in Milestone.objects.select_related("task__plan"):
        years = milestone.task.plan.years
        taken = set(milestone.progress.values_list("year", flat=True))
        for index, year in enumerate(years[:-1]):  # the final year is left to report
            if year in taken:
                continue
            value = _milestone_value(milestone, index)
            item = MilestoneProgress(
                milestone=milestone, year=year, value=value, approved_value=value
            )
            _approved(item, now)
            item.save()
            progress += 1
            bump_on_commit(milestone.task.plan_id)
    return [
        f"项目年度投资演示数据：新增 {investments} 条（已审核）。",
        f"任务目标完成值演示数据：新增 {progress} 条（已审核）。",
    ]


def approved_investment(project, year: int, planned: Decimal, pace: Decimal):
    """An unsaved ProjectInvestment of `planned` with `pace` of it completed, both figures
    also as the approved ones; the workflow fields are the caller's (demo or bench data)."""
    completed = (planned * pace).quantize(PLACES)
    return ProjectInvestment(
        project=project, year=year, planned=planned, completed=completed,
        approved_planned=planned, approved_completed=completed,
    )  # fmt: skip


def _milestone_value(milestone: Milestone, index: int) -> Decimal:
    target = milestone.target_value
    pace = MILESTONE_PACE[min(index, len(MILESTONE_PACE) - 1)]
    if milestone.is_annual:
        value = target * (Decimal("0.9") + Decimal("0.15") * index)
    elif milestone.is_decrease:
        value = target * (Decimal("1.6") - Decimal("0.4") * index)  # a rank closing in
    else:
        value = target * pace
    if milestone.unit in {"家", "个", "名"}:
        return max(value.to_integral_value(), Decimal(1) if milestone.unit == "名" else Decimal(0))
    if milestone.unit == "%":
        return min(value, Decimal(100)).quantize(Decimal("0.1"))
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def clear() -> int:
    """Delete every figure load() made; return how many."""
    investments, _ = ProjectInvestment.objects.filter(is_demo=True).delete()
    progress, _ = MilestoneProgress.objects.filter(is_demo=True).delete()
    if investments or progress:
        bump_all_on_commit()  # past the reporting kernel, which would bump
    return investments + progress
