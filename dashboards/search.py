"""Search (/search/?q=): indicators, major projects and key tasks across plans, by plan.

An indicator is found by its number (“18”), its name or part of it (“产业链”), or the
initials of its name in pinyin (“gyzcz” for 工业总产值, offline through pypinyin); a
project by its name, builder or number; a key task by its name, its items or its
milestones. Each hit links to its page. The page costs a fixed number of queries whatever
the number of plans: at most one per kind, plus one for the pinyin names.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators.models import Indicator, Plan
from indicators.params import ascii_int, search_param
from indicators.permissions import can_search
from projects.models import KeyTask, Project

# Hits shown per kind: a search box lists, it does not page.
LIMIT = 50
_INITIALS = re.compile(r"[a-z]{2,20}")


@dataclass
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass
class PlanHits:
    plan: Plan
    indicators: list[Hit] = field(default_factory=list)
    projects: list[Hit] = field(default_factory=list)
    tasks: list[Hit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.indicators) + len(self.projects) + len(self.tasks)


@lru_cache(maxsize=20_000)
def pinyin_initials(text: str) -> str:
    """The first letter of each character's pinyin, lower case: 工业总产值 → gyzcz.

    Letters and digits in the name are kept as they are (GDP → gdp). pypinyin is imported
    here, at the first search: its dictionaries take about 0.2 s to load, which every
    `manage.py` command would otherwise pay when its checks load the URLs.
    """
    from pypinyin import Style, lazy_pinyin

    return "".join(
        syllable[0] for syllable in lazy_pinyin(text, style=Style.FIRST_LETTER) if syllable
    ).lower()


def _indicators(query: str) -> list[Indicator]:
    number = ascii_int(query, max_digits=4)
    condition = Q(name__icontains=query)
    if number is not None:
        condition |= Q(number=number)
    initials = query.lower() if _INITIALS.fullmatch(query.lower()) else ""
    if initials:  # one more query: every name, read as pinyin initials here
        names = Indicator.objects.values_list("pk", "name")
        matched = [pk for pk, name in names if initials in pinyin_initials(name)]
        condition |= Q(pk__in=matched[:LIMIT])
    found = (
        Indicator.objects.filter(condition)
        .select_related("plan", "lead_department")
        .order_by("plan__first_year", "plan__slug", "number")
    )
    return list(found[:LIMIT])


def _projects(query: str) -> list[Project]:
    condition = Q(name__icontains=query) | Q(builder__icontains=query)
    number = ascii_int(query, max_digits=4)
    if number is not None:
        condition |= Q(number=number)
    found = Project.objects.filter(condition).select_related("plan")
    return list(found.order_by("plan__first_year", "plan__slug", "number")[:LIMIT])


def _tasks(query: str) -> list[KeyTask]:
    condition = (
        Q(name__icontains=query)
        | Q(items__title__icontains=query)
        | Q(items__text__icontains=query)
        | Q(milestones__name__icontains=query)
        | Q(milestones__text__icontains=query)
    )
    found = KeyTask.objects.filter(condition).distinct().select_related("plan")
    return list(found.order_by("plan__first_year", "plan__slug", "number")[:LIMIT])


def search_results(query: str) -> list[PlanHits]:
    """Return the hits for `query` grouped by plan, in the plans' order (3 or 4 queries)."""
    if not query:
        return []
    groups: dict[int, PlanHits] = {}

    def group(plan: Plan) -> PlanHits:
        return groups.setdefault(plan.pk, PlanHits(plan))

    for indicator in _indicators(query):
        lead = indicator.lead_department.name if indicator.lead_department else ""
        group(indicator.plan).indicators.append(
            Hit(
                f"{indicator.number}. {indicator.name}",
                reverse("indicator_detail", args=[indicator.plan.slug, indicator.number]),
                f"{indicator.unit} · {lead}" if lead else indicator.unit,
            )
        )
    for project in _projects(query):
        group(project.plan).projects.append(
            Hit(
                f"{project.number}. {project.name}",
                reverse("project_detail", args=[project.plan.slug, project.number]),
                project.builder,
            )
        )
    for task in _tasks(query):
        url = reverse("task_board", args=[task.plan.slug])
        group(task.plan).tasks.append(
            Hit(f"{task.number}. {task.name}", f"{url}#task-{task.number}")
        )
    return sorted(groups.values(), key=lambda hits: (hits.plan.first_year, hits.plan.slug))


@login_required
def search(request):
    if not can_search(request.user):
        raise PermissionDenied(_("请先登录。"))
    query = search_param(request)
    groups = search_results(query)
    context = {"q": query, "groups": groups, "total": sum(g.count for g in groups), "limit": LIMIT}
    return render(request, "dashboards/search.html", context)
