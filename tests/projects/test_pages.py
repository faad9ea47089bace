"""The project and task pages for every role: what they show, their charts and the table of
the same numbers beside each chart, the filters, and the forms' messages."""

from decimal import Decimal

import pytest

from indicators.reporting.review import figure_approve
from projects.investment_input import InvestmentEntry
from projects.investments import INVESTMENT, investment_save
from projects.models import Enterprise, Project, ProjectInvestment
from tests.factories import HITECH, WANGCHENG

D = Decimal
READ_PAGES = [
    f"/projects/{HITECH}/",
    f"/projects/{HITECH}/12/",
    f"/projects/{HITECH}/dashboard/",
    f"/tasks/{WANGCHENG}/",
]


def approve(project, user, admin, year, planned, completed, explanation=""):
    figure = investment_save(
        project=project,
        year=year,
        user=user,
        entry=InvestmentEntry(D(planned), D(completed) if completed else None, explanation),
        expected_version=ProjectInvestment.objects.filter(project=project, year=year)
        .values_list("version", flat=True)
        .first(),
        submit=True,
    )
    return figure_approve(kind=INVESTMENT, pk=figure.pk, user=admin)


@pytest.fixture
def users(admin_user, leader_user, project_staff, other_staff):
    return {
        "admin": admin_user,
        "leader": leader_user,
        "staff": project_staff,
        "other": other_staff,
    }


@pytest.mark.parametrize("role", ["admin", "leader", "staff", "other"])
@pytest.mark.parametrize("url", READ_PAGES)
def test_read_pages_render_for_every_role_with_charts(client, project, users, role, url):
    client.force_login(users[role])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    if "/12/" not in url and url.rstrip("/").endswith(HITECH):
        return  # the list has no chart
    assert html.count('class="chart-canvas"') == html.count('<details class="chart-table"')
    assert 'class="chart-canvas"' in html
    assert "vendor/plotly/plotly.min.js" in html


def test_the_list_shows_every_project_with_units(client, project, leader_user):
    client.force_login(leader_user)
    html = client.get(f"/projects/{HITECH}/").content.decode()
    assert "共 91 个项目" in html
    assert "湖南三安第三代半导体产业园项目" in html and "160 亿元" in html
    assert "高新区发改局" in html  # project 12's supervising department
    assert html.count("未分配") >= 90


@pytest.mark.parametrize(
    "query, numbers",
    [
        ("category=government", list(range(1, 10))),
        ("category=technology&min_investment=3", [78, 79, 83, 87]),
        ("min_investment=100", [12, 14, 30]),
        ("max_investment=0.35", [58, 81]),
        ("q=麒麟", [25, 26, 72, 81]),
        ("sort=-total_investment&min_investment=57", [14, 30, 12, 22, 34]),
        ("status=none&category=government", list(range(1, 10))),
    ],
)
def test_filters_and_sorting(client, leader_user, hitech, query, numbers):
    client.force_login(leader_user)
    response = client.get(f"/projects/{HITECH}/?{query}")
    assert [p.number for p in response.context["projects"]] == numbers


def test_the_department_and_status_filters(client, project, leader_user, supervisor):
    Project.objects.filter(pk=project.pk).update(status="construction")
    client.force_login(leader_user)
    by_department = client.get(f"/projects/{HITECH}/?department={supervisor.pk}")
    assert [p.number for p in by_department.context["projects"]] == [12]
    unassigned = client.get(f"/projects/{HITECH}/?department=none")
    assert len(unassigned.context["projects"]) == 90
    building = client.get(f"/projects/{HITECH}/?status=construction")
    assert [p.number for p in building.context["projects"]] == [12]


def test_a_bad_filter_is_named_and_the_others_still_apply(client, leader_user, hitech):
    client.force_login(leader_user)
    response = client.get(f"/projects/{HITECH}/?category=government&min_investment=三亿")
    html = response.content.decode()
    assert "总投资不低于（亿元）：“三亿”不是数字" in html
    assert [p.number for p in response.context["projects"]] == list(range(1, 10))


def test_sorting_by_completed_puts_unreported_projects_last(
    client, project, project_staff, admin_user, leader_user, hitech, supervisor
):
    other = Project.objects.get(plan=hitech, number=1)
    other.supervising_department = supervisor
    other.save()
    approve(project, project_staff, admin_user, 2021, "30", "25")
    approve(other, project_staff, admin_user, 2021, "1", "0.5")
    client.force_login(leader_user)
    numbers = [
        p.number for p in client.get(f"/projects/{HITECH}/?sort=-completed").context["projects"]
    ]
    assert numbers[:2] == [12, 1]
    numbers = [
        p.number for p in client.get(f"/projects/{HITECH}/?sort=completed").context["projects"]
    ]
    assert numbers[:2] == [1, 12]


