from django.core.management.base import BaseCommand, CommandError

from indicators.backups import (
    DATABASE_FILE,
    MEDIA_FILE,
    backup_root,
    complete_backups,
    media_file_count,
    run_quietly,
)

YES = {"yes", "y", "是"}


class Command(BaseCommand):
    help = (
        "从整体备份恢复数据库和佐证材料（默认 BACKUP_DIR 中最新的一份；"
        "用 django-dbbackup 的 dbrestore 和 mediarestore）。当前数据库的内容会被替换。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backup", metavar="文件夹名", help="要恢复的备份（BACKUP_DIR 下的文件夹名），默认最新"
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="不询问确认，直接恢复（用于脚本）",
        )

    def handle(self, *args, **options):
        root = backup_root()
        backups = complete_backups()
        if not backups:
            raise CommandError(
                f"备份目录 {root} 中没有完整的备份，无法恢复。请先运行 python manage.py backup。"
            )
        if options["backup"]:
            folder = root / options["backup"]
            if folder not in backups:
                names = "、".join(backup.name for backup in backups)
                raise CommandError(f"没有名为 {options['backup']} 的完整备份。现有备份：{names}")
        else:
            folder = backups[-1]

        if options["interactive"]:
            answer = input(
                f"将用备份 {folder.name} 替换当前数据库和佐证材料，备份之后的修改都会丢失。\n"
                "确定恢复吗？输入 yes 继续："
            )
            if answer.strip().lower() not in YES:
                self.stdout.write("已取消，没有做任何修改。")
                return

        steps = (
            ("dbrestore", DATABASE_FILE, {}, "恢复数据库失败：{exc}"),
            (
                "mediarestore",
                MEDIA_FILE,
                {"replace": True},
                "数据库已恢复，但佐证材料恢复失败：{exc}\n请排除问题后再次运行 restore。",
            ),
        )
        for command, file, extra, failure in steps:
            try:
                run_quietly(command, input_path=str(folder / file), uncompress=True, **extra)
            except Exception as exc:
                raise CommandError(failure.format(exc=exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已从备份 {folder.name} 恢复数据库和 {media_file_count(folder)} 个佐证材料文件。"
            )
        )
