"""`make bench`: throughput and latency of every leader page, API call and report, against
/healthz/ in the same round, with gunicorn as production runs it.

Steps: a fresh database (SQLite in var/bench/, or the PostgreSQL database
`wangcheng_plan_bench` on the server DATABASE_URL names, dropped and created anew; the
database DATABASE_URL itself names is never touched), migrate, collectstatic (skipped when
var/staticfiles is newer than every static source), load_plans, build_bench_data --scale N,
a 管理员 with a generated password, the query count of every page (bench/queries.py,
in-process), then gunicorn with production settings (DEBUG off, a generated SECRET_KEY,
plain HTTP) on a free port of 127.0.0.1, one login, and rounds of load: every page in turn
with wrk (or, without wrk, a slower Python load generator). The progress cache is each
worker's memory by default, a Redis database of the bench's own with --cache redis (never
REDIS_URL's), or off with --cache none. Prints a table and writes var/bench/latest.json.
Traffic goes to 127.0.0.1 only; gunicorn is stopped at the end, also on an error or Ctrl-C.

Only the standard library, and the project's psycopg2 (PostgreSQL) and redis (--cache redis).
"""

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PYTHON = sys.executable
BENCH_DB = "wangcheng_plan_bench"
USERNAME = "bench-admin"
HOST = "127.0.0.1"
# DESIGN.md §9: a leader page or API call at a quarter of /healthz/'s throughput or better.
BUDGET_RATIO = 0.25
# Settings the bench sets itself; anything else in the environment (a cache, say) is passed on.
OWN_SETTINGS = [
    "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "DEBUG", "DEMO_ACCOUNTS",
    "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECURE_COOKIES", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER",
    "SESSION_IDLE_SECONDS", "MEDIA_ROOT", "BACKUP_DIR", "LOG_LEVEL",
    # Never the site's own Redis: the bench's plans would share its cache keys.
    "REDIS_URL", "LOCAL_CACHE",
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


# --- load ------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(output: str) -> dict:
    """Requests/s, p50 and p99 (ms), requests, errors and 4xx/5xx answers from wrk --latency."""

    def ms(text: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(number) * UNITS[unit]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rps is None:
        raise BenchError(f"wrk printed no Requests/sec:\n{output}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.M))
    total = re.search(r"(\d+) requests in", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(rps.group(1)),
        "p50_ms": ms(latency["50"]) if "50" in latency else None,
        "p99_ms": ms(latency["99"]) if "99" in latency else None,
        "requests": int(total.group(1)) if total else 0,
        # wrk counts a read error for every connection the server closes after answering
        # (gunicorn's sync workers do); connect errors and timeouts are the real failures.
        "errors": int(errors.group(1)) + int(errors.group(4)) if errors else 0,
        "non_2xx": int(non_ok.group(1)) if non_ok else 0,
    }


def wrk_load(port, path, headers, seconds, connections, threads) -> dict:
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    args += ["--timeout", "10s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    args.append(f"http://{HOST}:{port}{path}")
    done = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 30)
    if done.returncode != 0:
        raise BenchError(f"wrk failed: {done.stderr.strip()}")
    return parse_wrk(done.stdout)


def python_load(port, path, headers, seconds, connections, threads) -> dict:
    """A stand-in for wrk: `connections` threads asking in a loop. The GIL makes it the
    bottleneck for fast answers: /healthz/ reads low, so the ratios to it read high."""
    latencies: list[float] = []
    failures = [0, 0]  # errors, non-2xx
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                status = request(port, "GET", path, headers=headers, timeout=10)[0]
            except OSError:
                with lock:
                    failures[0] += 1
                continue
            with lock:
                latencies.append((time.monotonic() - started) * 1000)
                failures[1] += status >= 400

    pool = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.monotonic()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def pick(share):
        if not latencies:
            return None
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))]

    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": pick(0.5),
        "p99_ms": pick(0.99),
        "requests": len(latencies),
        "errors": failures[0],
        "non_2xx": failures[1],
    }


# --- the run ---------------------------------------------------------------------------------


def check_pages(port: int, pages: list[dict], cookie: str, workers: int) -> None:
    """Every page answers 200 to the session (a redirect to the login would measure nothing);
    asking each a few times also warms every worker up."""
    for _ in range(2 * workers):
        for page in pages:
            headers = {} if page["key"] == "healthz" else {"Cookie": cookie}
            status = request(port, "GET", page["path"], headers=headers, timeout=60)[0]
            if status != 200:
                raise BenchError(f"{page['path']} answered {status}, not 200")


def measure(port, pages, cookie, options, load, process) -> None:
    """Run the rounds; store each page's per-round results in page["rounds"]."""
    for page in pages:
        page["rounds"] = []
    started = time.monotonic()
    for number in range(1, options.rounds + 1):
        for page in pages:
            headers = {"Accept-Encoding": "gzip"}
            if page["key"] != "healthz":  # a monitor asks without a session
                headers["Cookie"] = cookie
            result = load(
                port, page["path"], headers, options.seconds, options.connections, options.threads
            )
            page["rounds"].append(result)
            wait_idle(process)
        health = pages[0]["rounds"][-1]["rps"]
        for page in pages:
            page["rounds"][-1]["ratio"] = page["rounds"][-1]["rps"] / health if health else None
        log(f"  round {number}/{options.rounds}: {time.monotonic() - started:.0f} s")


def summarise(pages: list[dict]) -> None:
    for page in pages:
        rounds = page["rounds"]
        for key in ("rps", "ratio", "p50_ms", "p99_ms"):
            values = [r[key] for r in rounds if r.get(key) is not None]
            page[key] = statistics.median(values) if values else None
        page["failures"] = sum(r["errors"] + r["non_2xx"] for r in rounds)
        page["within_budget"] = page["key"] == "healthz" or (page["ratio"] or 0) >= BUDGET_RATIO


