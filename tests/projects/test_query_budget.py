"""Every project and task page and endpoint costs a fixed number of queries: the same with
the loaded plans alone as with hundreds of figures, 30 more projects and more milestones."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import demo
from projects.models import Milestone, MilestoneProgress, Project, ProjectInvestment
from tests.factories import HITECH, WANGCHENG

PAGES = {
    # url: (user fixture, budget); list, dashboard and board also ask whether they show samples
    f"/projects/{HITECH}/": ("leader_user", 9),
    f"/projects/{HITECH}/?category=industry&sort=-completed": ("leader_user", 9),
    f"/projects/{HITECH}/12/": ("leader_user", 6),
    f"/projects/{HITECH}/dashboard/?year=2022": ("leader_user", 10),
    f"/tasks/{WANGCHENG}/?year=2022": ("leader_user", 14),
    f"/projects/{HITECH}/report/2022/": ("admin_user", 6),
    f"/projects/{HITECH}/report/2022/template.xlsx": ("admin_user", 5),
    # staff: +1 for the navigation asking which report pages they have work in
    f"/tasks/{WANGCHENG}/report/2022/": ("cyfzj_staff", 10),
    f"/api/v1/plans/{HITECH}/projects/": ("leader_user", 5),
    f"/api/v1/plans/{WANGCHENG}/tasks/?include=submitted": ("leader_user", 11),
}


def grow(hitech, wangcheng, supervisor) -> None:
    """Add figures for every project and milestone, 30 projects and 10 milestones more."""
    demo.load()
    task = wangcheng.key_tasks.get(number=4)
    for number in range(12, 22):
        milestone = Milestone.objects.create(
            task=task,
            number=number,
            name=f"测试目标{number}",
            text=f"每年测试{number}个",
            target_value=Decimal(number),
            unit="个",
            attribute="annual",
        )
        milestone.lead_departments.set(task.lead_departments.all())
        MilestoneProgress.objects.create(milestone=milestone, year=2023, value=1, state="submitted")
    for number in range(92, 122):
        project = Project.objects.create(
            plan=hitech,
            number=number,
            category="technology",
            name=f"测试项目{number}",
            builder="测试公司",
            total_investment=Decimal("1.5"),
            content="测试",
            supervising_department=supervisor,
            status="construction",
        )
        for year in (2021, 2022):
            ProjectInvestment.objects.create(
                project=project,
                year=year,
                planned=Decimal(1),
                completed=Decimal("0.5"),
                state="submitted",
            )


def a_few_figures(project, wangcheng) -> None:
    """One figure of each kind, so the small size exercises every prefetch too."""
    ProjectInvestment.objects.create(
        project=project, year=2022, planned=Decimal(2), completed=Decimal(1), state="submitted"
    )
    milestone = Milestone.objects.get(task__plan=wangcheng, task__number=4, number=1)
    MilestoneProgress.objects.create(milestone=milestone, year=2022, value=30, state="submitted")


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("url", PAGES)
def test_a_page_costs_the_same_queries_at_two_sizes(
    client, request, url, project, hitech, wangcheng, supervisor
):
    user_fixture, budget = PAGES[url]
    client.force_login(request.getfixturevalue(user_fixture))
    a_few_figures(project, wangcheng)
    small = queries(client, url)
    grow(hitech, wangcheng, supervisor)
    large = queries(client, url)
    assert small == large, f"{url}: {small} queries with the loaded plans, {large} when grown"
    assert large <= budget, f"{url}: {large} queries, budget {budget}"
