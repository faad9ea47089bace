from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import Plan

from .models import Preference


class PreferenceForm(forms.ModelForm):
    default_plan = forms.ModelChoiceField(
        queryset=Plan.objects.order_by("first_year", "slug"),
        required=False,
        label=_("默认规划"),
        empty_label=_("自动选择（按待办工作或最新审核数据）"),
        help_text=_("登录后打开的规划；不选则按您的角色自动选择。"),
    )

    class Meta:
        model = Preference
        fields = ["default_plan"]
