"""Evaluation suites: run the real pipeline (index, router or agent, tools, citation checks) on
versioned cases and score every answer.

A case is one JSON line (schema in `evals/README.md`). Each case is answered by a fresh
conversation of its own learner, on a progress database of the run's own, after its
`user_state` is recorded. What is scored depends on what the case gives:

| the case gives           | metrics                                                         |
|--------------------------|-----------------------------------------------------------------|
| `reference`              | ragas NonLLMStringSimilarity and RougeScore (answer vs reference) |
| `reference_contexts`     | ragas NonLLMContextPrecisionWithReference and NonLLMContextRecall (the passages the answer was shown vs the reference passages); retrieval hit@1, hit@5 and MRR of the search itself |
| `expected_tools`         | tool-call accuracy: every expected tool was called              |
| graph cases (`topic`, or tag `next`, with `expected_topics`) | exact match of the prerequisites or the next steps the tools returned |
| `expect.no_progress_write` | progress safety: the turn recorded nothing                    |
| `expect.rejected`        | input handling: the message is refused with a message, not answered |
| every answered case      | citation validity: each quote is verbatim in its passage, each [n] has a source |
| every plan made          | plan precedence violations (must be 0)                          |

The judge suite (`judge.py`) scores the same answers with LLM-judged ragas metrics.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from mentor.errors import MentorError, UsageError
from mentor.evaluation.retrieval import _norm

STATUS_KEYS = ("done", "learning", "skipped")
KNOWN_FIELDS = {"id", "question", "reference", "reference_contexts", "expected_tools", "expected_topics",
                "user_state", "tags", "expect", "doc", "topic", "expected_chain", "goal"}
EXPECT_KEYS = {"no_progress_write", "rejected", "no_citations_required"}
RETRIEVAL_K = 10
MAX_DATASET_BYTES = 50_000_000

# name -> (what it measures, higher is better)
METRICS = {
    "context_precision": "ragas NonLLMContextPrecisionWithReference: the passages shown to the answer, ranked, against the reference passages",
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
class Case:
    id: str
    question: str
    source: str  # file:line
    dataset: str
    reference: str | None = None
    reference_contexts: list[str] = field(default_factory=list)
    expected_tools: list[str] = field(default_factory=list)
    expected_topics: list[str] | None = None
    user_state: dict = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    expect: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    @property
    def graph_kind(self) -> str | None:
        if self.expected_topics is None:
            return None
        if self.extra.get("topic") and "prereqs" in self.tags:
            return "prereqs"
        if "next" in self.tags and "graph" in self.tags:
            return "next"
        return None


def _strings(value, what: str, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise UsageError(f"{where}: '{what}' must be a list of non-empty strings")
    return value


def load_dataset(path: Path, curriculum=None) -> list[Case]:
    """Parse and validate one JSONL dataset; every problem names the file and line."""
    from mentor.config import read_text_file
    from mentor.assistant.tools import Toolbox

    path = Path(path)
    if not path.exists():
        raise UsageError(f"no dataset at {path}")
    cases, seen = [], set()
    for n, line in enumerate(read_text_file(path, MAX_DATASET_BYTES, "dataset").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{n}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{where}: not JSON ({exc.msg})")
        except RecursionError:
            raise UsageError(f"{where}: not JSON this program can read (nested too deeply)") from None
        if not isinstance(raw, dict):
            raise UsageError(f"{where}: each line must be a JSON object")
        if not isinstance(raw.get("question"), str):
            raise UsageError(f"{where}: 'question' (text) is required")
        unknown = set(raw) - KNOWN_FIELDS
        if unknown:
            raise UsageError(f"{where}: unknown field(s) {', '.join(sorted(unknown))} (see evals/README.md)")
        case_id = str(raw.get("id") or f"{path.stem}-{n}")
        if case_id in seen:
            raise UsageError(f"{where}: duplicate id {case_id!r}")
        seen.add(case_id)
        reference = raw.get("reference")
        if reference is not None and (not isinstance(reference, str) or not reference.strip()):
            raise UsageError(f"{where}: 'reference' must be non-empty text")
        contexts = _strings(raw.get("reference_contexts"), "reference_contexts", where)
        tools = _strings(raw.get("expected_tools"), "expected_tools", where)
        bad = [t for t in tools if t not in Toolbox.NAMES]
        if bad:
            raise UsageError(f"{where}: unknown tool(s) {', '.join(bad)}; tools are {', '.join(Toolbox.NAMES)}")
        topics = raw.get("expected_topics")
        topics = None if topics is None else _strings(topics, "expected_topics", where)
        state = raw.get("user_state") or {}
        if not isinstance(state, dict) or set(state) - set(STATUS_KEYS):
            raise UsageError(f"{where}: 'user_state' maps {', '.join(STATUS_KEYS)} to lists of topic ids")
        state = {k: _strings(v, f"user_state.{k}", where) for k, v in state.items()}
        expect = raw.get("expect") or {}
        if not isinstance(expect, dict) or set(expect) - EXPECT_KEYS:
            raise UsageError(f"{where}: 'expect' takes {', '.join(sorted(EXPECT_KEYS))}")
        if curriculum is not None:
            ids = list(topics or []) + [t for v in state.values() for t in v] + _strings(
                raw.get("expected_chain"), "expected_chain", where)
            ids += [raw[k] for k in ("topic", "goal") if raw.get(k)]
            missing = [t for t in ids if t not in curriculum.topics]
            if missing:
                raise UsageError(f"{where}: unknown topic id(s) {', '.join(sorted(set(missing)))}")
        tags = _strings(raw.get("tags"), "tags", where)
        extra = {k: raw[k] for k in ("doc", "topic", "expected_chain", "goal") if k in raw}
        cases.append(Case(case_id, raw["question"], where, path.stem, reference, contexts, tools, topics,
                          state, tags, expect, extra))
    if not cases:
        raise UsageError(f"{path}: no cases")
    return cases


def dataset_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


# --- running --------------------------------------------------------------------------------


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

    def to_dict(self) -> dict:
        c = self.case
        return {"id": c.id, "dataset": c.dataset, "source": c.source, "question": c.question[:500],
                "tags": c.tags, "answer": self.answer, "rejected": self.rejected, "error": self.error,
                "tool_calls": self.tool_calls, "citations": self.citations,
                "metrics": {k: _json_number(v) for k, v in self.metrics.items()}, "notes": self.notes,
                "ms": round(self.seconds * 1000, 1)}


def _json_number(value: float):
    return None if isinstance(value, float) and math.isnan(value) else round(value, 4)


class PassageFinder:
    """Reference phrases resolved to the passages containing them (what ragas compares)."""

    def __init__(self, chunks):
        self.chunks = list(chunks)
        self._norm = [_norm(c.text) for c in self.chunks]

    def passage(self, phrase: str) -> str | None:
        wanted = _norm(phrase)
        for chunk, text in zip(self.chunks, self._norm):
            if wanted in text:
                return chunk.text
        return None


def run_cases(deps, cases: list[Case], progress=None) -> list[CaseResult]:
    """Answer every case with the real pipeline. `deps` must use a progress database of the
    run's own (see `eval_deps`): cases record their learner's state in it."""
    from mentor.assistant.conversation import Conversation

    finder = PassageFinder(deps.retriever.index.chunks)
    results = []
    for i, case in enumerate(cases):
        result = CaseResult(case)
        learner = f"eval-{i}"
        for status, topics in case.user_state.items():
            deps.progress.record_many(learner, {t: status for t in topics}, origin="import", note="eval user_state")
        events_before = len(deps.progress.history(learner))
        for phrase in case.reference_contexts:
            text = finder.passage(phrase)
            if text is None:
                raise UsageError(f"{case.source}: reference context not found in any passage: {phrase!r}")
            if text not in result.reference_passages:
                result.reference_passages.append(text)
        started = time.perf_counter()
        try:
            answer = Conversation(deps, learner).ask(case.question)
        except MentorError as exc:
            result.rejected = str(exc)
        except Exception as exc:  # a crash is a finding, scored as an error, not a stopped run
            result.error = f"{type(exc).__name__}: {exc}"
        else:
            result.answer = answer.answer
            result.tool_calls = answer.tool_calls
            result.citations = [c.to_dict() for c in answer.citations]
            result.contexts = [c.text for c in answer.sources]
            _structural(deps, case, answer, result)
        result.seconds = time.perf_counter() - started
        if case.expect.get("no_progress_write"):
            written = len(deps.progress.history(learner)) - events_before
            result.metrics["progress_safety"] = float(written == 0)
            if written:
                result.notes.append(f"{written} progress event(s) written")
        if case.expect.get("rejected"):
            result.metrics["input_handling"] = float(result.rejected is not None and result.answer is None)
        elif result.rejected is not None:
            result.notes.append(f"refused: {result.rejected}")
        result.metrics["errors"] = float(result.error is not None)
        if case.reference_contexts:
            _retrieval(deps, case, result)
        results.append(result)
        if progress:
            progress(i + 1, len(cases))
    return results


def _retrieval(deps, case: Case, result: CaseResult) -> None:
    from mentor.evaluation.retrieval import first_relevant_rank

    hits = deps.retriever.search(case.question, k=RETRIEVAL_K).hits if case.question.strip() else []
    rank = first_relevant_rank([h.chunk.text for h in hits], case.reference_contexts)
    result.metrics["hit_at_1"] = float(rank == 1)
    result.metrics["hit_at_5"] = float(rank is not None and rank <= 5)
    result.metrics["mrr"] = 1.0 / rank if rank else 0.0


def _structural(deps, case: Case, answer, result: CaseResult) -> None:
    from mentor.assistant.citations import MARKER, check
    from mentor.learning.plan import Plan, check_plan

    cur = deps.curriculum
    called = [c.name for c in answer.trace]
    if case.expected_tools:
        missing = [t for t in case.expected_tools if t not in called]
        result.metrics["tool_call_accuracy"] = float(not missing)
        if missing:
            result.notes.append(f"expected tool(s) not called: {', '.join(missing)}; called: {', '.join(called) or 'none'}")
    problems = check(answer.citations, {c.chunk_id: c for c in answer.sources})
    numbers = {int(n) for n in MARKER.findall(answer.answer)}
    problems += [f"[{n}] has no source" for n in sorted(numbers - {c.n for c in answer.citations})]
    result.metrics["citation_validity"] = float(not problems)
    result.notes += problems
    violations = 0
    for call in answer.trace:
        data = call.result.data
        if call.name == "make_plan" and isinstance(data, dict) and "weeks" in data:
            plan = Plan([[(t["id"], t["hours"]) for t in w["topics"]] for w in data["weeks"]],
                        data["unscheduled"], data["hours_per_week"])
            found = check_plan(cur, plan, _state(case))
            violations += len(found)
            result.notes += found
    if "make_plan" in called:
        result.metrics["plan_violations"] = float(violations)
    kind = case.graph_kind
    if kind == "prereqs":
        calls = [c for c in answer.trace if c.name == "prerequisites" and isinstance(c.result.data, dict)
                 and "prerequisites" in c.result.data]
        got = next((c.result.data for c in calls if c.result.data["topic"]["id"] == case.extra["topic"]), None)
        if got is None:
            result.metrics["graph_exact_match"] = 0.0
            result.notes.append(f"no prerequisites lookup of {case.extra['topic']}")
        else:
            direct = sorted(p["id"] for p in got["prerequisites"] if p["depth"] == 1)
            chain = sorted(p["id"] for p in got["prerequisites"])
            ok = direct == sorted(case.expected_topics) and (
                "expected_chain" not in case.extra or chain == sorted(case.extra["expected_chain"]))
            result.metrics["graph_exact_match"] = float(ok)
            if not ok:
                result.notes.append(f"prerequisites {direct} (chain of {len(chain)}), expected {sorted(case.expected_topics)}")
    elif kind == "next":
        got = next((c.result.data for c in answer.trace if c.name == "next_steps" and isinstance(c.result.data, dict)
                    and "topics" in c.result.data), None)
        ids = [t["id"] for t in got["topics"]] if got else None
        result.metrics["graph_exact_match"] = float(ids == case.expected_topics)
        if ids != case.expected_topics:
            result.notes.append(f"next steps {ids}, expected {case.expected_topics}")


def _state(case: Case) -> dict[str, str]:
    return {t: status for status, topics in case.user_state.items() for t in topics}


def plan_sweep(deps, cases: list[Case], hours=(4, 10, 25)) -> tuple[int, int, list[str]]:
    """Plans for every learner state the cases use, at several paces, checked for precedence
    violations: (plans made, violations, first problems)."""
    from mentor.learning.plan import check_plan, make_plan

    cur = deps.curriculum
    states, seen = [], set()
    for case in cases:
        state = _state(case)
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
            if not r.contexts:  # nothing shown to the answer: nothing relevant retrieved
                r.metrics["context_precision"] = r.metrics["context_recall"] = 0.0
                continue
            sample = SingleTurnSample(user_input=r.case.question, retrieved_contexts=r.contexts,
                                      reference_contexts=r.reference_passages)
            r.metrics["context_precision"] = float(precision.single_turn_score(sample))
            r.metrics["context_recall"] = float(recall.single_turn_score(sample))


def answer_text(answer: str) -> str:
    """The answer as prose for string metrics: citation markers removed."""
    return re.sub(r"\s*\[\d{1,3}\]", "", answer).strip()


def eval_deps(settings, folder: Path):
    """Deps for an evaluation run: the configured index and LLM, progress in `folder`."""
    from mentor.deps import Deps

    return Deps(settings.with_overrides(db=f"sqlite:///{Path(folder) / 'eval-progress.db'}"))


def temporary_folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="mentor-eval-")
