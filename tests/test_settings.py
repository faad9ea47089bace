"""Settings come from the environment, and production refuses to start without a key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


PRINT_SETTINGS = (
    "import wangcheng_plan.settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.ALLOWED_HOSTS)"
)


def import_settings(**env) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            PRINT_SETTINGS,
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = import_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_runs_without_a_key_on_sqlite_by_default():
    result = import_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "['127.0.0.1',",
        "'localhost']",
    ]


def test_database_url_and_allowed_hosts_come_from_the_environment():
    result = import_settings(
        SECRET_KEY="k" * 50,
        DATABASE_URL="postgres://u@db.example:5432/plan",
        ALLOWED_HOSTS="plan.intranet, 10.0.0.5",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "['plan.intranet',",
        "'10.0.0.5']",
    ]


def test_an_unclear_debug_value_is_refused():
    result = import_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true/false" in result.stderr


def test_zh_hans_numbers_get_thousands_separators(settings):
    from django.utils import formats, translation

    with translation.override("zh-hans"):
        assert formats.number_format(1234567, use_l10n=True, force_grouping=True) == "1,234,567"
        assert formats.get_format("THOUSAND_SEPARATOR") == ","


def test_manage_py_runs_in_a_checkout_without_a_key():
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_manage_py_keeps_debug_off_when_a_key_is_set():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env["SECRET_KEY"] = "k" * 50
    result = subprocess.run(
        [sys.executable, "manage.py", "create_demo_accounts"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "演示账号只能在 DEBUG 开启时创建" in result.stderr
