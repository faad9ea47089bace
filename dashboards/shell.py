"""What every page shows around its content — the signed-in user's header and the
messages — and leaders' pages kept whole, with those filled in per request (DESIGN.md §9).

A kept leader's page (overview, 部门对比, 部门详情, 指标详情) depends on the plan's data,
the year, the user's view of working figures and role, and the day (the print header's
date): it is rendered once per plan data version and those parts, and a request only
fills in two holes. The header is each user's own (name, role, department, report pages,
unread count, CSRF token); the messages are this request's. The kept page holds neither.

The header itself is rendered once per process for each user, role, department name and
set of report pages; the unread count and the CSRF token are put in per request.
"""

import secrets

from django.conf import settings
from django.contrib.messages import get_messages
from django.db.models import Q
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators.cache import cached_for_plan
from indicators.models import Indicator
from indicators.permissions import has_reporting_work
from projects.models import Enterprise, Milestone, Project
from workspace.notify import unread_count

# Holes, random per process so that no user text can contain them: in a kept header
# (the unread badge, the CSRF token) and in a kept page (the header, the messages).
_BADGE = f"<!--badge-{secrets.token_hex(8)}-->"
_CSRF = f"<!--csrf-{secrets.token_hex(8)}-->"
HEADER_HOLE = f"<!--header-{secrets.token_hex(8)}-->"
MESSAGES_HOLE = f"<!--messages-{secrets.token_hex(8)}-->"

_rendered_headers: dict[tuple, str] = {}
MAX_HEADERS = 2000


def report_pages(user) -> set[str]:
    """The report pages to list: "report" (我的填报), "projects" (项目填报), "tasks" (任务填报).

    Staff see only those where their department has something to report (one query);
    the plan office sees all of them, leaders none.
    """
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


def header_html(request, user, unread) -> str:
    """The signed-in user's navigation, search box, name and logout button (base.html).

    Rendering it took longer than the rest of Django's work on a kept page: it is kept per
    process under a key holding every value it shows but the unread count and the CSRF
    token, which are put in here. A search shows its words in the box: not kept.
    """
    menus = report_pages(user) if user.role == "staff" or user.is_plan_admin else set()
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
    badge = (
        format_html(' <span class="badge" aria-label="{}">{}</span>', _("未读通知"), unread)
        if unread
        else ""
    )
    csrf_input = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    return html.replace(_BADGE, badge).replace(_CSRF, csrf_input)


def render_kept(request, template: str, context: dict, *, plan, name: str, parts: tuple):
    """render(request, template, context), kept whole per plan data version and `parts`.

    `parts` must name everything the page shows that is not the plan's data (the year,
    whether the user sees working figures, whether they are the plan office, …): two
    users with the same parts are shown the same page, but for the header and messages.
    """
    day = timezone.localdate().isoformat()  # the print header's date

    def render_page() -> str:
        return render_to_string(template, context | {"kept_page": True}, request)

    html = cached_for_plan(plan.pk, f"whole-{name}", (*parts, day, get_language()), render_page)
    header = header_html(request, request.user, unread_count(request.user))
    stored = list(get_messages(request))  # read: marked as shown, as a rendered page does
    messages = render_to_string("includes/messages.html", {"messages": stored}) if stored else ""
    return HttpResponse(html.replace(HEADER_HOLE, header, 1).replace(MESSAGES_HOLE, messages, 1))
