"""Sample figures for a demonstration: added beside real ones, never over them, and removed
exactly by clear()."""

from decimal import Decimal

from projects import demo
from projects.models import MilestoneProgress, Project, ProjectInvestment


def test_load_adds_approved_samples_and_clear_removes_only_them(hitech):
    # Two projects in three get samples for every year up to the reporting year (2021–2025
    # once 2026 has begun): 61 projects × 5 years; project 14 (230 亿元) is one of them.
    zoomlion = Project.objects.get(plan=hitech, number=14)
    lines = demo.load()
    assert lines == [
        "项目年度投资演示数据：新增 305 条（已审核）。",
        "任务目标完成值演示数据：新增 44 条（已审核）。",
    ]
    sample = ProjectInvestment.objects.get(project=zoomlion, year=2022)
    # 20% of 230 planned for 2022, 105% of it completed.
    assert (sample.planned, sample.completed, sample.approved_completed, sample.state) == (
        Decimal("46"),
        Decimal("48.3"),
        Decimal("48.3"),
        "approved",
    )
    assert not ProjectInvestment.objects.filter(project__number=12).exists()
    assert demo.load()[0] == "项目年度投资演示数据：新增 0 条（已审核）。"
    assert demo.clear() == 305 + 44
    assert not ProjectInvestment.objects.exists()
    assert not MilestoneProgress.objects.exists()


def test_no_samples_once_a_real_figure_exists(hitech):
    zoomlion = Project.objects.get(plan=hitech, number=14)
    real = ProjectInvestment.objects.create(project=zoomlion, year=2021, planned=Decimal("7"))
    assert demo.load() == ["已有真实的项目投资或任务进展数据，不再载入示例数据。"]
    assert list(ProjectInvestment.objects.all()) == [real]
    assert not MilestoneProgress.objects.exists()


def test_pages_showing_samples_say_so(client, hitech, wangcheng, leader_user):
    client.force_login(leader_user)
    notice = "示例数据：本页部分实际值为系统载入的示例数据"
    urls = [
        f"/projects/{hitech.slug}/",
        f"/projects/{hitech.slug}/14/",
        f"/projects/{hitech.slug}/dashboard/?year=2022",
        f"/tasks/{wangcheng.slug}/?year=2022",
    ]
    for url in urls:
        assert notice not in client.get(url).content.decode(), url
    demo.load()
    for url in urls:
        assert notice in client.get(url).content.decode(), url
