"""A plan-year's progress is computed once and cached until a write bumps the plan's data
version (indicators/cache.py, DESIGN.md §9).

Each test runs in a transaction that is rolled back, where on-commit callbacks never run;
`committed()` runs a block as if it were a transaction of its own that commits, so the
bumps it scheduled land as they would in production. The last tests commit for real: in
this process, and across two processes sharing one database and one Redis.
"""

import io
import json
import os
import select
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from indicators.actual_import import actuals_upload
from indicators.actuals import ACTUAL, ActualEntry, actual_save
from indicators.api import progress_payload
from indicators.cache import bump, data_version, holds, version_key
from indicators.models import Actual, Department, Indicator, Plan, ReportingDeadline, Role, User
from indicators.plan_import.apply import sheet_import
from indicators.plan_import.reader import PlanYears, read_responsibility_sheet
from indicators.reporting.review import figure_approve, figure_return
from indicators.scorecard import compute_plan_progress, plan_progress
from tests.factories import WANGCHENG, committed, grow_plan, make_user
from tests.indicators.sheets import edited_fixture, workbook_bytes

ROOT = Path(__file__).resolve().parents[2]
PROGRESS_URL = f"/api/v1/plans/{WANGCHENG}/progress/?year={{year}}"


def is_cached(plan: Plan, year: int) -> bool:
    return holds(plan.pk, "progress", (year,))


def row(year: int, number: int, plan: str = WANGCHENG):
    progress = plan_progress(Plan.objects.get(slug=plan), year)
    return next(r for r in progress.rows if r.indicator.number == number)


def api_row(client, year: int, number: int) -> dict:
    response = client.get(PROGRESS_URL.format(year=year))
    assert response.status_code == 200
    return next(r for r in response.json()["indicators"] if r["number"] == number)


def indicator(number: int) -> Indicator:
    return Indicator.objects.get(plan__slug=WANGCHENG, number=number)


# Every write path that changes what progress shows. Indicator 26 (高新技术企业, led by
# 区科技局) has a 2021 target of 250 家 and a base of 199 家.


@dataclass
class World:
    client: object  # logged in as a leader
    staff: User  # 区科技局
    office: User  # 管理员
    root: User  # superuser, for the Django admin

    def submit(self, value: str, number: int = 26, year: int = 2021) -> Actual:
        current = Actual.objects.filter(indicator__number=number, year=year).first()
        return actual_save(
            indicator=indicator(number),
            year=year,
            user=self.staff,
            entry=ActualEntry(value=Decimal(value)),
            expected_version=current.version if current else None,
            submit=True,
        )

    def approve(self, figure: Actual) -> None:
        figure_approve(kind=ACTUAL, pk=figure.pk, user=self.office)


def _excel_approve(world: World) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["序号", "指标名称", "2021年实际值"])
    workbook.active.append([26, "高新技术企业", 260])
    actuals_upload(
        plan=Plan.objects.get(slug=WANGCHENG),
        file_name="统计公报.xlsx",
        content=workbook_bytes(workbook),
        user=world.office,
        mode="approve",
        year=2021,
    )


def _sheet_import_target(world: World) -> None:
    content = edited_fixture({"H4": 1800})  # 1. 工业总产值 2023年目标值 1700 → 1800
    rows = read_responsibility_sheet("附件1.xlsx", content, PlanYears(2020, 2021, 2023))
    sheet_import(plan=Plan.objects.get(slug=WANGCHENG), rows=rows, user=world.office, reason="t")


