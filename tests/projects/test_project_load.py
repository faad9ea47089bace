"""The 91 projects of 附件二 as loaded by load_plans: split rows joined, row 64 put right,
each category adding up to the subtotal its heading states, and a reload changing nothing."""

import shutil
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from indicators.importers.workbook import SheetInvalid
from indicators.models import Department
from projects.models import Project, ProjectInvestment
from projects.sources import CategorySubtotal, read_projects
from tests.factories import FIXTURES, load_plans_quietly

PROJECTS_CSV = FIXTURES / "changsha_hitech_projects.csv"
STATED = [
    CategorySubtotal("政府投资类", 9, Decimal("27.488"), "一、政府投资类项目（共9个…27.488亿元）"),
    CategorySubtotal("产业类", 60, Decimal("1027.395"), "二、产业类项目（共 60 个…1027.395 亿元）"),
    CategorySubtotal("科技类", 22, Decimal("31.16"), "三、科技类项目（共 22 个…31.16 亿元）"),
]


def test_it_loads_the_91_projects_numbered_1_to_91(hitech):
    numbers = list(Project.objects.filter(plan=hitech).values_list("number", flat=True))
    assert numbers == list(range(1, 92))


def test_each_category_adds_up_to_the_subtotal_its_heading_states(hitech):
    rows = (
        Project.objects.filter(plan=hitech)
        .values("category")
        .annotate(count=Count("id"), total=Sum("total_investment"))
    )
    sums = {row["category"]: (row["count"], row["total"]) for row in rows}
    assert sums == {
        "government": (9, Decimal("27.488")),
        "industry": (60, Decimal("1027.395")),
        "technology": (22, Decimal("31.16")),
    }
    total = Project.objects.filter(plan=hitech).aggregate(total=Sum("total_investment"))["total"]
    assert total == Decimal("1086.043")


@pytest.mark.parametrize(
    "number, name, builder, content_end",
    [
        (
            35,
            "“集中式员工公寓”（一期）项目",
            "长沙麓谷建设发展有限公司",
            "建设集中式公寓及相关配套设施",
        ),
        (
            44,
            "湖南东方红装配式建筑科技产业园二期项目",
            "湖南东方红建设集团有限公司",
            "新型墙板厂房及德国 ALC 新型墙板流水线",
        ),
        (
            52,
            "圣湘高性能医疗器械科技产业园",
            "圣湘生物科技股份有限公司",
            "为一体的圣湘生物高性能医疗器械科技产业园区",
        ),
        (
            68,
            "华润医药总部",
            "华润湖南医药有限公司",
            "项目计划总投资约 4.5 亿元，建设规模约 6 万 m ² ，项目建成后，预计年营收超 200 亿元",
        ),
        (
            80,
            "十万瓦级工业超大功率光纤激光器研制",
            "长沙大科激光科技有限公司",
            "建设产能 50 台/年的生产线和相应的应用工艺测试平台，"
            "为光纤激光在重工业的应用提供核心部件",
        ),
        (
            84,
            "北斗三代手持双模型用户机关键技术攻关",
            "湖南中森通信科技有限公司",
            "频点信号。应用前景涉及：全天候全天候的导航、定位和通信服务，涵盖各类领域与系统",
        ),
    ],
)
def test_rows_cut_by_a_page_break_are_joined(hitech, number, name, builder, content_end):
    project = Project.objects.get(plan=hitech, number=number)
    assert project.name == name
    assert project.builder == builder
    assert project.content.endswith(content_end)
    assert "分页截断" in project.notes


def test_row_64_has_its_name_and_builder_put_back_with_a_note(hitech):
    project = Project.objects.get(plan=hitech, number=64)
    assert project.name == "高至军用装备系统及配套研发生产基地"
    assert project.builder == "湖南高至科技有限公司"
    assert project.total_investment == Decimal("5.3")
    assert "项目名称与建设主体两栏互换" in project.notes


def test_a_project_reads_as_the_source_states_it(hitech):
    project = Project.objects.get(plan=hitech, number=14)
    assert (project.name, project.builder, project.total_investment) == (
        "中联智慧产业城",
        "中联重科股份有限公司",
        Decimal("230"),
    )
    assert project.category == "industry"
    assert project.content.startswith("建设土方机械(挖掘机)、高空作业机械")
    # The source gives no stage and no supervising department: both stay blank.
    assert project.status == "" and project.status_label == "未登记"
    assert project.supervising_department is None


