"""Reads for the project pages, the task board and the API, each a fixed number of queries
whatever the number of projects, years or milestones.

Leaders see approved figures only: every total here sums the approved snapshot fields.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet, Sum

from indicators.formatting import percent_text, percent_value
from indicators.models import Plan
from indicators.permissions import reportable
from indicators.progress import (
    Rating,
    completion,
    plan_to_date,
    rate_year,
)
from indicators.reporting.figure import ReviewState
from indicators.standing import STANDING_ICONS, STANDING_LABELS, Standing, year_standing

from .models import (
    Enterprise,
    EnterpriseKind,
    KeyTask,
    Milestone,
    MilestoneProgress,
    Project,
    ProjectCategory,
    ProjectInvestment,
)

TOP_PROJECTS = 10


def plans_with_projects() -> QuerySet[Plan]:
    """The plans that have a project list, in the plans' order."""
    has_projects = Exists(Project.objects.filter(plan=OuterRef("pk")))
    return Plan.objects.filter(has_projects).order_by("first_year", "slug")


def plans_with_tasks() -> QuerySet[Plan]:
    """The plans that have key tasks, in the plans' order."""
    has_tasks = Exists(KeyTask.objects.filter(plan=OuterRef("pk")))
    return Plan.objects.filter(has_tasks).order_by("first_year", "slug")


def projects_with_totals(plan: Plan) -> QuerySet[Project]:
    """The plan's projects with their approved planned and completed investment summed."""
    return (
        Project.objects.filter(plan=plan)
        .for_listing()
        .annotate(
            planned_total=Sum("investments__approved_planned"),
            completed_total=Sum("investments__approved_completed"),
        )
    )


def project_investments(project: Project) -> list[ProjectInvestment]:
    return list(
        project.investments.select_related("entered_by", "submitted_by", "reviewed_by").order_by(
            "year"
        )
    )


@dataclass
class CategoryYear:
    """Approved planned and completed investment of one category (or all) in one year."""

    planned: Decimal = Decimal(0)
    completed: Decimal = Decimal(0)
    projects: int = 0

    @property
    def completion(self) -> Decimal | None:
        return completion(self.completed, self.planned) if self.projects else None


@dataclass
class CategorySummary:
    code: str
    label: str
    count: int
    total_investment: Decimal
    years: dict[int, CategoryYear] = field(default_factory=dict)


def category_summaries(plan: Plan) -> list[CategorySummary]:
    """Per category: project count, total investment, and each year's approved figures.

    Two queries, whatever the number of projects and years.
    """
    summaries = {
        code: CategorySummary(code, str(label), 0, Decimal(0))
        for code, label in ProjectCategory.choices
    }
    for row in (
        Project.objects.filter(plan=plan)
        .values("category")
        .annotate(count=Count("id"), total=Sum("total_investment"))
    ):
        summary = summaries[row["category"]]
        summary.count, summary.total_investment = row["count"], row["total"] or Decimal(0)
    for row in (
        ProjectInvestment.objects.filter(project__plan=plan, approved_at__isnull=False)
        .values("project__category", "year")
        .annotate(
            planned=Sum("approved_planned"),
            completed=Sum("approved_completed"),
            count=Count("id"),
        )
    ):
        summaries[row["project__category"]].years[row["year"]] = CategoryYear(
            row["planned"] or Decimal(0), row["completed"] or Decimal(0), row["count"]
        )
    return list(summaries.values())


def year_totals(summaries: list[CategorySummary], years: list[int]) -> dict[int, CategoryYear]:
    """Sum the categories' approved figures per year."""
    totals = {year: CategoryYear() for year in years}
    for summary in summaries:
        for year, figures in summary.years.items():
            if year in totals:
                totals[year].planned += figures.planned
                totals[year].completed += figures.completed
                totals[year].projects += figures.projects
    return totals


def largest_projects(plan: Plan, limit: int = TOP_PROJECTS) -> list[Project]:
    """The projects with the largest total investment, with their approved totals."""
    return list(projects_with_totals(plan).order_by("-total_investment", "number")[:limit])


@dataclass
class BehindLine:
    investment: ProjectInvestment

    @property
    def completion(self) -> Decimal | None:
        return completion(self.investment.approved_completed, self.investment.approved_planned)

    @property
    def shortfall(self) -> Decimal:
        return self.investment.approved_planned - self.investment.approved_completed


def projects_behind(plan: Plan, year: int) -> list[BehindLine]:
    """The projects whose approved completed investment of `year` is below its plan, the
    furthest behind first (one query)."""
    investments = (
        ProjectInvestment.objects.filter(
            project__plan=plan,
            year=year,
            approved_at__isnull=False,
            approved_completed__isnull=False,
            approved_completed__lt=F("approved_planned"),
        )
        .select_related("project", "project__supervising_department")
        .order_by("project__number")
    )
    lines = [BehindLine(investment) for investment in investments]
    return sorted(lines, key=lambda line: (line.completion is not None, line.completion or 0))


# ---------------------------------------------------------------- key tasks


