"""Users and roles from the command line, and the demo accounts."""

import io

import pytest
from django.contrib.auth import password_validation
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
    call_command("create_demo_accounts", "--demo", stdout=out)
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


# A password that passes all four AUTH_PASSWORD_VALIDATORS.
STRONG_PASSWORD = "Zh-8f2k-Qm4x"


class FakeTTY(io.StringIO):
    """createsuperuser prompts only when stdin is a terminal."""

    def isatty(self) -> bool:
        return True


def assert_plan_office_superuser(user: User) -> None:
    assert user.is_superuser and user.is_staff and user.is_active
    assert user.role == Role.ADMIN and user.is_plan_admin
    assert user.department is None
    assert [g.name for g in user.groups.all()] == ["管理员"]


def test_createsuperuser_noinput_makes_a_plan_office_admin(db, client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG_PASSWORD)
    out = io.StringIO()
    call_command(
        "createsuperuser",
        interactive=False,
        username="root",
        email="root@example.com",
        stdout=out,
    )
    assert "Superuser created successfully." in out.getvalue()
    user = User.objects.get(username="root")
    assert_plan_office_superuser(user)
    assert user.email == "root@example.com"
    assert user.check_password(STRONG_PASSWORD)

    # The real login page, through the axes backend, as the administrator would.
    response = client.post("/accounts/login/", {"username": "root", "password": STRONG_PASSWORD})
    assert response.status_code == 302
    assert client.get("/review/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/indicators/indicator/").status_code == 200


def test_createsuperuser_interactive_validates_the_password(db, monkeypatch):
    passwords = iter(["abc12", "abc12", STRONG_PASSWORD, STRONG_PASSWORD])
    monkeypatch.setattr(
        "django.contrib.auth.management.commands.createsuperuser.getpass.getpass",
        lambda prompt="Password: ": next(passwords),
    )
    answers = []

    def fake_input(prompt=""):
        answers.append(prompt)
        return "n"  # do not bypass the validators

    monkeypatch.setattr("builtins.input", fake_input)
    err = io.StringIO()
    call_command(
        "createsuperuser",
        interactive=True,
        username="chief",
        email="chief@example.com",
        stdin=FakeTTY(),
        stdout=io.StringIO(),
        stderr=err,
    )
    assert "密码长度太短" in err.getvalue()
    assert answers == ["Bypass password validation and create user anyway? [y/N]: "]
    user = User.objects.get(username="chief")
    assert_plan_office_superuser(user)
    assert user.check_password(STRONG_PASSWORD)


def test_settings_use_the_four_standard_password_validators():
    """Not relaxed by the test settings; MinimumLengthValidator is Django's, translated."""
    validators = password_validation.get_default_password_validators()
    standard = [
        password_validation.UserAttributeSimilarityValidator,
        password_validation.MinimumLengthValidator,
        password_validation.CommonPasswordValidator,
        password_validation.NumericPasswordValidator,
    ]
    assert len(validators) == len(standard)
    for validator, cls in zip(validators, standard, strict=True):
        assert isinstance(validator, cls)
    assert validators[1].min_length == 8


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("sun", "abc12", "密码长度太短。密码必须包含至少 8 个字符。"),
        ("sun", "password", "这个密码太常见了。"),
        ("sun", "83726154", "密码只包含数字。"),
        ("zhangsan", "zhangsan1", "密码跟 用户名 太相似了。"),
    ],
)
def test_add_user_refuses_a_password_the_validators_refuse(db, username, password, message):
    with pytest.raises(CommandError, match="密码不符合要求") as excinfo:
        add_user(username, "--department", "区档案馆", "--role", "填报员", "--password", password)
    assert message in str(excinfo.value)
    assert not User.objects.filter(username=username).exists()
    # Nothing is left behind: the new department is rolled back with the user.
    assert not Department.objects.filter(name="区档案馆").exists()


def test_add_user_keeps_the_old_password_when_the_new_one_is_refused(db):
    add_user("qian", "--department", "区科技局", "--role", "领导", "--password", STRONG_PASSWORD)
    with pytest.raises(CommandError, match="密码长度太短"):
        add_user("qian", "--department", "区工信局", "--role", "管理员", "--password", "abc12")
    user = User.objects.get(username="qian")
    assert user.check_password(STRONG_PASSWORD)
    assert (user.role, user.department.name) == (Role.LEADER, "区科技局")


def test_admin_password_change_form_refuses_a_short_password(client, staff_user):
    superuser = User.objects.create_superuser("root", "root@example.com", STRONG_PASSWORD)
    client.force_login(superuser)
    url = f"/admin/indicators/user/{staff_user.pk}/password/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"usable_password": "true", "password1": "abc12", "password2": "abc12"}
    )
    assert response.status_code == 200  # the form again, not a redirect
    assert "密码长度太短" in response.content.decode()
    staff_user.refresh_from_db()
    assert staff_user.check_password("pw-123456")
    assert not staff_user.check_password("abc12")

    response = client.post(
        url, {"usable_password": "true", "password1": "Gx-7t2p-Lw9q", "password2": "Gx-7t2p-Lw9q"}
    )
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.check_password("Gx-7t2p-Lw9q")
