"""Loading the plans' key tasks, items, milestones, enterprises and projects from their
sources, each import in one transaction with its history. Running one twice changes nothing."""

from django.db import transaction

from indicators.importers.workbook import CellIssue, SheetInvalid
from indicators.models import Department, Plan, User

from .importers import KeyTaskRow
from .models import Enterprise, KeyTask, Milestone, Project, TaskItem
from .sources import EnterpriseRow, MilestoneRow, ProjectRow, TaskItemRow


@transaction.atomic
def key_tasks_import(
    *, plan: Plan, rows: list[KeyTaskRow], user: User | None, reason: str
) -> dict[str, int]:
    """Create or update the plan's key tasks; return the created/updated/unchanged counts."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    departments = {d.name: d for d in Department.objects.all()}
    existing = {
        task.number: task
        for task in KeyTask.objects.filter(plan=plan).prefetch_related(
            "lead_departments", "responsible_departments"
        )
    }
    for row in rows:
        for name in row.leads + row.responsible:
            if name not in departments:
                department = Department(name=name)
                department._history_user = user
                department._change_reason = reason
                department.save()
                departments[name] = department
        task = existing.get(row.number)
        is_new = task is None
        if is_new:
            task = KeyTask(plan=plan, number=row.number)
        old_leads = [] if is_new else [d.name for d in task.lead_departments.all()]
        old_responsible = [] if is_new else [d.name for d in task.responsible_departments.all()]
        fields_changed = is_new or task.name != row.name or task.content != row.content
        leads_changed = sorted(old_leads) != sorted(row.leads)
        responsible_changed = sorted(old_responsible) != sorted(row.responsible)
        if not (fields_changed or leads_changed or responsible_changed):
            counts["unchanged"] += 1
            continue
        task.name, task.content = row.name, row.content
        task._history_user = user
        task._change_reason = reason
        if fields_changed:
            task.save()
        if leads_changed:
            task.lead_departments.set([departments[n] for n in row.leads])
        if responsible_changed:
            task.responsible_departments.set([departments[n] for n in row.responsible])
        counts["created" if is_new else "updated"] += 1
    return counts


def _tasks_of(plan: Plan, rows: list, what: str) -> dict[int, KeyTask]:
    """Return the plan's key tasks by number; refuse rows naming a task the plan lacks."""
    tasks = {task.number: task for task in KeyTask.objects.filter(plan=plan)}
    missing = sorted({row.task for row in rows} - set(tasks))
    if missing:
        raise SheetInvalid(
            [
                CellIssue(what, None, None, f"{plan.short_name}没有序号为 {n} 的重点任务")
                for n in missing
            ]
        )
    return tasks


def _remember(instance, user: User | None, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = reason


def _apply(instance, values: dict) -> bool:
    """Set the fields that differ; return True when any did."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return bool(changed)


def _departments_named(names: list[str], user: User | None, reason: str) -> list[Department]:
    """Return the departments with these names, creating the ones that do not exist yet."""
    existing = {d.name: d for d in Department.objects.filter(name__in=names)}
    for name in names:
        if name not in existing:
            department = Department(name=name)
            _remember(department, user, reason)
            department.save()
            existing[name] = department
    return [existing[name] for name in names]


@transaction.atomic
def projects_import(
    *, plan: Plan, rows: list[ProjectRow], user: User | None, reason: str
) -> dict[str, int]:
    """Create or update the plan's projects from the source rows; return the counts.

    Only what the source states is written: a status or supervising department that
    someone recorded is never overwritten, and projects missing from the rows are kept.
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    existing = {project.number: project for project in Project.objects.filter(plan=plan)}
    for row in rows:
        values = {
            "category": row.category,
            "name": row.name,
            "builder": row.builder,
            "total_investment": row.total_investment,
            "content": row.content,
            "notes": row.notes,
        }
        project = existing.get(row.number)
        if project is None:
            project = Project(plan=plan, number=row.number, **values)
            counts["created"] += 1
        elif _apply(project, values):
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
            continue
        _remember(project, user, reason)
        project.full_clean()
        project.save()
    return counts


@transaction.atomic
def task_items_import(
    *, plan: Plan, rows: list[TaskItemRow], user: User | None, reason: str
) -> dict[str, int]:
    """Create or update the numbered items of the plan's key tasks; return the counts."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    tasks = _tasks_of(plan, rows, "任务事项")
    existing = {
        (item.task.number, item.number): item
        for item in TaskItem.objects.filter(task__plan=plan).select_related("task")
    }
    for row in rows:
        values = {"title": row.title, "text": row.text}
        item = existing.get((row.task, row.number))
        if item is None:
            item = TaskItem(task=tasks[row.task], number=row.number, **values)
            counts["created"] += 1
        elif _apply(item, values):
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
            continue
        _remember(item, user, reason)
        item.save()
    return counts


@transaction.atomic
def milestones_import(
    *, plan: Plan, rows: list[MilestoneRow], user: User | None, reason: str
) -> dict[str, int]:
    """Create or update the plan's milestones; return the counts.

    The lead units are set when a milestone is created; after that they are the plan
    office's to change (in the admin), so a reload leaves them alone.
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    tasks = _tasks_of(plan, rows, "任务目标")
    items = {
        (item.task.number, item.number): item
        for item in TaskItem.objects.filter(task__plan=plan).select_related("task")
    }
    existing = {
        (m.task.number, m.number): m
        for m in Milestone.objects.filter(task__plan=plan).select_related("task")
    }
    for row in rows:
        values = {
            "item_id": items[(row.task, row.item)].pk if row.item else None,
            "name": row.name,
            "text": row.text,
            "target_value": row.target,
            "unit": row.unit,
            "attribute": row.attribute,
            "direction": row.direction,
            "target_year": row.target_year,
        }
        milestone = existing.get((row.task, row.number))
        is_new = milestone is None
        if is_new:
            milestone = Milestone(task=tasks[row.task], number=row.number, **values)
            counts["created"] += 1
        elif _apply(milestone, values):
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
            continue
        _remember(milestone, user, reason)
        milestone.full_clean()
        milestone.save()
        if is_new:
            milestone.lead_departments.set(_departments_named(row.leads, user, reason))
    return counts


@transaction.atomic
def enterprises_import(
    *, plan: Plan, rows: list[EnterpriseRow], user: User | None, reason: str
) -> dict[str, int]:
    """Create the named enterprises that are missing; return the counts.

    Their status and note belong to the lead unit: a reload never touches them.
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    tasks = _tasks_of(plan, rows, "标杆企业")
    existing = {
        (e.task.number, e.kind, e.name): e
        for e in Enterprise.objects.filter(task__plan=plan).select_related("task")
    }
    for row in rows:
        enterprise = existing.get((row.task, row.kind, row.name))
        if enterprise is None:
            enterprise = Enterprise(
                task=tasks[row.task], kind=row.kind, order=row.order, name=row.name
            )
            counts["created"] += 1
        elif enterprise.order != row.order:
            enterprise.order = row.order
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
            continue
        _remember(enterprise, user, reason)
        enterprise.save()
    return counts
