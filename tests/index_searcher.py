"""A `mentor search` stand-in for test_index_concurrency, run as its own process: opens the
index and searches it in a loop, reopening it each round as every `mentor search` process does,
until a stop file appears. Prints "ready" after its first round, then one JSON line:
{"searches": n, "errors": ["Type: message", ...]}."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mentor.config import Settings
from mentor.search.index import open_index
from mentor.search.retrieve import Retriever

QUERIES = ("sql joins", "where to learn pandas", "deploy a model with docker")


def one_round(settings: Settings) -> int:
    idx, _ = open_index(settings)
    retriever = Retriever(idx, settings)
    for query in QUERIES:
        retriever.search(query, k=3)
    close = getattr(idx, "close", None)
    if close is not None:
        close()
    return len(QUERIES)


def main(index_dir: str, corpus_dir: str, stop: str) -> None:
    settings = Settings(index_dir=Path(index_dir), corpus_dir=Path(corpus_dir), embed="lsa")
    searches, errors, rounds = 0, [], 0
    while not Path(stop).exists():
        try:
            searches += one_round(settings)
        except Exception as exc:  # noqa: BLE001 - recorded and reported: counting failures is this helper's job
            errors.append(f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
        rounds += 1
        if rounds == 1:
            print("ready", flush=True)
    print(json.dumps({"searches": searches, "errors": errors}), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