def test_the_project_page_shows_approved_figures_only(
    client, project, project_staff, admin_user, leader_user
):
    approve(project, project_staff, admin_user, 2021, "30", "25.5")
    investment_save(
        project=project,
        year=2022,
        user=project_staff,
        entry=InvestmentEntry(D("40"), None),
        expected_version=None,
        submit=True,
    )
    client.force_login(leader_user)
    response = client.get(f"/projects/{HITECH}/12/")
    html = response.content.decode()
    figure = response.context["figure"]
    assert figure["data"][0]["y"] == ["30", None, None, None, None]
    assert figure["data"][1]["y"] == ["25.5", None, None, None, None]
    assert figure["data"][1]["text"][0] == "25.5 亿元"
    assert "30 亿元" in html and "25.5 亿元" in html and "85.0%" in html
    # A submission waiting for review stays with the department and the plan office.
    assert "待审核" not in html and "40 亿元" not in html
    assert "更新项目状态" not in html  # a leader reads; only the department writes
    client.force_login(project_staff)
    html = client.get(f"/projects/{HITECH}/12/").content.decode()
    assert "待审核" in html and "40 亿元" not in html


def test_the_department_updates_the_status_on_the_project_page(client, project, project_staff):
    client.force_login(project_staff)
    assert "更新项目状态" in client.get(f"/projects/{HITECH}/12/").content.decode()
    response = client.post(f"/projects/{HITECH}/12/status/", {"status": "operating"}, follow=True)
    assert "项目状态已更新为“投产”" in response.content.decode()
    project.refresh_from_db()
    assert project.status == "operating"


def test_the_dashboard_sums_approved_figures_by_category_and_year(
    client, project, project_staff, admin_user, leader_user, hitech, supervisor
):
    road = Project.objects.get(plan=hitech, number=1)  # 政府投资类
    road.supervising_department = supervisor
    road.save()
    approve(project, project_staff, admin_user, 2022, "40", "30")
    approve(road, project_staff, admin_user, 2022, "1.2", "1.5")
    client.force_login(leader_user)
    response = client.get(f"/projects/{HITECH}/dashboard/?year=2022")
    html = response.content.decode()
    category = response.context["category_chart"]
    assert category["data"][0]["x"] == ["政府投资类", "产业类", "科技类"]
    assert category["data"][0]["y"] == ["1.2", "40", None]
    assert category["data"][1]["y"] == ["1.5", "30", None]
    years = response.context["years_chart"]
    assert years["data"][0]["y"] == [None, "41.2", None, None, None]
    assert "1,086.043 亿元" in html and "1,027.395 亿元" in html
    assert "125.0%" in html and "75.0%" in html
    behind = response.context["behind"]
    assert [(line.investment.project.number, line.shortfall) for line in behind] == [(12, D("10"))]
    largest = response.context["largest_chart"]["data"][0]
    assert largest["y"][-1].startswith("14. 中联智慧产业城")  # the largest is drawn on top
    assert largest["x"][-1] == "230"


def test_the_task_board_shows_milestones_and_enterprises(client, leader_user, wangcheng):
    Enterprise.objects.filter(task__plan=wangcheng, name="军信环保", kind="listing").update(
        status="listed"
    )
    client.force_login(leader_user)
    response = client.get(f"/tasks/{WANGCHENG}/?year=2022")
    html = response.content.decode()
    assert "积极争取新增建设用地60平方公里以上" in html
    assert "每年 35 家" in html and "到2023年 90 名" in html
    assert "越小越好" in html
    assert "军信环保 · 已上市" in html
    counts = response.context["enterprise_counts"]
    assert counts[0] == [
        "龙头领军企业",
        "智能制造示范企业",
        "质量品牌标杆企业",
        "专精特新企业",
        "上市（挂牌）企业",
    ]
    assert counts[1] == [("培育中", [10, 10, 10, 10, 9]), ("已上市", [0, 0, 0, 0, 1])]
    assert len(response.context["milestone_lines"]) == 22


def test_the_report_page_lists_the_departments_projects(client, project, project_staff):
    client.force_login(project_staff)
    response = client.get(f"/projects/{HITECH}/report/2022/")
    assert response.status_code == 200
    assert [line.project.number for line in response.context["lines"]] == [12]


def test_the_office_reports_every_project(client, admin_user, hitech):
    client.force_login(admin_user)
    response = client.get(f"/projects/{HITECH}/report/2022/")
    assert len(response.context["lines"]) == 91


