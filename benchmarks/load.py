"""Load on the HTTP API, offline mode, all configurations in one run so that the ratios compare
like with like:

- `bare`: a FastAPI endpoint that does no work (`POST /api/ask` echoing its input) on uvicorn,
  the framework's own limit on this machine;
- `default`: `mentor serve` as `make run` starts it (one process, page + API, SQLite, embedded
  Chroma);
- `pg-1`, `pg-2`: `mentor serve --workers 1|2` (API only) sharing a PostgreSQL server and a
  Chroma server, both real and started here.

Each gets C concurrent clients (asyncio + httpx, one connection each) posting /api/ask for a
bounded time; then, on every mentor configuration, C writers post progress changes at once
and the events in the database are counted against the writes answered 200 (none may be lost).

    .venv/bin/python benchmarks/load.py [--seconds 10] [--clients 32] [--only bare default pg-1 pg-2]
    .venv/bin/python benchmarks/load.py --profile default   # py-spy top functions of the server

Targets (issue 14): 0 errors and no lost progress events; mentor's offline throughput at 32
clients ≥ 40% of the bare endpoint's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from chroma_server import free_port, start_chroma  # noqa: E402
from postgres_server import create_database, start_postgres  # noqa: E402

BARE_APP = """
from fastapi import FastAPI, Request
app = FastAPI()
@app.post("/api/ask")
async def ask(request: Request):
    return await request.json()
@app.get("/api/health")
def health():
    return {"status": "ok"}
