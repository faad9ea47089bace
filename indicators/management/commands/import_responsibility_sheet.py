
from django.core.management.base import CommandError

from indicators.lifecycle.plans import ensure_open
from indicators.management.plan_file import PlanFileCommand
from indicators.plan_import.apply import sheet_import
from indicators.plan_import.reader import PlanYears, read_sheet
from indicators.plan_import.risks import RiskyImport


class Command(PlanFileCommand):
    help = (
        "导入主要指标责任分解表（.xlsx）。全部成功才写入；任何错误都不做修改。"
        "含高风险变更（指标更名、单位变更、文件标题与规划不符等）时须加 --force。"
        "表头可为任意年份的目标值列（如 2026年–2030年目标值），或只有基期值与终期目标的"
        "“表1”格式（中间年份目标按规则推算并标为推算）。"
    )

    file_help = "责任分解表 .xlsx 文件路径"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--dry-run", action="store_true", help="只预览将发生的变化，不写入")
        parser.add_argument(
            "--force",
            action="store_true",
            help="核对无误后，确认导入高风险变更（指标更名、单位变更、文件标题与规划不符等）",
        )
        parser.add_argument("--user", help="记录在修改历史中的操作人用户名")

    def handle(self, *args, **options):
        plan = self.plan(options["plan"])
        user = self.user(options["user"]) if options["user"] else None
        path = self.file(options["path"])
        with self.refusals():
            ensure_open(plan)  # a closed plan takes no import
            sheet = read_sheet(
                path.name,
                path.read_bytes(),
                PlanYears(plan.base_year, plan.first_year, plan.last_year),
            )
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
