"""`make bench`: the data builder at 2x, and the runner's reading of wrk."""

import copy
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from bench.load import parse_wrk
from indicators.models import Actual, Indicator, Plan, ReportingDeadline, Role, Target
from projects.bench_data import build
from projects.models import Enterprise, Milestone, MilestoneProgress, Project, ProjectInvestment
from tests.factories import HITECH, WANGCHENG, make_user
from tests.shared import Layer

# In 2026 望城 (2021-2023) has reported every year and 高新区 (2021-2025) every year too.
TODAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def built_layer(django_db_setup, django_db_blocker):
    """The plans built at 2x once for the module's tests that ask for `built`
    (tests/shared.py): each starts from those rows, in a savepoint rolled back after it."""
    with Layer.kept("built_layer", django_db_blocker, lambda: build(2, today=TODAY)) as layer:
        yield layer


@pytest.fixture
def built(built_layer, loaded_plans):
    yield copy.deepcopy(built_layer.value)  # what build() answered
    built_layer.restore()


def test_it_doubles_the_loaded_plans_and_reports_every_year(built):
    assert Plan.objects.count() == 4
    assert Indicator.objects.count() == 2 * 68
    assert Target.objects.count() == 2 * 248
    assert Project.objects.count() == 2 * 91
    assert Milestone.objects.count() == 2 * 22
    assert Enterprise.objects.count() == 2 * 50
    # One actual per target of a reported year; 91 projects less every third, for 5 years;
    # 22 milestones for 3 years; a deadline per plan year.
    assert Actual.objects.count() == 2 * 248
    assert ProjectInvestment.objects.count() == 2 * (91 - 30) * 5
    assert MilestoneProgress.objects.count() == 2 * 22 * 3
    assert ReportingDeadline.objects.count() == 2 * (3 + 5)
    assert built["实际值"] == 2 * 248
    # Every figure has its history row, as a figure saved through the kernel would.
    assert Actual.history.count() == Actual.objects.count()
    # Approved, but for one submitted correction of each kind per plan for the review queue.
    assert Actual.objects.filter(state="submitted").count() == 4
    assert ProjectInvestment.objects.filter(state="submitted").count() == 2
    assert MilestoneProgress.objects.filter(state="submitted").count() == 2
    assert not Actual.objects.exclude(state__in=["approved", "submitted"]).exists()
    assert not Actual.objects.filter(approved_at__isnull=True).exists()


def test_a_copy_is_the_original_plan_under_another_slug(built):
    copy = Plan.objects.get(slug=f"{WANGCHENG}-x002")
    original = Plan.objects.get(slug=WANGCHENG)
    assert copy.name.startswith(original.name)

    def shape(plan):
        return [
            (i.number, i.name, i.group.name if i.group else None, i.lead_department_id,
             sorted(d.pk for d in i.responsible_departments.all()),
             [(t.year, t.value, t.text, t.is_derived) for t in i.targets.all()])
            for i in Indicator.objects.filter(plan=plan).for_listing()
        ]  # fmt: skip

    assert shape(copy) == shape(original)
    assert Project.objects.filter(plan__slug=f"{HITECH}-x002").count() == 91


def test_the_pages_of_a_copy_answer(built, client):
    client.force_login(make_user("leader-bench", Role.LEADER, department="区委区政府"))
    copy = f"{WANGCHENG}-x002"
    for url in [
        f"/?plan={copy}",
        f"/plans/{copy}/indicators/1/",
        f"/tasks/{copy}/",
        f"/projects/{HITECH}-x002/",
        f"/api/v1/plans/{copy}/progress/",
    ]:
        assert client.get(url).status_code == 200, url


def test_it_refuses_a_database_with_figures(built):
    with pytest.raises(CommandError, match="新建的数据库"):
        call_command("build_bench_data", "--scale", "2")


WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8000/healthz/
  2 threads and 16 connections
  Latency Distribution
     50%  812.00us
     75%    8.37ms
     90%  131.09ms
     99%    1.20s
  5743 requests in 3.00s, 2.30MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:   1913.36
"""


def test_it_reads_wrk():
    assert parse_wrk(WRK_OUTPUT) == {
        "rps": 1913.36,
        "p50_ms": pytest.approx(0.812),
        "p99_ms": 1200.0,
        "requests": 5743,
        "errors": 2,
        "non_2xx": 7,
    }
