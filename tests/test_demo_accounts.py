"""Demo accounts only when asked for explicitly, and never at the expense of a real account."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from indicators.management.commands.create_demo_accounts import DEMO_MARK, is_demo_account
from indicators.models import Role, User
from tests.factories import make_user


def create_demo_accounts(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_demo_accounts", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def printed_password(output: str, username: str) -> str:
    line = next(row for row in output.splitlines() if row.strip().startswith(f"{username} "))
    return line.split()[1]


@override_settings(DEBUG=False, DEMO_ACCOUNTS=True)
def test_refused_without_debug_even_when_asked_for(loaded_plans):
    with pytest.raises(CommandError, match="演示账号只能在 DEBUG 开启时创建"):
        create_demo_accounts("--demo")
    assert not User.objects.exists()


@override_settings(DEBUG=True, DEMO_ACCOUNTS=False)
def test_refused_in_debug_unless_asked_for_explicitly(loaded_plans):
    with pytest.raises(CommandError, match="--demo"):
        create_demo_accounts()
    assert not User.objects.exists()


@override_settings(DEBUG=True, DEMO_ACCOUNTS=True)
def test_the_demo_accounts_environment_variable_is_the_other_explicit_way(loaded_plans):
    output, _ = create_demo_accounts()
    admin = User.objects.get(username="admin")
    assert is_demo_account(admin) and admin.role == Role.ADMIN
    assert admin.check_password(printed_password(output, "admin"))


@override_settings(DEBUG=True, DEMO_ACCOUNTS=False)
def test_demo_accounts_are_marked_and_get_new_passwords_at_every_run(loaded_plans):
    first, _ = create_demo_accounts("--demo")
    users = User.objects.filter(last_name=DEMO_MARK)
    assert users.count() == 9  # admin, leader and the 7 lead departments' staff
    second, _ = create_demo_accounts("--demo")
    assert printed_password(first, "gxj") != printed_password(second, "gxj")
    assert User.objects.get(username="gxj").check_password(printed_password(second, "gxj"))


@override_settings(DEBUG=True, DEMO_ACCOUNTS=False)
def test_a_real_account_with_a_demo_username_is_never_touched(loaded_plans):
    real_admin = make_user("admin", Role.ADMIN, department="区发改局")
    real_leader = make_user("leader", Role.LEADER, department="区委区政府")
    real_leader.is_superuser = True
    real_leader.last_name = DEMO_MARK  # even marked, a superuser is not a demo account
    real_leader.save()
    before = {u.pk: (u.password, u.department_id, u.role) for u in (real_admin, real_leader)}

    output, errors = create_demo_accounts("--demo")

    for user in User.objects.filter(pk__in=before):
        assert (user.password, user.department_id, user.role) == before[user.pk]
    assert real_admin.last_name == "" and not is_demo_account(User.objects.get(username="admin"))
    assert "admin    已存在且不是演示账号，未作任何改动" in errors
    assert "leader   已存在且不是演示账号" in errors
    assert not any(row.strip().startswith(("admin ", "leader ")) for row in output.splitlines())
    # The other demo accounts are made as usual.
    assert is_demo_account(User.objects.get(username="gxj"))
