"""Each plan's data version, and a plan-year's progress cached under it (DESIGN.md §9).

A plan's progress is computed once per plan, year and data version and kept in Django's
cache (local memory, or Redis when REDIS_URL is set). Every write that can change what
the progress shows bumps the plan's data version, so the next read computes it afresh;
nothing is ever deleted: each entry carries the version it was computed under, one under
an old version is never served, and the next computation replaces it (or it expires
after PROGRESS_TIMEOUT). The version and the entry are read in one round trip, and a
request reads each version once (start_request/end_request).

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

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

logger = logging.getLogger(__name__)

# Raise when the cached objects change shape, so a deploy never unpickles old ones.
FORMAT = 2  # 2: targets in force (revised targets), lifecycle/targets.py
# Entries under an abandoned version are never read again; this only bounds their memory,
# and the staleness left should a bump ever fail (it is logged).
PROGRESS_TIMEOUT = 60 * 60

T = TypeVar("T")


def version_key(plan_id: int) -> str:
    return f"plan-data-version:{plan_id}"


# Folders of the checkout that hold no code the pages run.
STAMP_SKIPS = {"var", "tests", "bench", "fixtures", "media", "node_modules", "__pycache__"}


def _code_stamp() -> str:
    """A digest of the code and templates this process runs, read once at start.

    Part of the key of every kept value (not of the data versions, which every release
    shares and bumps), so after a deploy no process reads a page rendered, or an object
    pickled, by the code before it, and nobody has to remember to bump FORMAT.
    """
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=6)
    for top in sorted(root.iterdir()):
        if not top.is_dir() or top.name.startswith(".") or top.name in STAMP_SKIPS:
            continue
        for path in sorted(top.rglob("*")):
            if path.suffix in {".py", ".html"}:
                # The content, not the file times: two machines running one release share
                # their kept pages (a checkout on each has its own times).
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


CODE_STAMP = _code_stamp()


def _fresh_version() -> int:
    """A first version that no earlier life of the key has used: the time in microseconds.

    Should the key be lost (a Redis restart or eviction) while entries under old versions
    remain, the new version is larger than every old one bumped at human pace.
    """
    return time.time_ns() // 1000


# Versions already read by the request this thread serves: a page asks for the same version
# several times (the plans for the menu, the plan, the department), and each read is a
# round trip to the shared cache. Only within a request (signals.py starts and ends it):
# outside one, every read asks the cache. A bump in this thread drops its entry.
_request = threading.local()


def start_request(**kwargs) -> None:
    _request.versions = {}


def end_request(**kwargs) -> None:
    _request.versions = None


def _memo() -> dict | None:
    return getattr(_request, "versions", None)


def current_versions(keys: Iterable[str]) -> dict[str, int]:
    """The versions stored under `keys` in the shared cache, in one round trip; created
    when missing."""
    memo = _memo()
    found = {key: memo[key] for key in keys if memo is not None and key in memo}
    wanted = [key for key in keys if key not in found]
    if wanted:
        read = cache.get_many(wanted)
        for key in wanted:
            version = read.get(key)
            if version is None:
                cache.add(key, _fresh_version(), timeout=None)
                version = cache.get(key)
            found[key] = version
            if memo is not None:
                memo[key] = version
    return found


def current_version(key: str) -> int:
    """The version stored under `key` in the shared cache; created when missing."""
    return current_versions([key])[key]


def bump_version(key: str) -> int:
    """Move `key` to a new version at once (atomic); return it."""
    memo = _memo()
    if memo is not None:
        memo.pop(key, None)
    try:
        return cache.incr(key)
    except ValueError:  # no version yet (or it was evicted): any new one will do
        if cache.add(key, _fresh_version(), timeout=None):
            return cache.get(key)
        return cache.incr(key)


def data_version(plan_id: int) -> int:
    """The plan's current data version; created when missing."""
    return current_version(version_key(plan_id))


def bump(plan_id: int) -> int:
    """Move the plan to a new data version at once (atomic); return it.

    Writers call bump_on_commit instead, so that the bump follows their commit.
    """
    return bump_version(version_key(plan_id))


def lineage_ids(plan_id: int) -> set[int]:
    """The plans before and after this one (Plan.predecessor): their indicator pages draw
    one series across the plans, so a change in one is a change in the others' pages."""
    from .models import Plan

    return set(
        Plan.objects.filter(Q(successors=plan_id) | Q(predecessor=plan_id)).values_list(
            "pk", flat=True
        )
    )


def _bump_later(plan_id: int) -> Callable[[], None]:
    def bump_plan_data_version() -> None:
        bump(plan_id)
        for other in lineage_ids(plan_id):
            bump(other)

    bump_plan_data_version.plan_id = plan_id
    return bump_plan_data_version


def _pending(connection, plan_id: int) -> list[set]:
    """The savepoints under which this transaction scheduled a bump of the plan.

    Django's own list of on-commit callbacks is the record: it drops the callbacks of a
    savepoint rolled back, so a bump listed here is one the commit will run.
    """
    return _scheduled(connection, "plan_id", plan_id)


