import pytest

from indicators.models import Department, Plan, Role
from tests.factories import load_plans_quietly, make_user


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load both plans once into the test database, as `manage.py load_plans` does.

    Each test runs in a transaction rolled back at its end, so every test starts from
    the loaded plans. Transactional tests empty the database and load again themselves.
    """
    with django_db_blocker.unblock():
        load_plans_quietly()


@pytest.fixture
def loaded_plans(db):
    """Both plans, as loaded from fixtures/."""
    plans = {plan.slug: plan for plan in Plan.objects.all()}
    if not plans:  # after a transactional test flushed the database
        load_plans_quietly()
        plans = {plan.slug: plan for plan in Plan.objects.all()}
    return plans


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
