"""Corpus scale: synthetic passages (10k, 100k, 1M) made from the real ones with varied wording,
built into the embedded store and into a Chroma server, then queried through our whole path.

    .venv/bin/python benchmarks/scale.py --sizes 10000 100000 1000000 --store embedded server \\
        [--queries 60] [--json-out scale.json]

Per size and store, in a child process of its own (so that its memory high-water mark is its
own): build throughput (passages/s of the whole `mentor ingest`, and of its Chroma step alone),
Chroma's raw insert rate for the same vectors in the same run (`collection.add` of ids, vectors,
texts and metadata in the client's largest batches, into a fresh collection of the same store),
query p50/p95 for BM25, dense and hybrid (`retrieve.Retriever.search`: query clean-up, typo
repair, both retrievers, fusion), the child's peak RSS (and the server's), and the index's size
on disk (the build folder; with a server, plus the server's data folder). Medians and ratios
from one run; the table is printed and `--json-out` writes every figure.

Targets (issue 14): hybrid p50 <= 20 ms at 1M, build >= 70% of the raw insert rate, peak memory
within 24 GiB. The synthetic passages are deterministic (`--seed`).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))  # chroma_server.py: the same throwaway server the tests start

from mentor.config import Settings, apply_offline_env  # noqa: E402

apply_offline_env()

from mentor.search import index  # noqa: E402
from mentor.search.index import open_index  # noqa: E402
from mentor.search.retrieve import MODES, Retriever  # noqa: E402

TARGET_P50_MS = 20.0
TARGET_BUILD_SHARE = 0.70
TARGET_PEAK_GIB = 24.0
SWAPS = {  # learners' and authors' other words for the same thing
    "learn": ["study", "pick up", "master"],
    "model": ["estimator", "network", "model"],
    "data": ["dataset", "records", "samples"],
    "use": ["apply", "employ", "work with"],
    "build": ["make", "create", "put together"],
    "important": ["key", "essential", "central"],
    "understand": ["grasp", "get", "follow"],
    "first": ["initially", "at the start", "before anything else"],
    "training": ["fitting", "learning", "training"],
    "project": ["exercise", "assignment", "build"],
    "python": ["Python 3", "python", "CPython"],
    "example": ["illustration", "case", "sample"],
}
FILLERS = ["In practice,", "Note that", "As a rule,", "In short,", "For beginners,", "Later on,", "Put simply,"]
WORD = re.compile(r"[A-Za-z]+")


# --- synthetic passages ------------------------------------------------------------------------


def synthetic(real: list, size: int, seed: int) -> list:
    """`size` passages: real ones reworded (synonyms, a filler, sentences reordered, a sentence of
    another passage, a few words of the corpus's vocabulary), deterministic for `seed`."""
    rng = random.Random(seed)
    vocab = sorted({w.lower() for c in real for w in WORD.findall(c.text) if len(w) > 3})
    out = []
    for i in range(size):
        base = real[i % len(real)]
        other = real[rng.randrange(len(real))]
        text = _reword(base.text, other.text, rng, vocab)
        out.append(replace(base, chunk_id=f"s{i:07d}-{base.chunk_id}"[:200], text=text, links=list(base.links)))
    return out


def _reword(text: str, other: str, rng: random.Random, vocab: list[str]) -> str:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    if len(sentences) > 2:
        j = rng.randrange(len(sentences) - 1)
        sentences[j], sentences[j + 1] = sentences[j + 1], sentences[j]
    borrowed = re.split(r"(?<=[.!?])\s+", other)
    sentences.append(rng.choice(borrowed))
    words = " ".join(sentences).split(" ")
    for k, word in enumerate(words):
        alts = SWAPS.get(word.lower())
        if alts and rng.random() < 0.5:
            words[k] = rng.choice(alts)
    extra = " ".join(rng.choice(vocab) for _ in range(3))
    return f"{rng.choice(FILLERS)} {' '.join(words)} ({extra})"


def queries(n: int) -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "evals" / "retrieval.jsonl").read_text().splitlines() if line.strip()]
    return [r["question"] for r in rows][:n]


