"""Loading the plans' key tasks, task items, milestones, enterprises and major projects
from fixtures/ (called by `manage.py load_plans`, after indicators has made the plans)."""

from indicators.models import Plan
from indicators.plan_fixtures import REASON, fixtures_dir, plan_definitions

from .importers import read_key_task_sheet
from .services import (
    enterprises_import,
    key_tasks_import,
    milestones_import,
    projects_import,
    task_items_import,
)
from .sources import (
    read_enterprises,
    read_milestones,
    read_projects,
    read_sources,
    read_task_items,
    stated_subtotals,
)

SOURCES_FILE = "projects_sources.json"


def _summary(plan: Plan, what: str, counts: dict[str, int]) -> str:
    return (
        f"{plan.short_name} {what}：新增 {counts['created']} 项，"
        f"更新 {counts['updated']} 项，未变化 {counts['unchanged']} 项。"
    )


def load(*, user=None) -> list[str]:
    """Load everything this app takes from fixtures/; return a summary line per table."""
    lines = []
    for definition in plan_definitions():
        source = definition.get("key_tasks")
        if not source:
            continue
        plan = Plan.objects.get(slug=definition["slug"])
        path = fixtures_dir() / source["file"]
        rows = read_key_task_sheet(path.name, path.read_bytes())
        counts = key_tasks_import(plan=plan, rows=rows, user=user, reason=REASON)
        lines.append(_summary(plan, "重点任务", counts))
    for slug, tables in read_sources(fixtures_dir() / SOURCES_FILE).items():
        plan = Plan.objects.get(slug=slug)
        lines.extend(_load_tables(plan, tables, user))
    return lines


def _load_tables(plan: Plan, tables: dict, user) -> list[str]:
    lines = []
    directory = fixtures_dir()
    if "task_items" in tables:
        rows = read_task_items(directory / tables["task_items"]["file"])
        counts = task_items_import(plan=plan, rows=rows, user=user, reason=REASON)
        lines.append(_summary(plan, "任务事项", counts))
    if "milestones" in tables:
        rows = read_milestones(directory / tables["milestones"]["file"])
        counts = milestones_import(plan=plan, rows=rows, user=user, reason=REASON)
        lines.append(_summary(plan, "任务目标", counts))
    if "enterprises" in tables:
        rows = read_enterprises(directory / tables["enterprises"]["file"])
        counts = enterprises_import(plan=plan, rows=rows, user=user, reason=REASON)
        lines.append(_summary(plan, "标杆企业", counts))
    if "projects" in tables:
        definition = tables["projects"]
        rows = read_projects(directory / definition["file"], stated_subtotals(definition))
        counts = projects_import(plan=plan, rows=rows, user=user, reason=REASON)
        lines.append(_summary(plan, "重大项目", counts))
    return lines
