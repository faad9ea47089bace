"""Each plan's data version, and a plan-year's progress cached under it (DESIGN.md §9).

A plan's progress is computed once per plan, year and data version and kept in Django's
cache (local memory, or Redis when REDIS_URL is set). Every write that can change what
the progress shows bumps the plan's data version, so the next read computes it afresh;
nothing is ever deleted, an entry under an old version is simply never read again and
expires after PROGRESS_TIMEOUT.

Who bumps: the reporting kernel (indicators/reporting/workflow.py) on every save,
approval and return of any kind of figure; model signals (indicators/signals.py) on every
ORM save or delete of a plan, group, indicator, target, actual, deadline or department
and on changes of an indicator's responsible units; and the bulk writes that bypass
signals (load_demo's bulk_create) explicitly.

Bumps wait for the commit (`bump_on_commit`). A reader that read the old version and the
old data before the commit stores its result under the old version, which nobody reads
once the bump lands; a rolled-back write bumps nothing. A transaction never stores the
progress of a plan it has changed and not yet committed (`changed_here`): another process
could read it before the commit, or after a rollback. Until its commit such a transaction
reads what everyone reads, the committed progress, when it is cached (no view today
reads progress in the transaction of a write).
"""

import logging
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

# Raise when the cached objects change shape, so a deploy never unpickles old ones.
FORMAT = 1
# Entries under an abandoned version are never read again; this only bounds their memory,
# and the staleness left should a bump ever fail (it is logged).
PROGRESS_TIMEOUT = 60 * 60

T = TypeVar("T")


def version_key(plan_id: int) -> str:
    return f"plan-data-version:{plan_id}"


def progress_key(plan_id: int, year: int, version: int) -> str:
    return f"plan-progress:{FORMAT}:{plan_id}:{year}:{version}"


def _fresh_version() -> int:
    """A first version that no earlier life of the key has used: the time in microseconds.

    Should the key be lost (a Redis restart or eviction) while entries under old versions
    remain, the new version is larger than every old one bumped at human pace.
    """
    return time.time_ns() // 1000


def data_version(plan_id: int) -> int:
    """The plan's current data version; created when missing."""
    key = version_key(plan_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, _fresh_version(), timeout=None)
        version = cache.get(key)
    return version


def bump(plan_id: int) -> int:
    """Move the plan to a new data version at once (atomic); return it.

    Writers call bump_on_commit instead, so that the bump follows their commit.
    """
    key = version_key(plan_id)
    try:
        return cache.incr(key)
    except ValueError:  # no version yet (or it was evicted): any new one will do
        if cache.add(key, _fresh_version(), timeout=None):
            return cache.get(key)
        return cache.incr(key)


def _bump_later(plan_id: int) -> Callable[[], None]:
    def bump_plan_data_version() -> None:
        bump(plan_id)

    bump_plan_data_version.plan_id = plan_id
    return bump_plan_data_version


def _pending(connection, plan_id: int) -> list[set]:
    """The savepoints under which this transaction scheduled a bump of the plan.

    Django's own list of on-commit callbacks is the record: it drops the callbacks of a
    savepoint rolled back, so a bump listed here is one the commit will run.
    """
    return [
        sids
        for sids, func, _robust in connection.run_on_commit
        if getattr(func, "plan_id", None) == plan_id
    ]


def bump_on_commit(plan_id: int | None) -> None:
    """Bump the plan's data version when the current transaction commits (now, outside one).

    Once per plan and transaction: a bump already scheduled where this write cannot
    outlive it (the same savepoints or fewer) covers it.
    """
    if plan_id is None:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        current = set(connection.savepoint_ids)
        if any(sids <= current for sids in _pending(connection, plan_id)):
            return
    # robust: the write is committed whatever happens here; a failed bump is logged.
    transaction.on_commit(_bump_later(plan_id), robust=True)


def bump_many_on_commit(plan_ids: Iterable[int | None]) -> None:
    for plan_id in set(plan_ids):
        bump_on_commit(plan_id)


def bump_all_on_commit() -> None:
    """Bump every plan: for a change every plan may show (a department renamed)."""
    from .models import Plan

    bump_many_on_commit(Plan.objects.values_list("pk", flat=True))


def changed_here(plan_id: int) -> bool:
    """Whether the current transaction wrote something of the plan not yet committed."""
    connection = transaction.get_connection()
    return connection.in_atomic_block and bool(_pending(connection, plan_id))


def figure_plan_id(figure, plan_lookup: str) -> int | None:
    """The plan of a reported figure, following the kind's `plan_lookup` ("indicator__plan").

    Free when the related objects are loaded; otherwise one query.
    """
    *path, last = plan_lookup.split("__")
    obj = figure
    for name in path:
        field = obj._meta.get_field(name)
        if not field.is_cached(obj):
            return (
                type(figure)
                ._default_manager.filter(pk=figure.pk)
                .values_list(plan_lookup, flat=True)
                .first()
            )
        obj = getattr(obj, name)
        if obj is None:
            return None
    return getattr(obj, obj._meta.get_field(last).attname)


def cached_progress(plan, year: int, compute: Callable[[object, int], T]) -> T:
    """Return compute(plan, year), from the cache when the plan's data has not changed.

    Values are pickled: the progress objects hold model instances with their prefetched
    relations, which pickle whole, so a hit costs no query. A cache that fails (Redis
    down) is logged and bypassed: the progress is computed; an entry that cannot be read
    is logged and computed again over it.
    """
    try:
        # The version first: data read after it can only be as new as the version says.
        key = progress_key(plan.pk, year, data_version(plan.pk))
    except Exception:
        logger.exception("progress cache unavailable; computing plan %s, %s", plan.pk, year)
        return compute(plan, year)
    try:
        progress = cache.get(key)
    except Exception:  # unreadable: computed again and stored over it
        logger.exception("cached progress unreadable: plan %s, %s", plan.pk, year)
        progress = None
    if progress is not None:
        return progress
    progress = compute(plan, year)
    if changed_here(plan.pk):
        return progress  # holds this transaction's uncommitted writes: for it alone
    try:
        cache.set(key, progress, PROGRESS_TIMEOUT)
    except Exception:
        logger.exception("progress cache unavailable; not storing plan %s, %s", plan.pk, year)
    return progress
