from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import import_flow
from .decorators import plan_admin_required
from .forms import SheetUploadForm
from .importers.workbook import SheetInvalid, WorkbookRefused
from .models import Plan, SheetImport
from .selectors import plan_indicator_lines, plans_with_counts


@login_required
def home(request):
    return render(request, "indicators/home.html", {"plans": plans_with_counts()})


@login_required
def plan_detail(request, slug: str):
    plan = get_object_or_404(Plan, slug=slug)
    lines = plan_indicator_lines(plan)
    show_alignment = any(line.indicator.aligned_with_city is not None for line in lines)
    # 序号 指标 单位 属性 基期值, the years, 牵头 责任, and the three alignment columns.
    column_count = 7 + len(plan.years) + (3 if show_alignment else 0)
    context = {
        "plan": plan,
        "lines": lines,
        "show_alignment": show_alignment,
        "column_count": column_count,
    }
    return render(request, "indicators/plan_detail.html", context)


@login_required
@plan_admin_required
def sheet_upload(request, slug: str):
    plan = get_object_or_404(Plan, slug=slug)
    form = SheetUploadForm(request.POST or None, request.FILES or None)
    issues: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record, _preview = import_flow.upload_preview(
                plan=plan, file_name=upload.name, content=upload.read(), user=request.user
            )
        except WorkbookRefused as exc:
            form.add_error("file", str(exc))
        except SheetInvalid as exc:
            issues = [str(issue) for issue in exc.issues]
        else:
            return redirect("sheet_import_preview", pk=record.pk)
    return render(
        request, "indicators/sheet_upload.html", {"plan": plan, "form": form, "issues": issues}
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
        preview = import_flow.stored_preview(record)
    return render(
        request,
        "indicators/sheet_preview.html",
        {"record": record, "plan": record.plan, "preview": preview},
    )


@require_POST
@login_required
@plan_admin_required
def sheet_import_confirm(request, pk: int):
    record = _own_import(request, pk)
    try:
        outcome = import_flow.upload_confirm(record=record, user=request.user)
    except import_flow.StalePreview:
        import_flow.upload_discard(record=record)
        messages.error(
            request, _("预览之后指标数据已被修改，本次导入已取消，请重新上传文件并核对预览。")
        )
        return redirect("sheet_upload", slug=record.plan.slug)
    except import_flow.ImportNotPending:
        messages.warning(request, _("该文件已经导入或已放弃，不能重复确认。"))
        return redirect("plan_detail", slug=record.plan.slug)
    for line in outcome.summary_lines():
        messages.success(request, line)
    return redirect("plan_detail", slug=record.plan.slug)


@require_POST
@login_required
@plan_admin_required
def sheet_import_discard(request, pk: int):
    record = _own_import(request, pk)
    try:
        import_flow.upload_discard(record=record)
    except import_flow.ImportNotPending:
        messages.warning(request, _("该文件已经导入或已放弃。"))
    else:
        messages.info(request, _("已放弃本次导入，数据未做任何修改。"))
    return redirect("plan_detail", slug=record.plan.slug)
