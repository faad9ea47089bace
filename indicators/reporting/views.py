"""The kernel's pages and view helpers: one save helper, one review queue, one history page."""

from collections.abc import Callable
from functools import partial, wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions
from ..decorators import plan_admin_required
from ..models import Plan
from ..params import ids_param, page_param
from . import kinds
from .history import history_versions
from .review import figures_review, plans_with_waiting, review_queue_page
from .workflow import FigureConflict, FigureInvalid, WorkflowError


def conflict_message(current, shown: str) -> str:
    """Tell who saved what since the user opened the page; their input stays on the form."""
    who = current.entered_by.username if current.entered_by else "他人"
    when = (
        timezone.localtime(current.entered_at).strftime("%Y-%m-%d %H:%M")
        if current.entered_at
        else ""
    )
    return (
        f"保存失败：该数据已被 {who} 于 {when} 修改为 {shown}（{current.get_state_display()}）。"
        "您填写的内容仍保留在下方，请核对后再次保存。"
    )


def save_with_form(form, save: Callable[[], object], *, shown: Callable[[object], str]) -> bool:
    """Run `save`; put a version conflict or a broken rule on the form. True when saved.

    On a conflict the form's version becomes the one saved meanwhile, so the user's next
    save, after checking, starts from it.
    """
    try:
        save()
    except FigureConflict as conflict:
        current = conflict.current
        form.add_error(None, conflict_message(current, shown(current)))
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = str(current.version)
        return False
    except (FigureInvalid, WorkflowError) as exc:
        problems = getattr(exc, "problems", None)
        for problem in problems or []:
            form.add_error(problem.field, problem.message)
        if not problems:
            form.add_error(None, str(exc))
        return False
    return True


def is_submit(request) -> bool:
    """A save form's two buttons: 提交审核 (submit) or 保存草稿."""
    return request.POST.get("action") == "submit"


def save_and_answer(request, form, kind, subject, year: int, page_url: str, rerender, also=None):
    """The end of every save view: save, then back to the line with a message; else 400.

    Saves the form's entry for the kind's subject and year, and runs `also()` (an
    evidence file, say) in the same transaction: both or neither. `rerender(form)`
    shows the page again with this form.
    """
    save = partial(kind.save, **{kind.subject: subject}, year=year)

    def run() -> None:
        with transaction.atomic():
            save(
                user=request.user,
                entry=form.entry(),
                expected_version=form.cleaned_data["version"] or None,
                submit=form.submitting,
            )
            if also is not None:
                also()

    if form.is_valid() and save_with_form(form, run, shown=kind.shown):
        verb = _("已提交审核") if form.submitting else _("草稿已保存")
        messages.success(request, f"{kind.name_of(subject)}：{verb}")
        return redirect(f"{page_url}#{form.prefix}")
    return rerender(form)


def save_view(page: str, anchor: Callable[[dict], str]):
    """Decorate a figure's save view: a POST saves; any other request goes to the page.

    A refused save is shown again, with the input and the problems, at the save's own
    address; reloading it, or opening it again from the address bar or the history, must
    land on the page (`page`: the URL name taking slug and year), at the line `anchor(kwargs)`,
    never on a 405.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, **kwargs):
            if request.method != "POST":
                url = reverse(page, kwargs={"slug": kwargs["slug"], "year": kwargs["year"]})
                return redirect(f"{url}#{anchor(kwargs)}")
            return view(request, **kwargs)

        return wrapped

    return decorate


def safe_next(request, fallback: str) -> str:
    """The `next` the form names, if it stays on this site; else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@plan_admin_required
def review_page(request):
    """The one review queue: every submitted figure of every plan and kind by default,
    with the counts per plan and kind, filtered by plan and kind, 50 rows a page."""
    plans = plans_with_waiting(Plan.objects.order_by("first_year", "slug"))
    plan = next((p for p in plans if p.slug == request.GET.get("plan")), None)
    kind = kinds.get(request.GET.get("kind", ""))
    queue = review_queue_page(plans=plans, plan=plan, kind=kind, page=page_param(request))
    all_kinds = kinds.all_kinds()
    filters = urlencode({"plan": plan.slug if plan else "", "kind": kind.key if kind else ""})
    context = {
        "plans": plans,
        "plan": plan,
        "kinds": all_kinds,
        "kind": kind,
        "queue": queue,
        "rows": queue.rows,
        "filters": filters,
        # (plan, [(kind, count)], total) for the counts table; totals per kind below it.
        "counts": [
            (p, [(k, p.waiting[k.key]) for k in all_kinds], sum(p.waiting.values())) for p in plans
        ],
        "kind_totals": [(k, sum(p.waiting[k.key] for p in plans)) for k in all_kinds],
        "waiting_total": sum(sum(p.waiting.values()) for p in plans),
    }
    return render(request, "reporting/review.html", context)


@require_POST
@login_required
@plan_admin_required
def review_decide(request):
    approve = request.POST.get("action") == "approve"
    picks = {kind.key: ids_param(request, kind.key) for kind in kinds.all_kinds()}
    try:
        done = figures_review(
            picks=picks, user=request.user, approve=approve, reason=request.POST.get("reason", "")
        )
    except FigureConflict:
        messages.error(request, "未做任何修改：所选数据刚被他人修改，请刷新页面后重新审核。")
    except WorkflowError as exc:
        messages.error(request, f"未做任何修改：{exc}")
    else:
        verb = "审核通过" if approve else "退回"
        names = "、".join(f"{kind.describe(figure)}（{figure.year}）" for kind, figure in done)
        messages.success(request, f"已{verb} {len(done)} 条：{names}")
    return redirect(safe_next(request, reverse("review_queue")))


def render_history(request, kind, subject, year: int, back_url: str):
    """Every version of one figure: who, when, what changed; leaders see the approvals only."""
    if not permissions.can_see_history(request.user, subject):
        raise PermissionDenied(_("只有负责填报的单位、规划办或领导可以查看修改历史。"))
    context = {
        "plan": kind.plan_of(subject),
        "title": f"{kind.name_of(subject)} · {year}年{kind.noun}",
        "back_url": back_url,
        "versions": history_versions(
            kind.figure_of(subject, year),
            approved_only=not permissions.can_see_working(request.user, subject),
        ),
    }
    return render(request, "reporting/history.html", context)
