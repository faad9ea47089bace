import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from indicators.backups import (
    DATABASE_FILE,
    MEDIA_FILE,
    PARTIAL_PREFIX,
    backup_root,
    media_file_count,
    new_backup_name,
    run_quietly,
    size_text,
)


class Command(BaseCommand):
    help = (
        "整体备份：数据库和全部佐证材料（MEDIA_ROOT）一起写入 BACKUP_DIR 下的一个新文件夹"
        "（用 django-dbbackup 的 dbbackup 和 mediabackup）。"
    )

    def handle(self, *args, **options):
        root = backup_root()
        root.mkdir(parents=True, exist_ok=True)
        Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
        name = new_backup_name()
        # Written under a hidden name and renamed once complete: restore never sees half.
        partial = root / f"{PARTIAL_PREFIX}{name}"
        partial.mkdir()
        try:
            for command, file in (("dbbackup", DATABASE_FILE), ("mediabackup", MEDIA_FILE)):
                run_quietly(command, output_path=str(partial / file), compress=True)
        except Exception as exc:
            shutil.rmtree(partial, ignore_errors=True)
            raise CommandError(f"备份失败，没有留下不完整的备份：{exc}") from exc
        folder = root / name
        partial.rename(folder)
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份数据库和 {media_file_count(folder)} 个佐证材料文件到 {folder}"
                f"（{size_text(folder)}）。"
            )
        )