def copy_with_change(tmp_path, old: str, new: str):
    path = tmp_path / PROJECTS_CSV.name
    shutil.copy(PROJECTS_CSV, path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_reader_refuses_a_list_that_does_not_add_up(tmp_path):
    # Project 12 typed as 16 instead of 160 亿元.
    path = copy_with_change(
        tmp_path, "湖南三安半导体有限责任公司,160,", "湖南三安半导体有限责任公司,16,"
    )
    with pytest.raises(SheetInvalid) as refused:
        read_projects(path, STATED)
    assert [str(issue) for issue in refused.value.issues] == [
        "changsha_hitech_projects.csv：产业类：60 个项目合计 883.395 亿元，"
        "与标题“二、产业类项目（共 60 个…1027.395 亿元）”所列 60 个、1027.395 亿元不符"
    ]


def test_the_reader_refuses_a_project_filed_under_the_wrong_category(tmp_path):
    path = copy_with_change(tmp_path, "70,科技类,", "70,产业类,")
    with pytest.raises(SheetInvalid) as refused:
        read_projects(path, STATED)
    messages = [str(issue) for issue in refused.value.issues]
    assert len(messages) == 2
    assert "产业类：61 个项目合计 1027.895 亿元" in messages[0]
    assert "科技类：21 个项目合计 30.66 亿元" in messages[1]


def test_the_reader_names_every_bad_cell(tmp_path):
    path = copy_with_change(
        tmp_path, "长沙麓谷建设发展有限公司,2.8,", "长沙麓谷建设发展有限公司,二点八,"
    )
    with pytest.raises(SheetInvalid) as refused:
        read_projects(path, STATED)
    assert str(refused.value.issues[0]) == (
        "changsha_hitech_projects.csv 第2行「total_investment」：“二点八”不是数字"
    )


def test_load_plans_fails_loudly_and_changes_nothing_on_a_mismatch(hitech, tmp_path, settings):
    for source in FIXTURES.iterdir():
        shutil.copy(source, tmp_path / source.name)
    path = tmp_path / PROJECTS_CSV.name
    text = path.read_text(encoding="utf-8").replace(
        "湖南方盛制药股份有限公司,12,", "湖南方盛制药股份有限公司,13,"
    )
    path.write_text(text, encoding="utf-8")
    Project.objects.filter(plan=hitech, number=10).update(name="旧名称")
    settings.PLAN_FIXTURES_DIR = str(tmp_path)
    with pytest.raises(CommandError) as failed:
        call_command("load_plans")
    assert "产业类：60 个项目合计 1028.395 亿元" in str(failed.value)
    assert Project.objects.get(plan=hitech, number=10).name == "旧名称"


def history_count() -> int:
    from projects import models

    return sum(
        model.history.count()
        for model in (
            models.Project,
            models.KeyTask,
            models.TaskItem,
            models.Milestone,
            models.Enterprise,
        )
    )


def test_loading_twice_changes_nothing(hitech):
    before = history_count()
    load_plans_quietly()
    assert history_count() == before
    assert Project.objects.filter(plan=hitech).count() == 91


def test_a_reload_keeps_what_people_recorded(hitech):
    department = Department.objects.create(name="高新区经发局")
    project = Project.objects.get(plan=hitech, number=30)
    project.supervising_department, project.status = department, "construction"
    project.save()
    ProjectInvestment.objects.create(project=project, year=2021, planned=Decimal("20"))
    load_plans_quietly()
    project.refresh_from_db()
    assert project.supervising_department == department
    assert project.status == "construction"
    assert project.investments.get(year=2021).planned == Decimal("20")


def test_a_changed_source_row_updates_only_that_project(hitech, tmp_path, settings):
    for source in FIXTURES.iterdir():
        shutil.copy(source, tmp_path / source.name)
    path = tmp_path / PROJECTS_CSV.name
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("长：2254米，宽：30米", "长：2254 米，宽：30 米"), encoding="utf-8"
    )
    settings.PLAN_FIXTURES_DIR = str(tmp_path)
    before = Project.history.count()
    load_plans_quietly()
    assert Project.history.count() == before + 1
    assert (
        Project.objects.get(plan=hitech, number=1).content == "长：2254 米，宽：30 米，城市次干道"
    )
