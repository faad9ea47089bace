from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


def demo_modules():
    """Each app with sample data keeps a `demo` module with load() and clear()."""
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.demo"
        if find_spec(name) is not None:
            yield import_module(name)


class Command(BaseCommand):
    help = "载入示例实际值（标注为示例数据），已有数据的年份不受影响。"

    def handle(self, *args, **options):
        with transaction.atomic():
            for module in demo_modules():
                for line in module.load():
                    self.stdout.write(line)
