"""The web import of a responsibility sheet: upload → preview → confirm or discard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..decorators import plan_admin_required
from ..importers.workbook import SheetInvalid, WorkbookRefused
from ..models import Plan, SheetImport
from . import flow
from .forms import ConfirmImportForm, SheetUploadForm


@login_required
@plan_admin_required
def sheet_upload(request, slug: str):
    plan = get_object_or_404(Plan, slug=slug)
    form = SheetUploadForm(request.POST or None, request.FILES or None)
    issues: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record, _preview = flow.upload_preview(
                plan=plan, file_name=upload.name, content=upload.read(), user=request.user
            )
        except WorkbookRefused as exc:
            form.add_error("file", str(exc))
        except SheetInvalid as exc:
            issues = [str(issue) for issue in exc.issues]
        else:
            return redirect("sheet_import_preview", pk=record.pk)
    # A refused or invalid file answers 400 with the page and its message, as every
    # upload page does (reporting/upload.py).
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "indicators/sheet_upload.html",
        {"plan": plan, "form": form, "issues": issues},
        status=status,
    )


def _own_import(request, pk: int) -> SheetImport:
    # Each admin confirms their own uploads; someone else's gives 404, not a peek.
    return get_object_or_404(
        SheetImport.objects.select_related("plan"), pk=pk, uploaded_by=request.user
    )


@login_required
@plan_admin_required
def sheet_import_preview(request, pk: int):
    record = _own_import(request, pk)
    preview = None
    if record.status == SheetImport.Status.PREVIEWED:
        try:
            preview = flow.stored_preview(record)
        except (WorkbookRefused, SheetInvalid) as exc:
            # Kept before a reading rule was added; the upload page shows what to fix.
            issues = [str(i) for i in exc.issues] if isinstance(exc, SheetInvalid) else [str(exc)]
            context = {"plan": record.plan, "form": SheetUploadForm(), "issues": issues}
            return render(request, "indicators/sheet_upload.html", context, status=400)
    context = {
        "record": record,
        "plan": record.plan,
        "preview": preview,
        "confirm_form": ConfirmImportForm(),
    }
    return render(request, "indicators/sheet_preview.html", context)


@require_POST
@login_required
@plan_admin_required
def sheet_import_confirm(request, pk: int):
    record = _own_import(request, pk)
    form = ConfirmImportForm(request.POST)
    accept_risks = form.is_valid() and form.cleaned_data["accept_risks"]
    try:
        outcome = flow.upload_confirm(record=record, user=request.user, accept_risks=accept_risks)
    except flow.RiskyImport as exc:
        messages.error(
            request,
            _(
                "本次导入含 %(count)s 项高风险变更，未导入任何数据。请逐项核对预览中标出的"
                "高风险变更，勾选「%(tick)s」后再确认；如果选错了文件或规划，请放弃本次导入。"
            )
            % {
                "count": len(exc.risks),
                "tick": ConfirmImportForm.base_fields["accept_risks"].label,
            },
        )
        return redirect("sheet_import_preview", pk=record.pk)
    except (WorkbookRefused, SheetInvalid):
        return _unreadable(request, record)
    except flow.StalePreview:
        flow.upload_discard(record=record)
        messages.error(
            request, _("预览之后指标数据已被修改，本次导入已取消，请重新上传文件并核对预览。")
        )
        return redirect("sheet_upload", slug=record.plan.slug)
    except flow.ImportNotPending:
        messages.warning(request, _("该文件已经导入或已放弃，不能重复确认。"))
        return redirect("plan_detail", slug=record.plan.slug)
    for line in outcome.summary_lines():
        messages.success(request, line)
    return redirect("plan_detail", slug=record.plan.slug)


def _unreadable(request, record: SheetImport):
    """Discard an upload the current rules no longer accept, and send the user to upload again."""
    flow.upload_discard(record=record)
    messages.error(request, _("该文件不符合当前的导入要求，本次导入已取消，请改正后重新上传。"))
    return redirect("sheet_upload", slug=record.plan.slug)


@require_POST
@login_required
@plan_admin_required
def sheet_import_discard(request, pk: int):
    record = _own_import(request, pk)
    try:
        flow.upload_discard(record=record)
    except flow.ImportNotPending:
        messages.warning(request, _("该文件已经导入或已放弃。"))
    else:
        messages.info(request, _("已放弃本次导入，数据未做任何修改。"))
    return redirect("plan_detail", slug=record.plan.slug)
