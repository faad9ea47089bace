"""Data that several tests of a module read, set up once for the module instead of once per
test, and never seen by a test that does not ask for it.

`rolled_back` answers once what each test used to ask for itself: in a transaction of its
own, rolled back at the end, from an empty cache (tests/conftest.py's `empty_cache`), so it
leaves the database and the cache as it found them.

`Layer` keeps rows that a module's tests read (and may change) in an outer transaction:
each test runs in a savepoint inside it (pytest-django's own transaction, nested) and is
rolled back to it, so every test that asks for the layer starts from the same rows, as if
its own fixture had just written them; a test of the module that does not ask for the layer
runs after it has been rolled back. A layer holds its writes' on-commit callbacks (the
cache's data-version bumps, indicators/cache.py) as that fixture's writes did: scheduled,
never run, and given back unchanged to the next test whatever the last one did with them.
"""

from collections.abc import Callable
from contextlib import contextmanager

from django.apps import apps
from django.core.cache import caches
from django.db import transaction

from indicators.models import Plan
from tests.factories import load_plans_quietly


def clear_caches() -> None:
    for each in caches.all():
        each.clear()


# The rows `load_plans` left in the test database when the session began (the plans, their
# departments, groups, targets, projects, tasks, enterprises and history), by model.
_BASE: list[tuple[type, list[dict]]] = []
# Made again by the flush itself (its post_migrate signal): content types, permissions and
# the role groups (indicators/signals.py).
_REMADE_BY_FLUSH = {"auth", "contenttypes"}


def remember_base() -> None:
    """Note the rows of the freshly loaded plans (tests/conftest.py, django_db_setup)."""
    _BASE.clear()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in _REMADE_BY_FLUSH or meta.proxy or not meta.managed:
            continue
        names = [field.attname for field in meta.concrete_fields]
        rows = list(model._base_manager.order_by("pk").values(*names))
        if rows:
            _BASE.append((model, rows))


def ensure_plans() -> None:
    """Both plans, as `loaded_plans` makes sure of: after a transactional test flushed the
    database, the very rows `load_plans` wrote at the session's start are written back,
    keys and all: a bulk insert per table rather than the command's thousands of queries.
    Django's foreign keys are deferred to the end of the transaction, so the tables may
    come in any order. (Only `created_at` differs: it is the time of writing, as it was
    when the command wrote the rows again.)"""
    if Plan.objects.exists():
        return
    if not _BASE:
        load_plans_quietly()
        return
    with transaction.atomic():
        for model, rows in _BASE:
            model._base_manager.bulk_create([model(**row) for row in rows])


@contextmanager
def rolled_back(django_db_blocker):
    """A transaction with the database unblocked, rolled back at its end, from an empty
    cache and leaving the cache empty."""
    with django_db_blocker.unblock():
        clear_caches()
        try:
            with transaction.atomic():
                ensure_plans()
                yield
                transaction.set_rollback(True)
        finally:
            clear_caches()


class Layer:
    """Rows written once by `build` and kept for the tests that ask for them (see above).

    Made by a module-scoped fixture, `fixture` being that fixture's name: pytest sets it up
    before any function-scoped fixture of a test that needs it (so before the test's own
    transaction), and tests/conftest.py's pytest_runtest_setup calls `before` for every
    test, ahead of all its fixtures, to enter or leave the layer as the test asks.
    """

    active: list["Layer"] = []  # made and not yet torn down, in this worker

    def __init__(self, fixture: str, django_db_blocker, build: Callable[[], object]):
        self.fixture = fixture
        self.blocker = django_db_blocker
        self.build = build
        self.atomic = None
        self.value = None
        self.pending: list = []

    @classmethod
    @contextmanager
    def kept(cls, fixture: str, django_db_blocker, build: Callable[[], object]):
        """The layer for a module-scoped fixture to yield, entered now, left at its end."""
        layer = cls(fixture, django_db_blocker, build)
        cls.active.append(layer)
        try:
            layer.enter()
            yield layer
        finally:
            layer.leave()
            cls.active.remove(layer)

    @classmethod
    def before(cls, item) -> None:
        for layer in cls.active:
            if layer.fixture in getattr(item, "fixturenames", ()):
                layer.enter()
            else:
                layer.leave()

    def enter(self):
        """Before a test that asks for the layer (its own transaction not yet begun)."""
        if self.atomic is None:
            with self.blocker.unblock():
                clear_caches()
                self.atomic = transaction.atomic()
                self.atomic.__enter__()
                try:
                    ensure_plans()
                    self.value = self.build()
                except BaseException:
                    self.leave()
                    raise
                self.pending = list(transaction.get_connection().run_on_commit)
        return self.value

    def restore(self) -> None:
        """After such a test, before its own transaction rolls back: the layer's callbacks
        as the layer left them (a test may have run them, as commit_so_far does)."""
        transaction.get_connection().run_on_commit[:] = self.pending

    def leave(self) -> None:
        """Before a test that does not ask for the layer, and at the module's end."""
        if self.atomic is not None:
            atomic, self.atomic, self.value = self.atomic, None, None
            with self.blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
