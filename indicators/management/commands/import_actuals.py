from django.core.management.base import CommandError

from indicators.actual_import import (
    APPROVE,
    DRAFT,
    SUBMIT,
    actuals_upload,
    check_import_allowed,
)
from indicators.lifecycle.plans import ensure_open
from indicators.management.plan_file import PlanFileCommand


class Command(PlanFileCommand):
    help = (
        "从 Excel（.xlsx）导入一年的实际值：默认保存为草稿，--submit 提交审核，"
        "--approve 直接审核通过（仅管理员）。全部成功才写入；任何错误都不做修改。"
    )
    file_help = "实际值填报表 .xlsx 文件路径"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--user", required=True, help="以该用户的身份和权限导入")
        parser.add_argument(
            "--year", type=int, help="填报年份；表头为「2023年实际值」时可省略，写了须与之一致"
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--submit", action="store_true", help="导入后提交审核")
        mode.add_argument("--approve", action="store_true", help="导入后直接审核通过（仅管理员）")

    def handle(self, *args, **options):
        plan = self.plan(options["plan"])
        user = self.user(options["user"])
        year = options["year"]
        if year is not None and year not in plan.years:
            raise CommandError(f"{year} 年不在规划期 {plan.first_year}–{plan.last_year} 年内。")
        mode = APPROVE if options["approve"] else SUBMIT if options["submit"] else DRAFT
        with self.refusals():
            ensure_open(plan)  # a closed plan takes no figure (indicators/lifecycle/plans.py)
            # Refuse before the file is read: a wrong role learns nothing about its content.
            check_import_allowed(user=user, plan=plan, mode=mode)
        path = self.file(options["path"])
        with self.refusals():
            summary = actuals_upload(
                plan=plan,
                file_name=path.name,
                content=path.read_bytes(),
                user=user,
                mode=mode,
                year=year,
            )
        for line in summary.summary_lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("导入完成。"))