def _shown(value, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def table(pages: list[dict]) -> str:
    """The results as a Markdown table (README's Benchmark section keeps the last one)."""
    lines = [
        "| 页面 | 地址 | 请求/秒 | 对 /healthz/ | p50 ms | p99 ms | SQL 查询 "
        "| 大小 KB (gzip) | ≥ ¼ |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
    ]
    for p in pages:
        queries = str(p["queries"])
        if p["queries_cold"] != p["queries"]:
            queries = f"{p['queries']}（首次 {p['queries_cold']}）"
        failures = f" ⚠ {p['failures']} 失败" if p["failures"] else ""
        lines.append(
            f"| {p['label']} | `{p['path']}` | {_shown(p['rps'], ',.0f')}{failures} "
            f"| {_shown(p['ratio'], '.2f')} | {_shown(p['p50_ms'], '.0f')} "
            f"| {_shown(p['p99_ms'], '.0f')} | {queries} "
            f"| {p['bytes'] / 1024:,.1f} ({p['gzip_bytes'] / 1024:,.1f}) "
            f"| {'—' if p['key'] == 'healthz' else ('✔' if p['within_budget'] else '✖')} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100, help="copies of each plan (default 100)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=3, help="load per page and round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--cache",
        choices=["local", "redis", "none"],
        default="local",
        help="progress cache: each worker's memory (default), Redis (--redis-url), or none",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/15",
        help="with --cache redis: a Redis database of the bench's own; it is emptied first",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a page is below a quarter of /healthz/"
    )
    options = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    load = wrk_load if shutil.which("wrk") else python_load
    tool = "wrk" if load is wrk_load else "python threads (wrk not installed)"
    if load is python_load:
        log("wrk is not installed (Debian: apt-get install wrk): using a Python load generator,")
        log("slower than the server on fast answers: /healthz/ reads low, the ratios high.")
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    if load_before > 0.5:
        log(f"The machine is busy (load {load_before:.1f}): the numbers will read low.")
    process = None
    previous_term = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with open(OUT / "setup.log", "w") as setup_log:
            log("Setting up (log: var/bench/setup.log)")
            database_url, engine = fresh_database()
            env = bench_env(database_url, options.cache, options.redis_url)
            shutil.rmtree(OUT / "media", ignore_errors=True)
            collect = None
            if static_up_to_date():
                log("  collectstatic: skipped, var/staticfiles is up to date")
            else:  # the slowest step (brotli): beside the database steps, on the other core
                collect = subprocess.Popen(
                    manage("collectstatic", "--noinput", "-v0"), cwd=ROOT, env=env,
                    stdout=setup_log, stderr=subprocess.STDOUT,
                )
            run_step("migrate", manage("migrate", "--noinput", "-v0"), env, setup_log)
            run_step("load_plans", manage("load_plans"), env, setup_log)
            built = run_step(
                f"build_bench_data --scale {options.scale}",
                manage("build_bench_data", "--scale", str(options.scale)),
                env,
                setup_log,
            )
            password = secrets.token_urlsafe(18)
            run_step(
                "add_user",
                manage("add_user", USERNAME, "--department", "区工信局", "--role", "管理员",
                       "--password", password),
                env,
                setup_log,
            )
            if options.cache == "redis":
                empty_redis(options.redis_url)
            if collect is not None:
                if collect.wait() != 0:
                    raise BenchError(f"collectstatic failed; see {setup_log.name}")
                log("  collectstatic: done")
            pages = json.loads(
                run_step("query counts", [PYTHON, "bench/queries.py", USERNAME], env, setup_log)
            )
        port = free_port()
        log(f"gunicorn: {options.workers} workers on {HOST}:{port}")
        process = start_gunicorn(env, port, options.workers)
        cookie = login(port, password)
        check_pages(port, pages, cookie, options.workers)
        log(
            f"Load: {tool}, {options.connections} connections, {options.threads} threads, "
            f"{options.seconds} s per page, {options.rounds} rounds of {len(pages)} pages"
        )
        measure(port, pages, cookie, options, load, process)
    except BenchError as exc:
        log(f"bench: {exc}")
        return 2
    finally:
        stop(process)
        signal.signal(signal.SIGTERM, previous_term)

    summarise(pages)
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_before": round(load_before, 2),
        },
        "database": engine,
        "cache": options.cache,
        "scale": options.scale,
        "data": built.strip().splitlines()[-1] if built.strip() else "",
        "load": {
            "tool": tool,
            "connections": options.connections,
            "threads": options.threads,
            "seconds": options.seconds,
            "rounds": options.rounds,
            "gunicorn_workers": options.workers,
            "accept_encoding": "gzip",
        },
        "budget_ratio": BUDGET_RATIO,
        "total_seconds": round(time.monotonic() - started),
        "pages": pages,
    }
    (OUT / "latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    log("")
    log(
        f"{engine}, cache {options.cache}, {options.scale}× data, "
        f"gunicorn {options.workers} workers, {tool} "
        f"{options.connections} connections; medians of {options.rounds} rounds, "
        f"{os.cpu_count()} cores"
    )
    log(report["data"])
    log(table(pages))
    log(f"\nWritten to var/bench/latest.json ({report['total_seconds']} s in all).")
    below = [p["path"] for p in pages if not p["within_budget"]]
    if below:
        log(f"Below a quarter of /healthz/ (DESIGN.md §9): {', '.join(below)}")
    if any(p["failures"] for p in pages):
        log("Some requests failed: see the ⚠ rows and var/bench/gunicorn.log.")
        return 1
    return 1 if below and options.strict else 0


if __name__ == "__main__":
    sys.exit(main())
