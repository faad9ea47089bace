"""The read-only JSON API (v1). Decimals travel as strings so no figure is rounded.

Beside a ratio, its *_text reads as on the pages (indicators/formatting.py): 0.8725 and
"87.3%".
"""

import json
from collections.abc import Callable
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .cache import cached_for_plan
from .decorators import api_login_required
from .formatting import percent_text, plain_decimal
from .kept import kept_plan_or_404
from .lifecycle.targets import in_force, targets_in_force
from .models import ActualState, Attribute, Direction, Indicator, Plan
from .params import BadParameter, include_param, year_param
from .period import plan_page
from .permissions import can_see_working
from .progress import completion, rate_year
from .scorecard import plan_progress
from .selectors import reporting_year


def _percent(ratio: Decimal | None) -> str | None:
    """A ratio as the pages show it ("87.3%"), or null where there is none."""
    return None if ratio is None else percent_text(ratio)


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
        "closed": plan.is_closed,
    }


def actual_payloads(indicator: Indicator, *, include_submitted: bool) -> list[dict]:
    """The indicator's reported figures: approved ones, and submitted ones when asked.

    While a correction is reviewed, the approved figure stays listed as approved and the
    correction appears beside it as submitted.
    """
    targets = targets_in_force(indicator)  # rated against a revised target where revised
    payloads = []
    for actual in sorted(indicator.actuals.all(), key=lambda a: a.year):
        target = targets.get(actual.year)
        if actual.approved_at is not None:
            payloads.append(
                _actual_payload(
                    indicator,
                    target,
                    actual.year,
                    actual.approved_value,
                    actual.approved_text_status,
                    actual.approved_kind,
                    "approved",
                )
            )
        if include_submitted and actual.state == ActualState.SUBMITTED:
            payloads.append(
                _actual_payload(
                    indicator,
                    target,
                    actual.year,
                    actual.value,
                    actual.text_status,
                    actual.kind,
                    "submitted",
                )
            )
    return payloads


def _actual_payload(indicator, target, year, value, text_status, kind, status) -> dict:
    decrease = indicator.direction == Direction.DECREASE
    target_value = target.value if target else None
    rating = rate_year(
        value,
        target_value,
        decrease=decrease,
        threshold=indicator.plan.near_threshold,
        text_target=bool(target and target.text),
        reported=bool(text_status),
        share=indicator.attribute == Attribute.RATIO,
        tolerance=indicator.plan.near_points,
    )
    return {
        "year": year,
        "value": plain_decimal(value),
        "text_status": text_status or None,
        "kind": kind,
        "status": status,
        "completion": plain_decimal(completion(value, target_value, decrease=decrease)),
        "rating": rating.value,
    }


