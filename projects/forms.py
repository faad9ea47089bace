from decimal import Decimal

from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from indicators.actual_input import ActualValueError, parse_actual_value
from indicators.forms import ExplainedFigureForm
from indicators.models import Department

from .investment_input import UNIT, InvestmentEntry, check_investment
from .milestones import ProgressEntry, check_progress
from .models import Milestone, ProjectCategory, ProjectStatus

UNASSIGNED = "none"


def _figure(text: str, unit: str) -> Decimal | None:
    try:
        return parse_actual_value(text, unit=unit)
    except ActualValueError as exc:
        raise forms.ValidationError(str(exc)) from exc


class InvestmentForm(forms.Form):
    """One project's investment for a year; clean() applies the same rules as the service."""

    planned = forms.CharField(label=_("计划投资"), required=False, max_length=60)
    completed = forms.CharField(label=_("完成投资"), required=False, max_length=60)
    explanation = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, submitting: bool = False, **kwargs):
        self.submitting = submitting
        super().__init__(*args, **kwargs)
        for name in ("planned", "completed"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "decimal", "autocomplete": "off", "data-unit": UNIT}
            )

    def clean_planned(self):
        return _figure(self.cleaned_data["planned"], UNIT)

    def clean_completed(self):
        return _figure(self.cleaned_data["completed"], UNIT)

    def clean(self):
        cleaned = super().clean()
        if "planned" in self.errors or "completed" in self.errors:
            return cleaned
        for problem in check_investment(self.entry(), submitting=self.submitting):
            self.add_error(problem.field, problem.message)
        return cleaned

    def entry(self) -> InvestmentEntry:
        data = self.cleaned_data
        return InvestmentEntry(
            planned=data.get("planned"),
            completed=data.get("completed"),
            explanation=data.get("explanation", ""),
        )


class ProgressForm(ExplainedFigureForm):
    """A milestone's figure for a year, with the indicators' explanation rules."""

    value = forms.CharField(label=_("完成值"), required=False, max_length=60)

    def __init__(self, *args, milestone: Milestone, year: int, submitting: bool = False, **kwargs):
        self.milestone, self.year, self.submitting = milestone, year, submitting
        super().__init__(*args, **kwargs)
        self.fields["value"].widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "data-unit": milestone.unit}
        )

    def clean_value(self):
        return _figure(self.cleaned_data["value"], self.milestone.unit)

    def clean(self):
        cleaned = super().clean()
        if "value" in self.errors:
            return cleaned
        problems = check_progress(
            self.milestone, self.year, self.entry(), submitting=self.submitting
        )
        for problem in problems:
            self.add_error(problem.field, problem.message)
        return cleaned

    def entry(self) -> ProgressEntry:
        data = self.cleaned_data
        return ProgressEntry(
            value=data.get("value"),
            explanation=data.get("explanation", ""),
            measures=data.get("measures", ""),
            confirm_jump=data.get("confirm_jump", False),
        )


class EnterpriseForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"))
    note = forms.CharField(label=_("情况说明"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


class ProjectStatusForm(forms.Form):
    # No preselected stage: a blank status stays 未登记 until someone chooses one.
    status = forms.ChoiceField(
        label=_("项目状态"), choices=[("", _("请选择")), *ProjectStatus.choices]
    )


# Projects without an approved figure sort last either way, on SQLite and PostgreSQL alike.
SORTS = {
    "number": (F("number").asc(),),
    "-number": (F("number").desc(),),
    "total_investment": (F("total_investment").asc(), F("number").asc()),
    "-total_investment": (F("total_investment").desc(), F("number").asc()),
    "completed": (F("completed_total").asc(nulls_last=True), F("number").asc()),
    "-completed": (F("completed_total").desc(nulls_last=True), F("number").asc()),
}


class ProjectFilterForm(forms.Form):
    """The project list's GET filters; filter_qs() applies them (a pretix-style filter form)."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=50)
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *ProjectCategory.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *ProjectStatus.choices, (UNASSIGNED, _("未登记"))],
    )
    department = forms.ChoiceField(label=_("主管部门"), required=False)
    min_investment = forms.CharField(label=_("总投资不低于（亿元）"), required=False, max_length=20)
    max_investment = forms.CharField(label=_("总投资不高于（亿元）"), required=False, max_length=20)
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args, departments: list[Department], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [
            ("", _("全部")),
            *[(str(d.pk), d.name) for d in departments],
            (UNASSIGNED, _("未分配")),
        ]
        for name in ("min_investment", "max_investment"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "size": 8})

    def clean_min_investment(self):
        return _figure(self.cleaned_data["min_investment"], UNIT)

    def clean_max_investment(self):
        return _figure(self.cleaned_data["max_investment"], UNIT)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_investment"), cleaned.get("max_investment")
        if low is not None and high is not None and low > high:
            self.add_error("max_investment", "总投资上限不能低于下限")
        return cleaned

    def filter_qs(self, projects: QuerySet) -> QuerySet:
        """Return the projects narrowed by every valid filter, sorted as asked."""
        # An invalid filter is shown with its message and left out; the valid ones apply.
        self.is_valid()
        data = self.cleaned_data
        if data.get("q"):
            projects = projects.filter(
                Q(name__icontains=data["q"]) | Q(builder__icontains=data["q"])
            )
        if data.get("category"):
            projects = projects.filter(category=data["category"])
        if data.get("status") == UNASSIGNED:
            projects = projects.filter(status="")
        elif data.get("status"):
            projects = projects.filter(status=data["status"])
        if data.get("department") == UNASSIGNED:
            projects = projects.filter(supervising_department__isnull=True)
        elif data.get("department"):
            projects = projects.filter(supervising_department_id=int(data["department"]))
        if data.get("min_investment") is not None:
            projects = projects.filter(total_investment__gte=data["min_investment"])
        if data.get("max_investment") is not None:
            projects = projects.filter(total_investment__lte=data["max_investment"])
        return projects.order_by(*SORTS.get(data.get("sort") or "number", SORTS["number"]))
