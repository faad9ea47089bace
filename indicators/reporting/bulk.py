"""Saving many figures of one kind at once: the write of an Excel import.

Each figure takes the steps a save by the form takes (workflow.check_entry, enter and,
when approving, mark_approved), in memory; then all are written together: the new ones
in one bulk_create and the changed ones in one bulk_update, each with the history row a
save one by one would have written — same user, reason and values, through
django-simple-history's bulk_create_with_history and bulk_update_with_history. An
approval on import is one UPDATE of the same rows and one more history row each, so a
figure's history reads as after a save and then an approval: entered (+ or ~), approved
(~). The plan's cache is bumped once, and the approved figures are announced with one
signal (workflow.figures_reviewed).

The database's own limits split a bulk write into batches (SQLite takes 999 variables a
query); beyond that the number of queries does not grow with the rows.
"""

from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..cache import bump_many_on_commit, figure_plan_id
from . import workflow
from .figure import ReviewedFigure, ReviewState

# Figures approved per UPDATE: their ids stay well under SQLite's 999 variables a query.
APPROVE_BATCH = 500


class FiguresConflict(Exception):
    """Another save inserted figures of these subjects after the import found none."""

    def __init__(self, subject_ids: set):
        self.subject_ids = subject_ids
        super().__init__(f"figures saved meanwhile for subjects {sorted(subject_ids)}")


@dataclass
class Prepared:
    """A figure with an entry applied, not yet written."""

    figure: ReviewedFigure
    stored: dict | None  # its values as read from the database; None for a new figure


def _values(figure: ReviewedFigure) -> dict:
    return {f.attname: getattr(figure, f.attname) for f in figure._meta.concrete_fields}


def prepare(kind, *, subject, existing, entry, year: int, user, submit: bool) -> Prepared:
    """Check an entry as workflow.save_figure does, and apply it to its figure in memory.

    `existing` is the subject's figure for the year, locked by the caller, or None.
    Raises PermissionDenied, FigureInvalid or WorkflowError.
    """
    rules = partial(kind.rules, subject, entry)
    workflow.check_entry(
        kind, subject=subject, entry=entry, problems=rules, year=year, user=user, submit=submit
    )
    if existing is None:
        figure, stored = kind.model(**{kind.subject: subject, "year": year}), None
        figure.version = 0  # as workflow.lock_for_save makes a new one: the write raises it
    else:
        figure, stored = existing, _values(existing)
        # The subject as the caller read it (its plan too): the cache bump and the
        # notices read it without a query per figure.
        setattr(figure, kind.subject, subject)
    workflow.enter(figure, fill=entry.fill, user=user, submit=submit)
    return Prepared(figure, stored)


def figures_write(
    kind, prepared: list[Prepared], *, user, reason: str, approve_reason: str = ""
) -> list[ReviewedFigure]:
    """Write the prepared figures, and approve them when `approve_reason` is given.

    Call inside the caller's transaction, with the existing figures locked. Returns the
    figures as written. Raises FiguresConflict, having written nothing, when another save
    inserted a figure of one of the new ones' subjects and year meanwhile.
    """
    figures = [p.figure for p in prepared]
    if not figures:
        return []
    for figure in figures:
        figure.version += 1
        figure._history_user, figure._change_reason = user, reason
    history = {"default_user": user, "default_change_reason": reason}
    new = [p.figure for p in prepared if p.stored is None]
    changed = [p for p in prepared if p.stored is not None]
    if new:
        _insert(kind, new, history)
    if changed:
        fields = _changed_fields(kind.model, changed)
        bulk_update_with_history([p.figure for p in changed], kind.model, fields, **history)
    if approve_reason:
        _approve(kind.model, figures, user=user, reason=approve_reason)
    # One bump per plan, as one save after another would have left (indicators/cache.py).
    bump_many_on_commit(figure_plan_id(figure, kind.plan_lookup) for figure in figures)
    if approve_reason:
        workflow.figures_reviewed.send(sender=kind.model, figures=figures, user=user, approved=True)
    return figures


def _insert(kind, new: list[ReviewedFigure], history: dict) -> None:
    try:
        with transaction.atomic():
            bulk_create_with_history(new, kind.model, **history)
    except IntegrityError as exc:
        # Two first saves raced past the empty lookup: someone inserted figures of the
        # same subjects and year after the import read none (workflow.save_version, one
        # by one). Name them; any other broken constraint is a bug, raised as it is.
        link = f"{kind.subject}_id"
        taken = set(
            kind.model._default_manager.filter(
                **{f"{link}__in": [getattr(f, link) for f in new]},
                year__in={f.year for f in new},
            ).values_list(link, flat=True)
        )
        if not taken:
            raise
        raise FiguresConflict(taken) from exc


def _changed_fields(model, changed: list[Prepared]) -> list[str]:
    """The fields that differ from the stored row in at least one figure (the version always).

    bulk_update writes a CASE per field and row: only what changed keeps it short.
    """
    return [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key
        and any(getattr(p.figure, field.attname) != p.stored[field.attname] for p in changed)
    ]


def _approve(model, figures: list[ReviewedFigure], *, user, reason: str) -> None:
    """Approve the written figures: in memory by workflow.mark_approved, in the database by
    the same change as one UPDATE per batch, then a history row each for the approval."""
    now = timezone.now()
    for figure in figures:
        workflow.mark_approved(figure, user=user, reason=reason, now=now)
    # Each row's approved fields copy its own working fields, as mark_approved did above.
    copies = {approved: F(working) for working, approved in model.APPROVED_FIELDS.items()}
    pks = [figure.pk for figure in figures]
    for start in range(0, len(pks), APPROVE_BATCH):
        model._default_manager.filter(pk__in=pks[start : start + APPROVE_BATCH]).update(
            state=ReviewState.APPROVED,
            approved_at=now,
            reviewed_by=user,
            reviewed_at=now,
            version=F("version") + 1,
            **copies,
        )
    # No fields: the rows are written above; this records the approved version of each.
    bulk_update_with_history(figures, model, [], default_user=user, default_change_reason=reason)
