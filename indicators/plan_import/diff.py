"""What importing a responsibility sheet into a plan would change: per row, old → new.

Nothing here writes; apply.py applies the same comparison in one transaction.
"""

import hashlib
import json
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count

from ..formatting import UNASSIGNED, figure_text
from ..importers.rows import UNSET, IndicatorRow, TargetCell
from ..models import Actual, Attribute, Department, Direction, Indicator, Plan, Target
from .reader import SheetSource
from .risks import NAME, Risk, change_risk, rename_share_risk, source_risks

BLANK = "空"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str
    risk: str = ""  # why this change needs an explicit confirmation; "" when it does not


@dataclass
class RowOutcome:
    number: int
    name: str
    action: str  # "create", "update" or "unchanged"
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def is_risky(self) -> bool:
        return any(change.risk for change in self.changes)


@dataclass
class ImportPreview:
    """What an import will do (or did): per row, created, updated (old → new) or unchanged."""

    plan_slug: str
    outcomes: list[RowOutcome]
    new_departments: list[str]
    new_groups: list[str]
    absent_numbers: list[int]  # in the plan but not in the file: left as they are
    applied: bool = False
    # Changes that need an explicit confirmation (risks.py), file-wide ones first.
    risks: list[Risk] = field(default_factory=list)

    @property
    def created(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.action == "create"]

    @property
    def updated(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.action == "update"]

    @property
    def unchanged(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.action == "unchanged"]

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.updated or self.new_departments or self.new_groups)

    def digest(self) -> str:
        """Return a fingerprint of the changes, so a confirmation applies what was previewed."""
        payload = {
            "plan": self.plan_slug,
            "rows": [
                [o.number, o.action, [[c.label, c.old, c.new] for c in o.changes]]
                for o in self.outcomes
            ],
            "departments": self.new_departments,
            "groups": self.new_groups,
            # A risk that appears after the preview (a figure reported meanwhile) makes
            # the confirmation stale: the user ticked the risks they saw, not that one.
            "risks": [str(risk) for risk in self.risks],
        }
        encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(encoded).hexdigest()

    def summary_lines(self) -> list[str]:
        """Return the outcome in Chinese, a line per fact, for the console and the record."""
        verb = "已" if self.applied else "将"
        lines = [
            f"新增指标 {len(self.created)} 项，{verb}更新 {len(self.updated)} 项，"
            f"未变化 {len(self.unchanged)} 项。"
        ]
        if self.new_departments:
            lines.append(
                f"{verb}新建单位 {len(self.new_departments)} 个：{'、'.join(self.new_departments)}"
            )
        if self.new_groups:
            lines.append(f"{verb}新建类别：{'、'.join(self.new_groups)}")
        if self.absent_numbers:
            numbers = "、".join(str(n) for n in self.absent_numbers)
            lines.append(f"文件中没有序号为 {numbers} 的指标，这些指标保持不变。")
        if self.risks:
            lines.append(f"其中高风险变更 {len(self.risks)} 项，须逐项核对并明确确认。")
        return lines

    def as_dict(self) -> dict:
        return {
            "created": [o.number for o in self.created],
            "updated": {
                str(o.number): [[c.label, c.old, c.new] for c in o.changes] for o in self.updated
            },
            "unchanged": len(self.unchanged),
            "new_departments": self.new_departments,
            "new_groups": self.new_groups,
            "absent_numbers": self.absent_numbers,
            "risks": [str(risk) for risk in self.risks],
        }


class StalePreview(Exception):
    """The data changed between the preview and the confirmation."""


def _shown(value: Decimal | None, unit: str) -> str:
    return figure_text(value, unit, missing=BLANK)


def _shown_target(target: TargetCell | Target | None, unit: str) -> str:
    if target is None:
        return BLANK
    if isinstance(target, Target):
        value, text, derived = target.value, target.text, target.is_derived
    else:
        value, text, derived = target.value, target.text, target.derived
    shown = text or figure_text(value, unit)
    return f"{shown}（推算）" if derived else shown


def _shown_bool(value: bool | None) -> str:
    return {True: "是", False: "否", None: BLANK}[value]


def same_target(existing: Target, incoming: TargetCell) -> bool:
    return (
        existing.value == incoming.value
        and existing.text == incoming.text
        and existing.is_derived == incoming.derived
    )


def load_existing(plan: Plan) -> dict[int, Indicator]:
    indicators = (
        Indicator.objects.filter(plan=plan)
        .select_related("group", "lead_department")
        .prefetch_related("responsible_departments", "targets")
    )
    return {indicator.number: indicator for indicator in indicators}


