import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from indicators.models import Indicator
from parks.services import published_load

FIXTURE = settings.BASE_DIR / "fixtures" / "published_figures.json"


class Command(BaseCommand):
    help = "载入三篇报道中的园区公开数据（fixtures/published_figures.json）；重复运行不会产生变化。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(FIXTURE), help="数据文件（JSON）")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as source:
                data = json.load(source)
        except OSError as exc:
            raise CommandError(f"无法读取 {options['file']}（{exc.strerror or exc}）。") from exc
        except ValueError as exc:
            raise CommandError(f"{options['file']} 不是有效的 JSON：{exc}") from exc
        try:
            lines = published_load(data=data)
        except Indicator.DoesNotExist as exc:
            raise CommandError("数据文件引用的规划指标不存在：请先运行 load_plans。") from exc
        except (KeyError, ValidationError) as exc:
            raise CommandError(f"数据文件有误，未做任何修改：{exc}") from exc
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("公开报道数据已载入。"))
