"""Whole backups: `backup` then `restore` gives back every API answer and every evidence file.

The round trip empties the database and the media folder between the two commands, so it
runs outside the per-test transaction. It runs on SQLite (the suite's in-memory database:
indicators.backups.SqliteOnlineConnector restores through SQLite's backup API) and on
PostgreSQL (pg_dump and pg_restore, which must be on PATH).
"""

import io
import shutil
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators import backups
from indicators.actuals import ActualEntry, actual_approve, actual_save, evidence_add
from indicators.models import Evidence, Plan, Role
from tests.factories import indicator, make_user

API_PATHS = ("indicators", "progress", "projects", "tasks")
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture
def places(settings, tmp_path):
    """A media folder and a backup folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings


def api_answers(client, users) -> dict[tuple[str, str], tuple[int, bytes]]:
    """Every API answer, as each user gets it: status and body, byte for byte."""
    answers = {}
    for user in users:
        client.force_login(user)
        urls = ["/api/v1/plans/"] + [
            f"/api/v1/plans/{slug}/{path}/"
            for slug in sorted(Plan.objects.values_list("slug", flat=True))
            for path in API_PATHS
        ]
        for url in urls:
            response = client.get(url)
            answers[(user.username, url)] = (response.status_code, response.content)
    return answers


def evidence_bytes(client, admin) -> dict[str, tuple[bytes, bytes]]:
    """Each evidence file: its bytes on disk and as the download view serves them."""
    client.force_login(admin)
    files = {}
    for evidence in Evidence.objects.order_by("pk"):
        with evidence.file.open("rb") as stored:
            on_disk = stored.read()
        response = client.get(f"/evidence/{evidence.pk}/")
        assert response.status_code == 200
        files[evidence.file.name] = (on_disk, b"".join(response.streaming_content))
    return files


def report_and_approve(number, plan, year, value, uploads, staff, admin):
    subject = indicator(number, plan)
    actual = actual_save(
        indicator=subject,
        year=year,
        user=staff,
        entry=ActualEntry(value=Decimal(value), explanation="统计快报", measures="持续跟踪"),
        expected_version=None,
        submit=True,
    )
    for name, content in uploads:
        evidence_add(
            indicator=subject, year=year, user=staff, upload=SimpleUploadedFile(name, content)
        )
    actual_approve(actual_id=actual.pk, user=admin)


@pytest.mark.django_db(transaction=True)
def test_restore_gives_back_every_api_answer_and_evidence_file(client, loaded_plans, places):
    admin = make_user("office", Role.ADMIN)
    leader = make_user("leader1", Role.LEADER, department="区委区政府")
    kjj = make_user("kjj", Role.STAFF, department="区科技局")
    report_and_approve(
        26,
        "wangcheng-2021-2023",
        2021,
        "260",
        [("2021年高新技术企业名单.pdf", PDF), ("现场照片.png", PNG), ("现场照片.png", PNG[:100])],
        kjj,
        admin,
    )
    before_answers = api_answers(client, [admin, leader, kjj])
    before_files = evidence_bytes(client, admin)
    assert len(before_files) == 3
    assert all(status == 200 for status, _ in before_answers.values())
    _, leaders_indicators = before_answers[
        ("leader1", "/api/v1/plans/wangcheng-2021-2023/indicators/")
    ]
    assert '"260"' in leaders_indicators.decode()

    out = io.StringIO()
    call_command("backup", stdout=out)
    assert "已备份数据库和 3 个佐证材料文件到" in out.getvalue()
    [folder] = backups.complete_backups()
    assert (folder / backups.DATABASE_FILE).stat().st_size > 0

    # Lose everything: every table emptied, every evidence file gone.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(places.MEDIA_ROOT)
    assert not Plan.objects.exists() and not Evidence.objects.exists()

    out = io.StringIO()
    call_command("restore", interactive=False, stdout=out)
    assert f"已从备份 {folder.name} 恢复数据库和 3 个佐证材料文件。" in out.getvalue()

    assert api_answers(client, [admin, leader, kjj]) == before_answers
    assert evidence_bytes(client, admin) == before_files


def test_restore_refuses_when_there_is_no_backup(places):
    with pytest.raises(CommandError, match="中没有完整的备份，无法恢复"):
        call_command("restore", interactive=False)


def test_a_half_written_backup_is_never_restored(places):
    partial = places.BACKUP_DIR / ".2026-01-01-120000"
    partial.mkdir(parents=True)
    (partial / backups.DATABASE_FILE).write_bytes(b"")
    (places.BACKUP_DIR / "2026-01-01-110000").mkdir()  # no files in it
    with pytest.raises(CommandError, match="没有完整的备份"):
        call_command("restore", interactive=False)


def test_restore_asks_first_and_a_no_changes_nothing(places, monkeypatch):
    folder = places.BACKUP_DIR / "2026-01-01-120000"
    folder.mkdir(parents=True)
    (folder / backups.DATABASE_FILE).write_bytes(b"not read")
    (folder / backups.MEDIA_FILE).write_bytes(b"not read")
    monkeypatch.setattr("builtins.input", lambda prompt: "否")
    out = io.StringIO()
    call_command("restore", stdout=out)
    assert "已取消，没有做任何修改。" in out.getvalue()
