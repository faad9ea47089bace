from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..actual_input import ActualValueError, parse_actual_value
from ..models import Plan


class PlanCreateForm(forms.Form):
    slug = forms.SlugField(
        label=_("标识"),
        max_length=60,
        help_text=_("英文小写、数字和连字符，如 wangcheng-2026-2030"),
    )
    name = forms.CharField(label=_("规划名称"), max_length=200)
    short_name = forms.CharField(label=_("简称"), max_length=60)
    issuer = forms.CharField(label=_("印发机关"), max_length=200, required=False)
    document_number = forms.CharField(label=_("文号"), max_length=60, required=False)
    base_year = forms.IntegerField(label=_("基期年份"), min_value=1990, max_value=2100)
    first_year = forms.IntegerField(label=_("起始年份"), min_value=1990, max_value=2100)
    last_year = forms.IntegerField(label=_("终止年份"), min_value=1990, max_value=2100)
    near_threshold = forms.DecimalField(
        label=_("基本达标阈值"),
        min_value=Decimal("0.001"),
        max_value=Decimal("1"),
        decimal_places=3,
        initial=Decimal("0.900"),
        help_text=_("完成率达到此比例即为基本达标，默认 0.9（90%）。"),
    )
    predecessor = forms.ModelChoiceField(
        label=_("前一规划"),
        queryset=Plan.objects.order_by("-last_year", "slug"),
        required=False,
        empty_label=_("（无）"),
    )
    copy_indicators = forms.BooleanField(
        label=_("从前一规划复制指标（名称、单位、属性、方向、牵头和责任单位）"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("copy_indicators") and not data.get("predecessor"):
            self.add_error("copy_indicators", _("复制指标须先选择前一规划。"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class TargetRevisionForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年份"), coerce=int)
    new_target = forms.CharField(
        label=_("调整后目标"),
        max_length=100,
        help_text=_("数值（可带本指标单位），或文字目标如“完成市里下达任务”"),
    )
    reason = forms.CharField(label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 3}))
    document_number = forms.CharField(label=_("调整依据文号"), max_length=100)

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        years = sorted(t.year for t in indicator.targets.all())
        self.fields["year"].choices = [(y, f"{y}年") for y in years]

    def clean_new_target(self) -> tuple[Decimal | None, str]:
        """Return (value, text): a number in the indicator's unit, else a 完成…任务 text."""
        raw = self.cleaned_data["new_target"].strip()
        if raw.startswith("完成") and raw.endswith("任务"):
            return None, raw
        try:
            value = parse_actual_value(raw, unit=self.indicator.unit)
        except ActualValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if value is None:
            raise forms.ValidationError(_("请填写调整后的目标。"))
        return value, ""
