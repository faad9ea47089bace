"""A 管理员 manages ordinary users in the Django admin, and nothing above them.

Never a superuser or another 管理员 (not even their password), never the superuser or
staff flag, groups or permissions, never the Group or Permission admin. Every way up is
tried as a logged-in 管理员, and after each the database must be as it was.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from indicators.models import Department, Role, User
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "Zh-8f2k-Qm4x"  # passes the four AUTH_PASSWORD_VALIDATORS
USERS = "/admin/indicators/user/"
ADMIN_INDEX = "/admin/"  # where the admin sends a user whose object it cannot find
FORBIDDEN_FIELDS = {"is_superuser", "is_staff", "groups", "user_permissions"}


def change_url(user: User) -> str:
    return f"{USERS}{user.pk}/change/"


def password_url(user: User) -> str:
    return f"{USERS}{user.pk}/password/"


def delete_url(user: User) -> str:
    return f"{USERS}{user.pk}/delete/"


def state(user: User) -> dict:
    """Everything about an account that an escalation could move, read from the database."""
    user = User.objects.filter(pk=user.pk).first()
    if user is None:
        return {"deleted": True}
    return {
        "username": user.username,
        "is_superuser": user.is_superuser,
        "is_staff": user.is_staff,
        "is_active": user.is_active,
        "role": user.role,
        "department": user.department_id,
        "email": user.email,
        "password": user.password,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "user_permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
    }


def change_form(user: User, **changes) -> dict:
    """What a browser posts from the user change form, with `changes` on top.

    Every field the user admin shows anyone, with the user's current values (a checkbox
    is posted only when ticked); a form ignores the fields it does not have. A change
    of None leaves the field out, as an unticked checkbox.
    """
    data = {
        "username": user.username,
        "department": user.department_id or "",
        "role": user.role,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else None,
        "is_staff": "on" if user.is_staff else None,
        "is_superuser": "on" if user.is_superuser else None,
        "groups": list(user.groups.values_list("pk", flat=True)),
        "user_permissions": list(user.user_permissions.values_list("pk", flat=True)),
        "_save": "保存",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def new_password_form(password: str = NEW_PASSWORD) -> dict:
    return {"usable_password": "true", "password1": password, "password2": password}


def escalation(field: str) -> dict:
    """The posted value of `field` that would lift its user towards superuser."""
    admin_group = Group.objects.get(name="管理员")
    powerful = Permission.objects.filter(
        content_type__app_label="auth", codename__in=["add_group", "change_group"]
    ) | Permission.objects.filter(content_type__app_label="indicators", codename="change_user")
    return {
        "is_superuser": {"is_superuser": "on"},
        "is_staff": {"is_staff": "on"},
        "groups": {"groups": [admin_group.pk]},
        "user_permissions": {"user_permissions": [p.pk for p in powerful]},
    }[field]


@pytest.fixture
def office(client, admin_user) -> Client:
    """The test client, logged in as the 管理员 `office` (make_user("office", Role.ADMIN))."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def root(db) -> User:
    return User.objects.create_superuser("root", "root@example.com", NEW_PASSWORD)


@pytest.fixture
def root_client(root) -> Client:
    client = Client()
    client.force_login(root)
    return client


@pytest.fixture
def other_admin(db) -> User:
    return make_user("office2", Role.ADMIN, department="区发改局")


@pytest.fixture
def above(request, root, other_admin) -> User:
    """A user the 管理员 must leave alone: a superuser, or another 管理员."""
    return {"superuser": root, "other_admin": other_admin}[request.param]


ABOVE = pytest.mark.parametrize("above", ["superuser", "other_admin"], indirect=True)


# --- The 管理员's own account and an ordinary user: no flag, group or permission moves ----


@pytest.mark.parametrize("field", sorted(FORBIDDEN_FIELDS))
def test_admin_cannot_lift_themselves_through_their_change_form(office, admin_user, field):
    before = state(admin_user)
    response = office.post(change_url(admin_user), change_form(admin_user, **escalation(field)))
    assert state(admin_user) == before
    # Their own account is not among the users they manage: "not found", back to the index.
    assert (response.status_code, response.url) == (302, ADMIN_INDEX)


def test_admin_sets_their_own_password_only_through_the_normal_password_change(office, admin_user):
    """The user admin's password form asks no old password; theirs is /admin/password_change/."""
    before = state(admin_user)
    assert office.get(password_url(admin_user)).status_code == 404
    response = office.post(password_url(admin_user), new_password_form())
    assert state(admin_user) == before
    assert response.status_code == 404


@pytest.mark.parametrize("field", sorted(FORBIDDEN_FIELDS))
def test_admin_cannot_lift_a_staff_member_through_the_change_form(office, staff_user, field):
    before = state(staff_user)
    response = office.post(change_url(staff_user), change_form(staff_user, **escalation(field)))
    assert state(staff_user) == before
    # The form has no such field: it saves what it has (nothing new) and ignores the rest.
    assert (response.status_code, response.url) == (302, USERS)


