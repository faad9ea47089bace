from django.core.management.base import BaseCommand, CommandError

from indicators.lifecycle import plans, predecessor
from indicators.models import Plan


class Command(BaseCommand):
    help = "列出并确认基期值建议（前一规划对应指标基期年份的已审核实际值）。"

    def add_arguments(self, parser):
        parser.add_argument("slug", help="规划标识")
        parser.add_argument("--dry-run", action="store_true", help="只列出建议，不写入")

    def handle(self, *args, **options):
        plan = Plan.objects.filter(slug=options["slug"]).first()
        if plan is None:
            raise CommandError(f"规划“{options['slug']}”不存在。")
        pending = [p for p in predecessor.base_proposals(plan) if not p.is_applied]
        for proposal in pending:
            self.stdout.write(
                f"{proposal.indicator.number}. {proposal.indicator.name}："
                f"{proposal.current if proposal.current is not None else '空'} → {proposal.value}"
            )
        if not pending:
            self.stdout.write("没有待确认的基期值建议。")
            return
        if options["dry_run"]:
            self.stdout.write(self.style.WARNING("预览模式（--dry-run）：未写入任何数据。"))
            return
        shown = {p.indicator.number: p.value for p in pending}
        try:
            applied = predecessor.base_proposals_confirm(plan=plan, user=None, shown=shown)
        except plans.PlanClosed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已确认 {len(applied)} 项基期值。"))
