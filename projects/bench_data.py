"""The data set `make bench` measures (`manage.py build_bench_data --scale N`).

It copies every loaded plan (indicators, targets, responsible units, key tasks, milestones,
enterprises, major projects) until there are N of each, the originals included, and gives
every plan reported figures (projects/bench_figures.py).

It lives in `projects` because it fills both apps (indicators never imports projects). It
writes with bulk_create, outside the reporting kernel, so it refuses a database that holds
any reported figure or user data beyond `load_plans`: it is for a fresh bench or test
database only, never a real one.
"""

import random
from datetime import date

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from indicators.models import Actual, Indicator, IndicatorGroup, Plan, Target
from projects import models
from projects.bench_figures import (
    BATCH,
    add_actuals,
    add_deadlines,
    add_investments,
    add_milestone_progress,
    bench_users,
    by_plan,
)

# A copy's slug is the original's with this and its number: wangcheng-2021-2023-x002.
COPY_MARK = "-x"
DEFAULT_SCALE = 100
# Figures are made reproducible: the same scale gives the same figures on every machine.
SEED = 20210101


def build(scale: int, today: date | None = None) -> dict[str, int]:
    """Copy the loaded plans to `scale` of each and fill in figures; return the row counts."""
    today = today or timezone.localdate()
    with transaction.atomic():
        sources = _check_fresh()
        rng = random.Random(SEED)
        users = bench_users()
        copies = _copy_plans(sources, scale)
        plans = list(Plan.objects.order_by("first_year", "slug"))
        add_deadlines(plans, today)
        add_actuals(plans, today, rng, users)
        add_investments(plans, today, rng, users)
        add_milestone_progress(plans, today, rng, users)
    return {
        "规划": Plan.objects.count(),
        "复制规划": len(copies),
        "指标": Indicator.objects.count(),
        "目标": Target.objects.count(),
        "实际值": Actual.objects.count(),
        "重大项目": models.Project.objects.count(),
        "项目年度投资": models.ProjectInvestment.objects.count(),
        "任务目标": models.Milestone.objects.count(),
        "任务目标进展": models.MilestoneProgress.objects.count(),
        "标杆企业": models.Enterprise.objects.count(),
    }


def _check_fresh() -> list[Plan]:
    """The loaded plans, or CommandError when the database is not a fresh `load_plans` one."""
    plans = list(Plan.objects.order_by("first_year", "slug"))
    if not plans:
        raise CommandError("数据库中还没有规划：请先运行 python manage.py load_plans。")
    if any(COPY_MARK in plan.slug for plan in plans):
        raise CommandError("压测数据已经生成过：请使用新建的数据库。")
    for model in (Actual, models.ProjectInvestment, models.MilestoneProgress):
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


def _copy_indicators(pairs) -> None:
    source_ids = {source.pk for source, _ in pairs}
    groups = by_plan(IndicatorGroup.objects.filter(plan_id__in=source_ids).order_by("pk"))
    indicators = by_plan(
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
    projects = by_plan(models.Project.objects.filter(plan__in=[s for s, _ in pairs]).order_by("pk"))
    keep = ["number", "category", "name", "builder", "total_investment", "content", "notes"]
    statuses = ["", "preparation", "construction", "construction", "completed", "operating"]
    models.Project.objects.bulk_create(
        [
            models.Project(
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
    tasks = by_plan(
        models.KeyTask.objects.filter(plan_id__in=source_ids)
        .prefetch_related(
            "lead_departments", "responsible_departments", "items", "enterprises",
            "milestones__lead_departments",
        )
        .order_by("pk")
    )
    task_ids = _create(
        models.KeyTask,
        [
            (
                (copy.pk, t.pk),
                models.KeyTask(plan=copy, number=t.number, name=t.name, content=t.content),
            )
            for source, copy in pairs
            for t in tasks[source.pk]
        ],
    )
    copied = [(copy, t, task_ids[(copy.pk, t.pk)]) for s, copy in pairs for t in tasks[s.pk]]
    for field, related in (
        (models.KeyTask.lead_departments.field, "lead_departments"),
        (models.KeyTask.responsible_departments.field, "responsible_departments"),
    ):
        _through(
            field,
            [(new, d.pk) for _, t, new in copied for d in getattr(t, related).all()],
        )
    item_ids = _create(
        models.TaskItem,
        [
            (
                (new, item.pk),
                models.TaskItem(task_id=new, number=item.number, title=item.title, text=item.text),
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
        models.Milestone,
        [
            (
                (new, m.pk),
                models.Milestone(
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
        models.Milestone.lead_departments.field,
        [
            (milestone_ids[(new, m.pk)], d.pk)
            for _, t, new in copied
            for m in t.milestones.all()
            for d in m.lead_departments.all()
        ],
    )
    models.Enterprise.objects.bulk_create(
        [
            models.Enterprise(task_id=new, kind=e.kind, order=e.order, name=e.name, status=e.status)
            for _, t, new in copied
            for e in t.enterprises.all()
        ],
        batch_size=BATCH,
    )


