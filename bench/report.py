"""The bench's results: each page's medians over the rounds, the Markdown table README's
Benchmark section keeps, and var/bench/latest.json.
"""

import json
import os
import platform
import statistics
import time
from datetime import UTC, datetime

from bench.server import OUT, log

# DESIGN.md §9: a leader page or API call at a quarter of /healthz/'s throughput or better.
BUDGET_RATIO = 0.25


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



def write_json(pages, options, *, engine, tool, built, load_before, started) -> dict:
    """Write var/bench/latest.json: the machine, the settings and every page; return it."""
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
    return report


def print_summary(report: dict, options) -> int:
    """Print the table and what fell short; return the exit status of the run."""
    pages = report["pages"]
    log("")
    log(
        f"{report['database']}, cache {options.cache}, {options.scale}× data, "
        f"gunicorn {options.workers} workers, {report['load']['tool']} "
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
