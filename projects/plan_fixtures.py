"""Loading the plans' key tasks from fixtures/ (called by `manage.py load_plans`)."""

from indicators.models import Plan
from indicators.plan_fixtures import REASON, fixtures_dir, plan_definitions

from .importers import read_key_task_sheet
from .services import key_tasks_import


def load(*, user=None) -> list[str]:
    lines = []
    for definition in plan_definitions():
        source = definition.get("key_tasks")
        if not source:
            continue
        plan = Plan.objects.get(slug=definition["slug"])
        path = fixtures_dir() / source["file"]
        rows = read_key_task_sheet(path.name, path.read_bytes())
        counts = key_tasks_import(plan=plan, rows=rows, user=user, reason=REASON)
        lines.append(
            f"{plan.short_name} 重点任务：新增 {counts['created']} 项，"
            f"更新 {counts['updated']} 项，未变化 {counts['unchanged']} 项。"
        )
    return lines
