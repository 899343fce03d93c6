"""Offline-mode `ask` latency, in-process: every question of the evaluation sets answered by a
fresh conversation (so no follow-up shortcuts), after one warm-up pass.

    .venv/bin/python benchmarks/ask.py

Prints p50/p95/max per intent and overall, and the share of answers that carry citations.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mentor.config import Settings, apply_offline_env  # noqa: E402

apply_offline_env()

from mentor.assistant.conversation import Conversation  # noqa: E402
from mentor.assistant.router import classify  # noqa: E402
from mentor.deps import Deps  # noqa: E402


def questions() -> list[str]:
    out = []
    for name in ("retrieval.jsonl", "graph_cases.jsonl"):
        path = ROOT / "evals" / name
        out += [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]
    return out + ["hi", "Make me a 12-week plan at 8 hours a week", "I finished python", "undo", "show my progress"]


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    qs = questions()
    with tempfile.TemporaryDirectory() as home:
        deps = Deps(Settings(home=Path(home), llm="none"))
        deps.retriever  # load the index once, as the app does at start-up
        for q in qs:  # warm-up
            Conversation(deps, "bench").ask(q)
        by_intent = defaultdict(list)
        cited = 0
        for q in qs:
            t = time.perf_counter()
            answer = Conversation(deps, "bench").ask(q)
            by_intent[classify(q).name].append((time.perf_counter() - t) * 1000)
            cited += bool(answer.citations)
    allv = [v for vs in by_intent.values() for v in vs]
    print(f"{len(qs)} questions, offline mode, in-process; {cited / len(qs):.0%} of answers carry citations")
    print(f"{'intent':<16}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for intent, vs in sorted(by_intent.items()):
        print(f"{intent:<16}{len(vs):>5}{statistics.median(vs):>9.1f}{pct(vs, 95):>9.1f}{max(vs):>9.1f}")
    print(f"{'all':<16}{len(allv):>5}{statistics.median(allv):>9.1f}{pct(allv, 95):>9.1f}{max(allv):>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