@pytest.mark.parametrize("field", sorted(FORBIDDEN_FIELDS))
def test_admin_cannot_add_a_user_with_flags_groups_or_permissions(office, department, field):
    data = {
        "username": "newcomer",
        **new_password_form(),
        "department": department.pk,
        "role": Role.STAFF,
        "_save": "保存",
        **escalation(field),
    }
    response = office.post(f"{USERS}add/", data)
    assert response.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert (newcomer.is_superuser, newcomer.is_staff) == (False, False)
    assert [g.name for g in newcomer.groups.all()] == ["填报员"]  # the role's group, only
    assert not newcomer.user_permissions.exists()


def test_admin_forms_never_show_flags_groups_or_permissions(office, staff_user):
    change = office.get(change_url(staff_user))
    add = office.get(f"{USERS}add/")
    assert (change.status_code, add.status_code) == (200, 200)
    assert not FORBIDDEN_FIELDS & set(change.context["adminform"].form.fields)
    assert not FORBIDDEN_FIELDS & set(add.context["adminform"].form.fields)
    html = change.content.decode()
    assert 'name="is_superuser"' not in html and 'name="is_staff"' not in html


def test_admin_lists_only_the_users_they_manage(office, staff_user, leader_user, root, other_admin):
    response = office.get(USERS)
    assert response.status_code == 200
    listed = {user.username for user in response.context["cl"].result_list}
    assert listed == {"staff1", "leader1"}  # not office itself, office2 or root


def test_save_model_refuses_a_flag_even_when_no_form_field_set_it(admin_user, staff_user, root):
    """Defence in depth: whatever the form lets through, save_model checks the flags."""
    request = RequestFactory().post(change_url(staff_user))
    request.user = admin_user
    user_admin = admin.site._registry[User]
    before = {staff_user.pk: state(staff_user), root.pk: state(root)}

    staff_user.is_superuser = True
    with pytest.raises(PermissionDenied):
        user_admin.save_model(request, staff_user, form=None, change=True)

    root.email = "taken@example.com"  # a superuser, whatever changes
    with pytest.raises(PermissionDenied):
        user_admin.save_model(request, root, form=None, change=True)

    for user in (staff_user, root):
        assert state(user) == before[user.pk]


# --- A superuser or another 管理员: not changed, not reset, not deactivated, not deleted ---


@ABOVE
def test_admin_cannot_open_the_change_form_of(office, above):
    response = office.get(change_url(above))
    assert (response.status_code, response.url) == (302, ADMIN_INDEX)


@ABOVE
def test_admin_cannot_change_or_deactivate(office, above):
    before = state(above)
    data = change_form(above, email="taken@example.com", role=Role.LEADER, is_active=None)
    response = office.post(change_url(above), data)
    assert state(above) == before
    assert (response.status_code, response.url) == (302, ADMIN_INDEX)


@ABOVE
def test_admin_cannot_open_the_password_form_of(office, above):
    assert office.get(password_url(above)).status_code == 404


@ABOVE
def test_admin_cannot_reset_the_password_of(office, above):
    before = state(above)
    response = office.post(password_url(above), new_password_form("Tk-3w9v-Rp5z"))
    assert state(above) == before
    assert response.status_code == 404


@ABOVE
def test_admin_cannot_disable_the_password_of(office, above):
    before = state(above)
    data = {"usable_password": "false", "unset-password": "1"}
    response = office.post(password_url(above), data)
    assert state(above) == before
    assert response.status_code == 404


@ABOVE
def test_admin_cannot_delete(office, above):
    before = state(above)
    response = office.post(delete_url(above), {"post": "yes"})
    assert state(above) == before
    assert (response.status_code, response.url) == (302, ADMIN_INDEX)


@ABOVE
def test_admin_cannot_delete_through_the_bulk_action(office, above):
    before = state(above)
    data = {"action": "delete_selected", "_selected_action": [above.pk], "post": "yes"}
    response = office.post(USERS, data)
    assert state(above) == before
    assert response.status_code == 302  # back to the list: "no items selected"


# --- Groups and permissions: superusers only ----------------------------------------------


@pytest.mark.parametrize("path", ["", "add/", "{admin_group}/change/", "{admin_group}/delete/"])
def test_admin_cannot_open_the_group_admin(office, path):
    admin_group = Group.objects.get(name="管理员")
    url = "/admin/auth/group/" + path.format(admin_group=admin_group.pk)
    assert office.get(url).status_code == 403


def test_admin_cannot_add_a_group(office):
    auth_permissions = Permission.objects.filter(content_type__app_label="auth")
    data = {"name": "后门", "permissions": [p.pk for p in auth_permissions], "_save": "保存"}
    assert office.post("/admin/auth/group/add/", data).status_code == 403
    assert not Group.objects.filter(name="后门").exists()


