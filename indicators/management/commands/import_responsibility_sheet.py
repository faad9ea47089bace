from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.importers.workbook import SheetInvalid, WorkbookRefused
from indicators.models import Plan, User
from indicators.plan_import.apply import sheet_import
from indicators.plan_import.reader import PlanYears, read_sheet
from indicators.plan_import.risks import RiskyImport


class Command(BaseCommand):
    help = (
        "导入主要指标责任分解表（.xlsx）。全部成功才写入；任何错误都不做修改。"
        "含高风险变更（指标更名、单位变更、文件标题与规划不符等）时须加 --force。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="责任分解表 .xlsx 文件路径")
        parser.add_argument("--plan", required=True, help="规划标识，如 wangcheng-2021-2023")
        parser.add_argument("--dry-run", action="store_true", help="只预览将发生的变化，不写入")
        parser.add_argument(
            "--force",
            action="store_true",
            help="核对无误后，确认导入高风险变更（指标更名、单位变更、文件标题与规划不符等）",
        )
        parser.add_argument("--user", help="记录在修改历史中的操作人用户名")

    def handle(self, *args, **options):
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            known = "、".join(Plan.objects.values_list("slug", flat=True)) or "（无）"
            raise CommandError(f"规划“{options['plan']}”不存在。现有规划：{known}")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"用户“{options['user']}”不存在。")
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            sheet = read_sheet(
                path.name,
                path.read_bytes(),
                PlanYears(plan.base_year, plan.first_year, plan.last_year),
            )
        except WorkbookRefused as exc:
            raise CommandError(str(exc)) from exc
        except SheetInvalid as exc:
            raise CommandError(
                f"文件中有 {len(exc.issues)} 处错误，未导入任何数据：\n{exc}"
            ) from exc
        try:
            preview = sheet_import(
                plan=plan,
                rows=sheet.rows,
                source=sheet.source,
                user=user,
                reason=f"命令行导入责任分解表 {path.name}",
                accept_risks=options["force"],
                dry_run=options["dry_run"],
            )
        except RiskyImport as exc:
            risks = "\n".join(f"  - {risk}" for risk in exc.risks)
            raise CommandError(
                f"文件“{path.name}”含 {len(exc.risks)} 项高风险变更，未导入任何数据：\n{risks}\n"
                f"请核对文件与规划“{plan.name}”（{plan.slug}）是否对应；"
                "确认无误后加 --force 重新运行。"
            ) from exc
        for outcome in preview.created:
            self.stdout.write(f"新增 {outcome.number}. {outcome.name}")
        for outcome in preview.updated:
            self.stdout.write(f"更新 {outcome.number}. {outcome.name}")
            for change in outcome.changes:
                mark = "  [高风险]" if change.risk else ""
                self.stdout.write(f"    {change.label}：{change.old} → {change.new}{mark}")
        for line in preview.summary_lines():
            self.stdout.write(line)
        if preview.risks:
            self.stdout.write(self.style.WARNING(f"高风险变更 {len(preview.risks)} 项："))
            for risk in preview.risks:
                self.stdout.write(self.style.WARNING(f"  - {risk}"))
        if options["dry_run"]:
            self.stdout.write(self.style.WARNING("预览模式（--dry-run）：未写入任何数据。"))
            if preview.risks and not options["force"]:
                self.stdout.write(self.style.WARNING("正式导入时须加 --force 确认上述高风险变更。"))
        else:
            self.stdout.write(self.style.SUCCESS("导入完成。"))
