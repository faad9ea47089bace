"""The signed-in user's header (base.html), and which report pages the user has work in."""

import secrets

from django import template
from django.conf import settings
from django.db.models import Q
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators.models import Indicator
from indicators.permissions import has_reporting_work
from projects.models import Enterprise, Milestone, Project

register = template.Library()


@register.simple_tag(takes_context=True)
def reporting_menus(context) -> set[str]:
    """The report pages to list: "report" (我的填报), "projects" (项目填报), "tasks" (任务填报).

    Staff see only those where their department has something to report (one query);
    the plan office sees all of them, leaders none.
    """
    user = context["user"]
    department = user.department_id
    return has_reporting_work(
        user,
        {
            "report": lambda: [
                Indicator.objects.filter(
                    Q(lead_department=department) | Q(responsible_departments=department)
                )
            ],
            "projects": lambda: [Project.objects.reportable_by(user)],
            "tasks": lambda: [
                Milestone.objects.reportable_by(user),
                Enterprise.objects.filter(task__lead_departments=department),
            ],
        },
    )


# The header of each signed-in user, rendered once per process and kept while nothing it
# shows changes: the key holds every value it shows but the unread count and the CSRF
# token, which are filled in per request. A deploy starts new processes.
_rendered_headers: dict[tuple, str] = {}
MAX_HEADERS = 2000
# Holes in a kept header: random per process, so no user text can contain them.
_BADGE = f"<!--badge-{secrets.token_hex(8)}-->"
_CSRF = f"<!--csrf-{secrets.token_hex(8)}-->"


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """The signed-in user's navigation, search box, name and logout button (base.html).

    Every page shows it, and rendering it took longer than the rest of Django's work on
    a kept page (DESIGN.md §9): it is rendered once per user, role, department name and
    set of report pages, and this request's unread count and CSRF token are put in.
    """
    request = context["request"]
    user = context["user"]
    menus = reporting_menus(context) if user.role == "staff" or user.is_plan_admin else set()
    q = request.GET.get("q", "")
    key = (
        user.pk,
        user.username,
        user.department.name if user.department else None,
        user.role,
        user.is_plan_admin,
        frozenset(menus),
        get_language(),
    )
    html = None if q else _rendered_headers.get(key)
    if html is None:
        html = render_to_string(
            "includes/site_header.html",
            {
                "user": user,
                "menus": menus,
                "q": q,
                "badge": mark_safe(_BADGE),
                "csrf_input": mark_safe(_CSRF),
            },
        )
        if not q and not settings.DEBUG:  # with DEBUG a template edit shows at once
            if len(_rendered_headers) >= MAX_HEADERS:
                _rendered_headers.clear()
            _rendered_headers[key] = html
    unread = context.get("unread_notifications")
    badge = (
        format_html(' <span class="badge" aria-label="{}">{}</span>', _("未读通知"), unread)
        if unread
        else ""
    )
    csrf_input = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    return mark_safe(html.replace(_BADGE, badge).replace(_CSRF, csrf_input))
