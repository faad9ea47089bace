"""The pages `make bench` measures, with each one's SQL query count and size.

Run by bench/run.py in the bench database's environment (`python bench/queries.py USER`):
it picks the pages from the loaded plans, asks each one in-process through Django's test
client as USER (the health answer without a login, as a monitor asks it), and prints JSON:
a list of {key, label, path, status, queries_cold, queries, bytes, gzip_bytes}. The query
counts come from CaptureQueriesContext: no debug header or setting is needed on the server.
"""

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (key, label, path) of every page measured, the health answer first; pages() fills in the
# path's {plan}, {year}, {department}, {number}, {projects} and {tasks}.
PAGES = [
    ("healthz", "健康检查", "/healthz/"),
    ("overview", "总览", "/?plan={plan}"),
    ("departments", "部门对比", "/departments/?plan={plan}"),
    ("department", "部门详情", "/departments/{department}/?plan={plan}"),
    ("indicator", "指标详情", "/plans/{plan}/indicators/{number}/"),
    ("projects", "重大项目", "/projects/{projects}/"),
    ("investment", "投资看板", "/projects/{projects}/dashboard/"),
    ("tasks", "重点任务", "/tasks/{tasks}/"),
    ("report", "我的填报", "/report/{plan}/{year}/"),
    ("review", "审核", "/review/"),
    ("api_plans", "API 规划", "/api/v1/plans/"),
    ("api_indicators", "API 指标", "/api/v1/plans/{plan}/indicators/"),
    ("api_progress", "API 进度", "/api/v1/plans/{plan}/progress/"),
    ("api_projects", "API 项目", "/api/v1/plans/{projects}/projects/"),
    ("api_tasks", "API 任务", "/api/v1/plans/{tasks}/tasks/"),
    ("excel", "Excel 报告", "/reports/{plan}/{year}.xlsx"),
]


def pages() -> list[tuple[str, str, str]]:
    """Return (key, label, path) for every page measured, the health answer first."""
    from django.db.models import Count
    from django.utils import timezone

    from indicators.models import Department, Plan
    from indicators.selectors import reporting_year
    from projects.bench_data import COPY_MARK
    from projects.selectors import plans_with_projects, plans_with_tasks

    originals = Plan.objects.exclude(slug__contains=COPY_MARK)
    # The loaded plan with the most indicators (望城区, 42), its reporting year, and its
    # lead department with the most indicators.
    plan = originals.annotate(n=Count("indicators")).order_by("-n", "slug").first()
    year = reporting_year(plan, timezone.localdate())
    department = (
        Department.objects.filter(led_indicators__plan=plan)
        .annotate(n=Count("led_indicators"))
        .order_by("-n", "name")
        .first()
    )
    number = plan.indicators.order_by("number").values_list("number", flat=True).first()
    projects = plans_with_projects().exclude(slug__contains=COPY_MARK).first().slug
    tasks = plans_with_tasks().exclude(slug__contains=COPY_MARK).first().slug
    values = {
        "plan": plan.slug, "year": year, "department": department.pk, "number": number,
        "projects": projects, "tasks": tasks,
    }  # fmt: skip
    return [(key, label, path.format(**values)) for key, label, path in PAGES]


def measure(username: str) -> list[dict]:
    """Ask every page twice (cold, then warm) and once gzip-encoded; return what was seen."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from indicators.models import User

    user_client = Client(HTTP_HOST="127.0.0.1")
    user_client.force_login(User.objects.get(username=username))
    anonymous = Client(HTTP_HOST="127.0.0.1")
    results = []
    for key, label, path in pages():
        client = anonymous if key == "healthz" else user_client
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            counts.append(len(queries))
        packed = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        results.append(
            {
                "key": key,
                "label": label,
                "path": path,
                "status": response.status_code,
                "content_type": response.get("Content-Type", ""),
                "queries_cold": counts[0],
                "queries": counts[1],
                "bytes": len(response.content),
                "gzip_bytes": len(packed.content),
                "gzip": packed.get("Content-Encoding") == "gzip",
            }
        )
        if packed.get("Content-Encoding") == "gzip":
            assert gzip.decompress(packed.content)
    return results


def main() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    json.dump(measure(sys.argv[1]), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
