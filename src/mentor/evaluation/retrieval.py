"""Retrieval evaluation: hit@k and MRR of a retriever on a JSONL question set.

A question is answered at rank r when the r-th hit's text contains one of its `reference_contexts`
phrases (case-insensitive, whitespace collapsed). Used by `benchmarks/retrieval.py` and the
tests; the full evaluation suites (ragas, answers, gating) build on this in `evals/`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from mentor.errors import UsageError


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def load_cases(path: Path) -> list[dict]:
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{n}: not JSON ({exc.msg})")
        if not case.get("question") or not case.get("reference_contexts"):
            raise UsageError(f"{path}:{n}: needs 'question' and 'reference_contexts'")
        cases.append(case)
    return cases


def first_relevant_rank(texts: list[str], expected: list[str]) -> int | None:
    wanted = [normalise(e) for e in expected]
    for rank, text in enumerate(texts, 1):
        body = normalise(text)
        if any(w in body for w in wanted):
            return rank
    return None


@dataclass
class Scores:
    n: int
    hit1: float
    hit5: float
    mrr: float
    misses: list[str]

    def to_dict(self) -> dict:
        return {"n": self.n, "hit@1": round(self.hit1, 3), "hit@5": round(self.hit5, 3), "mrr": round(self.mrr, 3)}


def score(ranks: list[int | None], questions: list[str], k: int = 5) -> Scores:
    n = len(ranks)
    hit1 = sum(1 for r in ranks if r == 1) / n
    hitk = sum(1 for r in ranks if r is not None and r <= k) / n
    mrr = sum(1.0 / r for r in ranks if r is not None and r <= 10) / n
    misses = [q for q, r in zip(questions, ranks) if r is None or r > k]
    return Scores(n, hit1, hitk, mrr, misses)


# --- golden cases generated from the curriculum graph -----------------------------------------