"""
TOPICS = ["python-basics", "numpy", "pandas", "git", "sql", "statistics", "linear-algebra", "eda"]


def questions() -> list[str]:
    lines = (ROOT / "evals" / "retrieval.jsonl").read_text().splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


# --- servers --------------------------------------------------------------------------------


def wait_healthy(base: str, proc: subprocess.Popen, limit: float = 180) -> None:
    started = time.time()
    while time.time() - started < limit:
        if proc.poll() is not None:
            raise SystemExit(f"the server at {base} exited with {proc.returncode}")
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the server at {base} did not start in {limit:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def mentor(*args: str) -> list[str]:
    return [sys.executable, "-m", "mentor.cli", *args]


# --- load -----------------------------------------------------------------------------------


async def _client(base: str, payloads, until: float, ok: list, errors: list) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        i = 0
        while time.perf_counter() < until:
            path, body = payloads(i)
            i += 1
            t = time.perf_counter()
            try:
                r = await c.post(path, json=body)
                good = r.status_code == 200
            except httpx.HTTPError:
                good = False
            (ok if good else errors).append((time.perf_counter() - t) * 1000)


def load(base: str, clients: int, seconds: float, payload_for) -> dict:
    ok, errors = [], []

    async def run():
        until = time.perf_counter() + seconds
        await asyncio.gather(*(_client(base, payload_for(n), until, ok, errors) for n in range(clients)))

    t0 = time.perf_counter()
    asyncio.run(run())
    elapsed = time.perf_counter() - t0
    return {
        "requests": len(ok) + len(errors),
        "rps": (len(ok) + len(errors)) / elapsed,
        "p50": statistics.median(ok) if ok else float("nan"),
        "p95": pct(ok, 95),
        "errors": len(errors),
        "ok": len(ok),
    }


def asks(qs: list[str]):
    return lambda n: lambda i: ("/api/ask", {"message": qs[(n * 7 + i) % len(qs)], "user": f"load{n}"})


def writes():
    def for_client(n: int):
        return lambda i: (
            "/api/progress",
            {"user": f"writer{n % 4}", "topic": TOPICS[i % len(TOPICS)], "status": ("done", "learning")[(n + i) % 2]},
        )

    return for_client


def events_in(db_url: str) -> int:
    from mentor.learning.progress import ProgressStore

    store = ProgressStore(db_url)
    return sum(len(store.history(f"writer{k}")) for k in range(4))


# --- configurations ---------------------------------------------------------------------------


def configurations(tmp: Path, only: list[str]):
    """(name, command, env, database URL or None) for each configuration asked for; servers the
    PostgreSQL ones need are started once and stopped at the end (the returned stop list)."""
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_")}
    base_env.update(MENTOR_LLM="none", MENTOR_EMBED="lsa", MENTOR_RERANK="none")
    configs, stops = [], []
    if "bare" in only:
        (tmp / "bare_app.py").write_text(BARE_APP)
        cmd = [sys.executable, "-m", "uvicorn", "bare_app:app", "--port", "{port}", "--log-level", "warning"]
        configs.append(("bare", cmd, {**base_env, "PYTHONPATH": str(tmp)}, None))
    if "default" in only:
        env = {**base_env, "MENTOR_HOME": str(tmp / "default-home"), "MENTOR_INDEX_DIR": str(tmp / "default-index")}
        subprocess.run(mentor("ingest", "--no-progress"), env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        configs.append(("default", mentor("serve"), env, f"sqlite:///{tmp / 'default-home' / 'mentor.db'}"))
    scaled = [name for name in ("pg-1", "pg-2") if name in only]
    if scaled:
        pg_url, pg_stop = start_postgres()
        chroma = start_chroma()
        stops += [pg_stop, chroma.stop]
        env = {
            **base_env,
            "MENTOR_DB": pg_url,
            "MENTOR_CHROMA_URL": chroma.url,
            "MENTOR_HOME": str(tmp / "pg-home"),
            "MENTOR_INDEX_DIR": str(tmp / "shared-index"),
        }
        subprocess.run(mentor("ingest", "--no-progress"), env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        for name in scaled:  # each on a database of its own, so that its events are counted alone
            db = create_database(pg_url, name.replace("-", "_"))
            command = mentor("serve", "--workers", name[-1], "--api-only")
            configs.append((name, command, {**env, "MENTOR_DB": db}, db))
    return configs, stops


def run_one(name, command, env, db_url, args, qs) -> dict:
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    proc = subprocess.Popen(
        command, env={**env, "MENTOR_PORT": str(port)}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        if name == "bare":
            result = load(base, args.clients, args.seconds, asks(qs))
        else:
            load(base, 4, 2, asks(qs))  # warm-up: every worker loads its index
            result = load(base, args.clients, args.seconds, asks(qs))
            if args.profile == name:
                result["profile"] = profile(proc.pid, base, args, qs)
            written = load(base, args.clients, min(args.seconds, 5), writes())
            result["writes"] = written["ok"]
            result["write_errors"] = written["errors"]
            result["events"] = events_in(db_url) if db_url else None
    finally:
        stop(proc)
    return result


def profile(pid: int, base: str, args, qs) -> str:
    """py-spy's view of the server while it is under load: the functions most time goes to."""
    out = Path(tempfile.mkdtemp()) / "profile.txt"
    spy = subprocess.Popen(
        [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "--format", "raw",
         "--duration", str(int(args.seconds)), "--subprocesses", "--output", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    load(base, args.clients, args.seconds, asks(qs))
    spy.wait()
    return summarize_profile(out) if out.exists() else "py-spy wrote nothing (needs ptrace rights)"


def summarize_profile(path: Path, top: int = 15) -> str:
    """Self time by function, and inclusive time by module, from py-spy's collapsed stacks."""
    own, inclusive, total = {}, {}, 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames, n = stack.split(";"), int(count)
        total += n
        own[frames[-1]] = own.get(frames[-1], 0) + n
        for module in {f.split("(")[-1].split(":")[0].split("/site-packages/")[-1].split("/")[0] for f in frames}:
            inclusive[module] = inclusive.get(module, 0) + n
    lines = [f"{n / total:6.1%}  {f[:140]}" for f, n in sorted(own.items(), key=lambda kv: -kv[1])[:top]]
    mine: dict = {}
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        for frame in {f for f in stack.split(";") if "mentor/" in f}:
            mine[frame] = mine.get(frame, 0) + int(count)
    lines.append("mentor's functions (inclusive):")
    lines += [f"{n / total:6.1%}  {f[:140]}" for f, n in sorted(mine.items(), key=lambda kv: -kv[1])[:25]]
    lines.append("by package (inclusive):")
    lines += [f"{n / total:6.1%}  {m}" for m, n in sorted(inclusive.items(), key=lambda kv: -kv[1])[:top]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--only", nargs="+", default=["bare", "default", "pg-1", "pg-2"])
    parser.add_argument("--profile", help="profile this configuration with py-spy while under load")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    qs = questions()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        configs, stops = configurations(Path(tmp), args.only)
        try:
            for name, command, env, db_url in configs:
                results[name] = run_one(name, command, env, db_url, args, qs)
        finally:
            for s in stops:
                s()
    report(results, args)
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2))
    lost = any(r.get("events") is not None and r["events"] != r["writes"] for r in results.values())
    return 1 if lost or any(r["errors"] or r.get("write_errors") for r in results.values()) else 0


def report(results: dict, args) -> None:
    bare = results.get("bare", {}).get("rps")
    print(f"{args.clients} clients, {args.seconds:g} s each, offline answers")
    print(f"{'config':>8}{'requests':>10}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}{'of bare':>9}"
          f"{'writes':>8}{'events':>8}")  # fmt: skip
    for name, r in results.items():
        share = f"{r['rps'] / bare:.0%}" if bare and name != "bare" else "-"
        events = "-" if r.get("events") is None else r["events"]
        print(
            f"{name:>8}{r['requests']:>10}{r['rps']:>8.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['errors']:>8}{share:>9}"
            f"{r.get('writes', '-'):>8}{events:>8}"
        )
    for name, r in results.items():
        if "profile" in r:
            print(f"\npy-spy, {name} under load:\n{r['profile']}")


if __name__ == "__main__":
    sys.exit(main())
