"""Writes to key tasks, each in one transaction with its history."""

from django.db import transaction

from indicators.models import Department, Plan, User

from .importers import KeyTaskRow
from .models import KeyTask


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
