"""`manage.py build_bench_data --scale N`: the data set `make bench` measures.

It copies every loaded plan (indicators, targets, responsible units, key tasks, milestones,
enterprises, major projects) until there are N of each, the originals included, and gives
every plan reported figures: approved actuals, investments and milestone progress for each
year reported so far (one history row each, as the pages read it), one submitted
correction of each kind per plan for the review queue, and a deadline per plan year.

It lives in `projects` because it fills both apps (indicators never imports projects). It
writes with bulk_create, outside the reporting kernel, so it refuses a database that holds
any reported figure or user data beyond `load_plans`: it is for a fresh bench or test
database only, never a real one.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
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
    IndicatorGroup,
    Plan,
    ReportingDeadline,
    Role,
    Target,
    TextStatus,
    User,
)
from indicators.selectors import reporting_year
from projects.models import (
    Enterprise,
    KeyTask,
    Milestone,
    MilestoneProgress,
    Project,
    ProjectInvestment,
    TaskItem,
)

# A copy's slug is the original's with this and its number: wangcheng-2021-2023-x002.
COPY_MARK = "-x"
DEFAULT_SCALE = 100
BATCH = 1000
SEED = 20210101
# Figures are made reproducible: the same scale gives the same figures on every machine.
SOURCE = "统计年报"
BEHIND_EXPLANATION = "受市场需求波动影响，部分项目进度滞后。"
BEHIND_MEASURES = "加强项目调度，加快在建项目投产。"
CORRECTION = "根据统计年报更正。"
TWO_PLACES = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")


class Command(BaseCommand):
    help = (
        "压测数据：把已载入的规划复制到每个 N 份（含原规划），并填入已审核的实际值、项目投资和"
        "任务进展。只用于新建的压测或测试数据库（先运行 load_plans）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=DEFAULT_SCALE,
            help=f"每个规划的份数（含原规划），默认 {DEFAULT_SCALE}",
        )

    def handle(self, *args, **options):
        scale = options["scale"]
        if scale < 1:
            raise CommandError("--scale 至少为 1。")
        started = timezone.now()
        counts = build(scale)
        seconds = (timezone.now() - started).total_seconds()
        summary = "，".join(f"{label} {count:,}" for label, count in counts.items())
        done = f"压测数据已生成（{scale}×，{seconds:.1f} 秒）：{summary}"
        self.stdout.write(self.style.SUCCESS(done))


def build(scale: int, today: date | None = None) -> dict[str, int]:
    """Copy the loaded plans to `scale` of each and fill in figures; return the row counts."""
    today = today or timezone.localdate()
    with transaction.atomic():
        sources = _check_fresh()
        rng = random.Random(SEED)
        users = _bench_users()
        copies = _copy_plans(sources, scale)
        plans = list(Plan.objects.order_by("first_year", "slug"))
        _deadlines(plans, today)
        _actuals(plans, today, rng, users)
        _investments(plans, today, rng, users)
        _milestone_progress(plans, today, rng, users)
    return {
        "规划": Plan.objects.count(),
        "复制规划": len(copies),
        "指标": Indicator.objects.count(),
        "目标": Target.objects.count(),
        "实际值": Actual.objects.count(),
        "重大项目": Project.objects.count(),
        "项目年度投资": ProjectInvestment.objects.count(),
        "任务目标": Milestone.objects.count(),
        "任务目标进展": MilestoneProgress.objects.count(),
        "标杆企业": Enterprise.objects.count(),
    }


def _check_fresh() -> list[Plan]:
    """The loaded plans, or CommandError when the database is not a fresh `load_plans` one."""
    plans = list(Plan.objects.order_by("first_year", "slug"))
    if not plans:
        raise CommandError("数据库中还没有规划：请先运行 python manage.py load_plans。")
    if any(COPY_MARK in plan.slug for plan in plans):
        raise CommandError("压测数据已经生成过：请使用新建的数据库。")
    for model in (Actual, ProjectInvestment, MilestoneProgress):
        if model.objects.exists():
            raise CommandError(
                f"数据库中已有{model._meta.verbose_name}数据：压测数据只能生成在新建的数据库里"
                "（migrate 与 load_plans 之后），以免混入真实数据。"
            )
    return plans


def _create(model, keyed: list[tuple[object, object]]) -> dict[object, int]:
    """bulk_create the objects of `keyed` (key, unsaved object); return key → new pk."""
    created = model.objects.bulk_create([obj for _, obj in keyed], batch_size=BATCH)
    return {key: obj.pk for (key, _), obj in zip(keyed, created, strict=True)}


def _through(field, rows: list[tuple[int, int]]) -> None:
    """Add many-to-many rows (owner pk, department pk) through `field`'s table."""
    through = field.remote_field.through
    owner = field.m2m_field_name() + "_id"
    other = field.m2m_reverse_field_name() + "_id"
    through.objects.bulk_create(
        [through(**{owner: a, other: b}) for a, b in rows], batch_size=BATCH
    )