def _scalar_changes(indicator: Indicator | None, row: IndicatorRow) -> list[FieldChange]:
    """Return the changes of the indicator's own fields, in the order a reader checks them."""
    old = indicator
    changes: list[FieldChange] = []

    def compare(label: str, old_value: str, new_value: str) -> None:
        if old is None or old_value != new_value:
            changes.append(FieldChange(label, old_value if old else "", new_value))

    compare("指标名称", old.name if old else "", row.name)
    compare("单位", old.unit if old else "", row.unit)
    if row.group is not UNSET:
        old_group = old.group.name if old and old.group else BLANK
        compare("类别", old_group, row.group or BLANK)
    if row.attribute is not UNSET:
        old_attribute = Attribute(old.attribute).label if old else ""
        compare("属性", str(old_attribute), str(Attribute(row.attribute).label))
    if row.direction is not UNSET:
        old_direction = Direction(old.direction).label if old else ""
        compare("方向", str(old_direction), str(Direction(row.direction).label))
    if row.is_rate is not UNSET:
        compare("增速类指标", _shown_bool(old.is_rate) if old else "", _shown_bool(row.is_rate))
    if row.base_value is not UNSET:
        old_base = _shown(old.base_value, old.unit) if old else ""
        if old is None or old.base_value != row.base_value:
            changes.append(FieldChange("基期值", old_base, _shown(row.base_value, row.unit)))
    if row.lead is not UNSET:
        old_lead = old.lead_department.name if old and old.lead_department else UNASSIGNED
        compare("牵头单位", old_lead, row.lead or UNASSIGNED)
    if row.responsible is not UNSET:
        old_names = sorted(d.name for d in old.responsible_departments.all()) if old else []
        if old is None or old_names != sorted(row.responsible):
            changes.append(
                FieldChange(
                    "责任单位",
                    "、".join(old_names) or (BLANK if old else ""),
                    "、".join(row.responsible) or BLANK,
                )
            )
    if row.aligned_with_city is not UNSET:
        compare(
            "对应长沙市指标体系",
            _shown_bool(old.aligned_with_city) if old else "",
            _shown_bool(row.aligned_with_city),
        )
    if row.aligned_with_most is not UNSET:
        compare(
            "对应科技部考核指标体系",
            _shown_bool(old.aligned_with_most) if old else "",
            _shown_bool(row.aligned_with_most),
        )
    if row.alignment_remark is not UNSET:
        compare("对标备注", old.alignment_remark if old else "", row.alignment_remark)
    if row.notes is not UNSET:
        compare("备注", old.notes if old else "", row.notes)
    if old is None:
        # For a new indicator every given field is "new"; drop the blank ones from view.
        changes = [c for c in changes if c.new not in ("", BLANK)]
    return changes


def _target_changes(indicator: Indicator | None, row: IndicatorRow) -> list[FieldChange]:
    existing = {t.year: t for t in indicator.targets.all()} if indicator else {}
    changes: list[FieldChange] = []
    for year in sorted(row.targets):
        incoming = row.targets[year]
        current = existing.get(year)
        label = f"{year}年目标值"
        old_unit = indicator.unit if indicator else row.unit
        if incoming is None:
            if current is not None:
                changes.append(FieldChange(label, _shown_target(current, old_unit), BLANK))
            continue
        if current is not None and incoming.derived and not current.is_derived:
            # A yearly target the office stated is never replaced by a derived one.
            continue
        if current is None or not same_target(current, incoming):
            old = _shown_target(current, old_unit) if indicator else ""
            changes.append(FieldChange(label, old, _shown_target(incoming, row.unit)))
    return changes


def sheet_import_preview(
    *, plan: Plan, rows: list[IndicatorRow], source: SheetSource | None = None
) -> ImportPreview:
    """Return what importing the rows into the plan would change, without writing.

    source is what the file says about itself (sheet name, title lines); None for a
    source without titles, such as a fixture table.
    """
    existing = load_existing(plan)
    reported = _reported_counts(plan)
    known_departments = set(Department.objects.values_list("name", flat=True))
    known_groups = set(plan.groups.values_list("name", flat=True))
    new_departments: list[str] = []
    new_groups: list[str] = []
    outcomes: list[RowOutcome] = []
    for row in rows:
        names = []
        if row.lead not in (UNSET, None):
            names.append(row.lead)
        if row.responsible is not UNSET:
            names.extend(row.responsible)
        for name in names:
            if name not in known_departments and name not in new_departments:
                new_departments.append(name)
        if row.group not in (UNSET, None) and row.group not in known_groups:
            if row.group not in new_groups:
                new_groups.append(row.group)
        indicator = existing.get(row.number)
        changes = _scalar_changes(indicator, row) + _target_changes(indicator, row)
        if indicator is None:
            action = "create"
        else:
            action = "update" if changes else "unchanged"
            count = reported.get(indicator.pk, 0)
            changes = [
                replace(c, risk=change_risk(c.label, c.old, c.new, reported=count)) for c in changes
            ]
        outcomes.append(RowOutcome(row.number, row.name, action, changes))
    file_numbers = {row.number for row in rows}
    absent = sorted(number for number in existing if number not in file_numbers)
    preview = ImportPreview(plan.slug, outcomes, new_departments, new_groups, absent)
    preview.risks = _risks(plan, source, outcomes)
    return preview


def _reported_counts(plan: Plan) -> dict[int, int]:
    """Return indicator id → how many figures were reported for it, in any state."""
    counts = (
        Actual.objects.filter(indicator__plan=plan)
        .values("indicator_id")
        .annotate(count=Count("pk"))
        .values_list("indicator_id", "count")
    )
    return dict(counts)


def _risks(plan: Plan, source: SheetSource | None, outcomes: list[RowOutcome]) -> list[Risk]:
    matched = [o for o in outcomes if o.action != "create"]
    renamed = sum(1 for o in matched if any(c.label == NAME for c in o.changes))
    risks = source_risks(plan, source)
    share = rename_share_risk(renamed=renamed, matched=len(matched))
    if share:
        risks.append(share)
    for outcome in matched:
        risks.extend(Risk(outcome.number, c.risk) for c in outcome.changes if c.risk)
    return risks
