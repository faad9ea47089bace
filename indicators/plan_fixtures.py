"""Loading the plans' source data from fixtures/ (called by `manage.py load_plans`).

Wangcheng's indicators go through the same responsibility-sheet import an admin uses;
Hi-Tech's come from a transcription of 表1 and 附件一, with the years between the base
and 2025 derived by the rule in progress.py.
"""

import csv
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from .formatting import COUNT_UNITS
from .importers.rows import IndicatorRow, TargetCell
from .models import IndicatorGroup, Plan
from .plan_import.apply import sheet_import
from .plan_import.reader import PlanYears, read_sheet
from .progress import derive_yearly_targets

REASON = "load_plans：载入规划源数据"
ATTRIBUTE_CODES = {"累计值": "cumulative", "当年值": "annual", "占比值": "ratio"}
# Counts are whole numbers, so their derived targets are too.
PLAN_FIELDS = (
    "name",
    "short_name",
    "issuer",
    "document_number",
    "base_year",
    "first_year",
    "last_year",
    "notes",
)


def fixtures_dir() -> Path:
    return Path(settings.PLAN_FIXTURES_DIR)


def plan_definitions() -> list[dict]:
    with open(fixtures_dir() / "plans.json", encoding="utf-8") as handle:
        return json.load(handle)


def load(*, user=None) -> list[str]:
    """Create or update both plans and their indicators; return a summary line per plan."""
    lines = []
    for definition in plan_definitions():
        plan, plan_changed = _upsert_plan(definition)
        _ensure_groups(plan, definition["groups"])
        source = definition["indicators"]
        path = fixtures_dir() / source["file"]
        sheet_source = None
        if source["format"] == "responsibility_sheet":
            sheet = read_sheet(
                path.name,
                path.read_bytes(),
                PlanYears(plan.base_year, plan.first_year, plan.last_year),
            )
            rows, sheet_source = sheet.rows, sheet.source
        elif source["format"] == "final_year_csv":
            rows = read_final_year_csv(path, plan)
        else:  # pragma: no cover - a typo in plans.json
            raise ValueError(f"unknown indicator source format {source['format']!r}")
        # No accept_risks: the source data never renames an indicator or changes its unit,
        # so a risk here means the fixtures or the database are not what they should be.
        outcome = sheet_import(plan=plan, rows=rows, source=sheet_source, user=user, reason=REASON)
        state = "新建" if plan_changed == "created" else ("已更新" if plan_changed else "无变化")
        lines.append(f"{plan.short_name}（{state}）：" + " ".join(outcome.summary_lines()))
    return lines


def _upsert_plan(definition: dict) -> tuple[Plan, str]:
    values = {name: definition.get(name, "") for name in PLAN_FIELDS}
    plan = Plan.objects.filter(slug=definition["slug"]).first()
    if plan is None:
        plan = Plan(slug=definition["slug"], **values)
        plan._change_reason = REASON
        plan.full_clean()
        plan.save()
        return plan, "created"
    changed = [name for name, value in values.items() if getattr(plan, name) != value]
    if changed:
        for name in changed:
            setattr(plan, name, values[name])
        plan._change_reason = REASON
        plan.full_clean()
        plan.save()
        return plan, "updated"
    return plan, ""


def _ensure_groups(plan: Plan, names: list[str]) -> None:
    """Create the plan's groups in the plan's order; a group's order is set only once."""
    existing = set(plan.groups.values_list("name", flat=True))
    for order, name in enumerate(names, start=1):
        if name not in existing:
            group = IndicatorGroup(plan=plan, name=name, order=order)
            group._change_reason = REASON
            group.save()


def read_final_year_csv(path: Path, plan: Plan) -> list[IndicatorRow]:
    """Return the rows of a plan that states a base and a final-year target only."""
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            base = Decimal(record["base_2020"]) if record["base_2020"] else None
            is_rate = record["is_rate"] == "1"
            final_key = f"target_{plan.last_year}"
            targets: dict[int, TargetCell | None] = {}
            if record[final_key]:
                final = Decimal(record[final_key])
                targets[plan.last_year] = TargetCell(value=final)
                derived = derive_yearly_targets(
                    base=base,
                    final=final,
                    base_year=plan.base_year,
                    final_year=plan.last_year,
                    is_rate=is_rate,
                    decimals=0 if record["unit"] in COUNT_UNITS else 2,
                )
                for year, value in derived.items():
                    targets[year] = TargetCell(value=value, derived=True)
            else:
                targets[plan.last_year] = TargetCell(text=record[f"{final_key}_text"])
            rows.append(
                IndicatorRow(
                    number=int(record["number"]),
                    name=record["name"],
                    unit=record["unit"],
                    attribute=ATTRIBUTE_CODES[record["attribute"]],
                    group=record["goal"],
                    base_value=base,
                    targets=targets,
                    is_rate=is_rate,
                    aligned_with_city=record["aligned_city"] == "1",
                    aligned_with_most=record["aligned_most"] == "1",
                    alignment_remark=record["alignment_remark"],
                    notes=record["notes"],
                )
            )
    return rows