@dataclass
class MilestoneLine:
    """A milestone with its approved figures, its progress towards the target, the year's rating."""

    milestone: Milestone
    year: int
    approved: dict[int, Decimal]
    working: MilestoneProgress | None = None

    @property
    def latest(self) -> tuple[int, Decimal] | None:
        years = [y for y in self.approved if y <= self.year]
        return (max(years), self.approved[max(years)]) if years else None

    @property
    def progress(self) -> Decimal | None:
        """Completion towards the target: plan-to-date for a yearly quota, else the latest level."""
        milestone = self.milestone
        if milestone.is_annual:
            years = milestone.task.plan.years
            targets = {y: milestone.target_value for y in years}
            so_far = plan_to_date(
                self.approved, targets, upto=self.year, decrease=milestone.is_decrease
            )
            return so_far.completion if so_far else None
        latest = self.latest
        if latest is None:
            return None
        return completion(latest[1], milestone.target_value, decrease=milestone.is_decrease)

    @property
    def percent(self) -> Decimal | None:
        """The progress bar's fill, 0–100, rounded as its text reads."""
        if self.progress is None:
            return None
        return percent_value(min(self.progress, Decimal(1)))

    @property
    def progress_text(self) -> str:
        if self.progress is None:
            return "暂无已审核数据"
        return percent_text(self.progress)

    @property
    def rating(self) -> Rating:
        target = self.milestone.target_for(self.year)
        if target is None:
            return Rating.NO_DATA
        return rate_year(self.approved.get(self.year), target, decrease=self.milestone.is_decrease)

    @property
    def standing(self) -> Standing:
        """The year's rating, else 待审核 while a figure waits for review, else 未填报
        (indicators/standing.py: the words every page uses)."""
        waiting = self.working is not None and self.working.state == ReviewState.SUBMITTED
        return year_standing(self.rating, has_target=True, pending=waiting)

    @property
    def rating_label(self) -> str:
        if self.milestone.target_for(self.year) is None:
            return f"目标年份 {self.milestone.target_year} 年"
        return f"{STANDING_ICONS[self.standing]} {STANDING_LABELS[self.standing]}"


def key_tasks_for_board(plan: Plan, year: int) -> list[KeyTask]:
    """The plan's key tasks with items, milestones (and their progress), enterprises and
    units, in a fixed number of queries; each task gets `milestone_lines` for `year`."""
    tasks = list(
        KeyTask.objects.filter(plan=plan)
        .select_related("plan")
        .prefetch_related(
            "lead_departments",
            "responsible_departments",
            "items",
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("task__plan", "item").prefetch_related(
                    "lead_departments",
                    Prefetch("progress", queryset=MilestoneProgress.objects.order_by("year")),
                ),
            ),
            Prefetch("enterprises", queryset=Enterprise.objects.order_by("kind", "order")),
        )
        .order_by("number")
    )
    for task in tasks:
        task.milestone_lines = [milestone_line(m, year) for m in task.milestones.all()]
        task.enterprises_by_kind = enterprises_by_kind(list(task.enterprises.all()))
    return tasks


def milestone_line(milestone: Milestone, year: int) -> MilestoneLine:
    progress = list(milestone.progress.all())
    approved = {p.year: p.approved_value for p in progress if p.approved_value is not None}
    working = next((p for p in progress if p.year == year), None)
    return MilestoneLine(milestone, year, approved, working)


def enterprises_by_kind(enterprises: list[Enterprise]) -> list[tuple[str, list[Enterprise]]]:
    """Group enterprises by kind, in the plan's order of the five kinds."""
    groups = []
    for kind, label in EnterpriseKind.choices:
        members = [e for e in enterprises if e.kind == kind]
        if members:
            groups.append((str(label), members))
    return groups


def supervised_projects(plan: Plan, user, year: int) -> QuerySet[Project]:
    """The projects the user reports for `year` (all for the plan office), with this and
    last year's investment prefetched."""
    projects = (
        Project.objects.filter(plan=plan)
        .for_listing()
        .prefetch_related(
            Prefetch(
                "investments",
                queryset=ProjectInvestment.objects.filter(year__in=[year - 1, year])
                .select_related("entered_by", "reviewed_by")
                .order_by("year"),
            )
        )
    )
    return projects.reportable_by(user)


def led_milestones(plan: Plan, user) -> QuerySet[Milestone]:
    """The milestones the user reports (all for the plan office), with progress and units."""
    milestones = (
        Milestone.objects.filter(task__plan=plan)
        .select_related("task", "task__plan")
        .prefetch_related(
            "lead_departments",
            Prefetch(
                "progress",
                queryset=MilestoneProgress.objects.select_related(
                    "entered_by", "reviewed_by"
                ).order_by("year"),
            ),
        )
        .order_by("task__number", "number")
    )
    return milestones.reportable_by(user)


def editable_enterprises(plan: Plan, user) -> QuerySet[Enterprise]:
    enterprises = (
        Enterprise.objects.filter(task__plan=plan)
        .select_related("task", "updated_by")
        .prefetch_related("task__lead_departments")
        .order_by("task__number", "kind", "order")
    )
    return reportable(enterprises, user, "task__lead_departments")
