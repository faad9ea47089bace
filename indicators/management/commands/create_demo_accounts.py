import json
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from indicators.models import Department, Role, User
from indicators.users import user_create

# Written into last_name of every account this command creates (shown in the Django admin
# under 个人信息): an existing account without it is a real one and is never touched.
DEMO_MARK = "演示账号"


def is_demo_account(user: User) -> bool:
    """True for an account this command created (and nobody has made a superuser since)."""
    return user.last_name == DEMO_MARK and not user.is_superuser


def demo_accounts() -> list[tuple[str, str, Role]]:
    """(username, department, role) of every demo account: fixtures/demo_accounts.json
    names the admin, the leader and the staff of known departments; any other lead
    department gets staff<id>."""
    with open(settings.PLAN_FIXTURES_DIR / "demo_accounts.json", encoding="utf-8") as handle:
        config = json.load(handle)
    accounts = [
        (config["admin"]["username"], config["admin"]["department"], Role.ADMIN),
        (config["leader"]["username"], config["leader"]["department"], Role.LEADER),
    ]
    names = config["staff_usernames"]
    leads = Department.objects.filter(led_indicators__isnull=False).distinct().order_by("id")
    for department in leads:
        username = names.get(department.name, f"staff{department.pk}")
        accounts.append((username, department.name, Role.STAFF))
    return accounts


class Command(BaseCommand):
    help = (
        "创建演示账号（一名管理员、一名领导、每个牵头单位一名填报员），并在控制台打印密码。"
        "仅在 DEBUG 开启且明确要求（--demo 或 DEMO_ACCOUNTS=1）时可用；每次运行为演示账号"
        "重新生成密码，已存在的非演示账号（如真实的 admin）一概不动。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="确认创建演示账号（也可设置环境变量 DEMO_ACCOUNTS=1；make run 会加上）",
        )

    def handle(self, *args, demo: bool = False, **options):
        if not settings.DEBUG:
            raise CommandError("演示账号只能在 DEBUG 开启时创建（生产环境请用 add_user）。")
        if not (demo or settings.DEMO_ACCOUNTS):
            raise CommandError(
                "演示账号需明确要求才会创建：请加 --demo 或设置 DEMO_ACCOUNTS=1"
                "（make run 会这样做）。"
            )
        accounts = demo_accounts()
        existing = {
            user.username: user
            for user in User.objects.filter(username__in=[name for name, _, _ in accounts])
        }

        self.stdout.write("演示账号（密码每次启动重新生成）：用户名  密码  角色（单位）")
        for username, department_name, role in accounts:
            user = existing.get(username)
            if user is not None and not is_demo_account(user):
                self.stderr.write(
                    f"  {username:<8} 已存在且不是演示账号，未作任何改动"
                    "（若是旧版本创建的演示账号，请删除 var/db.sqlite3 后重新 make run）"
                )
                continue
            password = secrets.token_urlsafe(9)
            with transaction.atomic():
                user, _ = user_create(
                    username=username,
                    department_name=department_name,
                    role=role,
                    password=password,
                )
                user.last_name = DEMO_MARK
                user.save(update_fields=["last_name"])
            # ASCII columns first so they line up whatever the width of the Chinese text.
            self.stdout.write(f"  {username:<8} {password:<14} {role.label}（{department_name}）")
