from django import forms
from django.utils.translation import gettext_lazy as _

from .actual_input import (
    ActualValueError,
    IndicatorFacts,
    check_actual,
    parse_actual_value,
    value_bounds,
)
from .actuals import ActualEntry
from .evidence_files import evidence_problem
from .importers.cells import NUMBER_PATTERN
from .models import ActualKind, TextStatus


def figure_hint_attrs(bounds) -> dict[str, str]:
    """The rules the browser's hint (static/js/report.js) reads: the server's number
    pattern, the decimal places and the range, so it never promises what the server refuses."""
    attrs = {"data-number-pattern": NUMBER_PATTERN, "data-places": str(bounds.places)}
    if bounds.minimum is not None:
        attrs["data-min"] = str(bounds.minimum)
    if bounds.maximum is not None:
        attrs["data-max"] = str(bounds.maximum)
    return attrs


class ExplainedFigureForm(forms.Form):
    """A reported figure's explanation fields and version, shared by every kind's form."""

    explanation = forms.CharField(
        label=_("原因分析"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    measures = forms.CharField(
        label=_("整改措施"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm_jump = forms.BooleanField(label=_("确认数值无误"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)


class ActualForm(ExplainedFigureForm):
    """One indicator's figure for a year; clean() applies the same rules as the service."""

    value = forms.CharField(label=_("实际值"), required=False, max_length=60)
    text_status = forms.ChoiceField(
        label=_("完成情况"),
        required=False,
        choices=[("", "—"), *TextStatus.choices],
    )
    kind = forms.ChoiceField(label=_("数据类型"), choices=ActualKind.choices)
    source = forms.CharField(label=_("数据来源"), required=False, max_length=50)
    evidence = forms.FileField(label=_("佐证材料"), required=False)

    def __init__(self, *args, facts: IndicatorFacts, submitting: bool = False, **kwargs):
        self.facts = facts
        self.submitting = submitting
        super().__init__(*args, **kwargs)
        self.fields["value"].widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "data-unit": facts.unit}
            | figure_hint_attrs(value_bounds(facts))
        )

    def clean_value(self):
        try:
            return parse_actual_value(self.cleaned_data["value"], unit=self.facts.unit)
        except ActualValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            check_evidence_file(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if "value" in self.errors:
            return cleaned
        problems = check_actual(
            self.facts,
            value=cleaned.get("value"),
            text_status=cleaned.get("text_status", ""),
            explanation=cleaned.get("explanation", ""),
            measures=cleaned.get("measures", ""),
            confirm_jump=cleaned.get("confirm_jump", False),
            submitting=self.submitting,
        )
        for problem in problems:
            self.add_error(problem.field, problem.message)
        return cleaned

    def entry(self) -> ActualEntry:
        data = self.cleaned_data
        return ActualEntry(
            value=data["value"],
            text_status=data["text_status"],
            kind=data["kind"],
            explanation=data["explanation"],
            measures=data["measures"],
            source=data["source"],
            confirm_jump=data["confirm_jump"],
        )


def check_evidence_file(upload) -> None:
    """Refuse an evidence file the service would refuse, on the form (evidence_files.py)."""
    problem = evidence_problem(upload)
    if problem:
        raise forms.ValidationError(problem)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label=_("佐证材料"), required=False)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("请填写意见内容")
        return text

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            check_evidence_file(upload)
        return upload


class DeadlineForm(forms.Form):
    # <input type=date> takes only ISO dates; zh-hans would write 2026/12/05, which the
    # browser drops, so the field went blank after saving.
    due_date = forms.DateField(
        label=_("截止日期"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
