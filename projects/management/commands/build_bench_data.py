"""`manage.py build_bench_data --scale N`: the data set `make bench` measures.

It copies every loaded plan until there are N of each and gives every plan reported figures;
the work is projects/bench_data.py's (copies) and projects/bench_figures.py's (figures). It is
for a fresh bench or test database only, never a real one.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from projects.bench_data import DEFAULT_SCALE, build


class Command(BaseCommand):
    help = (
        "压测数据：把已载入的规划复制到每个 N 份（含原规划），并填入已审核的实际值、项目投资和"
        "任务进展。只用于新建的压测或测试数据库（先运行 load_plans）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=DEFAULT_SCALE,
            help=f"每个规划的份数（含原规划），默认 {DEFAULT_SCALE}",
        )

    def handle(self, *args, **options):
        scale = options["scale"]
        if scale < 1:
            raise CommandError("--scale 至少为 1。")
        started = timezone.now()
        counts = build(scale)
        seconds = (timezone.now() - started).total_seconds()
        summary = "，".join(f"{label} {count:,}" for label, count in counts.items())
        done = f"压测数据已生成（{scale}×，{seconds:.1f} 秒）：{summary}"
        self.stdout.write(self.style.SUCCESS(done))
