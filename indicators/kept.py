"""Rows nearly every request reads, kept in this process and checked on every read: the
signed-in user, the plan a page names and the plan menu (DESIGN.md §9).

Each kept copy carries the version it was read under; a read asks the shared cache for
the current version (one round trip, about 0.07 ms, against 0.5–0.7 ms for the query it
replaces) and reads the row again when the two differ. So another worker or another
machine sees a change at its next request, exactly as if nothing were kept: what a
process keeps is a copy, never state. Writes bump the versions when they commit
(indicators/signals.py).

Kept here rather than in the shared cache: the user's row holds the password hash, which
has no business in Redis. Copies are pickled: each read gets an object of its own, so
what a request sets on its user or plan never reaches the next request.
"""

import logging
import pickle
from collections.abc import Callable
from typing import TypeVar

from django.http import Http404

from .cache import (
    bump_version_on_commit,
    changed_here,
    current_version,
    current_versions,
    version_changed_here,
    version_key,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

# The plans and departments (one version for all: a plan is created, renamed or closed, a
# department renamed, a few times a year).
CATALOGUE = "plan-catalogue-version"
# A bound on this process's copies; past it they are dropped and read again as needed.
MAX_COPIES = 2000

_copies: dict[str, tuple[int, bytes]] = {}


def user_version_key(user_id: int) -> str:
    return f"user-version:{user_id}"


def kept(
    version_key: str,
    name: str,
    load: Callable[[], T],
    changed_here: Callable[[], bool] | None = None,
) -> T:
    """Return load(), or this process's copy of it when `version_key` has not moved since.

    `None` is returned but never kept. A transaction that has changed what the version
    covers, not yet committed, neither keeps nor is served a copy. When the shared cache
    is unavailable the row is simply read. `changed_here` tells whether the current
    transaction has changed what the version covers (by default: has scheduled its bump).
    """
    try:
        version = current_version(version_key)
    except Exception:
        logger.exception("shared cache unavailable; reading %s", name)
        return load()
    if version is None:  # no cache at all (DummyCache): no version to check a copy by
        return load()
    if (changed_here or (lambda: version_changed_here(version_key)))():
        return load()
    entry = _copies.get(name)
    if entry is not None and entry[0] == version:
        return pickle.loads(entry[1])
    # Read after the version: a row read now is at least as new as `version` says.
    value = load()
    if value is not None:
        if len(_copies) >= MAX_COPIES:
            _copies.clear()
        _copies[name] = (version, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    return value


def forget_all() -> None:
    """Drop this process's copies (tests; never needed for correctness)."""
    _copies.clear()


# --- the signed-in user ---------------------------------------------------------------------


def kept_user(user_id: int):
    """The user with its department (None when there is no such user)."""
    from .models import User

    # Every page then asks for the plans' version too: both in one round trip.
    try:
        current_versions([user_version_key(user_id), CATALOGUE])
    except Exception:
        pass  # kept() below logs it and reads the row
    return kept(
        user_version_key(user_id),
        f"user:{user_id}",
        lambda: User._default_manager.select_related("department").filter(pk=user_id).first(),
    )


def user_changed(user_id: int) -> None:
    bump_version_on_commit(user_version_key(user_id))


# --- plans ----------------------------------------------------------------------------------


def kept_plan(slug: str):
    """The plan with this slug, or None."""
    from .models import Plan

    return kept(CATALOGUE, f"plan:{slug}", lambda: Plan.objects.filter(slug=slug).first())


def kept_plan_or_404(slug: str):
    plan = kept_plan(slug)
    if plan is None:
        raise Http404("没有这个规划")
    return plan


def kept_department_or_404(department_id: int):
    from .models import Department

    department = kept(
        CATALOGUE,
        f"department:{department_id}",
        lambda: Department.objects.filter(pk=department_id).first(),
    )
    if department is None:
        raise Http404("没有这个单位")
    return department


def kept_indicator_or_404(plan, number: int):
    """The plan's indicator with this number and its lead department, kept under the
    plan's data version (every write to an indicator moves it)."""
    from .models import Indicator

    indicator = kept(
        version_key(plan.pk),
        f"indicator:{plan.pk}:{number}",
        lambda: (
            Indicator.objects.select_related("lead_department")
            .filter(plan=plan, number=number)
            .first()
        ),
        changed_here=lambda: changed_here(plan.pk),
    )
    if indicator is None:
        raise Http404("没有这个指标")
    return indicator


def kept_default_plan():
    """The plan a page shows when none is named: the earliest of the menu's (None when
    there is no plan)."""
    return kept(
        CATALOGUE,
        "plan-default",
        lambda: min(kept_plan_menu(), key=lambda p: (p.first_year, p.slug), default=None),
    )


def kept_plan_menu() -> list:
    """The plan menu every plan page offers (selectors.plan_menu), without a current plan."""
    from .models import Plan
    from .selectors import plan_menu

    return kept(CATALOGUE, "plan-menu", lambda: plan_menu(Plan.objects.all(), None))


def plans_changed() -> None:
    bump_version_on_commit(CATALOGUE)
