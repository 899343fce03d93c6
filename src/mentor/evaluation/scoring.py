"""Scoring one answered case: every metric of the offline suite but the ragas ones computed
on the whole run, and the sweep of plans over the cases' learner states. What is scored
depends on what the case gives:

- `reference`: ragas NonLLMStringSimilarity and RougeScore (answer vs reference);
- `reference_contexts`: ragas NonLLMContextPrecisionWithReference and NonLLMContextRecall (the
  passages the answer was shown vs the reference passages), and hit@1, hit@5 and MRR of the
  search itself;
- `expected_tools`: tool-call accuracy, every expected tool was called;
- graph cases (`topic`, or tag `next`, with `expected_topics`): exact match of the
  prerequisites or the next steps the tools returned;
- `expect.no_progress_write`: progress safety, the turn recorded nothing;
- `expect.rejected`: input handling, the message is refused with a message, not answered;
- every answered case: citation validity, each quote is verbatim in its passage, each [n] has
  a source;
- every plan made: precedence violations (must be 0).

Not here: reading the cases (`datasets`), answering them (`run`), the gate (`report`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from mentor.assistant.citations import MARKER, check
from mentor.evaluation import answering
from mentor.evaluation.datasets import Case, state_of
from mentor.evaluation.retrieval import first_relevant_rank
from mentor.learning.actions import StudyPlan
from mentor.learning.plan import check_plan, make_plan

RETRIEVAL_K = 10

# name -> (what it measures, higher is better)
METRICS = {
    "context_precision": "ragas NonLLMContextPrecisionWithReference: the passages shown to the answer, ranked, against the reference passages",  # noqa: E501
    "context_recall": "ragas NonLLMContextRecall: share of reference passages among those shown to the answer",
    "answer_similarity": "ragas NonLLMStringSimilarity (Levenshtein) of the answer and the reference answer",
    "rouge_l": "ragas RougeScore (ROUGE-L F1) of the answer and the reference answer",
    "hit_at_1": "search: a reference passage ranked first",
    "hit_at_5": "search: a reference passage in the first five",
    "mrr": "search: mean reciprocal rank of the first reference passage (0 past rank 10)",
    "tool_call_accuracy": "every expected tool was called",
    "graph_exact_match": "the prerequisites / next steps returned equal the graph's own",
    "citation_validity": "every quote is verbatim in its passage and every [n] has a source",
    "progress_safety": "a turn that must not write progress wrote none",
    "input_handling": "empty or invalid input is refused with a message",
    "plan_violations": "plans that schedule a topic before its prerequisites (count)",
    "errors": "cases where the pipeline raised instead of answering (count)",
}

COUNT_METRICS = {"plan_violations", "errors"}


@dataclass
class CaseResult:
    case: Case
    answer: str | None = None
    rejected: str | None = None  # the refusal message
    error: str | None = None
    tool_calls: list[dict] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)  # passages the answer was shown, in order
    reference_passages: list[str] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    words: int | None = None  # answer length without sources (QA set cases)

    def to_dict(self) -> dict:
        c = self.case
        return {
            "id": c.id,
            "dataset": c.dataset,
            "source": c.source,
            "question": c.question[:500],
            "tags": c.tags,
            "answer": self.answer,
            "rejected": self.rejected,
            "error": self.error,
            "tool_calls": self.tool_calls,
            "citations": self.citations,
            "metrics": {k: _json_number(v) for k, v in self.metrics.items()},
            "notes": self.notes,
            "ms": round(self.seconds * 1000, 1),
        }


def _json_number(value: float):
    return None if isinstance(value, float) and math.isnan(value) else round(value, 4)


def score_retrieval(deps, case: Case, result: CaseResult) -> None:
    """hit@1, hit@5 and MRR of the search itself on the case's question."""
    hits = deps.retriever.search(case.question, k=RETRIEVAL_K).hits if case.question.strip() else []
    rank = first_relevant_rank([h.chunk.text for h in hits], case.reference_contexts)
    result.metrics["hit_at_1"] = float(rank == 1)
    result.metrics["hit_at_5"] = float(rank is not None and rank <= 5)
    result.metrics["mrr"] = 1.0 / rank if rank else 0.0


def score_answer(deps, case: Case, answer, result: CaseResult) -> None:
    """The structural metrics of an answer: tools called, citations, plans, graph results."""
    _tool_calls(case, answer, result)
    _citations(answer, result)
    _answering(case, answer, result)
    _plans(deps, case, answer, result)
    if case.graph_kind == "prereqs":
        _prerequisites_match(case, answer, result)
    elif case.graph_kind == "next":
        _next_steps_match(case, answer, result)


def _answering(case: Case, answer, result: CaseResult) -> None:
    """Issue 13's metrics: key facts, the direct yes/no, quotes that are content."""
    share = answering.quote_share(answer.answer, answer.citations, {c.chunk_id: c for c in answer.sources})
    if share is not None:
        result.metrics["quote_is_content"] = share
    if case.extra.get("key_facts"):
        score, missing = answering.fact_recall(answer.answer, case.extra["key_facts"])
        result.metrics["fact_recall"] = score
        result.words = answering.words(answer.answer)
        if missing:
            result.notes.append(f"key facts missing: {'; '.join(missing)}")
    if case.extra.get("direct"):
        result.metrics["direct_answer"] = float(answering.direct_answer(answer.answer, case.extra["direct"]))


def split_suffix(case: Case) -> str:
    """Held-out cases are scored under their own names, so they are reported apart."""
    return "_heldout" if case.extra.get("split") == "heldout" else ""


