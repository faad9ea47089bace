"""The read-only JSON API (v1). Decimals travel as strings so no figure is rounded."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .decorators import api_login_required
from .formatting import plain_decimal
from .models import Indicator, Plan
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


def indicator_payload(indicator: Indicator) -> dict:
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
    indicators = Indicator.objects.filter(plan=plan).for_listing()
    payload = {
        "plan": plan_payload(plan),
        "indicators": [indicator_payload(indicator) for indicator in indicators],
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
