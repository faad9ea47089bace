from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from indicators.actual_import import (
    APPROVE,
    DRAFT,
    SUBMIT,
    actuals_upload,
    check_import_allowed,
)
from indicators.importers.workbook import SheetInvalid, WorkbookRefused
from indicators.models import Plan, User


class Command(BaseCommand):
    help = (
        "从 Excel（.xlsx）导入一年的实际值：默认保存为草稿，--submit 提交审核，"
        "--approve 直接审核通过（仅管理员）。全部成功才写入；任何错误都不做修改。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="实际值填报表 .xlsx 文件路径")
        parser.add_argument("--plan", required=True, help="规划标识，如 wangcheng-2021-2023")
        parser.add_argument("--user", required=True, help="以该用户的身份和权限导入")
        parser.add_argument(
            "--year", type=int, help="填报年份；表头为「2023年实际值」时可省略，写了须与之一致"
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--submit", action="store_true", help="导入后提交审核")
        mode.add_argument("--approve", action="store_true", help="导入后直接审核通过（仅管理员）")

    def handle(self, *args, **options):
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            known = "、".join(Plan.objects.values_list("slug", flat=True)) or "（无）"
            raise CommandError(f"规划“{options['plan']}”不存在。现有规划：{known}")
        user = User.objects.filter(username=options["user"]).select_related("department").first()
        if user is None:
            raise CommandError(f"用户“{options['user']}”不存在。")
        year = options["year"]
        if year is not None and year not in plan.years:
            raise CommandError(f"{year} 年不在规划期 {plan.first_year}–{plan.last_year} 年内。")
        mode = APPROVE if options["approve"] else SUBMIT if options["submit"] else DRAFT
        try:
            # Refuse before the file is read: a wrong role learns nothing about its content.
            check_import_allowed(user=user, plan=plan, mode=mode)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            summary = actuals_upload(
                plan=plan,
                file_name=path.name,
                content=path.read_bytes(),
                user=user,
                mode=mode,
                year=year,
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except WorkbookRefused as exc:
            raise CommandError(str(exc)) from exc
        except SheetInvalid as exc:
            raise CommandError(
                f"文件中有 {len(exc.issues)} 处错误，未导入任何数据：\n{exc}"
            ) from exc
        for line in summary.summary_lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("导入完成。"))
