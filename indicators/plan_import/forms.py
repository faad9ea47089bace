from django import forms
from django.utils.translation import gettext_lazy as _

from ..importers.workbook import MAX_FILE_BYTES


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("责任分解表（.xlsx）"),
        help_text=_("Excel .xlsx 文件，不超过 5 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            size_mb = upload.size / (1024 * 1024)
            raise forms.ValidationError(f"文件大小 {size_mb:.1f} MB，超过 5 MB 的上限。")
        return upload


class ConfirmImportForm(forms.Form):
    """The confirmation of a previewed import; the tick is required only when it holds risks."""

    accept_risks = forms.BooleanField(label=_("我已核对上述高风险变更，确认导入"), required=False)
