"""The few objects tests need, made through the services users go through.

One `FigureCase` per kind of reported figure (indicator actual, project investment,
milestone progress), so kernel tests run the same contract over every kind.
"""

import json
import os
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.db import transaction

from indicators.actuals import ActualEntry
from indicators.models import Actual, Department, Indicator, Plan, Role, Target
from indicators.reporting import kinds
from indicators.users import user_create
from projects.investment_input import InvestmentEntry
from projects.milestones import ProgressEntry
from projects.models import Milestone, MilestoneProgress, Project, ProjectInvestment

WANGCHENG = "wangcheng-2021-2023"
HITECH = "changsha-hitech-2021-2025"
SUPERVISOR = "高新区发改局"
PASSWORD = "pw-123456"
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
TEST_DATA = Path(__file__).resolve().parent / "data"
WANGCHENG_SHEET = FIXTURES / "wangcheng_responsibility_sheet.xlsx"


def load_plans_quietly() -> None:
    with open(os.devnull, "w") as sink:
        call_command("load_plans", stdout=sink)


def make_user(username: str, role: Role, department: str | None = "区工信局"):
    user, _ = user_create(
        username=username, department_name=department or "", role=role, password=PASSWORD
    )
    return user


def indicator(number: int, plan: str = WANGCHENG) -> Indicator:
    return (
        Indicator.objects.select_related("plan", "lead_department")
        .prefetch_related("targets", "actuals", "responsible_departments")
        .get(plan__slug=plan, number=number)
    )


def supervised_project(number: int = 14, department: str = "高新区发改局") -> Project:
    project = Project.objects.select_related("plan").get(plan__slug=HITECH, number=number)
    project.supervising_department = Department.objects.get_or_create(name=department)[0]
    project.save()
    return project


def milestone(plan: Plan | str, code: str) -> Milestone:
    """The milestone cited as 任务序号-目标序号 (e.g. 4-1) of the plan (or its slug)."""
    task, number = code.split("-")
    slug = plan if isinstance(plan, str) else plan.slug
    return (
        Milestone.objects.select_related("task__plan")
        .prefetch_related("lead_departments", "progress")
        .get(task__plan__slug=slug, task__number=int(task), number=int(number))
    )


@dataclass(frozen=True)
class FigureCase:
    """One kind of reported figure, as the contract tests drive it."""

    key: str  # the kind's key in the reporting kernel
    department: str  # the unit that reports it
    year: int
    subject: Callable[[], object]
    entry: Callable  # (value, explanation) → the kind's entry
    value: Callable[[object], Decimal | None]  # the working figure
    approved: Callable[[object], Decimal | None]  # what leaders see
    history_url: Callable[[object], str]
    sample_text: str  # the field a sample writes its explanation into
    values: tuple[str, str, str]  # three figures that meet the year's target and rules

    @property
    def kind(self):
        return kinds.get(self.key)

    def save(self, subject, user, value: str, version: int | None, submit: bool, explanation=""):
        """Save through the kind's own save service, as a form or an upload does."""
        return self.kind.save(
            **{self.kind.subject: subject},
            entry=self.entry(Decimal(value), explanation),
            year=self.year,
            user=user,
            expected_version=version,
            submit=submit,
        )

    def figure(self, subject):
        """The subject's figure for the year, or None."""
        return self.kind.figure_of(subject, self.year)

    def reporter(self):
        return make_user(f"staff-{self.key}", Role.STAFF, department=self.department)


ACTUAL = FigureCase(
    key="actual",
    department="区科技局",  # leads 26. 高新技术企业 (2021 target 250 家, base 199 家)
    year=2021,
    subject=lambda: indicator(26),
    entry=lambda value, explanation: ActualEntry(value=value, explanation=explanation),
    value=lambda a: a.value,
    approved=lambda a: a.approved_value,
    history_url=lambda i: f"/report/{WANGCHENG}/2021/{i.number}/history/",
    sample_text="explanation",
    values=("260", "270", "280"),
)
INVESTMENT = FigureCase(
    key="investment",
    department="高新区发改局",
    year=2022,
    subject=supervised_project,
    entry=lambda value, explanation: InvestmentEntry(value, value, explanation),
    value=lambda i: i.planned,
    approved=lambda i: i.approved_planned,
    history_url=lambda p: f"/projects/{HITECH}/{p.number}/history/2022/",
    sample_text="explanation",
    values=("30", "36", "31"),
)
PROGRESS = FigureCase(
    key="progress",
    department="望城经开区产业发展局",  # leads 4-1 引进产业链企业 (35 家 every year)
    year=2022,
    subject=lambda: milestone(WANGCHENG, "4-1"),
    entry=lambda value, explanation: ProgressEntry(value=value, explanation=explanation),
    value=lambda p: p.value,
    approved=lambda p: p.approved_value,
    history_url=lambda m: f"/tasks/{WANGCHENG}/milestones/{m.pk}/history/2022/",
    sample_text="explanation",
    values=("36", "38", "40"),
)
FIGURE_CASES = [ACTUAL, INVESTMENT, PROGRESS]


