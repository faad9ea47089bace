"""Applying a responsibility sheet to a plan: all or nothing, with who and why in the history."""

from django.db import transaction

from ..importers.rows import UNSET, IndicatorRow
from ..models import Department, Indicator, IndicatorGroup, Plan, Target, User
from .diff import ImportPreview, StalePreview, load_existing, same_target, sheet_import_preview
from .reader import SheetSource
from .risks import RiskyImport


def _remember(instance, user: User | None, reason: str) -> None:
    """Tell django-simple-history who made the change and why, for the next save."""
    instance._history_user = user
    instance._change_reason = reason


@transaction.atomic
def sheet_import(
    *,
    plan: Plan,
    rows: list[IndicatorRow],
    user: User | None,
    reason: str,
    source: SheetSource | None = None,
    accept_risks: bool = False,
    dry_run: bool = False,
    expected_digest: str | None = None,
) -> ImportPreview:
    """Apply the rows to the plan, all or nothing; return what was done.

    source is the file's sheet name and title lines, checked against the plan (risks.py).
    Risky changes raise RiskyImport unless accept_risks, which only an explicit choice of
    the user (a tick, --force) may set. With dry_run nothing is written and risks are only
    reported. With expected_digest the import refuses (StalePreview) when the changes
    differ from those the user confirmed in the preview.
    """
    # Serialise imports of one plan so two confirmations cannot interleave.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    preview = sheet_import_preview(plan=plan, rows=rows, source=source)
    if expected_digest is not None and preview.digest() != expected_digest:
        raise StalePreview
    if dry_run:
        return preview
    if preview.risks and not accept_risks:
        raise RiskyImport(preview.risks)

    departments = {d.name: d for d in Department.objects.all()}
    for name in preview.new_departments:
        department = Department(name=name)
        _remember(department, user, reason)
        department.save()
        departments[name] = department

    groups = {g.name: g for g in plan.groups.all()}
    next_order = max((g.order for g in groups.values()), default=0) + 1
    for name in preview.new_groups:
        group = IndicatorGroup(plan=plan, name=name, order=next_order)
        next_order += 1
        _remember(group, user, reason)
        group.save()
        groups[name] = group

    existing = load_existing(plan)
    for row, outcome in zip(rows, preview.outcomes, strict=True):
        if outcome.action == "unchanged":
            continue
        indicator = existing.get(row.number)
        is_new = indicator is None
        if is_new:
            indicator = Indicator(plan=plan, number=row.number)
        before = _own_fields(indicator)
        _apply_fields(indicator, row, departments, groups)
        # Save only a real change, so the history holds no empty versions.
        if is_new or _own_fields(indicator) != before:
            _remember(indicator, user, reason)
            indicator.save()
        if row.responsible is not UNSET:
            wanted = {departments[name].pk for name in row.responsible}
            current = set() if is_new else {d.pk for d in indicator.responsible_departments.all()}
            if wanted != current:
                _remember(indicator, user, reason)
                indicator.responsible_departments.set(wanted)
        _apply_targets(indicator, row, user, reason)
    preview.applied = True
    return preview


def _own_fields(indicator: Indicator) -> tuple:
    """Return the values of the indicator's own columns, to tell whether a save changes any."""
    return tuple(
        getattr(indicator, field.attname)
        for field in Indicator._meta.concrete_fields
        if not field.primary_key
    )


def _apply_fields(
    indicator: Indicator,
    row: IndicatorRow,
    departments: dict[str, Department],
    groups: dict[str, IndicatorGroup],
) -> None:
    indicator.name = row.name
    indicator.unit = row.unit
    if row.attribute is not UNSET:
        indicator.attribute = row.attribute
    if row.group is not UNSET:
        indicator.group = groups[row.group] if row.group else None
    if row.base_value is not UNSET:
        indicator.base_value = row.base_value
    if row.lead is not UNSET:
        indicator.lead_department = departments[row.lead] if row.lead else None
    for name in (
        "direction",
        "is_rate",
        "aligned_with_city",
        "aligned_with_most",
        "alignment_remark",
        "notes",
    ):
        value = getattr(row, name)
        if value is not UNSET:
            setattr(indicator, name, value)


def _apply_targets(indicator: Indicator, row: IndicatorRow, user: User | None, reason: str) -> None:
    existing = {t.year: t for t in indicator.targets.all()} if indicator.pk else {}
    for year, incoming in sorted(row.targets.items()):
        current = existing.get(year)
        if incoming is None:
            if current is not None:
                _remember(current, user, reason)
                current.delete()
            continue
        if current is not None and incoming.derived and not current.is_derived:
            continue
        if current is not None and same_target(current, incoming):
            continue
        target = current or Target(indicator=indicator, year=year)
        target.value = incoming.value
        target.text = incoming.text
        target.is_derived = incoming.derived
        _remember(target, user, reason)
        target.full_clean(exclude=["indicator"])
        target.save()
