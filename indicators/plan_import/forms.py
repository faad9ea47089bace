from django import forms
from django.utils.translation import gettext_lazy as _

from ..upload_form import XlsxForm


class SheetUploadForm(XlsxForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("责任分解表（.xlsx）")


class ConfirmImportForm(forms.Form):
    """The confirmation of a previewed import; the tick is required only when it holds risks."""

    accept_risks = forms.BooleanField(label=_("我已核对上述高风险变更，确认导入"), required=False)
