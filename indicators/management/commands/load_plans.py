from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from indicators.importers.workbook import SheetInvalid, WorkbookRefused
from indicators.plan_import.risks import RiskyImport


class Command(BaseCommand):
    help = "载入两个规划的源数据（fixtures/）；重复运行不会产生任何变化。"

    def handle(self, *args, **options):
        # Each app that has plan data keeps a plan_fixtures module with a load() function;
        # apps load in INSTALLED_APPS order, so projects find the plans indicators made.
        try:
            with transaction.atomic():
                for app_config in apps.get_app_configs():
                    module_name = f"{app_config.name}.plan_fixtures"
                    if find_spec(module_name) is None:
                        continue
                    for line in import_module(module_name).load():
                        self.stdout.write(line)
        except (WorkbookRefused, SheetInvalid) as exc:
            raise CommandError(f"规划源数据有误，未做任何修改：\n{exc}") from exc
        except OSError as exc:
            where = f"：{exc.filename}" if exc.filename else ""
            raise CommandError(
                f"无法读取规划源数据文件{where}（{exc.strerror or exc}），未做任何修改。"
            ) from exc
        except RiskyImport as exc:
            raise CommandError(
                "规划源数据与数据库中的指标不一致（高风险变更），未做任何修改：\n"
                f"{exc}\n请核对 fixtures/ 中的源数据，或改用 import_responsibility_sheet --force。"
            ) from exc
        self.stdout.write(self.style.SUCCESS("规划数据已载入。"))
