"""load_demo, then a department's real figures by form and by Excel for an indicator, an
investment and a milestone, then clear_demo: every real figure stays, with none of the
sample's text."""

import os
from decimal import Decimal

from django.core.management import call_command

from indicators.models import Actual, Role
from projects.models import MilestoneProgress, ProjectInvestment
from tests.factories import HITECH, WANGCHENG, indicator, make_user, milestone, supervised_project
from tests.reporting.excel import download, fill, upload

SAMPLE_TEXT = "示例：受市场需求波动影响，部分项目进度滞后。"


def quietly(command: str) -> None:
    with open(os.devnull, "w") as sink:
        call_command(command, stdout=sink)


def with_sample_text(figure):
    """The samples carry text a real figure must not inherit."""
    figure.explanation = SAMPLE_TEXT
    figure.save()
    return figure


def test_real_figures_over_samples_survive_clear_demo_with_none_of_their_text(client, loaded_plans):
    kjj = make_user("kjj-r", Role.STAFF, department="区科技局")
    fgj = make_user("fgj-r", Role.STAFF, department="高新区发改局")
    cyfzj = make_user("cyfzj-r", Role.STAFF, department="望城经开区产业发展局")
    by_form_project, by_excel_project = supervised_project(14), supervised_project(13)
    quietly("load_demo")
    samples = [
        with_sample_text(Actual.objects.get(indicator=indicator(26), year=2021)),
        with_sample_text(Actual.objects.get(indicator=indicator(27), year=2021)),
        with_sample_text(ProjectInvestment.objects.get(project=by_form_project, year=2022)),
        with_sample_text(ProjectInvestment.objects.get(project=by_excel_project, year=2022)),
        with_sample_text(
            MilestoneProgress.objects.get(milestone=milestone(WANGCHENG, "4-1"), year=2022)
        ),
        with_sample_text(
            MilestoneProgress.objects.get(milestone=milestone(WANGCHENG, "1-2"), year=2022)
        ),
    ]
    assert all(sample.is_demo and sample.state == "approved" for sample in samples)
    versions = [sample.version for sample in samples]

    # An indicator: 26 by the form, 27 by Excel.
    client.force_login(kjj)
    form = {"action": "submit", "indicator-26-value": "260", "indicator-26-kind": "final"}
    form["indicator-26-version"] = versions[0]
    assert client.post(f"/report/{WANGCHENG}/2021/26/", form).status_code == 302
    workbook = download(client, f"/report/{WANGCHENG}/2021/template.xlsx")
    fill(workbook, 27, F="3.2")
    assert upload(client, f"/report/{WANGCHENG}/2021/upload/", workbook).status_code == 302

    # A project's investment: 14 by the form, 13 by Excel.
    client.force_login(fgj)
    form = {"action": "submit", "project-14-planned": "30", "project-14-completed": "28"}
    form["project-14-version"] = versions[2]
    assert client.post(f"/projects/{HITECH}/report/2022/14/", form).status_code == 302
    workbook = download(client, f"/projects/{HITECH}/report/2022/template.xlsx")
    fill(workbook, 13, E=12, F=11)
    assert upload(client, f"/projects/{HITECH}/report/2022/upload/", workbook).status_code == 302

    # A milestone's progress: 4-1 by the form, 1-2 by Excel.
    client.force_login(cyfzj)
    pk = milestone(WANGCHENG, "4-1").pk
    form = {"action": "submit", f"milestone-{pk}-value": "36"}
    form[f"milestone-{pk}-version"] = versions[4]
    assert client.post(f"/tasks/{WANGCHENG}/report/2022/milestones/{pk}/", form).status_code == 302
    workbook = download(client, f"/tasks/{WANGCHENG}/report/2022/template.xlsx")
    fill(workbook, "1-2", F=1100, G="受芯片供应影响，已协调扩产")
    response = upload(client, f"/tasks/{WANGCHENG}/report/2022/upload/", workbook)
    assert response.status_code == 302, (
        response.context["issues"] or response.context["form"].errors
    )

    quietly("clear_demo")
    real = [type(sample).objects.filter(pk=sample.pk).first() for sample in samples]
    assert all(figure is not None and not figure.is_demo for figure in real)
    assert [getattr(f, "value", None) or f.planned for f in real] == [
        Decimal("260"),
        Decimal("3.2"),
        Decimal("30"),
        Decimal("12"),
        Decimal("36"),
        Decimal("1100"),
    ]
    assert [f.explanation for f in real] == ["", "", "", "", "", "受芯片供应影响，已协调扩产"]
    assert [f.source for f in real[:2]] == ["", ""]  # not the sample's 示例数据
    assert not any(f.approved_at for f in real)  # no sample approval carried over
    assert not Actual.objects.filter(is_demo=True).exists()
