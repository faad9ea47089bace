import json
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from indicators.models import Department, Role
from indicators.users import user_create


class Command(BaseCommand):
    help = (
        "创建演示账号（一名管理员、一名领导、每个牵头单位一名填报员），并在控制台打印密码。"
        "仅在 DEBUG 开启时可用；每次运行都会为演示账号重新生成密码。"
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("演示账号只能在 DEBUG 开启时创建（生产环境请用 add_user）。")
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

        self.stdout.write("演示账号（密码每次启动重新生成）：用户名  密码  角色（单位）")
        for username, department_name, role in accounts:
            password = secrets.token_urlsafe(9)
            user_create(
                username=username,
                department_name=department_name,
                role=role,
                password=password,
            )
            # ASCII columns first so they line up whatever the width of the Chinese text.
            self.stdout.write(f"  {username:<8} {password:<14} {role.label}（{department_name}）")