def test_admin_cannot_give_their_group_more_permissions(office):
    admin_group = Group.objects.get(name="管理员")
    before = set(admin_group.permissions.values_list("pk", flat=True))
    everything = list(Permission.objects.values_list("pk", flat=True))
    data = {"name": "管理员", "permissions": everything, "_save": "保存"}
    response = office.post(f"/admin/auth/group/{admin_group.pk}/change/", data)
    assert response.status_code == 403
    assert set(admin_group.permissions.values_list("pk", flat=True)) == before


def test_admin_cannot_delete_a_group(office):
    admin_group = Group.objects.get(name="管理员")
    response = office.post(f"/admin/auth/group/{admin_group.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Group.objects.filter(pk=admin_group.pk).exists()


def test_permissions_have_no_admin_and_the_index_shows_no_groups(office):
    assert office.get("/admin/auth/permission/").status_code == 404
    index = office.get(ADMIN_INDEX)
    assert index.status_code == 200
    assert "/admin/auth/group/" not in index.content.decode()


def test_admin_group_has_no_auth_permissions(admin_user):
    assert not admin_user.get_all_permissions() & {
        f"auth.{p.codename}" for p in Permission.objects.filter(content_type__app_label="auth")
    }


# --- What a 管理员 still does ---------------------------------------------------------------


def test_admin_changes_the_department_and_role_of_a_staff_member(office, staff_user):
    department = Department.objects.create(name="区统计局")
    data = change_form(staff_user, department=department.pk, role=Role.LEADER)
    response = office.post(change_url(staff_user), data)
    assert (response.status_code, response.url) == (302, USERS)
    staff_user.refresh_from_db()
    assert (staff_user.department, staff_user.role, staff_user.is_staff) == (
        department,
        Role.LEADER,
        False,
    )
    assert [g.name for g in staff_user.groups.all()] == ["领导"]  # the group follows the role


def test_a_new_plan_office_role_brings_staff_and_its_group(office, staff_user):
    response = office.post(change_url(staff_user), change_form(staff_user, role=Role.ADMIN))
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert (staff_user.role, staff_user.is_staff, staff_user.is_superuser) == (
        Role.ADMIN,
        True,
        False,
    )
    assert [g.name for g in staff_user.groups.all()] == ["管理员"]
    # From now on only a superuser manages that account.
    assert office.get(password_url(staff_user)).status_code == 404


def test_admin_deactivates_a_staff_member(office, staff_user):
    response = office.post(change_url(staff_user), change_form(staff_user, is_active=None))
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert not staff_user.is_active


def test_admin_resets_the_password_of_a_staff_member(office, staff_user):
    assert office.get(password_url(staff_user)).status_code == 200
    response = office.post(password_url(staff_user), new_password_form())
    assert (response.status_code, response.url) == (302, change_url(staff_user))
    staff_user.refresh_from_db()
    assert staff_user.check_password(NEW_PASSWORD)


def test_admin_changes_their_own_password_the_normal_way(office, admin_user):
    data = {
        "old_password": PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    response = office.post("/admin/password_change/", data)
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.check_password(NEW_PASSWORD)


# --- A superuser still does everything ---------------------------------------------------


def test_superuser_form_shows_the_superuser_flag_groups_and_permissions(root_client, staff_user):
    fields = set(root_client.get(change_url(staff_user)).context["adminform"].form.fields)
    assert {"is_superuser", "groups", "user_permissions"} <= fields


def test_superuser_makes_a_superuser_and_staff_follows(root_client, staff_user):
    response = root_client.post(change_url(staff_user), change_form(staff_user, is_superuser="on"))
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert (staff_user.is_superuser, staff_user.is_staff) == (True, True)
    assert [g.name for g in staff_user.groups.all()] == ["填报员"]


def test_superuser_changes_another_admin_and_their_groups(root_client, other_admin):
    extra = Group.objects.create(name="审计")
    data = change_form(other_admin, role=Role.LEADER, groups=[extra.pk])
    response = root_client.post(change_url(other_admin), data)
    assert response.status_code == 302
    other_admin.refresh_from_db()
    assert (other_admin.role, other_admin.is_staff) == (Role.LEADER, False)
    # The hand-picked group stays, and the role's own group is the new role's.
    assert sorted(g.name for g in other_admin.groups.all()) == ["审计", "领导"]


def test_superuser_resets_another_admins_password(root_client, other_admin):
    assert root_client.get(password_url(other_admin)).status_code == 200
    response = root_client.post(password_url(other_admin), new_password_form())
    assert response.status_code == 302
    other_admin.refresh_from_db()
    assert other_admin.check_password(NEW_PASSWORD)


def test_superuser_deletes_another_superuser(root_client):
    second = User.objects.create_superuser("root2", "root2@example.com", NEW_PASSWORD)
    response = root_client.post(delete_url(second), {"post": "yes"})
    assert (response.status_code, response.url) == (302, USERS)
    assert not User.objects.filter(pk=second.pk).exists()


def test_superuser_manages_groups(root_client):
    assert root_client.get("/admin/auth/group/").status_code == 200
    response = root_client.post("/admin/auth/group/add/", {"name": "审计", "_save": "保存"})
    assert response.status_code == 302
    assert Group.objects.filter(name="审计").exists()
