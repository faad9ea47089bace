"""The bench's load: every page asked in rounds with wrk (or, without wrk, a slower Python
load generator), wrk's output read, and a page's answer checked before it is measured.
"""

import re
import subprocess
import threading
import time

from bench.server import HOST, BenchError, log, request, wait_idle

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
