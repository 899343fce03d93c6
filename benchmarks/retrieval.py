"""Retrieval quality and speed: BM25 only, dense only, hybrid (calibrated, RRF and weighted), and
hybrid + rerank when MENTOR_RERANK names a local cross-encoder.

    .venv/bin/python benchmarks/retrieval.py [--dataset evals/retrieval.jsonl] [--split dev] [--rebuild N]

`--split` keeps the cases of one split (evals/answers.jsonl: `dev`; its `heldout` split, like
evals/paraphrase_heldout.jsonl, is for a final measurement, never for tuning).

Prints hit@1, hit@5, MRR and per-query latency (p50/p95, in-process, after one warm-up pass)
side by side, plus the index build time (median of --rebuild N full ingests into a temp folder).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mentor.config import Settings, apply_offline_env  # noqa: E402

apply_offline_env()

from mentor.evaluation.retrieval import first_relevant_rank, load_cases, score  # noqa: E402
from mentor.search import index  # noqa: E402
from mentor.search.index import open_index  # noqa: E402
from mentor.search.retrieve import FUSIONS, Retriever, make_reranker  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(retriever: Retriever, cases: list[dict], mode: str, rerank: bool) -> dict:
    for case in cases:  # warm-up: caches, lazy loads
        retriever.search(case["question"], k=10, mode=mode, rerank=rerank)
    ranks, latencies = [], []
    for case in cases:
        t = time.perf_counter()
        result = retriever.search(case["question"], k=10, mode=mode, rerank=rerank)
        latencies.append((time.perf_counter() - t) * 1000)
        ranks.append(first_relevant_rank([h.chunk.text for h in result.hits], case["reference_contexts"]))
    s = score(ranks, [c["question"] for c in cases])
    return {**s.to_dict(), "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95), "misses": s.misses}


def build_times(settings: Settings, n: int) -> list[float]:
    times = []
    for _ in range(n):
        with tempfile.TemporaryDirectory() as tmp:
            s = settings.with_overrides(index_dir=Path(tmp) / "index")
            t = time.perf_counter()
            index.build(s, progress=False)
            times.append(time.perf_counter() - t)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=ROOT / "evals" / "retrieval.jsonl")
    parser.add_argument("--split", help="only the cases of this split (answers.jsonl: dev; never tune on heldout)")
    parser.add_argument("--rebuild", type=int, default=3, help="full ingests to time (0 to skip)")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()

    settings = Settings()
    cases = [c for c in load_cases(args.dataset) if args.split is None or c.get("split") == args.split]
    builds = build_times(settings, args.rebuild) if args.rebuild else []
    index.build(settings, progress=False)
    idx, _ = open_index(settings)
    rows = []
    for fusion in FUSIONS:
        retriever = Retriever(idx, settings.with_overrides(fusion=fusion), make_reranker(settings))
        if fusion == FUSIONS[0]:
            rows.append(("bm25", run(retriever, cases, "bm25", False)))
            rows.append(("dense", run(retriever, cases, "dense", False)))
        rows.append((f"hybrid-{fusion}", run(retriever, cases, "hybrid", False)))
        if retriever.reranker is not None:
            rows.append((f"hybrid-{fusion}+rerank", run(retriever, cases, "hybrid", True)))

    print(
        f"dataset: {args.dataset.name} ({len(cases)} questions); embedding: {idx.manifest['embedding']['spec']}; "
        f"rerank: {settings.rerank}"
    )
    print(f"{'retriever':<24}{'hit@1':>7}{'hit@5':>7}{'MRR':>7}{'p50 ms':>9}{'p95 ms':>9}")
    for name, r in rows:
        print(f"{name:<24}{r['hit@1']:>7.3f}{r['hit@5']:>7.3f}{r['mrr']:>7.3f}{r['p50_ms']:>9.2f}{r['p95_ms']:>9.2f}")
    if builds:
        print(
            f"full ingest: median {statistics.median(builds):.2f}s over {len(builds)} builds "
            f"({', '.join(f'{b:.2f}' for b in builds)})"
        )
    if args.show_misses:
        for name, r in rows:
            for q in r["misses"]:
                print(f"miss [{name}]: {q}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
