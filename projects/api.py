"""The read-only JSON API (v1) of projects and key tasks. Figures travel as strings."""

from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from indicators.api import plan_payload
from indicators.decorators import api_login_required
from indicators.formatting import plain_decimal
from indicators.models import Plan
from indicators.params import include_param
from indicators.permissions import can_see_working

from .models import INVESTMENT_UNIT, Project, ProjectInvestment
from .selectors import key_tasks_for_board

JSON = {"json_dumps_params": {"ensure_ascii": False}}


def _wants_submitted(request) -> bool:
    return "submitted" in include_param(request)


def reported_figures(figures, fields: dict[str, str], *, include_submitted: bool) -> list[dict]:
    """Approved figures, and submitted ones beside them when asked.

    `fields` maps an output key to the working field; the approved copy is approved_<field>.
    """
    payloads = []
    for figure in sorted(figures, key=lambda f: f.year):
        if figure.approved_at is not None:
            payloads.append(
                {"year": figure.year, "status": "approved"}
                | {
                    key: plain_decimal(getattr(figure, f"approved_{name}"))
                    for key, name in fields.items()
                }
            )
        if include_submitted and figure.state == "submitted":
            payloads.append(
                {"year": figure.year, "status": "submitted"}
                | {key: plain_decimal(getattr(figure, name)) for key, name in fields.items()}
            )
    return payloads


def project_payload(project: Project, *, include_submitted: bool) -> dict:
    return {
        "number": project.number,
        "name": project.name,
        "builder": project.builder,
        "category": project.category,
        "category_label": project.get_category_display(),
        "total_investment": plain_decimal(project.total_investment),
        "unit": INVESTMENT_UNIT,
        "status": project.status or None,
        "status_label": project.status_label,
        "supervising_department": project.department_name,
        "content": project.content,
        "notes": project.notes,
        "investments": reported_figures(
            project.investments.all(),
            {"planned": "planned", "completed": "completed"},
            include_submitted=include_submitted,
        ),
    }


@require_GET
@api_login_required
def plan_projects(request, slug: str):
    plan = get_object_or_404(Plan, slug=slug)
    projects = (
        Project.objects.filter(plan=plan)
        .for_listing()
        .prefetch_related(
            Prefetch("investments", queryset=ProjectInvestment.objects.order_by("year"))
        )
    )
    include_submitted = _wants_submitted(request)
    payload = {
        "plan": plan_payload(plan),
        # Figures waiting for review only for those who may see them (permissions.py).
        "projects": [
            project_payload(
                p, include_submitted=include_submitted and can_see_working(request.user, p)
            )
            for p in projects
        ],
    }
    return JsonResponse(payload, **JSON)


def milestone_payload(line, *, include_submitted: bool) -> dict:
    milestone = line.milestone
    return {
        "number": milestone.number,
        "code": milestone.code,
        "item": milestone.item.number if milestone.item_id else None,
        "name": milestone.name,
        "text": milestone.text,
        "target": plain_decimal(milestone.target_value),
        "unit": milestone.unit,
        "attribute": milestone.attribute,
        "direction": milestone.direction,
        "target_year": milestone.target_year,
        "per_year": milestone.is_annual,
        "lead": [d.name for d in milestone.lead_departments.all()],
        "progress": reported_figures(
            milestone.progress.all(), {"value": "value"}, include_submitted=include_submitted
        ),
    }


@require_GET
@api_login_required
def plan_tasks(request, slug: str):
    plan = get_object_or_404(Plan, slug=slug)
    include_submitted = _wants_submitted(request)
    tasks = key_tasks_for_board(plan, plan.last_year)
    payload = {
        "plan": plan_payload(plan),
        "tasks": [
            {
                "number": task.number,
                "name": task.name,
                "lead": [d.name for d in task.lead_departments.all()],
                "responsible": [d.name for d in task.responsible_departments.all()],
                "items": [
                    {"number": item.number, "title": item.title, "text": item.text}
                    for item in task.items.all()
                ],
                "milestones": [
                    milestone_payload(
                        line,
                        include_submitted=include_submitted
                        and can_see_working(request.user, line.milestone),
                    )
                    for line in task.milestone_lines
                ],
                "enterprises": [
                    {
                        "kind": e.kind,
                        "kind_label": e.get_kind_display(),
                        "order": e.order,
                        "name": e.name,
                        "status": e.status,
                        "status_label": e.get_status_display(),
                        "note": e.note,
                        "updated_at": e.updated_at.isoformat() if e.updated_at else None,
                    }
                    for e in task.enterprises.all()
                ],
            }
            for task in tasks
        ],
    }
    return JsonResponse(payload, **JSON)
