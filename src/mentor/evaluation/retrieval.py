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


def _norm(text: str) -> str:
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
    wanted = [_norm(e) for e in expected]
    for rank, text in enumerate(texts, 1):
        body = _norm(text)
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


def graph_cases(cur, n_states: int = 12) -> list[dict]:
    """'What do I need before X' for every topic with hard prerequisites (so every hard edge is
    covered), and 'what next' for a range of learner states: nothing done, then prefixes of the
    roadmap order, each with and without a goal. Expected ids come from the graph itself; the
    file pins them so a change to the graph or the ranking shows up as a diff."""
    from mentor.learning.plan import next_steps

    cases = []
    for t in cur.topics.values():
        if t.prerequisites:
            cases.append({
                "id": f"prereq-{t.id}", "question": f"What do I need to learn before {t.title}?",
                "expected_tools": ["prerequisites"], "expected_topics": sorted(t.prerequisites),
                "expected_chain": sorted(cur.ancestors(t.id)), "topic": t.id, "tags": ["graph", "prereqs"],
            })
    order = cur.topological(set(cur.topics))
    goals = [tid for tid in order if len(cur.ancestors(tid)) >= 8][::7][:4]
    for i in range(n_states):
        done = order[: round(i * len(order) / n_states)]
        statuses = {tid: "done" for tid in done}
        for goal in [None, *goals]:
            goal_topic = cur.topics[goal] if goal else None
            if goal and goal in done:
                continue
            expected = [s.topics[0].id for s in next_steps(cur, statuses, goal_topic)]
            question = "What should I learn next?" + (f" My goal is {goal_topic.title}." if goal else "")
            cases.append({
                "id": f"next-{i:02d}" + (f"-{goal}" if goal else ""), "question": question,
                "expected_tools": ["next_steps"], "expected_topics": expected,
                "user_state": {"done": done}, "goal": goal, "tags": ["graph", "next"],
            })
    return cases


def write_graph_cases(cur, path: Path) -> int:
    cases = graph_cases(cur)
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    return len(cases)
