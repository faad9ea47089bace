"""The evaluation page and its exports, for leaders and the plan office."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from indicators.evaluation.api import evaluation_year
from indicators.evaluation.rules import STANDING_ICONS, STANDING_LABELS, Standing
from indicators.evaluation.selectors import BASIS_LABELS, plan_evaluation
from indicators.evaluation.summary import stage_label, summary_sentences
from indicators.models import Plan
from indicators.permissions import can_see_evaluation, require

from . import charts
from .excel import evaluation_workbook
from .word import evaluation_document

# The rating colours of app.css that each standing wears.
STANDING_CLASSES = {
    Standing.MET: "met",
    Standing.NOT_MET: "behind",
    Standing.NO_DATA: "no_data",
    Standing.MANUAL: "manual",
}
FORBIDDEN = "规划评估仅供领导和规划办查看。"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _plan_for(request, slug: str) -> Plan:
    require(can_see_evaluation(request.user), _(FORBIDDEN))
    return get_object_or_404(Plan, slug=slug)


def _breakdowns(evaluation) -> list[tuple]:
    """(title, name column, chart id, chart, counts) for the goal and department sections."""
    sections = [
        (_("分类别情况"), _("类别"), "group-chart", evaluation.groups),
        (_("分牵头单位情况"), _("牵头单位"), "department-chart", evaluation.departments),
    ]
    return [
        (title, header, chart_id, charts.standing_stack(counted), counted)
        for title, header, chart_id, counted in sections
    ]


@login_required
def evaluation_page(request, slug: str):
    plan = _plan_for(request, slug)
    evaluation = plan_evaluation(plan, evaluation_year(request, plan))
    counts = evaluation.counts
    context = {
        "plan": plan,
        "year": evaluation.year,
        "evaluation": evaluation,
        "stage": stage_label(evaluation),
        "sentences": summary_sentences(evaluation),
        "counts": [(s, STANDING_ICONS[s], STANDING_LABELS[s], counts[s]) for s in Standing],
        "basis_labels": BASIS_LABELS,
        "standing_chart": charts.standing_donut(counts),
        "standing_texts": {s: charts.standing_text(s) for s in Standing},
        "standing_classes": STANDING_CLASSES,
        "breakdowns": _breakdowns(evaluation),
        "completion_chart": charts.completion_bars(evaluation.rows),
    }
    return render(request, "dashboards/evaluation.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _evaluation_for(request, slug: str, year: int):
    plan = _plan_for(request, slug)
    if year not in plan.years:
        raise Http404
    return plan_evaluation(plan, year)


def _filename(evaluation, extension: str) -> str:
    return f"{evaluation.plan.short_name}{evaluation.year}年{stage_label(evaluation)}.{extension}"


@login_required
def evaluation_xlsx(request, slug: str, year: int):
    evaluation = _evaluation_for(request, slug, year)
    return _download(evaluation_workbook(evaluation), XLSX, _filename(evaluation, "xlsx"))


@login_required
def evaluation_docx(request, slug: str, year: int):
    evaluation = _evaluation_for(request, slug, year)
    return _download(evaluation_document(evaluation), DOCX, _filename(evaluation, "docx"))
