"""Users and roles from the command line, and the demo accounts."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from indicators.models import Department, Role, User


def add_user(*args) -> str:
    out = io.StringIO()
    call_command("add_user", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("role_text", "role", "is_staff"),
    [
        ("填报员", Role.STAFF, False),
        ("staff", Role.STAFF, False),
        ("管理员", Role.ADMIN, True),
        ("admin", Role.ADMIN, True),
        ("领导", Role.LEADER, False),
        ("leader", Role.LEADER, False),
    ],
)
def test_add_user_accepts_chinese_and_english_roles(db, role_text, role, is_staff):
    output = add_user(
        "zhang", "--department", "区科技局", "--role", role_text, "--password", "s3cret-pw"
    )
    user = User.objects.get(username="zhang")
    assert (user.role, user.department.name, user.is_staff) == (role, "区科技局", is_staff)
    assert user.check_password("s3cret-pw")
    assert [g.name for g in user.groups.all()] == [str(role.label)]
    assert f"已创建用户 zhang（区科技局，{role.label}）" in output


def test_add_user_creates_an_unknown_department(db):
    add_user("li", "--department", "区人社局", "--role", "填报员", "--password", "pw-123456")
    assert Department.objects.filter(name="区人社局").exists()


def test_add_user_refuses_an_unknown_role(db):
    with pytest.raises(CommandError, match="未知角色“boss”"):
        add_user("wang", "--department", "区科技局", "--role", "boss", "--password", "x")
    assert not User.objects.filter(username="wang").exists()


def test_add_user_updates_an_existing_user_to_one_role(db):
    add_user("zhao", "--department", "区科技局", "--role", "管理员", "--password", "pw-123456")
    output = add_user(
        "zhao", "--department", "区工信局", "--role", "领导", "--password", "pw-654321"
    )
    user = User.objects.get(username="zhao")
    assert (user.role, user.department.name, user.is_staff) == (Role.LEADER, "区工信局", False)
    assert [g.name for g in user.groups.all()] == ["领导"]
    assert "已更新用户 zhao" in output


def test_admin_group_may_change_indicators_in_the_django_admin(db):
    add_user("office", "--department", "区工信局", "--role", "admin", "--password", "pw-123456")
    user = User.objects.get(username="office")
    assert user.has_perm("indicators.change_indicator")
    assert user.has_perm("projects.change_keytask")
    assert not user.has_perm("auth.change_group")


def test_staff_role_needs_a_department(db):
    with pytest.raises(CommandError, match="填报员必须属于一个单位"):
        add_user("nobody", "--department", "", "--role", "填报员", "--password", "pw-123456")


@override_settings(DEBUG=True)
def test_demo_accounts_cover_every_lead_department(loaded_plans):
    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)
    printed = out.getvalue()
    staff = User.objects.filter(role=Role.STAFF).select_related("department")
    leads = set(
        Department.objects.filter(led_indicators__isnull=False).values_list("name", flat=True)
    )
    assert {u.department.name for u in staff} == leads
    assert len(leads) == 7
    admin = User.objects.get(username="admin")
    assert admin.role == Role.ADMIN and admin.is_staff
    assert User.objects.get(username="leader").role == Role.LEADER
    # The printed password is the real one.
    line = next(row for row in printed.splitlines() if row.strip().startswith("gxj "))
    password = line.split()[1]
    assert User.objects.get(username="gxj").check_password(password)


@override_settings(DEBUG=False)
def test_demo_accounts_need_debug(db):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("create_demo_accounts", stdout=io.StringIO())
    assert not User.objects.exists()
