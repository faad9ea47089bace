"""GET /api/v1/plans/<slug>/evaluation/?year=YYYY: the evaluation as JSON, figures as strings."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from indicators.api import plan_payload
from indicators.decorators import api_login_required
from indicators.formatting import percent_text, plain_decimal
from indicators.kept import kept_plan_or_404
from indicators.models import Plan
from indicators.params import BadParameter, year_param
from indicators.permissions import can_see_evaluation

from .rules import Standing
from .selectors import IndicatorEvaluation, PlanEvaluation, StandingCount, plan_evaluation
from .summary import stage_label, summary_sentences


def _target(target) -> str | None:
    return plain_decimal(target.value) if target else None


def _text(target) -> str | None:
    return (target.text or None) if target else None


def _ratio(value) -> str | None:
    return plain_decimal(value)


def _percent(value) -> str | None:
    return None if value is None else percent_text(value)


def indicator_evaluation_payload(row: IndicatorEvaluation) -> dict:
    indicator = row.indicator
    outlook = row.progress.outlook
    return {
        "number": indicator.number,
        "name": indicator.name,
        "group": row.group_name or None,
        "unit": indicator.unit,
        "attribute": indicator.attribute,
        "direction": indicator.direction,
        "is_rate": indicator.is_rate,
        "lead": indicator.lead_department.name if indicator.lead_department else None,
        "base": plain_decimal(indicator.base_value),
        "final_target": _target(row.final.stated),
        "final_target_text": _text(row.final.stated),
        # A revision (目标调整) rates in place of the stated target: selectors.final_target.
        "revised_target": _target(row.final.revised),
        "revised_target_text": _text(row.final.revised),
        "latest": {
            "year": row.latest_year,
            "value": plain_decimal(row.latest_value),
            "text_status": row.latest_status or None,
        }
        if row.latest
        else None,
        "basis": row.basis,
        "measured": plain_decimal(row.measured),
        "compared": plain_decimal(row.compared),
        "completion": _ratio(row.completion),
        "completion_text": _percent(row.completion),
        "rating": row.rating.value,
        "standing": row.standing.value,
        "met": row.met,
        "gap_points": plain_decimal(row.gap),
        "cagr_achieved": _ratio(row.growth.achieved),
        "cagr_required": _ratio(row.growth.required),
        "reached_year": row.reached_year,
        "outlook": {
            "status": outlook.outlook.value,
            "label": outlook.label,
            "ratio": plain_decimal(outlook.ratio),
        },
        "explanation": row.explanation,
        "measures": row.measures,
        "sample": row.is_demo,
    }


def _counts(counted: dict[Standing, int]) -> dict:
    return {standing.value: counted[standing] for standing in Standing}


def _standing_count_payload(each: StandingCount) -> dict:
    return {
        "name": each.name,
        "indicator_count": each.indicator_count,
        **_counts(each.counts),
        "met_share": _ratio(each.met_share),
        "met_share_text": _percent(each.met_share),
    }


def evaluation_payload(evaluation: PlanEvaluation) -> dict:
    return {
        "plan": plan_payload(evaluation.plan),
        "year": evaluation.year,
        "stage": "final" if evaluation.is_final else "midterm",
        "stage_label": stage_label(evaluation),
        "elapsed": plain_decimal(evaluation.elapsed),
        "indicator_count": len(evaluation.rows),
        "summary": _counts(evaluation.counts),
        "sentences": summary_sentences(evaluation),
        "reached_early": [
            {"number": row.indicator.number, "year": row.reached_year}
            for row in evaluation.reached_early
        ],
        "furthest_behind": [row.indicator.number for row in evaluation.furthest_behind],
        "indicators": [indicator_evaluation_payload(row) for row in evaluation.rows],
        "groups": [_standing_count_payload(each) for each in evaluation.groups],
        "departments": [_standing_count_payload(each) for each in evaluation.departments],
    }


def evaluation_year(request, plan: Plan) -> int:
    """The ?year= of the request, strictly one of the plan's years; the last year if absent."""
    year = year_param(request, plan, strict=True)
    return plan.last_year if year is None else year


def _json(payload: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
@api_login_required
def plan_evaluation_view(request, slug: str):
    if not can_see_evaluation(request.user):
        return _json({"error": _("规划评估仅供领导和规划办查看。")}, status=403)
    plan = kept_plan_or_404(slug)
    try:
        year = evaluation_year(request, plan)
    except BadParameter as exc:
        return _json({"error": str(exc)}, status=400)
    return _json(evaluation_payload(plan_evaluation(plan, year)))
