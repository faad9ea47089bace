"""The versions of any reported figure as people read them: who, when, which field, old → new."""

from decimal import Decimal

from ..formatting import plain_decimal
from .figure import WORKFLOW_FIELDS

# What a reader of the history cares about; the bookkeeping fields (who, when, version)
# have their own columns on the page.
SKIPPED = {"id", *WORKFLOW_FIELDS} - {"state", "return_reason"}


def _shown(field, value) -> str:
    """Return a value as people read it: 空 for blank, labels for choices."""
    if value is None or value == "":
        return "空"
    if isinstance(value, Decimal):
        return plain_decimal(value)
    choices = dict(field.flatchoices) if field.choices else {}
    return str(choices.get(value, value))


def tracked_fields(model) -> list:
    """The figure's own fields whose changes the history lists, in the model's order."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in SKIPPED and not f.is_relation and f.editable
    ]


def history_versions(
    figure, *, approved_only: bool = False
) -> list[tuple[object, list[tuple[str, str, str]], bool]]:
    """Return (record, [(field label, old, new)], is_first) per saved version, newest first.

    `approved_only`: the approvals alone, and only the approved fields: what leaders may
    see of a figure (drafts and corrections stay with their department and the office).
    """
    if figure is None:
        return []
    fields = {f.name: f for f in tracked_fields(type(figure))}
    records = figure.history.select_related("history_user").order_by("history_id")
    if approved_only:
        shown = set(type(figure).APPROVED_FIELDS.values())
        fields = {name: f for name, f in fields.items() if name in shown}
        records = records.filter(state="approved")
    records = list(records)
    versions, previous = [], None
    for record in records:
        changes = []
        if previous is None and approved_only:
            # The first approval is all a leader sees of the figure: list what it holds.
            changes = [
                (str(f.verbose_name), "空", _shown(f, getattr(record, name)))
                for name, f in fields.items()
                if getattr(record, name) not in (None, "")
            ]
        if previous is not None:
            delta = record.diff_against(previous, included_fields=list(fields))
            changes = [
                (
                    str(fields[c.field].verbose_name),
                    _shown(fields[c.field], c.old),
                    _shown(fields[c.field], c.new),
                )
                for c in delta.changes
            ]
        versions.append((record, changes, previous is None))
        previous = record
    versions.reverse()
    return versions
