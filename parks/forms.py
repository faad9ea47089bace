"""The form a 管理员 adds or corrects a published figure with; each uploaded row is
checked by the same form, so the web and Excel follow one set of rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator

from .models import (
    FIGURE_FIELDS,
    RANK_KINDS,
    Direction,
    EntityKind,
    FigureKind,
    PublishedFigure,
    SourceDocument,
)


class PublishedFigureForm(forms.ModelForm):
    source = forms.ModelChoiceField(
        label=_("来源文档"),
        queryset=SourceDocument.objects.all(),
        to_field_name="key",
        error_messages={
            "required": _("必须注明来源文档"),
            "invalid_choice": _("没有这个来源文档编号"),
        },
    )

    class Meta:
        model = PublishedFigure
        fields = ["source", "key", *FIGURE_FIELDS]
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, key_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].required = key_required
        self.fields["stated_as"].required = False
        self.fields["direction"].required = False
        self.fields["entity_kind"].required = False
        self.fields["stated_as"].help_text = _("留空即按数值填写；原文写作“三千亿”“近半”时照录。")
        self.fields["reference_year"].min_value = 1949
        for name in ("entity", "metric", "period", "quote", "value", "kind", "reference_year"):
            self.fields[name].error_messages["required"] = _("不能为空")
        self.fields["value"].error_messages["invalid"] = _("不是数字")

    def clean_reference_year(self):
        year = self.cleaned_data["reference_year"]
        if year is not None and not 1949 <= year <= 2100:
            raise forms.ValidationError(_("参照年份应在 1949–2100 之间"))
        return year

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), data.get("value")
        if value is not None and not data.get("stated_as"):
            data["stated_as"] = format(value.normalize(), "f")
        data["direction"] = data.get("direction") or Direction.HIGHER
        data["entity_kind"] = data.get("entity_kind") or EntityKind.PARK
        if kind in RANK_KINDS:
            # A rank is better when lower, whatever was typed: never read the wrong way.
            data["direction"] = Direction.LOWER
            if value is not None and (value < 1 or value != value.to_integral_value()):
                self.add_error("value", _("名次应为不小于 1 的整数"))
        elif value is not None and value < 0 and kind != FigureKind.RANK_CHANGE:
            self.add_error("value", _("只有名次变化可以为负数"))
        if data.get("uncertain") and not data.get("note", "").strip():
            self.add_error("note", _("标为存疑时须写明如何理解原文"))
        quote, stated = data.get("quote", ""), data.get("stated_as", "")
        if quote and stated and stated not in quote:
            self.add_error(
                "stated_as", _("原文中找不到“%(s)s”：请照录原文中数字的写法") % {"s": stated}
            )
        return data


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, indicator) -> str:
        return f"{indicator.plan.short_name} · {indicator.number}. {indicator.name}"


class IndicatorLinkForm(forms.Form):
    """Link a published figure to the plan indicator it measures, saying how they differ."""

    indicator = IndicatorChoiceField(
        label=_("规划指标"),
        queryset=Indicator.objects.select_related("plan").order_by(
            "plan__first_year", "plan__slug", "number"
        ),
        error_messages={"required": _("请选择规划指标")},
    )
    scope_note = forms.CharField(
        label=_("口径说明"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：报道为园区口径，指标为全区口径。"),
        error_messages={"required": _("须说明报道与指标的口径差异")},
    )
