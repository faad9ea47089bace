"""Users, roles and their groups: one department and one role per user."""

from django.contrib.auth import password_validation
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import ngettext

from .kept import kept_user
from .models import Department, Role, User

ROLE_ALIASES = {
    "填报员": Role.STAFF,
    "staff": Role.STAFF,
    "管理员": Role.ADMIN,
    "admin": Role.ADMIN,
    "领导": Role.LEADER,
    "leader": Role.LEADER,
}
MANAGED_APPS = ("indicators", "projects")


class UserInputError(ValueError):
    """A user cannot be created as asked; the message says why, in Chinese."""


class UserBackend(ModelBackend):
    """Django's username-and-password login; the signed-in user is read with its department.

    Every page's header names the user's department, so it comes with the user; and the
    pair is this process's copy while the user's version has not moved (indicators/kept.py):
    a request costs no query for its user. A password change, a deactivation, a new role or
    department, a renamed department bump the version (signals.py), so the next request of
    any process reads the row again and Django's session check sees the new password.
    """

    def get_user(self, user_id):
        user = kept_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's MinimumLengthValidator (AUTH_PASSWORD_VALIDATORS), its message translated.

    Django 5.2.19 reworded the "too short" message ("%d" for "%(min_length)d") and its zh_Hans
    catalogue only translates the old wording, so the message came out in English. This asks
    for the old wording, which the catalogue translates; in English both read the same.
    """

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


def parse_role(text: str) -> Role:
    """Return the role for 填报员/管理员/领导 or staff/admin/leader; raise UserInputError."""
    role = ROLE_ALIASES.get(text.strip().lower()) or ROLE_ALIASES.get(text.strip())
    if role is None:
        raise UserInputError(
            f"未知角色“{text}”：应为 填报员、管理员、领导（或 staff、admin、leader）"
        )
    return role


def role_group_name(role: Role) -> str:
    return str(Role(role).label)


def ensure_role_groups() -> dict[Role, Group]:
    """Create the three role groups; the 管理员 group may edit every plan model in the admin.

    That includes the model permissions on users (the user model lives in `indicators`),
    so the user admin shows at all; which users a 管理员 may touch, and which fields, the
    user admin decides (see `manages` below). Never a permission of `auth`: groups and
    permissions are a superuser's.
    """
    groups = {role: Group.objects.get_or_create(name=role_group_name(role))[0] for role in Role}
    admin_permissions = Permission.objects.filter(content_type__app_label__in=MANAGED_APPS)
    groups[Role.ADMIN].permissions.set(admin_permissions)
    return groups


def role_apply(user: User) -> None:
    """Save the user with what their role gives: the staff flag and the role's group.

    The one place where the role decides them (user_create and the user admin call it):
    a 管理员 or a superuser may log into the Django admin, nobody else; the user is in
    their role's group and in no other role group. Other groups, which only a superuser
    can give, are kept.
    """
    user.is_staff = user.role == Role.ADMIN or user.is_superuser
    user.save()
    role_group_apply(user)


def role_group_apply(user: User) -> None:
    """Put the saved user in their role's group and take them out of the other role groups."""
    groups = ensure_role_groups()
    own = groups[Role(user.role)]
    user.groups.remove(*(group for group in groups.values() if group != own))
    user.groups.add(own)


# Who a user may manage: a superuser anyone; a 管理员 the users below the plan office.
_BELOW_THE_PLAN_OFFICE = Q(is_superuser=False, is_staff=False) & ~Q(role=Role.ADMIN)


def manages(editor: User, user: User) -> bool:
    """Whether `editor` may change, deactivate, delete `user` or set their password.

    A superuser manages everyone. A 管理员 manages 填报员 and 领导 who are neither staff
    nor superuser: never a superuser, never a 管理员, so not themselves either (they
    change their own password through the normal password change).
    """
    if editor.is_superuser:
        return True
    return not (user.is_superuser or user.is_staff or user.role == Role.ADMIN)


def managed_users(editor: User, users: QuerySet | None = None) -> QuerySet:
    """`users` (by default all) narrowed to those `editor` manages, as `manages` decides."""
    users = User.objects.all() if users is None else users
    return users if editor.is_superuser else users.filter(_BELOW_THE_PLAN_OFFICE)


@transaction.atomic
def user_create(
    *,
    username: str,
    department_name: str,
    role: Role,
    password: str | None,
    email: str = "",
) -> tuple[User, bool]:
    """Create the user, or update the department and role of an existing one.

    Returns (user, created). The department is created when unknown. A 管理员 gets
    access to the Django admin through the staff flag and the 管理员 group (role_apply).
    A password must pass AUTH_PASSWORD_VALIDATORS; when it does not, UserInputError
    carries their messages.
    """
    if not username.strip():
        raise UserInputError("用户名不能为空")
    department = None
    if department_name.strip():
        department, _ = Department.objects.get_or_create(name=department_name.strip())
    elif role == Role.STAFF:
        raise UserInputError("填报员必须属于一个单位，请用 --department 指定")
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
    user.department = department
    user.role = role
    user.email = email or user.email
    if password:
        try:
            # After username and email are set: one validator compares the password to them.
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise UserInputError("密码不符合要求：" + "".join(exc.messages)) from exc
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    role_apply(user)
    return user, created
