"""Load on the HTTP API: N concurrent clients on loopback posting /api/ask for a bounded time,
offline mode. Also the time from `python app.py` to the first answered request.

    .venv/bin/python benchmarks/load.py [--seconds 10] [--clients 1 8 32]

Target from the issue: zero errors and p95 under 500 ms at 32 clients.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def questions() -> list[str]:
    lines = (ROOT / "evals" / "retrieval.jsonl").read_text().splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def client(base: str, qs: list[str], until: float, idx: int, out: list, errors: list) -> None:
    with httpx.Client(base_url=base, timeout=30) as c:
        i = idx
        while time.time() < until:
            q = qs[i % len(qs)]
            i += 1
            t = time.perf_counter()
            try:
                r = c.post("/api/ask", json={"message": q, "user": f"load{idx}"})
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            (out if ok else errors).append((time.perf_counter() - t) * 1000)


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "MENTOR_PORT": str(port), "MENTOR_HOME": home, "MENTOR_LLM": "none"}
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            while True:
                try:
                    if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.perf_counter() - started > 120:
                    print("the app did not start")
                    return 1
                time.sleep(0.05)
            startup = time.perf_counter() - started
            first = httpx.post(
                f"{base}/api/ask", json={"message": "What should I learn next?", "user": "first"}, timeout=30
            )
            first_answer = time.perf_counter() - started
            assert first.status_code == 200
            print(
                f"start-up: first /api/health after {startup:.2f}s, first /api/ask answered after {first_answer:.2f}s"
            )
            print(f"{'clients':>8}{'requests':>10}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}{'max ms':>9}")
            qs = questions()
            for n in args.clients:
                ok, errors = [], []
                until = time.time() + args.seconds
                threads = [threading.Thread(target=client, args=(base, qs, until, i, ok, errors)) for i in range(n)]
                t0 = time.perf_counter()
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                elapsed = time.perf_counter() - t0
                print(
                    f"{n:>8}{len(ok) + len(errors):>10}{(len(ok) + len(errors)) / elapsed:>8.1f}"
                    f"{statistics.median(ok) if ok else float('nan'):>9.1f}{pct(ok, 95):>9.1f}{len(errors):>8}{max(ok) if ok else 0:>9.0f}"  # noqa: E501
                )
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
