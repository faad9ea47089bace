"""Applying a responsibility sheet to a plan: all or nothing, with who and why in the history."""

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ..cache import bump_on_commit
from ..importers.rows import UNSET, IndicatorRow
from ..lifecycle.plans import ensure_open
from ..models import Department, Indicator, IndicatorGroup, Plan, Target, User
from .diff import ImportPreview, StalePreview, load_existing, same_target, sheet_import_preview
from .reader import SheetSource
from .risks import RiskyImport

BATCH = 500  # rows per INSERT: well under SQLite's and PostgreSQL's parameter limits


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
    ensure_open(plan)
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
    fresh = [row for row in rows if row.number not in existing]
    _create_indicators(plan, fresh, departments, groups, user, reason)
    for row, outcome in zip(rows, preview.outcomes, strict=True):
        indicator = existing.get(row.number)
        if outcome.action == "unchanged" or indicator is None:
            continue
        before = _own_fields(indicator)
        _apply_fields(indicator, row, departments, groups)
        # Save only a real change, so the history holds no empty versions.
        if _own_fields(indicator) != before:
            _remember(indicator, user, reason)
            indicator.save()
        if row.responsible is not UNSET:
            wanted = {departments[name].pk for name in row.responsible}
            if wanted != {d.pk for d in indicator.responsible_departments.all()}:
                _remember(indicator, user, reason)
                indicator.responsible_departments.set(wanted)
        _apply_targets(indicator, row, user, reason)
    preview.applied = True
    return preview


def _create_indicators(plan, rows, departments, groups, user, reason: str) -> None:
    """Create the sheet's new indicators with their responsible units and targets in bulk:
    a fixed number of queries whatever the number of rows, each with its history.

    One historical record per indicator holds its responsible units (as the m2m history
    of a save would), and one per target. Bulk writes send no model signals, so the plan's
    progress is invalidated here (indicators/cache.py).
    """
    if not rows:
        return
    indicators = []
    for row in rows:
        indicator = Indicator(plan=plan, number=row.number)
        _apply_fields(indicator, row, departments, groups)
        indicators.append(indicator)
    indicators = Indicator.objects.bulk_create(indicators, batch_size=BATCH)
    records = Indicator.history.bulk_history_create(
        indicators, batch_size=BATCH, default_user=user, default_change_reason=reason
    )
    through = Indicator.responsible_departments.through
    history_through = Indicator.history.model._meta.get_field(
        "historicalindicator_responsible_departments"
    ).related_model
    links, link_records, targets = [], [], []
    for row, indicator, record in zip(rows, indicators, records, strict=True):
        names = [] if row.responsible is UNSET else row.responsible
        for department in sorted({departments[name].pk for name in names}):
            links.append(through(indicator_id=indicator.pk, department_id=department))
            link_records.append(record)
        for year, incoming in sorted(row.targets.items()):
            if incoming is None:
                continue
            target = Target(
                indicator=indicator,
                year=year,
                value=incoming.value,
                text=incoming.text,
                is_derived=incoming.derived,
            )
            # The database's constraints check the rest; uniqueness holds by construction.
            target.clean_fields(exclude=["indicator"])
            target.clean()
            targets.append(target)
    links = through.objects.bulk_create(links, batch_size=BATCH)
    history_through.objects.bulk_create(
        [
            history_through(
                id=link.pk,
                history=record,
                indicator_id=link.indicator_id,
                department_id=link.department_id,
            )
            for link, record in zip(links, link_records, strict=True)
        ],
        batch_size=BATCH,
    )
    bulk_create_with_history(
        targets, Target, batch_size=BATCH, default_user=user, default_change_reason=reason
    )
    bump_on_commit(plan.pk)


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
