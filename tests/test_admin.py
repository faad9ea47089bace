"""The Django admin: Chinese in the pickers, plain figures, readable history, fixed query cost."""

import json
import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import (
    Actual,
    Comment,
    Department,
    Evidence,
    Indicator,
    Plan,
    Role,
    SheetImport,
    Target,
)
from projects.models import Milestone, MilestoneProgress, Project, ProjectInvestment
from tests.factories import grow_plan, make_user

WANGCHENG = "wangcheng-2021-2023"
HITECH = "changsha-hitech-2021-2025"


@pytest.fixture
def superuser(db):
    user = make_user("root", Role.ADMIN)
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def _catalog(client) -> dict:
    script = client.get("/admin/jsi18n/").content.decode()
    found = re.search(r"const newcatalog = (\{.*?\n  \});", script, re.S)
    return json.loads(found.group(1))


def test_the_department_picker_speaks_chinese(client, superuser, wangcheng):
    client.force_login(superuser)
    indicator = Indicator.objects.get(plan=wangcheng, number=1)
    page = client.get(f"/admin/indicators/indicator/{indicator.pk}/change/").content.decode()
    assert '<script src="/admin/jsi18n/">' in page
    assert 'class="selectfilter"' in page  # filter_horizontal
    catalog = _catalog(client)
    # SelectFilter2.js's own strings: Django 5.2's zh_Hans catalogue lacks them.
    assert catalog['Choose %s by selecting them and then select the "Choose" arrow button.'] == (
        "在左侧框中选中可选的%s，再点“选择”箭头按钮加入右侧。"
    )
    assert catalog["Choose all %s"] == "全选%s"
    assert catalog["Remove all %s"] == "全部移除%s"
    assert catalog["Available %s"] == "可用 %s"  # Django's own, still there