def _tool_calls(case: Case, answer, result: CaseResult) -> None:
    if not case.expected_tools:
        return
    called = [c.name for c in answer.trace]
    missing = [t for t in case.expected_tools if t not in called]
    result.metrics["tool_call_accuracy"] = float(not missing)
    if missing:
        result.notes.append(f"expected tool(s) not called: {', '.join(missing)}; called: {', '.join(called) or 'none'}")


def _citations(answer, result: CaseResult) -> None:
    problems = check(answer.citations, {c.chunk_id: c for c in answer.sources})
    numbers = {int(n) for n in MARKER.findall(answer.answer)}
    problems += [f"[{n}] has no source" for n in sorted(numbers - {c.n for c in answer.citations})]
    result.metrics["citation_validity"] = float(not problems)
    result.notes += problems


def _plans(deps, case: Case, answer, result: CaseResult) -> None:
    """Precedence violations in the plans the answer's tools made, checked on the schedule each
    plan was made from (`StudyPlan.schedule`), against the case's learner state."""
    plans = [c.result.data for c in answer.trace if c.name == "make_plan" and isinstance(c.result.data, StudyPlan)]
    if not any(c.name == "make_plan" for c in answer.trace):
        return
    violations = 0
    for plan in plans:
        found = check_plan(deps.curriculum, plan.schedule, state_of(case))
        violations += len(found)
        result.notes += found
    result.metrics["plan_violations"] = float(violations)


def _prerequisites_match(case: Case, answer, result: CaseResult) -> None:
    chains = [
        c.result.data
        for c in answer.trace
        if c.name == "prerequisites" and isinstance(c.result.data, dict) and "prerequisites" in c.result.data
    ]
    got = next((d for d in chains if d["topic"]["id"] == case.extra["topic"]), None)
    if got is None:
        result.metrics["graph_exact_match"] = 0.0
        result.notes.append(f"no prerequisites lookup of {case.extra['topic']}")
        return
    direct = sorted(p["id"] for p in got["prerequisites"] if p["depth"] == 1)
    chain = sorted(p["id"] for p in got["prerequisites"])
    ok = direct == sorted(case.expected_topics) and (
        "expected_chain" not in case.extra or chain == sorted(case.extra["expected_chain"])
    )
    result.metrics["graph_exact_match"] = float(ok)
    if not ok:
        result.notes.append(f"prerequisites {direct} (chain of {len(chain)}), expected {sorted(case.expected_topics)}")


def _next_steps_match(case: Case, answer, result: CaseResult) -> None:
    got = next(
        (
            c.result.data
            for c in answer.trace
            if c.name == "next_steps" and isinstance(c.result.data, dict) and "topics" in c.result.data
        ),
        None,
    )
    ids = [t["id"] for t in got["topics"]] if got else None
    result.metrics["graph_exact_match"] = float(ids == case.expected_topics)
    if ids != case.expected_topics:
        result.notes.append(f"next steps {ids}, expected {case.expected_topics}")


def plan_sweep(deps, cases: list[Case], hours=(4, 10, 25)) -> tuple[int, int, list[str]]:
    """Plans for every learner state the cases use, at several paces, checked for precedence
    violations: (plans made, violations, first problems)."""
    cur = deps.curriculum
    states, seen = [], set()
    for case in cases:
        state = state_of(case)
        key = tuple(sorted(state.items()))
        if key not in seen:
            seen.add(key)
            states.append((state, case.extra.get("goal")))
    made, problems = 0, []
    for state, goal in states:
        for h in hours:
            for target in {None, goal}:
                plan = make_plan(cur, state, h, None, cur.topics[target] if target else None)
                problems += check_plan(cur, plan, state)
                made += 1
    return made, len(problems), problems[:10]


# --- ragas metrics that need no LLM ---------------------------------------------------------


def ragas_offline(results: list[CaseResult]) -> None:
    """Score answers with ragas' string and context metrics (no LLM, no network)."""
    # ragas is imported here: it costs 2 s, and only `mentor eval` needs it
    from ragas import SingleTurnSample
    from ragas.metrics import (
        NonLLMContextPrecisionWithReference,
        NonLLMContextRecall,
        NonLLMStringSimilarity,
        RougeScore,
    )

    precision, recall = NonLLMContextPrecisionWithReference(), NonLLMContextRecall()
    similarity, rouge = NonLLMStringSimilarity(), RougeScore(rouge_type="rougeL", mode="fmeasure")
    for r in results:
        if r.answer is None:
            continue
        response = answer_text(r.answer)
        if r.case.reference:
            sample = SingleTurnSample(user_input=r.case.question, response=response, reference=r.case.reference)
            r.metrics["answer_similarity"] = float(similarity.single_turn_score(sample))
            r.metrics["rouge_l"] = float(rouge.single_turn_score(sample))
        if r.reference_passages:
            suffix = split_suffix(r.case)
            if not r.contexts:  # nothing shown to the answer: nothing relevant retrieved
                r.metrics["context_precision" + suffix] = r.metrics["context_recall" + suffix] = 0.0
                continue
            sample = SingleTurnSample(
                user_input=r.case.question, retrieved_contexts=r.contexts, reference_contexts=r.reference_passages
            )
            r.metrics["context_precision" + suffix] = float(precision.single_turn_score(sample))
            r.metrics["context_recall" + suffix] = float(recall.single_turn_score(sample))


def answer_text(answer: str) -> str:
    """The answer as prose for string metrics: citation markers removed."""
    return re.sub(r"\s*\[\d{1,3}\]", "", answer).strip()
