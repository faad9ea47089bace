"""Sample figures for a demonstration: added beside real ones, never over them, and removed
exactly by clear()."""

from decimal import Decimal

from projects import demo
from projects.models import MilestoneProgress, Project, ProjectInvestment


def test_load_adds_approved_samples_and_clear_removes_only_them(hitech):
    # Two projects in three get samples for 2021–2023; project 14 (230 亿元) is one of them.
    zoomlion = Project.objects.get(plan=hitech, number=14)
    real = ProjectInvestment.objects.create(project=zoomlion, year=2021, planned=Decimal("7"))
    lines = demo.load()
    assert lines == [
        "项目年度投资演示数据：新增 182 条（已审核）。",
        "任务目标完成值演示数据：新增 44 条（已审核）。",
    ]
    real.refresh_from_db()
    assert (real.planned, real.is_demo, real.state) == (Decimal("7"), False, "draft")
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
    assert demo.clear() == 182 + 44
    assert list(ProjectInvestment.objects.all()) == [real]
    assert not MilestoneProgress.objects.exists()
