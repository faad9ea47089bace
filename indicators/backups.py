"""Whole backups: the database and the evidence files (MEDIA_ROOT) together.

`manage.py backup` has django-dbbackup write both into one new folder under BACKUP_DIR
(`dbbackup` and `mediabackup`, gzip-compressed); `manage.py restore` puts the newest complete
folder back (`dbrestore` and `mediarestore`). A folder is written under a hidden name and
renamed when both files are in it, so a backup that failed half-way is never restored.
"""

import contextlib
import sqlite3
import tarfile
import tempfile
from pathlib import Path
from shutil import copyfileobj

from dbbackup.db.sqlite import SqliteBackupConnector
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

DATABASE_FILE = "database.dump.gz"
MEDIA_FILE = "media.tar.gz"
PARTIAL_PREFIX = "."


def backup_root() -> Path:
    return Path(settings.BACKUP_DIR)


def complete_backups() -> list[Path]:
    """The finished backup folders, oldest first (their names are their times)."""
    root = backup_root()
    if not root.is_dir():
        return []
    return sorted(
        folder
        for folder in root.iterdir()
        if folder.is_dir()
        and not folder.name.startswith(PARTIAL_PREFIX)
        and (folder / DATABASE_FILE).is_file()
        and (folder / MEDIA_FILE).is_file()
    )


def new_backup_name() -> str:
    """The local time, to the second; a suffix when two backups start in the same second."""
    stem = timezone.localtime().strftime("%Y-%m-%d-%H%M%S")
    name, n = stem, 1
    while (backup_root() / name).exists():
        n += 1
        name = f"{stem}-{n}"
    return name


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.is_dir() else []


class SqliteOnlineConnector(SqliteBackupConnector):
    """dbbackup's SQLite connector, restoring through SQLite's online backup API.

    dbbackup writes the backup over the database file, which breaks an in-memory database
    (the test suite's) and a file another process (a web worker) holds open. Copying into
    the open connection with the backup API locks the database properly and works for both.
    """

    def restore_dump(self, dump):
        self.connection.ensure_connection()
        with tempfile.NamedTemporaryFile(suffix=".sqlite3") as copy:
            copyfileobj(dump, copy)
            copy.flush()
            with contextlib.closing(sqlite3.connect(copy.name)) as source:
                source.backup(self.connection.connection)


def media_file_count(folder: Path) -> int:
    """How many evidence files a backup folder holds (read from its tar's index)."""
    with tarfile.open(folder / MEDIA_FILE, "r:gz") as archive:
        return sum(1 for member in archive if member.isfile())


def size_text(folder: Path) -> str:
    total = sum(path.stat().st_size for path in folder.iterdir() if path.is_file())
    return f"{total / 1024 / 1024:.1f} MB" if total >= 1024 * 1024 else f"{total / 1024:.0f} KB"


def run_quietly(command: str, **options) -> None:
    """Run one of django-dbbackup's commands without questions or chatter."""
    call_command(command, interactive=False, quiet=True, **options)