def test_the_catalogue_is_allowed_by_the_csp(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/jsi18n/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    page = client.get("/admin/indicators/indicator/add/")
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_changelists_show_plain_figures(client, superuser, wangcheng):
    client.force_login(superuser)
    html = client.get(f"/admin/indicators/target/?indicator__plan__id__exact={wangcheng.pk}")
    html = html.content.decode()
    assert "1,100" in html  # 1. 工业总产值, 2021: 1100.0000 in the database
    assert "1100.0000" not in html and ".0000" not in html
    indicators = client.get("/admin/indicators/indicator/").content.decode()
    assert ".0000" not in indicators
    projects = client.get("/admin/projects/project/").content.decode()
    assert ".0000" not in projects and "总投资" in projects


def test_a_figure_input_shows_the_plain_number(client, superuser, wangcheng):
    client.force_login(superuser)
    indicator = Indicator.objects.get(plan=wangcheng, number=1)
    html = client.get(f"/admin/indicators/indicator/{indicator.pk}/change/").content.decode()
    assert 'value="1100"' in html and 'value="1100.0000"' not in html


def test_history_rows_are_readable(client, superuser, wangcheng):
    department = Department.objects.create(name="区统计局")
    indicator = Indicator.objects.get(plan=wangcheng, number=1)
    indicator.lead_department = None
    indicator._change_reason = "清空牵头单位"
    indicator.save()
    indicator.lead_department = department
    indicator.base_value = Decimal("1447")
    indicator.save()  # no user, no reason: a command did it
    client.force_login(superuser)
    html = client.get(f"/admin/indicators/indicator/{indicator.pk}/history/").content.decode()
    assert "pk=None" not in html and "Deleted" not in html
    assert "<strong>牵头单位：</strong>— → 区统计局" in html
    assert "1,447" in html and "1447.0000" not in html
    assert "系统（命令或导入）" in html
    assert ">None<" not in html.replace(" ", "").replace("\n", "")
    assert "清空牵头单位" in html and "变更内容" in html


def test_a_target_history_names_its_row_plainly(client, superuser, wangcheng):
    target = Target.objects.get(indicator__plan=wangcheng, indicator__number=1, year=2021)
    target.value = Decimal("1447")
    target.save()
    client.force_login(superuser)
    html = client.get(f"/admin/indicators/target/{target.pk}/history/").content.decode()
    assert "1. 工业总产值 2021: 1,447" in html
    assert "1447.0000" not in html


def test_project_list_has_no_department_dropdown_per_row(client, superuser, hitech):
    client.force_login(superuser)
    html = client.get("/admin/projects/project/").content.decode()
    assert "supervising_department" not in re.findall(r'<select name="([^"]+)"', html)
    assert not re.search(r'name="form-\d+-supervising_department"', html)
    project = Project.objects.filter(plan=hitech).first()
    change = client.get(f"/admin/projects/project/{project.pk}/change/").content.decode()
    assert "admin-autocomplete" in change  # chosen by search, not from a 900-option list


def _grow(tag: str, count: int, superuser) -> None:
    """Add `count` rows to every model the admin lists, each with its own related rows."""
    wangcheng, hitech = Plan.objects.get(slug=WANGCHENG), Plan.objects.get(slug=HITECH)
    grow_plan(wangcheng, count)
    task = wangcheng.key_tasks.get(number=4)
    start = Project.objects.order_by("-number").first().number + 1
    new_indicators = Indicator.objects.filter(plan=wangcheng).order_by("-number")[:count]
    for n, indicator in enumerate(new_indicators):
        department = Department.objects.create(name=f"{tag}单位{n}")
        user = make_user(f"{tag}-user{n}", Role.STAFF, department=department.name)
        Actual.objects.create(indicator=indicator, year=2021, value=Decimal(n), state="submitted")
        Comment.objects.create(
            indicator=indicator, year=2021, text="意见", department=department, author=user
        )
        Evidence.objects.create(
            indicator=indicator,
            year=2021,
            file=f"evidence/{tag}{n}.pdf",
            original_name=f"{tag}{n}.pdf",
            department=department,
            uploaded_by=user,
        )
        SheetImport.objects.create(
            plan=wangcheng, file_name=f"{tag}{n}.xlsx", content=b"x", uploaded_by=superuser
        )
        project = Project.objects.create(
            plan=hitech,
            number=start + n,
            category="technology",
            name=f"{tag}项目{n}",
            builder="测试公司",
            total_investment=Decimal("1.5"),
            content="测试",
            supervising_department=department,
        )
        ProjectInvestment.objects.create(project=project, year=2022, planned=Decimal(1))
        milestone = Milestone.objects.create(
            task=task,
            number=500 + Milestone.objects.count(),
            name=f"{tag}目标{n}",
            text="测试",
            target_value=Decimal(n),
            unit="个",
            attribute="annual",
        )
        MilestoneProgress.objects.create(milestone=milestone, year=2022, value=1)


def _changelist_queries(client) -> dict[str, int]:
    counts = {}
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[model._meta.label] = len(queries)
    return counts


def test_every_changelist_costs_a_fixed_number_of_queries(client, superuser, loaded_plans):
    client.force_login(superuser)
    _grow("小", 2, superuser)
    small = _changelist_queries(client)
    _grow("大", 40, superuser)
    large = _changelist_queries(client)
    grew = {label: (small[label], large[label]) for label in small if small[label] != large[label]}
    assert grew == {}
    assert max(large.values()) <= 15


def test_every_change_and_history_page_opens(client, superuser, loaded_plans):
    """Display functions in readonly_fields and the readable history render for every model."""
    client.force_login(superuser)
    _grow("页", 1, superuser)
    for model, model_admin in admin.site._registry.items():
        obj = model_admin.get_queryset(_request(superuser)).first()
        if obj is None:
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        change = client.get(reverse(f"{name}_change", args=[obj.pk]))
        assert change.status_code == 200, model._meta.label
        assert ".0000" not in change.content.decode(), model._meta.label
        history = client.get(reverse(f"{name}_history", args=[obj.pk]))
        assert history.status_code == 200, model._meta.label


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