def _bench_users() -> dict:
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


def _copy_plans(sources: list[Plan], scale: int) -> list[Plan]:
    """Copy each source plan scale-1 times with everything it defines; return the copies."""
    pairs = []  # (source plan, copy)
    for source in sources:
        for number in range(2, scale + 1):
            copy = Plan(
                slug=f"{source.slug}{COPY_MARK}{number:03d}",
                name=f"{source.name}（压测副本{number}）",
                short_name=f"{source.short_name}·{number}",
                issuer=source.issuer,
                document_number=source.document_number,
                base_year=source.base_year,
                first_year=source.first_year,
                last_year=source.last_year,
                near_threshold=source.near_threshold,
                notes=source.notes,
            )
            pairs.append((source, copy))
    Plan.objects.bulk_create([copy for _, copy in pairs], batch_size=BATCH)
    _copy_indicators(pairs)
    _copy_projects(pairs)
    _copy_tasks(pairs)
    return [copy for _, copy in pairs]


def _by_plan(queryset) -> dict[int, list]:
    """The objects of `queryset` by their plan_id, in the queryset's order."""
    grouped = defaultdict(list)
    for obj in queryset:
        grouped[obj.plan_id].append(obj)
    return grouped


def _copy_indicators(pairs) -> None:
    source_ids = {source.pk for source, _ in pairs}
    groups = _by_plan(IndicatorGroup.objects.filter(plan_id__in=source_ids).order_by("pk"))
    indicators = _by_plan(
        Indicator.objects.filter(plan_id__in=source_ids)
        .prefetch_related("responsible_departments", "targets")
        .order_by("pk")
    )
    group_ids = _create(
        IndicatorGroup,
        [
            ((copy.pk, g.pk), IndicatorGroup(plan=copy, name=g.name, order=g.order))
            for source, copy in pairs
            for g in groups[source.pk]
        ],
    )
    keep = [
        "number", "name", "unit", "attribute", "direction", "is_rate", "lead_department_id",
        "base_value", "aligned_with_city", "aligned_with_most", "alignment_remark", "notes",
    ]
    indicator_ids = _create(
        Indicator,
        [
            (
                (copy.pk, i.pk),
                Indicator(
                    plan=copy,
                    group_id=group_ids[(copy.pk, i.group_id)] if i.group_id else None,
                    **{name: getattr(i, name) for name in keep},
                ),
            )
            for source, copy in pairs
            for i in indicators[source.pk]
        ],
    )
    _through(
        Indicator.responsible_departments.field,
        [
            (indicator_ids[(copy.pk, i.pk)], d.pk)
            for source, copy in pairs
            for i in indicators[source.pk]
            for d in i.responsible_departments.all()
        ],
    )
    Target.objects.bulk_create(
        [
            Target(
                indicator_id=indicator_ids[(copy.pk, i.pk)],
                year=t.year,
                value=t.value,
                text=t.text,
                is_derived=t.is_derived,
            )
            for source, copy in pairs
            for i in indicators[source.pk]
            for t in i.targets.all()
        ],
        batch_size=BATCH,
    )


