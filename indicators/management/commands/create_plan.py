from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from indicators.lifecycle import plans, predecessor
from indicators.models import Plan


def _threshold(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise CommandError(f"--threshold “{text}”不是数字，应为 0–1 之间的比例，如 0.9") from exc


class Command(BaseCommand):
    help = (
        "新建规划（不含指标）。随后用 import_responsibility_sheet 导入责任分解表，"
        "或加 --predecessor 与 --copy-indicators 从前一规划复制指标；"
        "基期值建议须用 confirm_base_values 确认后才写入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="规划标识，如 wangcheng-2026-2030")
        parser.add_argument("--name", required=True, help="规划名称")
        parser.add_argument("--short-name", required=True, help="简称")
        parser.add_argument("--base-year", type=int, required=True, help="基期年份")
        parser.add_argument("--first-year", type=int, required=True, help="起始年份")
        parser.add_argument("--last-year", type=int, required=True, help="终止年份")
        parser.add_argument("--issuer", default="", help="印发机关")
        parser.add_argument("--document-number", default="", help="文号")
        parser.add_argument("--threshold", type=_threshold, help="基本达标阈值，默认 0.9")
        parser.add_argument("--predecessor", help="前一规划的标识")
        parser.add_argument(
            "--copy-indicators", action="store_true", help="从前一规划复制指标并与原指标衔接"
        )

    def handle(self, *args, **options):
        before = None
        if options["predecessor"]:
            before = Plan.objects.filter(slug=options["predecessor"]).first()
            if before is None:
                raise CommandError(f"前一规划“{options['predecessor']}”不存在。")
        elif options["copy_indicators"]:
            raise CommandError("--copy-indicators 须与 --predecessor 一起使用。")
        try:
            plan = plans.plan_create(
                slug=options["slug"],
                name=options["name"],
                short_name=options["short_name"],
                base_year=options["base_year"],
                first_year=options["first_year"],
                last_year=options["last_year"],
                issuer=options["issuer"],
                document_number=options["document_number"],
                near_threshold=options["threshold"],
                predecessor=before,
                user=None,
            )
        except plans.PlanRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已新建规划 {plan.slug}：{plan.name}（{plan.first_year}–{plan.last_year} 年，"
                f"基期 {plan.base_year} 年）。"
            )
        )
        if options["copy_indicators"]:
            copies = predecessor.indicators_copy_from_predecessor(plan=plan, user=None)
            self.stdout.write(f"已从 {before.slug} 复制 {len(copies)} 项指标。")
            proposals = predecessor.base_proposals(plan)
            for proposal in proposals:
                self.stdout.write(
                    f"  基期值建议 {proposal.indicator.number}. {proposal.indicator.name}："
                    f"{proposal.value}（{before.short_name} {proposal.year} 年已审核实际值）"
                )
            if proposals:
                self.stdout.write(
                    self.style.WARNING(
                        f"以上 {len(proposals)} 项基期值尚未写入，核对后运行 "
                        f"python manage.py confirm_base_values {plan.slug}"
                    )
                )
        self.stdout.write(
            f"下一步：python manage.py import_responsibility_sheet 文件.xlsx --plan {plan.slug}"
        )
