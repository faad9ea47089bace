"""The one form field for an uploaded workbook: .xlsx only, bounded in size before reading."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .importers.workbook import MAX_FILE_BYTES


class XlsxForm(forms.Form):
    """A form with one .xlsx file; subclasses add their choices and set the label."""

    file = forms.FileField(
        help_text=_("Excel .xlsx 文件，不超过 5 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            size_mb = upload.size / (1024 * 1024)
            raise forms.ValidationError(f"文件大小 {size_mb:.1f} MB，超过 5 MB 的上限。")
        return upload