def _revised_payload(target) -> dict:
    """The revised target beside the stated one (null where not revised); ratings use it."""
    revised = target is not None and target.is_revised
    return {
        "revised_target": plain_decimal(target.value) if revised else None,
        "revised_target_text": (target.text or None) if revised else None,
    }


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
                **_revised_payload(in_force(target)),
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
    """The plans, 50 a page (?page=, ?q= to search), with the page's place in the list."""
    _search, page = plan_page(request)
    plans = [
        {**plan_payload(plan), "indicator_count": plan.indicator_count}
        for plan in page.object_list
    ]
    payload = {
        "plans": plans,
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


def _page_url(request, number: int) -> str:
    params = request.GET.copy()
    params["page"] = number
    return f"{request.path}?{params.urlencode()}"


@require_GET
@api_login_required
def plan_indicators(request, slug: str):
    plan = kept_plan_or_404(slug)
    include_submitted = "submitted" in include_param(request)

    def payload() -> dict:
        indicators = Indicator.objects.filter(plan=plan).for_listing().prefetch_related("actuals")
        return {
            "plan": plan_payload(plan),
            "indicators": [
                # Figures waiting for review only for those who may see them (permissions.py).
                indicator_payload(
                    indicator,
                    include_submitted=include_submitted
                    and can_see_working(request.user, indicator),
                )
                for indicator in indicators
            ],
        }

    if include_submitted:  # differs from one user to the next: never kept
        return JsonResponse(payload(), json_dumps_params={"ensure_ascii": False})
    return cached_json(plan, "api-indicators", (), payload)


def progress_payload(progress) -> dict:
    """The progress of a plan for a year, as the dashboards compute it."""
    return {
        "plan": plan_payload(progress.plan),
        "year": progress.year,
        "elapsed": plain_decimal(progress.elapsed),
        "elapsed_text": _percent(progress.elapsed),
        "reported": progress.reported,
        "approved": progress.approved,
        "indicator_count": len(progress.rows),
        "counts": {rating.value: count for rating, count in progress.rating_counts.items()},
        # As the pages count: the ratings, and 待审核 / 无目标 / 未填报 (indicators/standing.py).
        "standing_counts": {
            standing.value: count for standing, count in progress.standing_counts.items()
        },
        "outlook_counts": {
            outlook.value: count for outlook, count in progress.outlook_counts.items()
        },
        "indicators": [
            {
                "number": row.indicator.number,
                "name": row.indicator.name,
                "lead": row.indicator.lead_department.name
                if row.indicator.lead_department
                else None,
                "value": plain_decimal(row.value),
                "text_status": row.text_status or None,
                "target": plain_decimal(row.target.stated_value) if row.target else None,
                "target_text": (row.target.stated_text or None) if row.target else None,
                **_revised_payload(row.target),
                "completion": plain_decimal(row.completion),
                "completion_text": _percent(row.completion),
                "rating": row.rating.value,
                "standing": row.standing.value,
                "since_base": plain_decimal(row.since_base),
                "gap_points": plain_decimal(row.gap),
                "to_date": {
                    "years": list(row.to_date.years),
                    "actual": plain_decimal(row.to_date.actual_total),
                    "target": plain_decimal(row.to_date.target_total),
                    "completion": plain_decimal(row.to_date.completion),
                }
                if row.to_date
                else None,
                "outlook": {
                    "status": row.outlook.outlook.value,
                    "label": row.outlook.label,
                    "ratio": plain_decimal(row.outlook.ratio),
                    "projected": plain_decimal(row.outlook.projected),
                },
                "sample": row.is_demo,
            }
            for row in progress.rows
        ],
        "departments": [
            {
                "name": department.name,
                "rank": department.rank,
                "counts": {r.value: n for r, n in department.score.counts.items()},
                "average_completion": plain_decimal(department.score.average_completion),
                "average_completion_text": _percent(department.score.average_completion),
                "on_time_rate": plain_decimal(department.score.on_time_rate),
                "on_time_rate_text": _percent(department.score.on_time_rate),
                "submitted": department.score.submitted,
                "on_time": department.score.on_time,
            }
            for department in progress.departments
        ],
    }


@require_GET
@api_login_required
def plan_progress_view(request, slug: str):
    plan = kept_plan_or_404(slug)
    try:
        year = year_param(request, plan, strict=True)
    except BadParameter as exc:
        return JsonResponse(
            {"error": str(exc)}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    if year is None:
        year = reporting_year(plan, timezone.localdate())
    return cached_json(
        plan, "api-progress", (year,), lambda: progress_payload(plan_progress(plan, year))
    )


def cached_json(plan: Plan, name: str, parts: tuple, payload: Callable[[], dict]) -> HttpResponse:
    """A JSON answer made of the plan's data alone, kept encoded until the data changes."""
    body = cached_for_plan(
        plan.pk,
        name,
        parts,
        lambda: json.dumps(payload(), ensure_ascii=False, cls=DjangoJSONEncoder).encode(),
    )
    return HttpResponse(body, content_type="application/json")
