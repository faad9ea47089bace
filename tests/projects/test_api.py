"""GET /api/v1/plans/<slug>/projects/ and /tasks/: read-only, login required, figures as strings."""

from decimal import Decimal

from indicators.reporting.review import figure_approve
from projects.investment_input import InvestmentEntry
from projects.investments import INVESTMENT, investment_save
from projects.models import Enterprise
from tests.factories import HITECH, WANGCHENG


def test_projects_lists_the_91_with_their_figures(client, leader_user, project):
    client.force_login(leader_user)
    payload = client.get(f"/api/v1/plans/{HITECH}/projects/").json()
    assert payload["plan"]["slug"] == HITECH
    assert len(payload["projects"]) == 91
    assert payload["projects"][11] == {
        "number": 12,
        "name": "湖南三安第三代半导体产业园项目",
        "builder": "湖南三安半导体有限责任公司",
        "category": "industry",
        "category_label": "产业类",
        "total_investment": "160",
        "unit": "亿元",
        "status": None,
        "status_label": "未登记",
        "supervising_department": "高新区发改局",
        "content": "投资建设包括但不限于碳化硅等化合物第三代半导体研发及产业化项目，"
        "包括长晶—衬底制作—外延生长—芯片制备—封装产业链",
        "notes": "",
        "investments": [],
    }
    row64 = payload["projects"][63]
    assert (row64["name"], row64["builder"], row64["total_investment"]) == (
        "高至军用装备系统及配套研发生产基地",
        "湖南高至科技有限公司",
        "5.3",
    )


def test_projects_show_approved_investment_and_submitted_on_request(
    client, leader_user, admin_user, project, project_staff
):
    def save(planned, completed, version):
        return investment_save(
            project=project,
            year=2021,
            user=project_staff,
            entry=InvestmentEntry(Decimal(planned), Decimal(completed)),
            expected_version=version,
            submit=True,
        )

    first = save("30.1250", "28", None)
    approved = figure_approve(kind=INVESTMENT, pk=first.pk, user=admin_user)
    save("31", "29.5", approved.version)
    client.force_login(leader_user)
    url = f"/api/v1/plans/{HITECH}/projects/"
    investments = client.get(url).json()["projects"][11]["investments"]
    assert investments == [
        {"year": 2021, "status": "approved", "planned": "30.125", "completed": "28"}
    ]
    # Figures waiting for review: not for a leader, for the plan office and the department.
    investments = client.get(f"{url}?include=submitted").json()["projects"][11]["investments"]
    assert len(investments) == 1
    client.force_login(project_staff)
    investments = client.get(f"{url}?include=submitted").json()["projects"][11]["investments"]
    assert investments[1] == {
        "year": 2021,
        "status": "submitted",
        "planned": "31",
        "completed": "29.5",
    }


def test_tasks_list_items_milestones_and_enterprises(client, leader_user, wangcheng):
    Enterprise.objects.filter(task__plan=wangcheng, name="军信环保", kind="listing").update(
        status="listed", note="2022年上市"
    )
    client.force_login(leader_user)
    payload = client.get(f"/api/v1/plans/{WANGCHENG}/tasks/").json()
    tasks = payload["tasks"]
    assert [t["number"] for t in tasks] == [1, 2, 3, 4, 5]
    assert tasks[1]["lead"] == ["区人社局", "区科技局"]
    assert [i["title"] for i in tasks[0]["items"]] == [
        "增强产业承载能力",
        "提升整体发展效能",
        "推进园区改革创新",
    ]
    rank = tasks[0]["milestones"][2]
    assert rank == {
        "number": 3,
        "code": "1-3",
        "item": 2,
        "name": "全国百强园区排名",
        "text": "挺进全国百强园区前90名",
        "target": "90",
        "unit": "名",
        "attribute": "cumulative",
        "direction": "decrease",
        "target_year": 2023,
        "per_year": False,
        "lead": ["望城经开区产业发展局"],
        "progress": [],
    }
    quota = tasks[3]["milestones"][0]
    assert (quota["text"], quota["per_year"], quota["target_year"]) == (
        "每年引进产业链企业35家以上",
        True,
        None,
    )
    enterprises = tasks[4]["enterprises"]
    assert len(enterprises) == 50
    listed = next(e for e in enterprises if e["name"] == "军信环保" and e["kind"] == "listing")
    assert (listed["status"], listed["status_label"], listed["note"]) == (
        "listed",
        "已上市",
        "2022年上市",
    )


def test_an_unknown_plan_is_404(client, leader_user, loaded_plans):
    client.force_login(leader_user)
    assert client.get("/api/v1/plans/nope/projects/").status_code == 404
    assert client.get("/api/v1/plans/nope/tasks/").status_code == 404


def test_the_api_is_read_only(client, leader_user, loaded_plans):
    client.force_login(leader_user)
    assert client.post(f"/api/v1/plans/{HITECH}/projects/").status_code == 405
