"""Writes of published figures: the loader of the fixture, the form, the Excel upload.

Each is keyword-only and runs in one transaction. Published figures never change a
plan's progress (they are not counted in completion or ratings); the indicator pages that
show them are moved by parks/signals.py.
"""

import secrets
from decimal import Decimal

from django.db import transaction

from indicators import permissions
from indicators.models import Indicator

from .models import FIGURE_FIELDS, IndicatorLink, PublishedFigure, SourceDocument

DOCUMENT_FIELDS = ("title", "series", "authors", "published", "note")
REFUSED = "只有规划办管理员可以新增或修改公开报道数据。"


def new_key() -> str:
    """A key for a figure entered in the form without one: unique enough within a source."""
    return f"web-{secrets.token_hex(4)}"


def _apply(instance, values: dict, fields) -> bool:
    """Set `fields` from `values`; return True if anything changed."""
    changed = False
    for name in fields:
        if name in values and getattr(instance, name) != values[name]:
            setattr(instance, name, values[name])
            changed = True
    return changed


def _save(instance, *, user, reason: str, constraints: bool = True) -> None:
    """Validate and save with its history. The loader leaves the constraints to the
    database (each check in Python is a query: 14 per figure)."""
    instance._history_user = user
    instance._change_reason = reason
    instance.full_clean(validate_unique=constraints, validate_constraints=constraints)
    instance.save()


@transaction.atomic
def figure_save(
    *, figure: PublishedFigure | None, data: dict, user, reason: str = ""
) -> tuple[PublishedFigure, bool]:
    """Create (figure None) or correct a published figure from cleaned form data.

    Returns the figure and whether anything was written. Only the plan office may write.
    """
    permissions.require(permissions.can_edit_published(user), REFUSED)
    creating = figure is None
    if creating:
        figure = PublishedFigure(source=data["source"], key=data.get("key") or new_key())
    else:
        figure = PublishedFigure.objects.select_for_update().get(pk=figure.pk)
    changed = _apply(figure, data, ("source", *FIGURE_FIELDS))
    if data.get("key") and figure.key != data["key"]:
        figure.key, changed = data["key"], True
    if not (creating or changed):
        return figure, False
    _save(
        figure, user=user, reason=reason or ("新增公开报道数据" if creating else "修改公开报道数据")
    )
    return figure, True


@transaction.atomic
def link_save(
    *, figure: PublishedFigure, indicator: Indicator, scope_note: str, user
) -> IndicatorLink:
    """Link a published figure to the plan indicator it measures, or restate the scope."""
    permissions.require(permissions.can_edit_published(user), REFUSED)
    link = IndicatorLink.objects.filter(figure=figure, indicator=indicator).first()
    link = link or IndicatorLink(figure=figure, indicator=indicator)
    link.scope_note = scope_note
    _save(link, user=user, reason="关联规划指标")
    return link


@transaction.atomic
def figures_import(*, rows: list[dict], user, file_name: str = "") -> tuple[int, int, int]:
    """Save every uploaded row (cleaned form data), matched by document and key.

    Returns (created, corrected, unchanged). The caller validated every row first; any
    error here rolls the whole file back.
    """
    permissions.require(permissions.can_edit_published(user), REFUSED)
    reason = f"Excel 导入 {file_name}".strip()
    existing = {
        (f.source_id, f.key): f
        for f in PublishedFigure.objects.select_for_update().filter(
            source__in={row["source"].pk for row in rows}
        )
    }
    created = corrected = unchanged = 0
    for row in rows:
        figure = existing.get((row["source"].pk, row["key"]))
        _, wrote = figure_save(figure=figure, data=row, user=user, reason=reason)
        if figure is None:
            created += 1
        elif wrote:
            corrected += 1
        else:
            unchanged += 1
    return created, corrected, unchanged


@transaction.atomic
def published_load(*, data: dict) -> list[str]:
    """Load the fixture (documents, figures, links); return what it did, in Chinese.

    Idempotent: matched by document key, figure key and indicator; a second run writes
    nothing. Figures and links the fixture does not list are left as they are (the plan
    office may have added them).
    """
    reason = "载入公开报道数据"
    counts = {"documents": 0, "figures": 0, "links": 0}
    documents = {}
    for entry in data["documents"]:
        document = SourceDocument.objects.filter(key=entry["key"]).first()
        if document is None:
            document = SourceDocument(key=entry["key"])
        if document.pk is None or _apply(document, entry, DOCUMENT_FIELDS):
            _apply(document, entry, DOCUMENT_FIELDS)
            _save(document, user=None, reason=reason, constraints=False)
            counts["documents"] += 1
        documents[entry["key"]] = document
    existing = {(f.source_id, f.key): f for f in PublishedFigure.objects.all()}
    figures = {}
    for entry in data["figures"]:
        source = documents[entry["document"]]
        values = {**entry, "value": Decimal(entry["value"])}
        figure = existing.get((source.pk, entry["key"]))
        if figure is None:
            figure = PublishedFigure(source=source, key=entry["key"])
        if figure.pk is None or _apply(figure, values, FIGURE_FIELDS):
            _apply(figure, values, FIGURE_FIELDS)
            _save(figure, user=None, reason=reason, constraints=False)
            counts["figures"] += 1
        figures[(entry["document"], entry["key"])] = figure
    for entry in data["links"]:
        figure = figures[tuple(entry["figure"])]
        indicator = Indicator.objects.get(plan__slug=entry["plan"], number=entry["indicator"])
        link = IndicatorLink.objects.filter(figure=figure, indicator=indicator).first()
        if link is None:
            link = IndicatorLink(figure=figure, indicator=indicator)
        if link.pk is None or link.scope_note != entry["scope_note"]:
            link.scope_note = entry["scope_note"]
            _save(link, user=None, reason=reason, constraints=False)
            counts["links"] += 1
    return [
        f"来源文档 {len(data['documents'])} 篇（写入 {counts['documents']}），"
        f"公开报道数据 {len(data['figures'])} 条（写入 {counts['figures']}），"
        f"与规划指标的对应 {len(data['links'])} 条（写入 {counts['links']}）。"
    ]
