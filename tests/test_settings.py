"""Settings come from the environment, and production refuses to start without a key."""

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Variables that change what the settings or `check --deploy` say: each subprocess starts
# without them, whatever the shell running the tests has set.
SETTINGS_ENV = {
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_COOKIES",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_IDLE_SECONDS",
    "DEMO_ACCOUNTS",
    "DJANGO_SETTINGS_MODULE",
    # Set by tests/browser/conftest.py for Playwright; check --deploy rightly refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def manage_py(*args: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


PRINT_SETTINGS = (
    "import wangcheng_plan.settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.ALLOWED_HOSTS)"
)


def import_settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
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


def test_manage_py_runs_in_a_checkout_without_a_key_when_debug_is_asked_for():
    """`make run` exports DEBUG=1; that, and nothing else, makes a key unnecessary."""
    result = manage_py("check", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_manage_py_without_a_key_refuses_to_start_rather_than_turn_debug_on():
    result = manage_py("check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    # Nor may any command that changes accounts get past the settings.
    result = manage_py("create_demo_accounts", "--demo")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


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


def readme_https_env() -> dict[str, str]:
    """The variables of the README's HTTPS production block (between its two markers)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- https-env -->")[1]
    env = {}
    for line in block.splitlines():
        if line.startswith("export "):
            for word in shlex.split(line.removeprefix("export ")):
                name, _, value = word.partition("=")
                env[name] = value
    return env


def test_the_readme_https_settings_pass_check_deploy_at_warning_level():
    env = readme_https_env()
    assert {
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
    } <= env.keys()
    assert env["SECRET_KEY"] == "…"  # a placeholder in the README; a real key here
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    result = manage_py("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_plain_http_settings_warn_about_exactly_the_https_settings():
    """The README's plain-HTTP case: the warnings that remain, and only those."""
    result = manage_py(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="plan.intranet",
        SECURE_COOKIES="0",
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    warnings = set(re.findall(r"\(security\.(W\d+)\)", output))
    assert warnings == {"W004", "W008", "W012", "W016"}, output


def test_https_settings_come_from_the_environment():
    script = (
        "import wangcheng_plan.settings as s; print(s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_AGE)"
    )

    def settings_with(**env) -> str:
        clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**clean, "SECRET_KEY": "k" * 50, **env},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    # Defaults: no redirect or HSTS (they would lock users out of a plain-HTTP site),
    # Secure cookies, a two-hour idle timeout.
    assert settings_with() == "0 False False True True None 7200"
    assert settings_with(SECURE_COOKIES="0") == "0 False False False False None 7200"
    assert (
        settings_with(
            SECURE_HSTS_SECONDS="3600",
            SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
            SECURE_SSL_REDIRECT="true",
            SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
            SESSION_IDLE_SECONDS="1800",
        )
        == "3600 True True True True ('HTTP_X_FORWARDED_PROTO', 'https') 1800"
    )


def test_an_unclear_number_of_seconds_is_refused():
    result = import_settings(DEBUG="1", SESSION_IDLE_SECONDS="2h")
    assert result.returncode != 0
    assert "SESSION_IDLE_SECONDS must be a whole number of seconds" in result.stderr