def _scheduled(connection, attribute: str, value) -> list[set]:
    return [
        sids
        for sids, func, _robust in connection.run_on_commit
        if getattr(func, attribute, None) == value
    ]


def bump_version_on_commit(key: str) -> None:
    """Bump the version under `key` when the current transaction commits (now, outside
    one); once per key and transaction, as bump_on_commit for a plan."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and _scheduled(connection, "version_key", key):
        return

    def bump_kept_version() -> None:
        bump_version(key)

    bump_kept_version.version_key = key
    transaction.on_commit(bump_kept_version, robust=True)


def version_changed_here(key: str) -> bool:
    """Whether the current transaction will bump `key` at its commit (it wrote what the
    version covers, not yet committed)."""
    connection = transaction.get_connection()
    return connection.in_atomic_block and bool(_scheduled(connection, "version_key", key))


def bump_on_commit(plan_id: int | None) -> None:
    """Bump the plan's data version when the current transaction commits (now, outside one).

    Once per plan and transaction: a bump still scheduled covers every later write. Its
    savepoints that are gone were released into their parents (Django drops the callbacks
    of a savepoint rolled back), and those still open enclose this write too; so whatever
    rolls back this write's work rolls back nothing the bump would outlive but this write.
    An import of 1,000 rows, each in a savepoint of its own, schedules one bump, not 1,000.
    """
    if plan_id is None:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and _pending(connection, plan_id):
        return
    # robust: the write is committed whatever happens here; a failed bump is logged.
    transaction.on_commit(_bump_later(plan_id), robust=True)


def bump_many_on_commit(plan_ids: Iterable[int | None]) -> None:
    for plan_id in set(plan_ids):
        bump_on_commit(plan_id)


def bump_all_on_commit() -> None:
    """Bump every plan when the transaction commits: for a change every plan may show (a
    department renamed, a plan named in every plan's menu). Once per transaction, whatever
    the number of plans; the plans are read at the commit."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and _scheduled(connection, "bumps_all", True):
        return

    def bump_every_plan() -> None:
        from .models import Plan

        for plan_id in Plan.objects.values_list("pk", flat=True):
            bump(plan_id)

    bump_every_plan.bumps_all = True
    transaction.on_commit(bump_every_plan, robust=True)


def changed_here(plan_id: int) -> bool:
    """Whether the current transaction wrote something of the plan not yet committed."""
    connection = transaction.get_connection()
    return connection.in_atomic_block and bool(
        _pending(connection, plan_id) or _scheduled(connection, "bumps_all", True)
    )


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
    relations, which pickle whole, so a hit costs no query.
    """
    return cached_for_plan(plan.pk, "progress", (year,), lambda: compute(plan, year))


def plan_cache_key(plan_id: int, name: str, parts: tuple) -> str:
    """Where a value derived from the plan is kept, with the data version it was computed
    under beside it (not in the key: the version and the value are read in one round trip,
    and a newer value replaces an older one)."""
    return f"plan-{name}:{FORMAT}:{CODE_STAMP}:{plan_id}:" + ":".join(map(str, parts))


def _version_and_entry(plan_id: int, key: str) -> tuple[int, object]:
    """The plan's data version and the entry under `key`, in one round trip (the entry
    alone when this request has read the version already)."""
    vkey = version_key(plan_id)
    memo = _memo()
    if memo is not None and vkey in memo:
        return memo[vkey], cache.get(key)
    found = cache.get_many([vkey, key])
    version = found.get(vkey)
    if version is None:
        return current_version(vkey), None
    if memo is not None:
        memo[vkey] = version
    return version, found.get(key)


def holds(plan_id: int, name: str, parts: tuple) -> bool:
    """Whether a value kept for the plan's current data version is there."""
    version, entry = _version_and_entry(plan_id, plan_cache_key(plan_id, name, parts))
    return entry is not None and entry[0] == version


def cached_for_plan(plan_id: int, name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """Return compute(), from the cache while the plan's data version is unchanged.

    Anything derived from one plan's data alone may be kept this way (its progress, a
    rendered table or chart, an API answer, an Excel report): `name` and `parts` say which
    and for whom. A cache that fails (Redis down) is logged and bypassed: the value is
    computed; an entry that cannot be read is logged and computed again over it.

    The value is stored with the version read before computing it: data read after the
    version can only be as new as the version says. A value computed under an older
    version, stored late over a newer one, is simply not served (its version differs).
    """
    key = plan_cache_key(plan_id, name, parts)
    try:
        version, entry = _version_and_entry(plan_id, key)
    except Exception:  # the cache is down, or the entry unreadable
        logger.exception("cached %s unreadable: plan %s %s", name, plan_id, parts)
        try:
            version, entry = data_version(plan_id), None
        except Exception:
            logger.exception("plan cache unavailable; computing %s of plan %s", name, plan_id)
            return compute()
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    if changed_here(plan_id):
        return value  # holds this transaction's uncommitted writes: for it alone
    try:
        cache.set(key, (version, value), PROGRESS_TIMEOUT)
    except Exception:
        logger.exception("plan cache unavailable; not storing %s of plan %s", name, plan_id)
    return value
