"""The web import of a responsibility sheet: upload → preview → confirm, as services."""

import hashlib

from django.db import transaction
from django.utils import timezone

from .importers.responsibility import PlanYears, read_responsibility_sheet
from .importers.rows import IndicatorRow
from .models import Plan, SheetImport, User
from .services import ImportPreview, StalePreview, sheet_import, sheet_import_preview


def plan_years(plan: Plan) -> PlanYears:
    return PlanYears(plan.base_year, plan.first_year, plan.last_year)


def read_upload(plan: Plan, file_name: str, content: bytes) -> list[IndicatorRow]:
    """Return the sheet's rows; raises WorkbookRefused or SheetInvalid like the reader."""
    return read_responsibility_sheet(file_name, content, plan_years(plan))


def upload_preview(
    *, plan: Plan, file_name: str, content: bytes, user: User
) -> tuple[SheetImport, ImportPreview]:
    """Read the upload, keep it, and return what importing it would change."""
    rows = read_upload(plan, file_name, content)
    preview = sheet_import_preview(plan=plan, rows=rows)
    record = SheetImport.objects.create(
        plan=plan,
        file_name=file_name,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
        preview_digest=preview.digest(),
    )
    return record, preview


def stored_preview(record: SheetImport) -> ImportPreview:
    rows = read_upload(record.plan, record.file_name, bytes(record.content))
    return sheet_import_preview(plan=record.plan, rows=rows)


class ImportNotPending(Exception):
    """The upload was already applied or discarded."""


@transaction.atomic
def upload_confirm(*, record: SheetImport, user: User) -> ImportPreview:
    """Apply a previewed upload exactly as previewed; raise StalePreview if data moved since."""
    record = SheetImport.objects.select_for_update().select_related("plan").get(pk=record.pk)
    if record.status != SheetImport.Status.PREVIEWED:
        raise ImportNotPending
    rows = read_upload(record.plan, record.file_name, bytes(record.content))
    outcome = sheet_import(
        plan=record.plan,
        rows=rows,
        user=user,
        reason=f"网页导入责任分解表 {record.file_name}",
        expected_digest=record.preview_digest,
    )
    record.status = SheetImport.Status.APPLIED
    record.applied_at = timezone.now()
    record.summary = outcome.as_dict()
    record.save(update_fields=["status", "applied_at", "summary"])
    return outcome


def upload_discard(*, record: SheetImport) -> None:
    updated = SheetImport.objects.filter(pk=record.pk, status=SheetImport.Status.PREVIEWED).update(
        status=SheetImport.Status.DISCARDED
    )
    if not updated:
        raise ImportNotPending


__all__ = ["ImportNotPending", "StalePreview", "upload_confirm", "upload_discard", "upload_preview"]