def plan(slug: str) -> Plan:
    return Plan.objects.get(slug=slug)


def grow_reported_figures(rows: int = 30) -> None:
    """Add `rows` submitted figures of every kind, so a page's query count can be compared
    at two sizes: more indicators' actuals, more projects' investments, more milestones."""
    from indicators.models import Department

    department = Department.objects.get_or_create(name="高新区发改局")[0]
    hitech, wangcheng = plan(HITECH), plan(WANGCHENG)
    task = wangcheng.key_tasks.get(number=4)
    for number in range(1, rows + 1):
        project = Project.objects.create(
            plan=hitech,
            number=200 + number,
            category="technology",
            name=f"测试项目{number}",
            builder="测试公司",
            total_investment=Decimal("1.5"),
            content="测试",
            supervising_department=department,
        )
        ProjectInvestment.objects.create(
            project=project, year=2022, planned=Decimal(1), state="submitted"
        )
        extra = Milestone.objects.create(
            task=task,
            number=100 + number,
            name=f"测试目标{number}",
            text=f"每年测试{number}个",
            target_value=Decimal(number),
            unit="个",
            attribute="annual",
        )
        extra.lead_departments.set(task.lead_departments.all())
        MilestoneProgress.objects.create(milestone=extra, year=2022, value=1, state="submitted")
    for each in Indicator.objects.filter(plan=wangcheng).exclude(number=26)[:rows]:
        Actual.objects.create(indicator=each, year=2022, value=Decimal(1), state="submitted")


@contextmanager
def committed():
    """Run the block as a transaction that commits: its on-commit callbacks (the cache
    bumps) run at its end and are then forgotten, as after a real commit. Without it a
    test's writes stay "changed here" to the end of the test (indicators/cache.py), so the
    pages it asks for afterwards read what a committed write would let them keep."""
    connection = transaction.get_connection()
    start = len(connection.run_on_commit)
    yield
    # Read the list again: a savepoint rolled back replaces it, without its callbacks.
    done = connection.run_on_commit[start:]
    del connection.run_on_commit[start:]
    for _savepoints, hook, _robust in done:
        hook()


def commit_so_far() -> None:
    """Everything the test wrote so far counts as committed: its on-commit callbacks run
    now and are forgotten (see committed)."""
    connection = transaction.get_connection()
    done = connection.run_on_commit[:]
    del connection.run_on_commit[:]
    for _savepoints, hook, _robust in done:
        hook()


def grow_plan(plan, count: int) -> None:
    """Add `count` indicators with targets and two responsible units each, committed (the
    data a page finds when it is asked)."""
    with committed():
        _grow_plan(plan, count)


def _grow_plan(plan, count: int) -> None:
    group = plan.groups.first()
    lead, other = (Department.objects.get_or_create(name=n)[0] for n in ("扩容甲", "扩容乙"))
    start = plan.indicators.order_by("-number").first().number + 1
    for number in range(start, start + count):
        indicator = Indicator.objects.create(
            plan=plan,
            group=group,
            number=number,
            name=f"测试指标{number}",
            unit="家",
            lead_department=lead,
            base_value=Decimal(number),
        )
        indicator.responsible_departments.set([lead, other])
        for year in plan.years:
            Target.objects.create(indicator=indicator, year=year, value=Decimal(year))


def chart_on_page(response, chart_id: str) -> dict:
    """The plotly figure a page hands its chart `chart_id`, as the browser reads it."""
    html = response.content.decode()
    start = html.index(f'<script id="{chart_id}-data" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])
