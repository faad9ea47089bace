"""The bench's server side: a fresh database, the setup steps, gunicorn started, watched and
stopped, and one login through the form. Only the standard library, and the project's psycopg2
(PostgreSQL) and redis (--cache redis), imported where they are needed.
"""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PYTHON = sys.executable
BENCH_DB = "wangcheng_plan_bench"
USERNAME = "bench-admin"
HOST = "127.0.0.1"
# Settings the bench sets itself; anything else in the environment (a cache, say) is passed on.
OWN_SETTINGS = [
    "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "DEBUG", "DEMO_ACCOUNTS",
    "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECURE_COOKIES", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER",
    "SESSION_IDLE_SECONDS", "MEDIA_ROOT", "BACKUP_DIR", "LOG_LEVEL",
    # Never the site's own Redis: the bench's plans would share its cache keys.
    "REDIS_URL", "LOCAL_CACHE",
    # Python as installed keeps the compiled modules (__pycache__); a shell that turns that
    # off would have every timed command compile the project again.
    "PYTHONDONTWRITEBYTECODE",
]


class BenchError(Exception):
    """A step failed; the message says which and where its log is."""


def log(message: str) -> None:
    print(message, flush=True)


# --- the database and the setup steps ------------------------------------------------------


def fresh_database() -> tuple[str, str]:
    """Create an empty bench database; return (its DATABASE_URL, "sqlite" or "postgresql")."""
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        path = OUT / "bench.sqlite3"
        for leftover in OUT.glob("bench.sqlite3*"):
            leftover.unlink()
        return f"sqlite:///{path}", "sqlite"
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise BenchError(f"DATABASE_URL: SQLite or PostgreSQL only, not {parts.scheme}")
    import psycopg2  # the project's own dependency

    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password or ""),
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    connection.close()
    return urllib.parse.urlunsplit(parts._replace(path=f"/{BENCH_DB}")), "postgresql"


def bench_env(database_url: str, cache: str, redis_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in OWN_SETTINGS}
    if cache == "local":
        # Each worker its own memory: right for a bench that writes nothing, never for a
        # site with several workers (README, Configuration).
        env["LOCAL_CACHE"] = "1"
    elif cache == "redis":
        env["REDIS_URL"] = redis_url
    env.update(
        DJANGO_SETTINGS_MODULE="wangcheng_plan.settings",
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
        ALLOWED_HOSTS=HOST,
        SECURE_COOKIES="0",  # plain HTTP on 127.0.0.1
        MEDIA_ROOT=str(OUT / "media"),
        LOG_LEVEL="WARNING",
    )
    return env


def run_step(title: str, args: list[str], env: dict, setup_log) -> str:
    """Run a command; return its stdout, or raise BenchError naming the log."""
    started = time.monotonic()
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    setup_log.write(f"$ {' '.join(args)}\n{done.stdout}{done.stderr}\n")
    setup_log.flush()
    if done.returncode != 0:
        raise BenchError(f"{title} failed (exit {done.returncode}); see {setup_log.name}")
    log(f"  {title}: {time.monotonic() - started:.1f} s")
    return done.stdout


def empty_redis(url: str) -> None:
    """Empty the bench's own Redis database: versions and progress of an earlier bench
    database must not be read as this one's."""
    import redis  # the project's own dependency

    parts = urllib.parse.urlsplit(url)
    if parts.path.strip("/") in {"", "0"}:
        raise BenchError(f"--redis-url {url}: name a database of the bench's own, e.g. /15")
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.RedisError as exc:
        raise BenchError(f"--cache redis: cannot empty {url}: {exc}") from exc


def static_up_to_date() -> bool:
    """Whether var/staticfiles' manifest is newer than every file collectstatic would copy."""
    manifest = ROOT / "var" / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    import plotly  # to find its files, as settings.py does

    sources = [ROOT / "static", Path(plotly.__file__).resolve().parent / "package_data"]
    newest = max(
        (f.stat().st_mtime for d in sources for f in d.rglob("*") if f.is_file()), default=0
    )
    return manifest.stat().st_mtime > newest


def manage(*args: str) -> list[str]:
    return [PYTHON, "manage.py", *args]


# --- gunicorn --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def request(port: int, method: str, path: str, headers=None, body=None, timeout=30.0):
    """One HTTP request to 127.0.0.1; return (status, headers as a list, body bytes)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def start_gunicorn(env: dict, port: int, workers: int):
    gunicorn = Path(PYTHON).parent / "gunicorn"
    error_log = OUT / "gunicorn.log"
    process = subprocess.Popen(
        [
            str(gunicorn), "wangcheng_plan.wsgi",
            "--bind", f"{HOST}:{port}", "--workers", str(workers),
            "--error-logfile", str(error_log), "--log-level", "warning",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited with {process.returncode}; see {error_log}")
        try:
            if request(port, "GET", "/healthz/", timeout=2)[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise BenchError(f"gunicorn did not answer /healthz/ within 60 s; see {error_log}")


def stop(process) -> None:
    """Stop the gunicorn master we started (it stops its workers), by its own pid."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def _worker_pids(master: int) -> list[int]:
    """The pids of the processes whose parent is `master` (gunicorn's workers), from /proc."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return pids


def _cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def wait_idle(process, quiet: float = 0.3, timeout: float = 30.0) -> None:
    """Wait until gunicorn's workers use no CPU for `quiet` seconds.

    When wrk stops, the requests still queued in the listen backlog are served all the
    same; without this wait they would eat into the next page's measurement. Without /proc
    (not Linux) it waits `quiet` seconds.
    """
    pids = _worker_pids(process.pid)
    deadline = time.monotonic() + timeout
    last = _cpu_ticks(pids)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = _cpu_ticks(pids)
        if now - last <= 1:
            return
        last = now


def cookies_of(headers) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, cookie = pair.partition("=")
            found[key.strip()] = cookie.strip()
    return found


def login(port: int, password: str) -> str:
    """Log in once through the login form; return the Cookie header of the session."""
    status, headers, body = request(port, "GET", "/accounts/login/")
    jar = cookies_of(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or "csrftoken" not in jar or token is None:
        raise BenchError(f"the login page gave no CSRF token (status {status})")
    form = urllib.parse.urlencode(
        {"username": USERNAME, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    status, headers, _ = request(
        port,
        "POST",
        "/accounts/login/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken']}",
            "Origin": f"http://{HOST}:{port}",
        },
        body=form,
    )
    jar |= cookies_of(headers)
    if status != 302 or "sessionid" not in jar:
        raise BenchError(f"login as {USERNAME} failed (status {status})")
    return "; ".join(f"{k}={v}" for k, v in jar.items())
