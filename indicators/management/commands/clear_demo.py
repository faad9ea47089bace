from django.core.management.base import BaseCommand
from django.db import transaction

from .load_demo import demo_modules


class Command(BaseCommand):
    help = "删除全部示例数据，不影响各部门填报的真实数据。"

    def handle(self, *args, **options):
        with transaction.atomic():
            removed = sum(module.clear() for module in demo_modules())
        self.stdout.write(self.style.SUCCESS(f"已删除示例数据 {removed} 条，真实数据未受影响。"))
