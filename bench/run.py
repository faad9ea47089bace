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

The steps live in bench/server.py (database, setup, gunicorn, login), bench/load.py (wrk and
its fallback) and bench/report.py (the table and the JSON); this file is the flow.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

if not __package__:  # run as `python bench/run.py`: make the bench package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import check_pages, measure, python_load, wrk_load
from bench.report import print_summary, summarise, write_json
from bench.server import (
    HOST,
    OUT,
    PYTHON,
    ROOT,
    USERNAME,
    BenchError,
    bench_env,
    empty_redis,
    free_port,
    fresh_database,
    log,
    login,
    manage,
    run_step,
    start_gunicorn,
    static_up_to_date,
    stop,
)


def parse_args(argv=None) -> argparse.Namespace:
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
    return parser.parse_args(argv)


def set_up(options) -> tuple[dict, str, str, str, list[dict]]:
    """The setup steps, logged to var/bench/setup.log; return (the environment, the database
    engine, build_bench_data's output, the admin's password, the pages with their queries)."""
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
                   f"--password={password}"),  # one argument: a password may begin with "-"
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
    return env, engine, built, password, pages


def main(argv=None) -> int:
    options = parse_args(argv)
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
        env, engine, built, password, pages = set_up(options)
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
    report = write_json(
        pages, options, engine=engine, tool=tool, built=built, load_before=load_before,
        started=started,
    )
    return print_summary(report, options)


if __name__ == "__main__":
    sys.exit(main())
