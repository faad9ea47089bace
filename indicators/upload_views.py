"""The Excel route for reporting actuals: download the prefilled template, upload it filled in."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import actual_import
from .importers.workbook import MAX_FILE_BYTES, SheetInvalid, WorkbookRefused
from .models import Plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MODE_CHOICES = [
    (actual_import.DRAFT, gettext_lazy("保存为草稿")),
    (actual_import.SUBMIT, gettext_lazy("提交审核")),
    (actual_import.APPROVE, gettext_lazy("直接审核通过")),
]


class ActualUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("实际值填报表（.xlsx）"),
        help_text=gettext_lazy("Excel .xlsx 文件，不超过 5 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("导入后"),
        widget=forms.RadioSelect,
        initial=actual_import.DRAFT,
    )

    def __init__(self, *args, allow_approve: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [
            (mode, label)
            for mode, label in MODE_CHOICES
            if allow_approve or mode != actual_import.APPROVE
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            size_mb = upload.size / (1024 * 1024)
            raise forms.ValidationError(f"文件大小 {size_mb:.1f} MB，超过 5 MB 的上限。")
        return upload


def _plan_year_for_upload(request, slug: str, year: int) -> Plan:
    """Return the plan; 404 for an unknown plan or year, 403 for a user who may not report."""
    plan = get_object_or_404(Plan, slug=slug)
    if year not in plan.years:
        raise Http404(_("该年份不在规划期内。"))
    if not actual_import.may_upload(request.user, plan):
        raise PermissionDenied(_("只有指标牵头单位的填报员或规划办管理员可以导入实际值。"))
    return plan


@login_required
def actual_template(request, slug: str, year: int):
    plan = _plan_year_for_upload(request, slug, year)
    file_name, content = actual_import.actual_template(plan=plan, year=year, user=request.user)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response


@login_required
def actual_upload(request, slug: str, year: int):
    plan = _plan_year_for_upload(request, slug, year)
    is_admin = request.user.is_plan_admin
    if request.method == "POST" and request.POST.get("mode") == actual_import.APPROVE:
        # The choice is not offered to staff; a forged post is refused before the file is read.
        actual_import.check_import_allowed(user=request.user, plan=plan, mode=actual_import.APPROVE)
    form = ActualUploadForm(request.POST or None, request.FILES or None, allow_approve=is_admin)
    issues: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = actual_import.actuals_upload(
                plan=plan,
                file_name=upload.name,
                content=upload.read(),
                user=request.user,
                mode=form.cleaned_data["mode"],
                year=year,
            )
        except WorkbookRefused as exc:
            form.add_error("file", str(exc))
        except SheetInvalid as exc:
            issues = [str(issue) for issue in exc.issues]
        else:
            for line in summary.summary_lines():
                messages.success(request, line)
            return redirect("report_page", slug=plan.slug, year=year)
    context = {"plan": plan, "year": year, "form": form, "issues": issues, "is_admin": is_admin}
    return render(request, "indicators/actual_upload.html", context)