def _copy_projects(pairs) -> None:
    projects = _by_plan(Project.objects.filter(plan__in=[s for s, _ in pairs]).order_by("pk"))
    keep = ["number", "category", "name", "builder", "total_investment", "content", "notes"]
    statuses = ["", "preparation", "construction", "construction", "completed", "operating"]
    Project.objects.bulk_create(
        [
            Project(
                plan=copy,
                status=statuses[(p.number + index) % len(statuses)],
                supervising_department_id=p.supervising_department_id,
                **{name: getattr(p, name) for name in keep},
            )
            for index, (source, copy) in enumerate(pairs)
            for p in projects[source.pk]
        ],
        batch_size=BATCH,
    )


def _copy_tasks(pairs) -> None:
    source_ids = {source.pk for source, _ in pairs}
    tasks = _by_plan(
        KeyTask.objects.filter(plan_id__in=source_ids)
        .prefetch_related(
            "lead_departments", "responsible_departments", "items", "enterprises",
            "milestones__lead_departments",
        )
        .order_by("pk")
    )
    task_ids = _create(
        KeyTask,
        [
            ((copy.pk, t.pk), KeyTask(plan=copy, number=t.number, name=t.name, content=t.content))
            for source, copy in pairs
            for t in tasks[source.pk]
        ],
    )
    copied = [(copy, t, task_ids[(copy.pk, t.pk)]) for s, copy in pairs for t in tasks[s.pk]]
    for field, related in (
        (KeyTask.lead_departments.field, "lead_departments"),
        (KeyTask.responsible_departments.field, "responsible_departments"),
    ):
        _through(
            field,
            [(new, d.pk) for _, t, new in copied for d in getattr(t, related).all()],
        )
    item_ids = _create(
        TaskItem,
        [
            (
                (new, item.pk),
                TaskItem(task_id=new, number=item.number, title=item.title, text=item.text),
            )
            for _, t, new in copied
            for item in t.items.all()
        ],
    )
    keep = [
        "number", "name", "text", "target_value", "unit", "attribute", "direction",
        "target_year", "notes",
    ]
    milestone_ids = _create(
        Milestone,
        [
            (
                (new, m.pk),
                Milestone(
                    task_id=new,
                    item_id=item_ids[(new, m.item_id)] if m.item_id else None,
                    **{name: getattr(m, name) for name in keep},
                ),
            )
            for _, t, new in copied
            for m in t.milestones.all()
        ],
    )
    _through(
        Milestone.lead_departments.field,
        [
            (milestone_ids[(new, m.pk)], d.pk)
            for _, t, new in copied
            for m in t.milestones.all()
            for d in m.lead_departments.all()
        ],
    )
    Enterprise.objects.bulk_create(
        [
            Enterprise(task_id=new, kind=e.kind, order=e.order, name=e.name, status=e.status)
            for _, t, new in copied
            for e in t.enterprises.all()
        ],
        batch_size=BATCH,
    )


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


def _deadlines(plans: list[Plan], today: date) -> None:
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


def _actuals(plans, today, rng, users) -> None:
    indicators = _by_plan(
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


# Planned share of the total investment per plan year; completed share of the plan.
PLANNED_SHARES = [Decimal("0.15"), Decimal("0.2"), Decimal("0.25"), Decimal("0.2"), Decimal("0.15")]
COMPLETED_SHARES = [Decimal("1.05"), Decimal("0.9"), Decimal("0.7"), Decimal("1"), Decimal("0.5")]


def _investments(plans, today, rng, users) -> None:
    projects = _by_plan(Project.objects.order_by("plan_id", "number"))
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
                completed = (planned * pace).quantize(FOUR_PLACES)
                investment = ProjectInvestment(
                    project=project,
                    year=year,
                    planned=planned,
                    completed=completed,
                    approved_planned=planned,
                    approved_completed=completed,
                )
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


def _milestone_progress(plans, today, rng, users) -> None:
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