def test_a_refused_save_keeps_the_input_and_says_why(client, project, project_staff):
    client.force_login(project_staff)
    url = f"/projects/{HITECH}/report/2022/12/"
    data = {
        "project-12-planned": "10",
        "project-12-completed": "16亿元",
        "project-12-version": "0",
        "action": "submit",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "完成投资 16 亿元，比计划投资 10 亿元高出 60%，超过 50%" in html
    assert 'value="16亿元"' in html
    assert not ProjectInvestment.objects.exists()
    data["project-12-explanation"] = "设备款提前支付"
    response = client.post(url, data)
    assert response.status_code == 302
    assert ProjectInvestment.objects.get(project=project).completed == D("16")


def test_a_stale_form_shows_what_the_other_person_saved(client, project, project_staff, admin_user):
    investment_save(
        project=project,
        year=2022,
        user=admin_user,
        entry=InvestmentEntry(D("22"), None),
        expected_version=None,
        submit=False,
    )
    client.force_login(project_staff)
    data = {"project-12-planned": "21", "project-12-version": "0", "action": "draft"}
    response = client.post(f"/projects/{HITECH}/report/2022/12/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "保存失败：该数据已被 office" in html and "计划 22 亿元、完成 空（草稿）" in html
    assert ProjectInvestment.objects.get(project=project).planned == D("22")


def test_the_task_report_page_for_the_lead_unit(client, cyfzj_staff, wangcheng):
    client.force_login(cyfzj_staff)
    response = client.get(f"/tasks/{WANGCHENG}/report/2022/")
    codes = [line.milestone.code for line in response.context["lines"]]
    assert codes[0] == "1-1" and "2-1" not in codes and len(codes) == 20
    assert len(response.context["enterprises"]) == 50


def test_reporting_a_milestone_and_an_enterprise_from_the_page(client, cyfzj_staff, wangcheng):
    from projects.models import Milestone

    milestone = Milestone.objects.get(task__plan=wangcheng, task__number=5, number=11)
    client.force_login(cyfzj_staff)
    url = f"/tasks/{WANGCHENG}/report/2023/milestones/{milestone.pk}/"
    anchor = f"milestone-{milestone.pk}"
    response = client.post(
        url, {f"{anchor}-value": "5", f"{anchor}-version": "0", "action": "submit"}
    )
    assert response.status_code == 400
    assert "未达到目标值 6 家，请填写原因分析" in response.content.decode()
    response = client.post(
        url,
        {
            f"{anchor}-value": "5",
            f"{anchor}-version": "0",
            f"{anchor}-explanation": "一家企业过会后暂缓发行",
            f"{anchor}-measures": "2024年一季度完成发行",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    assert milestone.progress.get(year=2023).state == "submitted"
    enterprise = Enterprise.objects.get(task__plan=wangcheng, kind="listing", name="联智科技")
    prefix = f"enterprise-{enterprise.pk}"
    response = client.post(
        f"/tasks/{WANGCHENG}/report/2023/enterprises/{enterprise.pk}/",
        {f"{prefix}-status": "listed", f"{prefix}-note": "深交所创业板", f"{prefix}-version": "1"},
        follow=True,
    )
    assert "联智科技（上市（挂牌）企业）：已上市" in response.content.decode()
    enterprise.refresh_from_db()
    assert (enterprise.status, enterprise.note) == ("listed", "深交所创业板")


def test_a_status_that_does_not_fit_the_kind_changes_nothing(client, cyfzj_staff, wangcheng):
    enterprise = Enterprise.objects.get(task__plan=wangcheng, kind="leader", name="益海嘉里")
    prefix = f"enterprise-{enterprise.pk}"
    client.force_login(cyfzj_staff)
    response = client.post(
        f"/tasks/{WANGCHENG}/report/2023/enterprises/{enterprise.pk}/",
        {f"{prefix}-status": "listed", f"{prefix}-version": "1"},
        follow=True,
    )
    assert "益海嘉里：未做任何修改，请选择有效的状态。" in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.status == "cultivating"


def test_the_office_reviews_investments_and_milestones_on_one_page(
    client, project, project_staff, admin_user, wangcheng
):
    from projects.milestones import ProgressEntry, progress_save
    from tests.factories import milestone

    investment = investment_save(
        project=project,
        year=2022,
        user=project_staff,
        entry=InvestmentEntry(D("30"), D("28")),
        expected_version=None,
        submit=True,
    )
    progress = progress_save(
        milestone=milestone(wangcheng, "4-1"),
        year=2022,
        user=admin_user,
        entry=ProgressEntry(value=D("36")),
        expected_version=None,
        submit=True,
    )
    client.force_login(admin_user)
    html = client.get("/projects/review/").content.decode()
    assert "湖南三安第三代半导体产业园项目" in html and "引进产业链企业" in html
    response = client.post(
        "/projects/review/decide/", {"action": "return", "investment": investment.pk}, follow=True
    )
    assert "未做任何修改：退回时请填写退回原因。" in response.content.decode()
    response = client.post(
        "/projects/review/decide/",
        {"action": "approve", "investment": investment.pk, "progress": progress.pk},
        follow=True,
    )
    assert "已审核通过 2 条" in response.content.decode()
    investment.refresh_from_db()
    progress.refresh_from_db()
    assert (investment.state, progress.state) == ("approved", "approved")


def test_history_pages_show_every_version(client, project, project_staff, admin_user, leader_user):
    approve(project, project_staff, admin_user, 2021, "30", "25")
    client.force_login(project_staff)
    html = client.get(f"/projects/{HITECH}/12/history/2021/").content.decode()
    assert "首次填报" in html and "状态：待审核 → 已审核" in html
    assert "已审核完成投资：空 → 25" in html
    # A leader reads the approvals only: no draft or submission, no working figure.
    client.force_login(leader_user)
    html = client.get(f"/projects/{HITECH}/12/history/2021/").content.decode()
    assert "待审核" not in html and "已审核完成投资" in html
