import getpass

from django.core.management.base import BaseCommand, CommandError

from indicators.users import UserInputError, parse_role, user_create


class Command(BaseCommand):
    help = "创建用户（或更新其单位与角色）。角色：填报员|管理员|领导（或 staff|admin|leader）。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--department", required=True, help="所属单位名称，如 区工信局")
        parser.add_argument(
            "--role", required=True, help="填报员、管理员、领导 或 staff、admin、leader"
        )
        parser.add_argument("--password", help="密码；省略时在终端提示输入")
        parser.add_argument("--email", default="")

    def handle(self, *args, **options):
        try:
            role = parse_role(options["role"])
            password = options["password"]
            if password is None and options.get("interactive", True) and self.stdin_isatty():
                password = getpass.getpass("密码：")
            user, created = user_create(
                username=options["username"],
                department_name=options["department"],
                role=role,
                password=password,
                email=options["email"],
            )
        except UserInputError as exc:
            raise CommandError(str(exc)) from exc
        verb = "已创建" if created else "已更新"
        department = user.department.name if user.department else "无"
        self.stdout.write(
            self.style.SUCCESS(f"{verb}用户 {user.username}（{department}，{role.label}）")
        )

    @staticmethod
    def stdin_isatty() -> bool:
        import sys

        return sys.stdin.isatty()