# --- one size in one store (the child process) ----------------------------------------------------


def measure(size: int, url: str | None, work: Path, n_queries: int, seed: int) -> dict:
    settings = Settings(index_dir=work / "index", home=work / "home", embed="lsa", chroma_url=url or "")
    real, _, n_docs = index.gather_passages(settings)
    t = time.perf_counter()
    chunks = synthetic(real, size, seed)
    generate_s = time.perf_counter() - t
    vectors = {}
    index.make_embedder = _capturing(index.make_embedder, vectors)
    t = time.perf_counter()
    manifest = index.build(settings, force=True, progress=False, source=lambda: (chunks, [], n_docs))
    build_s = time.perf_counter() - t
    raw_s = raw_insert(chunks, vectors.pop("documents"), url, work)
    latencies = query_latencies(settings, queries(n_queries))
    steps = manifest["timings_s"]
    stored_s = build_s - steps["embed"]  # the build for the same vectors: all but computing them
    row = {
        "size": size,
        "store": "server" if url else "embedded",
        "generate_s": round(generate_s, 2),
        "build_s": round(build_s, 2),
        "build_per_s": round(size / build_s),
        "build_steps_s": steps,
        "embed_per_s": round(size / steps["embed"]),
        "build_without_embed_per_s": round(size / stored_s),
        "chroma_step_per_s": round(size / steps["chroma"]),
        "raw_insert_s": round(raw_s, 2),
        "raw_insert_per_s": round(size / raw_s),
        "build_share_of_raw": round(raw_s / stored_s, 3),
        "whole_build_share_of_raw": round(raw_s / build_s, 3),
        "chroma_step_share_of_raw": round(raw_s / steps["chroma"], 3),
        "build_folder_bytes": _bytes(settings.index_dir / "builds" / manifest["build_id"]),
        **latencies,
    }
    row["peak_rss_gib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)
    return row


def _capturing(make_embedder, into: dict):
    """`index.make_embedder`, keeping the vectors the build computes (for the raw insert)."""

    def make(choice):
        embedder = make_embedder(choice)
        embed = embedder.embed_documents

        def embed_documents(texts):
            into["documents"] = embed(texts)
            return into["documents"]

        embedder.embed_documents = embed_documents
        return embedder

    return make


def raw_insert(chunks: list, vectors, url: str | None, work: Path) -> float:
    """Seconds for Chroma alone to take the build's vectors (and texts, metadata) into a fresh
    collection of the same store: the rate our build is measured against."""
    from mentor.search.stores import Store, connect

    texts = [c.index_text() for c in chunks]
    store = Store(url, "raw-insert") if url else Store()
    client = connect(store, work / "raw")
    try:
        collection = client.create_collection(f"raw-{len(chunks)}", metadata={"hnsw:space": "cosine"})
        batch = client.get_max_batch_size()
        metas = [{"doc": c.doc, "section": c.section, "kind": c.kind, "url": c.url or ""} for c in chunks]
        ids = [c.chunk_id for c in chunks]
        t = time.perf_counter()
        for i in range(0, len(chunks), batch):
            sl = slice(i, i + batch)
            collection.add(ids=ids[sl], embeddings=vectors[sl], documents=texts[sl], metadatas=metas[sl])
        elapsed = time.perf_counter() - t
        client.delete_collection(collection.name)
    finally:
        client.close()
    return elapsed


def query_latencies(settings: Settings, asked: list[str]) -> dict:
    idx, _ = open_index(settings)
    retriever = Retriever(idx, settings)
    try:
        out = {}
        for mode in MODES:
            for q in asked:  # warm-up: lazy loads, caches
                retriever.search(q, k=10, mode=mode)
            times = []
            for q in asked:
                t = time.perf_counter()
                retriever.search(q, k=10, mode=mode)
                times.append((time.perf_counter() - t) * 1000)
            out[f"{mode}_p50_ms"] = round(statistics.median(times), 2)
            out[f"{mode}_p95_ms"] = round(sorted(times)[max(0, int(round(0.95 * len(times))) - 1)], 2)
        return out
    finally:
        retriever.close()


def _bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


# --- the parent: one child per size and store, a server for the server store ------------------------


def run_child(size: int, url: str | None, n_queries: int, seed: int, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="mentor-scale-") as work:
        command = [sys.executable, __file__, "--child", str(size), "--url", url or "", "--work", work]
        command += ["--queries", str(n_queries), "--seed", str(seed)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"size": size, "store": "server" if url else "embedded", "error": f"over {timeout:.0f} s"}
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-3:]
        return {"size": size, "store": "server" if url else "embedded", "error": " | ".join(tail)[-400:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def server_hwm_gib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 2**20, 2)
    except OSError:
        return None
    return None


def run_all(args) -> list[dict]:
    rows = []
    for store in args.store:
        server = None
        if store == "server":
            from chroma_server import start_chroma

            server = start_chroma()
        try:
            for size in args.sizes:
                print(f"... {size} passages, {store}", file=sys.stderr, flush=True)
                row = run_child(size, server.url if server else None, args.queries, args.seed, args.timeout)
                if server is not None and "error" not in row:
                    row["server_peak_rss_gib"] = server_hwm_gib(server.pid)
                    row["server_data_bytes"] = server.size()
                rows.append(row)
        finally:
            if server is not None:
                server.stop()
    return rows


def verdicts(row: dict) -> dict:
    if "error" in row:
        return {}
    peak = row["peak_rss_gib"] + (row.get("server_peak_rss_gib") or 0)
    out = {"build_share_ok": row["build_share_of_raw"] >= TARGET_BUILD_SHARE, "peak_ok": peak <= TARGET_PEAK_GIB}
    if row["size"] >= 1_000_000:
        out["hybrid_p50_ok"] = row["hybrid_p50_ms"] <= TARGET_P50_MS
    return out


def table(rows: list[dict]) -> str:
    head = (
        f"{'size':>9} {'store':>8} {'embed/s':>8} {'build/s':>8} {'raw/s':>7} {'share':>6} {'chroma':>6} "
        f"{'bm25 p50/p95':>13} {'dense p50/p95':>14} {'hybrid p50/p95':>15} {'peak GiB':>9} {'disk MB':>8}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        if "error" in r:
            lines.append(f"{r['size']:>9} {r['store']:>8}  failed: {r['error']}")
            continue
        disk = (r["build_folder_bytes"] + r.get("server_data_bytes", 0)) / 1e6
        peak = f"{r['peak_rss_gib']:.2f}" + (f"+{r['server_peak_rss_gib']:.1f}" if r.get("server_peak_rss_gib") else "")
        lines.append(
            f"{r['size']:>9} {r['store']:>8} {r['embed_per_s']:>8} {r['build_without_embed_per_s']:>8} "
            f"{r['raw_insert_per_s']:>7} "
            f"{r['build_share_of_raw']:>6.0%} {r['chroma_step_share_of_raw']:>6.0%} "
            f"{r['bm25_p50_ms']:>6.1f}/{r['bm25_p95_ms']:<6.1f} {r['dense_p50_ms']:>6.1f}/{r['dense_p95_ms']:<7.1f} "
            f"{r['hybrid_p50_ms']:>7.1f}/{r['hybrid_p95_ms']:<7.1f} {peak:>9} {disk:>8.0f}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--store", nargs="+", choices=("embedded", "server"), default=["embedded", "server"])
    parser.add_argument("--queries", type=int, default=60, help="queries per mode (from evals/retrieval.jsonl)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per size and store")
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.url or None, args.work, args.queries, args.seed)))
        return 0
    rows = run_all(args)
    for row in rows:
        row["targets_met"] = verdicts(row)
    print(table(rows))
    print(
        "embed/s: computing the vectors (LSA); build/s: the rest of the build (the same vectors into both "
        "stores, BM25, files); share: build/s over Chroma's raw insert rate; chroma: the build's Chroma step alone"
    )
    if args.json_out:
        args.json_out.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