def _admin_target(world: World) -> None:
    from django.test import Client

    target = indicator(26).targets.get(year=2021)
    admin = Client()
    admin.force_login(world.root)
    response = admin.post(
        f"/admin/indicators/target/{target.pk}/change/",
        {"indicator": target.indicator_id, "year": 2021, "value": "300", "text": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _lead_changed(world: World) -> None:
    subject = indicator(26)
    subject.lead_department = Department.objects.get(name="区工信局")
    subject.save()


def _department_renamed(world: World) -> None:
    department = Department.objects.get(name="区科技局")
    department.name = "区科学技术局"
    department.save()


def _threshold_changed(world: World) -> None:
    plan = Plan.objects.get(slug=WANGCHENG)
    plan.near_threshold = Decimal("0.8")
    plan.save()


def _demo(command: str) -> Callable[[World], None]:
    return lambda world: call_command(command, stdout=io.StringIO())


@dataclass(frozen=True)
class WritePath:
    setup: Callable[[World], object] | None
    read: Callable[[World], object]  # primes the cache, then reads again after the write
    write: Callable[[World], object]
    before: object
    after: object


WRITE_PATHS = {
    "kernel approve": WritePath(
        setup=lambda w: w.submit("260"),
        read=lambda w: api_row(w.client, 2021, 26)["value"],
        write=lambda w: w.approve(Actual.objects.get(indicator__number=26)),
        before=None,
        after="260",
    ),
    "kernel return": WritePath(
        setup=lambda w: w.submit("260"),
        read=lambda w: plan_progress(Plan.objects.get(slug=WANGCHENG), 2021).reported,
        write=lambda w: figure_return(
            kind=ACTUAL,
            pk=Actual.objects.get(indicator__number=26).pk,
            user=w.office,
            reason="请核对口径",
        ),
        before=1,
        after=0,
    ),
    "kernel correction approved": WritePath(
        setup=lambda w: (w.approve(w.submit("260")), w.submit("270")),
        read=lambda w: row(2021, 26).value,
        write=lambda w: w.approve(Actual.objects.get(indicator__number=26)),
        before=Decimal("260"),
        after=Decimal("270"),
    ),
    "kernel submit (counted as reported)": WritePath(
        setup=None,
        read=lambda w: plan_progress(Plan.objects.get(slug=WANGCHENG), 2021).reported,
        write=lambda w: w.submit("260"),
        before=0,
        after=1,
    ),
    "kernel save over a sample": WritePath(
        setup=_demo("load_demo"),
        read=lambda w: row(2021, 26).is_demo,
        write=lambda w: w.submit("260"),
        before=True,
        after=False,
    ),
    "Excel upload, approve mode": WritePath(
        setup=None,
        read=lambda w: api_row(w.client, 2021, 26)["value"],
        write=_excel_approve,
        before=None,
        after="260",
    ),
    "responsibility sheet changes a target": WritePath(
        setup=None,
        read=lambda w: row(2023, 1).target.value,
        write=_sheet_import_target,
        before=Decimal("1700"),
        after=Decimal("1800"),
    ),
    "target edited in the Django admin": WritePath(
        setup=None,
        read=lambda w: api_row(w.client, 2021, 26)["target"],
        write=_admin_target,
        before="250",
        after="300",
    ),
    "lead department changed": WritePath(
        setup=None,
        read=lambda w: row(2021, 26).lead_name,
        write=_lead_changed,
        before="区科技局",
        after="区工信局",
    ),
    "responsible unit added": WritePath(
        setup=None,
        read=lambda w: (
            "区金融办" in {d.name for d in row(2021, 26).indicator.responsible_departments.all()}
        ),
        write=lambda w: indicator(26).responsible_departments.add(
            Department.objects.get(name="区金融办")
        ),
        before=False,
        after=True,
    ),
    "department renamed": WritePath(
        setup=None,
        read=lambda w: row(2021, 26).lead_name,
        write=_department_renamed,
        before="区科技局",
        after="区科学技术局",
    ),
    "plan threshold changed": WritePath(
        setup=None,
        read=lambda w: row(2021, 26).indicator.plan.near_threshold,
        write=_threshold_changed,
        before=Decimal("0.9"),
        after=Decimal("0.8"),
    ),
    "deadline set": WritePath(
        setup=None,
        read=lambda w: plan_progress(Plan.objects.get(slug=WANGCHENG), 2021).deadline is None,
        write=lambda w: ReportingDeadline.objects.create(
            plan=Plan.objects.get(slug=WANGCHENG), year=2021, due_date=date(2022, 3, 31)
        ),
        before=True,
        after=False,
    ),
    "load_demo": WritePath(
        setup=None,
        read=lambda w: row(2021, 26).value is None,
        write=_demo("load_demo"),
        before=True,
        after=False,
    ),
    "clear_demo": WritePath(
        setup=_demo("load_demo"),
        read=lambda w: row(2021, 26).value is None,
        write=_demo("clear_demo"),
        before=False,
        after=True,
    ),
}


@pytest.mark.parametrize("name", WRITE_PATHS)
def test_every_write_path_shows_at_once_in_progress(name, client, loaded_plans, leader_user):
    path = WRITE_PATHS[name]
    with committed():
        world = World(
            client=client,
            staff=make_user("kjj", Role.STAFF, department="区科技局"),
            office=make_user("office", Role.ADMIN),
            root=User.objects.create_superuser("root", "", "Pw-root-2026!"),
        )
        client.force_login(leader_user)
        if path.setup:
            path.setup(world)
    plan = loaded_plans[WANGCHENG]

    assert path.read(world) == path.before
    assert path.read(world) == path.before
    years = (2021, 2023)
    assert any(is_cached(plan, year) for year in years), "the first read must prime the cache"
    versions = data_version(plan.pk)

    with committed():
        path.write(world)

    assert data_version(plan.pk) != versions
    assert path.read(world) == path.after


def test_a_transaction_stores_nothing_it_has_not_committed(wangcheng):
    target = indicator(26).targets.get(year=2021)
    target.value = Decimal("300")
    with transaction.atomic():
        target.save()
        # The writer's own read sees its write; nobody else may, before the commit.
        assert row(2021, 26).target.value == Decimal("300")
        assert not is_cached(wangcheng, 2021)
    assert row(2021, 26).target.value == Decimal("300")


def test_a_rolled_back_write_bumps_nothing(wangcheng):
    version = data_version(wangcheng.pk)
    target = indicator(26).targets.get(year=2021)
    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            target.value = Decimal("300")
            target.save()
            raise RuntimeError("refused")
    assert data_version(wangcheng.pk) == version


def test_one_transaction_bumps_its_plan_once_and_no_other(wangcheng, hitech, admin_user):
    ours, theirs = data_version(wangcheng.pk), data_version(hitech.pk)
    content = edited_fixture({"H4": 1800, "H5": 900, "K15": "区工信局、区金融办"})
    rows = read_responsibility_sheet("附件1.xlsx", content, PlanYears(2020, 2021, 2023))
    with committed():
        sheet_import(plan=wangcheng, rows=rows, user=admin_user, reason="t")
    assert (data_version(wangcheng.pk), data_version(hitech.pk)) == (ours + 1, theirs)


def test_a_lost_version_key_starts_a_new_version(wangcheng):
    plan_progress(wangcheng, 2021)
    old = data_version(wangcheng.pk)
    cache.delete(version_key(wangcheng.pk))
    assert bump(wangcheng.pk) != old and not is_cached(wangcheng, 2021)


# What a hit costs, and that it gives what the computation gives.


def test_a_hit_costs_no_query_for_the_progress(wangcheng, django_assert_num_queries):
    with django_assert_num_queries(5):  # indicators, responsible units, targets, actuals, deadline
        computed = plan_progress(wangcheng, 2021)
    with django_assert_num_queries(0):
        cached = plan_progress(wangcheng, 2021)
    assert cached.plan is wangcheng
    assert progress_payload(cached) == progress_payload(computed)


@pytest.mark.parametrize(
    "url",
    [
        PROGRESS_URL.format(year=2021),
        f"/?plan={WANGCHENG}&year=2021",
        f"/departments/?plan={WANGCHENG}&year=2021",
        f"/reports/{WANGCHENG}/2021.xlsx",
    ],
)
def test_a_page_costs_fewer_queries_on_a_hit(
    client, leader_user, wangcheng, django_assert_max_num_queries, url
):
    client.force_login(leader_user)
    with CaptureQueriesContext(connection) as miss:
        assert client.get(url).status_code == 200
    # At most the session, the user (read again while this test's login is uncommitted),
    # the unread count, the plan; the miss also read the plan menu the first time.
    with django_assert_max_num_queries(4) as hit:
        assert client.get(url).status_code == 200
    assert len(hit) <= len(miss) - 5  # the computation's five queries (below), at least


def test_the_computation_costs_the_same_queries_whatever_the_size(wangcheng):
    with CaptureQueriesContext(connection) as small:
        compute_plan_progress(wangcheng, 2021)
    grow_plan(wangcheng, 40)
    with CaptureQueriesContext(connection) as large:
        compute_plan_progress(wangcheng, 2021)
    assert len(small) == len(large) == 5


def test_a_hit_gives_what_the_computation_gives_for_every_plan_and_year(loaded_plans):
    with committed():
        call_command("load_demo", stdout=io.StringIO())
    for plan in loaded_plans.values():
        for year in plan.years:
            computed = progress_payload(compute_plan_progress(plan, year))
            plan_progress(plan, year)
            assert is_cached(plan, year)
            assert progress_payload(plan_progress(plan, year)) == computed


# Real commits.


@pytest.mark.django_db(transaction=True)
def test_real_commits_bump_and_a_failed_one_does_not(loaded_plans):
    plan = loaded_plans[WANGCHENG]
    staff = make_user("kjj", Role.STAFF, department="区科技局")
    office = make_user("office", Role.ADMIN)
    assert row(2021, 26).value is None
    assert is_cached(plan, 2021)

    figure = actual_save(
        indicator=indicator(26),
        year=2021,
        user=staff,
        entry=ActualEntry(value=Decimal("260")),
        expected_version=None,
        submit=True,
    )
    assert row(2021, 26).value is None
    version = data_version(plan.pk)
    figure_approve(kind=ACTUAL, pk=figure.pk, user=office)
    assert data_version(plan.pk) == version + 1
    assert row(2021, 26).value == Decimal("260")

    with pytest.raises(Exception, match="只能审核待审核的数据"):
        figure_approve(kind=ACTUAL, pk=figure.pk, user=office)
    assert data_version(plan.pk) == version + 1


# Two processes sharing one database and one Redis.

WORKER = r"""
import json, sys, traceback
from decimal import Decimal

import django

django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from indicators.actuals import ActualEntry, actual_approve, actual_save
from indicators.models import Indicator, Role
from indicators.users import user_create


def user(name, role, department):
    return user_create(
        username=name, department_name=department, role=role, password="Pw-worker-2026!"
    )[0]


def progress(slug, year, number):
    client = Client()
    client.force_login(user("worker-leader", Role.LEADER, "区委区政府"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/plans/{slug}/progress/?year={year}")
    found = next(r for r in response.json()["indicators"] if r["number"] == number)
    return {"value": found["value"], "queries": len(queries)}


def page(slug, year, number):
    # The approved figure of the year as the indicator page shows it (its kept body).
    import re

    client = Client()
    client.force_login(user("worker-leader", Role.LEADER, "区委区政府"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/plans/{slug}/indicators/{number}/?year={year}").content.decode()
    cell = re.search(
        rf'<td>{year}年</td>\s*<td class="num[^"]*">.*?</td>\s*<td class="num">(.*?)</td>',
        html,
        re.DOTALL,
    ).group(1)
    return {"value": re.sub(r"<[^>]+>", "", cell).strip(), "queries": len(queries)}


def approve(slug, year, number, value):
    subject = (
        Indicator.objects.select_related("plan", "lead_department")
        .prefetch_related("targets", "actuals", "responsible_departments")
        .get(plan__slug=slug, number=number)
    )
    figure = actual_save(
        indicator=subject,
        year=year,
        user=user("worker-staff", Role.STAFF, subject.lead_department.name),
        entry=ActualEntry(value=Decimal(value)),
        expected_version=None,
        submit=True,
    )
    actual_approve(actual_id=figure.pk, user=user("worker-office", Role.ADMIN, "区工信局"))
    return {"approved": figure.pk}


print(json.dumps({"cache": settings.CACHES["default"]["BACKEND"]}), flush=True)
for line in sys.stdin:
    command = json.loads(line)
    try:
        ops = {"progress": progress, "page": page, "approve": approve}
        answer = ops[command.pop("op")](**command)
    except Exception:
        answer = {"error": traceback.format_exc()}
    print(json.dumps(answer), flush=True)
"""

SETTINGS = """
import os

from wangcheng_plan.test_settings import *  # noqa: F403
from wangcheng_plan.test_settings import CACHES

CACHES["default"]["KEY_PREFIX"] = os.environ["TEST_CACHE_PREFIX"]
"""


def _env(folder: Path, database: Path, redis_url: str | None, prefix: str) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "two_process_settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "ALLOWED_HOSTS": "testserver",
        "TEST_CACHE_PREFIX": prefix,
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


@pytest.fixture(scope="module")
def plans_database(tmp_path_factory) -> Path:
    """A SQLite file, migrated and loaded with both plans by `manage.py` (the two commands
    in one process, which Django sets up once)."""
    folder = tmp_path_factory.mktemp("two-processes")
    (folder / "two_process_settings.py").write_text(SETTINGS)
    database = folder / "plans.sqlite3"
    env = _env(folder, database, None, "setup")
    commands = (
        "from django.core.management import call_command; "
        "call_command('migrate', interactive=False, verbosity=0); "
        "call_command('load_plans')"
    )
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "--no-startup", "-c", commands],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return database


class Worker:
    """A Django process that answers one JSON command per line (WORKER above)."""

    def __init__(self, name: str, folder: Path, env: dict):
        self.name = name
        self.log = folder / f"{name}.log"
        script = folder / "worker.py"
        if not script.exists():  # never rewritten under a worker that is starting
            script.write_text(WORKER)
        self.process = subprocess.Popen(
            [sys.executable, str(script)],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log.open("w"),
            text=True,
        )
        self._hello = None

    @property
    def hello(self) -> dict:
        """The process's first line, once Django is set up in it. Read when first needed,
        so that two workers start side by side rather than one after the other."""
        if self._hello is None:
            self._hello = self._answer()
        return self._hello

    def _answer(self) -> dict:
        ready, _, _ = select.select([self.process.stdout], [], [], 120)
        line = self.process.stdout.readline() if ready else ""
        assert line, f"process {self.name} gave no answer:\n{self.log.read_text()}"
        answer = json.loads(line)
        assert "error" not in answer, f"process {self.name}:\n{answer['error']}"
        return answer

    def ask(self, **command) -> dict:
        assert self.hello is not None  # its first line is read before any answer
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def stop(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # the package, the server: either missing means no test
        pytest.skip(f"Redis is unreachable at {url} ({exc}): the two processes need one to share")
    return url


@pytest.mark.parametrize("shared", ["redis", "local memory"])
def test_two_processes_agree_through_redis(shared, plans_database, tmp_path):
    """B caches a year's progress, A approves a figure of it: B shows it at once with
    Redis. With each process's local memory, B keeps its stale copy: why several processes
    (gunicorn workers, machines) must set REDIS_URL."""
    redis_url = _redis_url() if shared == "redis" else None
    prefix = f"test-{uuid.uuid4().hex}"
    database = tmp_path / "plans.sqlite3"
    shutil.copy(plans_database, database)
    shutil.copy(plans_database.parent / "two_process_settings.py", tmp_path)
    env = _env(tmp_path, database, redis_url, prefix)
    a = b = None
    try:
        a, b = Worker("a", tmp_path, env), Worker("b", tmp_path, env)
        backend = "RedisCache" if redis_url else "LocMemCache"
        assert backend in a.hello["cache"] and backend in b.hello["cache"]
        read = {"op": "progress", "slug": WANGCHENG, "year": 2021, "number": 26}
        first, cached = b.ask(**read), b.ask(**read)
        assert first["value"] is None and cached["value"] is None
        assert cached["queries"] < first["queries"], "B's second read must be a cache hit"
        shown = {**read, "op": "page"}  # the indicator page's kept body, the same way
        first, cached = b.ask(**shown), b.ask(**shown)
        assert first["value"] == cached["value"] == "—"
        assert cached["queries"] < first["queries"], "B's second page must be a cache hit"

        a.ask(op="approve", slug=WANGCHENG, year=2021, number=26, value="260")

        assert a.ask(**read)["value"] == "260"
        assert a.ask(**shown)["value"].startswith("260")
        expected = "260" if redis_url else None
        assert b.ask(**read)["value"] == expected
        assert b.ask(**shown)["value"].startswith("260") == bool(redis_url)
    finally:
        for worker in (a, b):
            if worker is not None:
                worker.stop()
        if redis_url:
            import redis

            server = redis.Redis.from_url(redis_url)
            keys = list(server.scan_iter(match=f"{prefix}:*"))
            if keys:
                server.delete(*keys)
