from django.core.management.base import BaseCommand
from django.utils import timezone

from workspace.deadlines import deadline_notices_send


class Command(BaseCommand):
    help = "站内通知：截止日期前 7 天、前 1 天，以及逾期仍有未提交指标的单位（每人每事每天一次）。"

    def handle(self, *args, **options):
        sent = deadline_notices_send(today=timezone.localdate())
        self.stdout.write(f"已发送 {sent} 条截止日期通知。")
