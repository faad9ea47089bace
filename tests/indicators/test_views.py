"""Pages: login, the plan list, the plan table, and the admin's upload → preview → confirm."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator, Role, SheetImport, Target
from tests.factories import grow_plan, make_user
from tests.indicators.sheets import edited_fixture

PAGE_BUDGET = 10
UPLOAD_URL = "/plans/wangcheng-2021-2023/import/"


def upload(client, content: bytes, name: str = "责任分解表.xlsx"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, content)})


def target_value(number: int, year: int) -> Decimal:
    return Target.objects.get(
        indicator__plan__slug="wangcheng-2021-2023", indicator__number=number, year=year
    ).value


@pytest.mark.parametrize("url", ["/", "/plans/wangcheng-2021-2023/", UPLOAD_URL, "/imports/1/"])
def test_every_page_needs_a_login(client, loaded_plans, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_login_page_is_chinese(client, db):
    response = client.get("/accounts/login/")
    assert "登录" in response.content.decode()


def test_home_lists_both_plans_with_counts(client, staff_user, loaded_plans):
    client.force_login(staff_user)
    html = client.get("/plans/").content.decode()
    assert "长沙市望城区打造国家重要先进制造业高地三年行动计划（2021-2023年）" in html
    assert "长沙高新区“十四五”规划" in html
    assert "导入责任分解表" not in html  # only the plan office imports


def test_plan_page_shows_base_targets_units_and_separators(client, leader_user, wangcheng):
    client.force_login(leader_user)
    html = client.get("/plans/wangcheng-2021-2023/").content.decode()
    assert "工业总产值" in html
    assert "1,700 亿元" in html and "1,000 亿元" in html
    assert "22.2%" in html
    assert "全社会研发经费投入占GDP比重" in html


def test_hitech_page_shows_unassigned_derived_and_text_targets(client, staff_user, hitech):
    client.force_login(staff_user)
    html = client.get("/plans/changsha-hitech-2021-2025/").content.decode()
    assert html.count('<td><span class="unassigned">未分配</span></td>') == 26
    assert '3,162.23 亿元<span class="visually-hidden">（推算）</span>' in html
    # Years are years, not figures: no thousands separator.
    assert "2021年目标值" in html and "2,021" not in html
    assert "完成市里下达任务" in html
    assert "市层面为GDP" in html


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADER])
def test_only_the_plan_office_may_import(client, loaded_plans, role):
    client.force_login(make_user("someone", role, department="区科技局"))
    assert client.get(UPLOAD_URL).status_code == 403
    before = list(Target.objects.values_list("pk", "value"))
    assert upload(client, edited_fixture({"H4": 1800})).status_code == 403
    assert list(Target.objects.values_list("pk", "value")) == before
    assert not SheetImport.objects.exists()


def test_upload_preview_confirm(client, admin_user, wangcheng):
    client.force_login(admin_user)
    response = upload(client, edited_fixture({"H4": 1800, "J14": "区发展和改革局"}))
    record = SheetImport.objects.get()
    assert response.status_code == 302 and response.url == f"/imports/{record.pk}/"
    assert target_value(1, 2023) == Decimal("1700")  # nothing written before confirmation

    html = client.get(response.url).content.decode()
    assert "更新指标（2）" in html
    assert "2023年目标值" in html and ">1,700 亿元<" in html and ">1,800 亿元<" in html
    assert "区发展和改革局" in html and "将新建单位 1 个" in html
    assert "确认导入" in html

    response = client.post(f"/imports/{record.pk}/confirm/", follow=True)
    assert "已更新 2 项" in response.content.decode()
    assert target_value(1, 2023) == Decimal("1800")
    record.refresh_from_db()
    assert record.status == "applied" and record.summary["updated"]["1"] == [
        ["2023年目标值", "1,700 亿元", "1,800 亿元"]
    ]
    latest = Target.history.filter(
        indicator_id=Indicator.objects.get(plan=wangcheng, number=1).pk, year=2023
    ).first()
    assert latest.history_user == admin_user

    response = client.post(f"/imports/{record.pk}/confirm/", follow=True)
    assert "不能重复确认" in response.content.decode()


def test_bad_cells_are_all_listed_and_nothing_is_kept(client, admin_user, wangcheng):
    client.force_login(admin_user)
    response = upload(client, edited_fixture({"H15": "待定", "I20": "累积"}))
    html = response.content.decode()
    assert response.status_code == 400  # a refused file answers 400 on every upload page
    assert "文件中有 2 处错误，未导入任何数据" in html
    assert "附件1 第15行「2023年目标值」：“待定”不是数字" in html
    assert "附件1 第20行「属性」：“累积”不是有效的属性" in html
    assert not SheetImport.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "另存为”.xlsx"),
        ("表.xlsm", b"PK", "不接受含宏的工作簿"),
        ("表.xlsx", b"not a workbook", "无法读取该文件"),
        ("表.xlsx", b"\0" * (5 * 1024 * 1024 + 1), "超过 5 MB 的上限"),
    ],
)
def test_refused_files_get_a_clear_message(client, admin_user, wangcheng, name, content, message):
    client.force_login(admin_user)
    response = upload(client, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SheetImport.objects.exists()


def test_a_preview_made_stale_by_another_change_is_refused(client, admin_user, wangcheng):
    client.force_login(admin_user)
    upload(client, edited_fixture({"H4": 1800}))
    record = SheetImport.objects.get()
    target = Target.objects.get(indicator__plan=wangcheng, indicator__number=1, year=2023)
    target.value = Decimal("1750")
    target.save()
    response = client.post(f"/imports/{record.pk}/confirm/", follow=True)
    assert "预览之后指标数据已被修改" in response.content.decode()
    assert target_value(1, 2023) == Decimal("1750")
    record.refresh_from_db()
    assert record.status == "discarded"


def test_discard_changes_nothing(client, admin_user, wangcheng):
    client.force_login(admin_user)
    upload(client, edited_fixture({"H4": 1800}))
    record = SheetImport.objects.get()
    response = client.post(f"/imports/{record.pk}/discard/", follow=True)
    assert "已放弃本次导入" in response.content.decode()
    assert target_value(1, 2023) == Decimal("1700")


def test_another_admins_upload_is_not_found(client, admin_user, wangcheng):
    client.force_login(admin_user)
    upload(client, edited_fixture({"H4": 1800}))
    record = SheetImport.objects.get()
    client.force_login(make_user("office2", Role.ADMIN))
    assert client.get(f"/imports/{record.pk}/").status_code == 404
    assert client.post(f"/imports/{record.pk}/confirm/").status_code == 404
    assert target_value(1, 2023) == Decimal("1700")


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADER])
def test_other_roles_cannot_confirm(client, admin_user, wangcheng, role):
    client.force_login(admin_user)
    upload(client, edited_fixture({"H4": 1800}))
    record = SheetImport.objects.get()
    client.force_login(make_user("other", role, department="区科技局"))
    assert client.post(f"/imports/{record.pk}/confirm/").status_code == 403
    assert client.post(f"/imports/{record.pk}/discard/").status_code == 403
    assert target_value(1, 2023) == Decimal("1700")


@pytest.mark.parametrize("url", ["/plans/", "/plans/wangcheng-2021-2023/"])
def test_page_query_count_does_not_grow_with_the_data(client, admin_user, wangcheng, url):
    client.force_login(admin_user)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow_plan(wangcheng, 60)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert "测试指标100" in response.content.decode() or url == "/plans/"
    assert len(large) == len(small) <= PAGE_BUDGET
