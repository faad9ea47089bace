"""GET /api/v1/published/: the published figures, each with its source, quote and links
to plan indicators. Values are strings so no digit is lost."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from indicators.decorators import api_login_required
from indicators.formatting import plain_decimal
from indicators.params import BadParameter, search_param

from .models import FigureKind, PublishedFigure


def kind_param(request) -> str:
    """?kind= as one of the kinds; "" when absent; BadParameter for anything else."""
    text = request.GET.get("kind", "")
    if text and text not in FigureKind.values:
        raise BadParameter("kind 应为 " + "、".join(FigureKind.values) + " 之一")
    return text


def figure_payload(figure: PublishedFigure) -> dict:
    source = figure.source
    return {
        "id": figure.pk,
        "key": figure.key,
        "entity": figure.entity,
        "entity_kind": figure.entity_kind,
        "metric": figure.metric,
        "kind": figure.kind,
        "period": figure.period,
        "reference_year": figure.reference_year,
        "value": plain_decimal(figure.value),
        "stated_as": figure.stated_as,
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "direction": figure.direction,
        "uncertain": figure.uncertain,
        "note": figure.note,
        "source": {
            "title": source.title,
            "authors": source.authors,
            "published": source.published,
            "document": source.key,
        },
        "quote": figure.quote,
        "indicators": [
            {
                "plan": link.indicator.plan.slug,
                "number": link.indicator.number,
                "name": link.indicator.name,
                "scope_note": link.scope_note,
            }
            for link in figure.indicator_links.all()
        ],
    }


@require_GET
@api_login_required
def published_list(request):
    try:
        entity = search_param(request, "entity", max_length=60)
        period = search_param(request, "period", max_length=40)
        kind = kind_param(request)
    except BadParameter as exc:
        return JsonResponse(
            {"error": str(exc)}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    figures = PublishedFigure.objects.for_listing()
    if entity:
        figures = figures.filter(entity=entity)
    if kind:
        figures = figures.filter(kind=kind)
    if period:
        figures = figures.filter(period=period)
    payload = {"figures": [figure_payload(figure) for figure in figures]}
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
