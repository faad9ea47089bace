"""The read-only JSON API (v1). Decimals travel as strings so no figure is rounded."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .decorators import api_login_required
from .formatting import plain_decimal
from .models import ActualState, Indicator, Plan
from .selectors import plans_with_counts


def plan_payload(plan: Plan) -> dict:
    return {
        "slug": plan.slug,
        "name": plan.name,
        "short_name": plan.short_name,
        "document_number": plan.document_number,
        "base_year": plan.base_year,
        "first_year": plan.first_year,
        "last_year": plan.last_year,
        "years": plan.years,
    }


def actual_payloads(indicator: Indicator, *, include_submitted: bool) -> list[dict]:
    """The indicator's reported figures: approved ones, and submitted ones when asked.

    While a correction is reviewed, the approved figure stays listed as approved and the
    correction appears beside it as submitted.
    """
    payloads = []
    for actual in sorted(indicator.actuals.all(), key=lambda a: a.year):
        if actual.approved_at is not None:
            payloads.append(
                {
                    "year": actual.year,
                    "value": plain_decimal(actual.approved_value),
                    "text_status": actual.approved_text_status or None,
                    "kind": actual.approved_kind,
                    "status": "approved",
                }
            )
        if include_submitted and actual.state == ActualState.SUBMITTED:
            payloads.append(
                {
                    "year": actual.year,
                    "value": plain_decimal(actual.value),
                    "text_status": actual.text_status or None,
                    "kind": actual.kind,
                    "status": "submitted",
                }
            )
    return payloads


def indicator_payload(indicator: Indicator, *, include_submitted: bool = False) -> dict:
    return {
        "number": indicator.number,
        "name": indicator.name,
        "group": indicator.group.name if indicator.group else None,
        "unit": indicator.unit,
        "attribute": indicator.attribute,
        "direction": indicator.direction,
        "is_rate": indicator.is_rate,
        "lead": indicator.lead_department.name if indicator.lead_department else None,
        "responsible": [d.name for d in indicator.responsible_departments.all()],
        "base": {
            "year": indicator.plan.base_year,
            "value": plain_decimal(indicator.base_value),
        },
        "targets": [
            {
                "year": target.year,
                "value": plain_decimal(target.value),
                "text": target.text or None,
                "derived": target.is_derived,
            }
            for target in sorted(indicator.targets.all(), key=lambda t: t.year)
        ],
        "actuals": actual_payloads(indicator, include_submitted=include_submitted),
        "alignment": {
            "city": indicator.aligned_with_city,
            "most": indicator.aligned_with_most,
            "remark": indicator.alignment_remark,
        },
        "notes": indicator.notes,
    }


@require_GET
@api_login_required
def plan_list(request):
    plans = [
        {**plan_payload(plan), "indicator_count": plan.indicator_count}
        for plan in plans_with_counts()
    ]
    return JsonResponse({"plans": plans}, json_dumps_params={"ensure_ascii": False})


@require_GET
@api_login_required
def plan_indicators(request, slug: str):
    plan = get_object_or_404(Plan, slug=slug)
    include = {part.strip() for part in request.GET.get("include", "").split(",")}
    include_submitted = "submitted" in include
    indicators = Indicator.objects.filter(plan=plan).for_listing().prefetch_related("actuals")
    payload = {
        "plan": plan_payload(plan),
        "indicators": [
            indicator_payload(indicator, include_submitted=include_submitted)
            for indicator in indicators
        ],
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
