import pytest

from indicators.models import Department, Plan, Role
from tests.factories import load_plans_quietly, make_user
from tests.shared import Layer, ensure_plans, remember_base


def _empty_tables_by_delete_on_postgresql() -> None:
    """Empty PostgreSQL's tables with DELETE where Django's flush says TRUNCATE.

    pytest-django empties the database after each transactional test (the browser tests,
    the backup test) with `flush`; TRUNCATE of the ~65 tables, almost all holding a few
    rows, takes half a second there (each table gets new files), DELETE 20 ms. The tables
    end up as empty either way and the sequences go on either way (neither restarts them);
    the foreign keys are checked at the commit, as Django creates them deferrable. Only a
    flush that restarts the sequences or cascades to other tables keeps TRUNCATE.
    """
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no PostgreSQL driver: SQLite only
        return
    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        delete = f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')}"
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"{delete} {style.SQL_FIELD(self.quote_name(table))};" for table in tables
        ]

    DatabaseOperations.sql_flush = sql_flush


_empty_tables_by_delete_on_postgresql()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Enter or leave the data layers of the module (tests/shared.py) before the test's
    fixtures, its own transaction among them, are set up."""
    Layer.before(item)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load both plans once into the test database, as `manage.py load_plans` does.

    Each test runs in a transaction rolled back at its end, so every test starts from
    the loaded plans. Transactional tests empty the database; `loaded_plans` then writes
    these very rows back (tests/shared.py).
    """
    with django_db_blocker.unblock():
        load_plans_quietly()
        remember_base()


@pytest.fixture
def loaded_plans(db):
    """Both plans, as loaded from fixtures/."""
    ensure_plans()  # after a transactional test flushed the database (tests/shared.py)
    return {plan.slug: plan for plan in Plan.objects.all()}


@pytest.fixture(autouse=True)
def _plans_after_a_flush(request):
    """Every test in a rolled-back transaction starts from the loaded plans, even one run
    after a transactional test (which empties the database) on the same test worker: the
    order pytest-django gives (transactional tests last) does not survive pytest-xdist's
    work stealing (pyproject.toml). Transactional tests load what they need themselves."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if marker is None and "db" not in names:
        return
    options = marker.kwargs if marker is not None else {}
    if options.get("transaction") or options.get("reset_sequences"):
        return
    if "transactional_db" in names or "live_server" in names:
        return
    request.getfixturevalue("db")
    ensure_plans()


@pytest.fixture
def wangcheng(loaded_plans) -> Plan:
    return loaded_plans["wangcheng-2021-2023"]


@pytest.fixture
def hitech(loaded_plans) -> Plan:
    return loaded_plans["changsha-hitech-2021-2025"]


@pytest.fixture
def empty_wangcheng_plan(db) -> Plan:
    """The Wangcheng plan without indicators, for import tests that start from nothing."""
    return Plan.objects.create(
        slug="test-wangcheng-2021-2023",
        name="长沙市望城区打造国家重要先进制造业高地三年行动计划（2021-2023年）",
        short_name="望城区三年行动计划",
        base_year=2020,
        first_year=2021,
        last_year=2023,
    )


@pytest.fixture
def admin_user(db):
    return make_user("office", Role.ADMIN)


@pytest.fixture
def leader_user(db):
    return make_user("leader1", Role.LEADER, department="区委区政府")


@pytest.fixture
def staff_user(db):
    return make_user("staff1", Role.STAFF, department="区科技局")


@pytest.fixture
def department(db):
    return Department.objects.get_or_create(name="区工信局")[0]


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (indicators/cache.py keeps progress there).

    A test's writes are rolled back without committing, so they never bump a plan's data
    version: progress another test cached would otherwise still be served.
    """
    from django.core.cache import caches

    for each in caches.all():
        each.clear()
