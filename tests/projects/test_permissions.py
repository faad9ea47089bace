"""Every projects URL, every role: anonymous users log in, others get 403 or 404 — never a
form they may not use."""

import pytest

from projects.models import Enterprise, Milestone
from tests.factories import HITECH, WANGCHENG


@pytest.fixture
def ids(wangcheng):
    milestone = Milestone.objects.get(task__plan=wangcheng, task__number=5, number=11)
    enterprise = Enterprise.objects.get(task__plan=wangcheng, kind="listing", name="联智科技")
    return {"m": milestone.pk, "e": enterprise.pk}


GETS = [
    "/projects/",
    f"/projects/{HITECH}/",
    f"/projects/{HITECH}/12/",
    "/projects/dashboard/",
    f"/projects/{HITECH}/dashboard/",
    "/projects/report/",
    f"/projects/{HITECH}/report/2022/",
    f"/projects/{HITECH}/report/2022/template.xlsx",
    f"/projects/{HITECH}/report/2022/upload/",
    f"/projects/{HITECH}/12/history/2022/",
    "/projects/review/",
    "/tasks/",
    f"/tasks/{WANGCHENG}/",
    "/tasks/report/",
    f"/tasks/{WANGCHENG}/report/2022/",
    f"/tasks/{WANGCHENG}/milestones/{{m}}/history/2022/",
]
POSTS = [
    f"/projects/{HITECH}/12/status/",
    f"/projects/{HITECH}/report/2022/12/",
    f"/projects/{HITECH}/report/2022/upload/",
    "/projects/review/decide/",
    f"/tasks/{WANGCHENG}/report/2022/milestones/{{m}}/",
    f"/tasks/{WANGCHENG}/report/2022/enterprises/{{e}}/",
]


@pytest.mark.parametrize(
    "method, url", [("get", url) for url in GETS] + [("post", url) for url in POSTS]
)
def test_anonymous_users_are_sent_to_login(client, project, ids, method, url):
    response = getattr(client, method)(url.format(**ids))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    "url", [f"/api/v1/plans/{HITECH}/projects/", f"/api/v1/plans/{WANGCHENG}/tasks/"]
)
def test_the_api_answers_anonymous_users_with_401(client, loaded_plans, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response.json() == {"error": "未登录：请先登录后再调用接口。"}


# role → the GETs that answer 200 (or 302 for the redirects); every other GET answers 403.
READS = {
    f"/projects/{HITECH}/",
    f"/projects/{HITECH}/12/",
    f"/projects/{HITECH}/dashboard/",
    f"/tasks/{WANGCHENG}/",
}
REDIRECTS = {"/projects/", "/projects/dashboard/", "/tasks/"}
ALLOWED = {
    "leader": READS
    | REDIRECTS
    | {
        f"/projects/{HITECH}/12/history/2022/",
        f"/tasks/{WANGCHENG}/milestones/{{m}}/history/2022/",
    },
    "other": READS | REDIRECTS,
    "project_staff": READS
    | REDIRECTS
    | {
        "/projects/report/",
        f"/projects/{HITECH}/report/2022/",
        f"/projects/{HITECH}/report/2022/template.xlsx",
        f"/projects/{HITECH}/report/2022/upload/",
        f"/projects/{HITECH}/12/history/2022/",
    },
    "cyfzj": READS
    | REDIRECTS
    | {
        "/tasks/report/",
        f"/tasks/{WANGCHENG}/report/2022/",
        f"/tasks/{WANGCHENG}/milestones/{{m}}/history/2022/",
    },
    "admin": set(GETS),
}
# The entry points redirect to the page; the page itself answers 403 when it must.
ENTRY_POINTS = {"/projects/report/", "/tasks/report/"}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_each_role_reads_what_it_may(
    client, role, project, ids, admin_user, leader_user, project_staff, other_staff, cyfzj_staff
):
    user = {
        "leader": leader_user,
        "other": other_staff,
        "project_staff": project_staff,
        "cyfzj": cyfzj_staff,
        "admin": admin_user,
    }[role]
    client.force_login(user)
    for url in GETS:
        response = client.get(url.format(**ids))
        if url in REDIRECTS or url in ENTRY_POINTS:
            assert response.status_code == 302, url
            continue
        expected = 200 if url in ALLOWED[role] else 403
        assert response.status_code == expected, (role, url)


@pytest.mark.parametrize("role", ["leader", "other", "cyfzj"])
def test_no_write_from_outside_the_department(
    client, role, project, ids, leader_user, other_staff, cyfzj_staff
):
    user = {"leader": leader_user, "other": other_staff, "cyfzj": cyfzj_staff}[role]
    client.force_login(user)
    for url in [
        f"/projects/{HITECH}/12/status/",
        f"/projects/{HITECH}/report/2022/12/",
        f"/projects/{HITECH}/report/2022/upload/",
        "/projects/review/decide/",
    ]:
        assert client.post(url, {"status": "operating", "action": "submit"}).status_code == 403, url
    if role != "cyfzj":
        for url in [
            f"/tasks/{WANGCHENG}/report/2022/milestones/{ids['m']}/",
            f"/tasks/{WANGCHENG}/report/2022/enterprises/{ids['e']}/",
        ]:
            assert client.post(url, {"action": "submit"}).status_code == 403, url
    project.refresh_from_db()
    assert project.status == "" and not project.investments.exists()


def test_the_lead_unit_of_one_milestone_cannot_report_anothers(client, wangcheng, cyfzj_staff):
    # 2-1 is led by 区科技局 and 区人社局, not by 望城经开区产业发展局.
    milestone = Milestone.objects.get(task__plan=wangcheng, task__number=2, number=1)
    client.force_login(cyfzj_staff)
    url = f"/tasks/{WANGCHENG}/report/2022/milestones/{milestone.pk}/"
    assert client.post(url, {"action": "submit"}).status_code == 403
    assert not milestone.progress.exists()


def test_unknown_plans_years_and_projects_are_404(client, admin_user, loaded_plans):
    client.force_login(admin_user)
    for url in [
        "/projects/no-such-plan/",
        f"/projects/{WANGCHENG}/",  # a plan without a project list
        f"/projects/{HITECH}/92/",
        f"/projects/{HITECH}/report/2030/",
        f"/tasks/{HITECH}/",  # a plan without key tasks
        f"/tasks/{WANGCHENG}/report/2025/",
    ]:
        assert client.get(url).status_code == 404, url
