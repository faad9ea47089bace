"""The web import of a responsibility sheet: upload → preview → confirm, as services."""

import hashlib

from django.db import transaction
from django.utils import timezone

from ..lifecycle.plans import ensure_open
from ..models import Plan, SheetImport, User
from .apply import sheet_import
from .diff import ImportPreview, StalePreview, sheet_import_preview
from .reader import PlanYears, SheetContent, read_sheet
from .risks import RiskyImport


def plan_years(plan: Plan) -> PlanYears:
    return PlanYears(plan.base_year, plan.first_year, plan.last_year)


def read_upload(plan: Plan, file_name: str, content: bytes) -> SheetContent:
    """Return the rows and titles; raises WorkbookRefused or SheetInvalid like the reader
    (a closed plan refuses every file: PlanClosed)."""
    ensure_open(plan)
    return read_sheet(file_name, content, plan_years(plan))


def upload_preview(
    *, plan: Plan, file_name: str, content: bytes, user: User
) -> tuple[SheetImport, ImportPreview]:
    """Read the upload, keep it, and return what importing it would change."""
    sheet = read_upload(plan, file_name, content)
    preview = sheet_import_preview(plan=plan, rows=sheet.rows, source=sheet.source)
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
    sheet = read_upload(record.plan, record.file_name, bytes(record.content))
    return sheet_import_preview(plan=record.plan, rows=sheet.rows, source=sheet.source)


class ImportNotPending(Exception):
    """The upload was already applied or discarded."""


@transaction.atomic
def upload_confirm(*, record: SheetImport, user: User, accept_risks: bool = False) -> ImportPreview:
    """Apply a previewed upload exactly as previewed; raise StalePreview if data moved since.

    Raises RiskyImport, writing nothing, when the preview holds risky changes and the
    user did not tick that they checked them (accept_risks).
    """
    record = SheetImport.objects.select_for_update().select_related("plan").get(pk=record.pk)
    if record.status != SheetImport.Status.PREVIEWED:
        raise ImportNotPending
    sheet = read_upload(record.plan, record.file_name, bytes(record.content))
    outcome = sheet_import(
        plan=record.plan,
        rows=sheet.rows,
        source=sheet.source,
        user=user,
        reason=f"网页导入责任分解表 {record.file_name}",
        accept_risks=accept_risks,
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


__all__ = [
    "ImportNotPending",
    "RiskyImport",
    "StalePreview",
    "upload_confirm",
    "upload_discard",
    "upload_preview",
]
