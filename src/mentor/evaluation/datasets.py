"""Evaluation datasets: the JSONL cases of `evals/` (schema in `evals/README.md`), read and
validated with every problem naming the file and line, the reference phrases resolved to the
passages that contain them, and the golden cases generated from the curriculum graph.

Not here: answering the cases (`run`), scoring them (`scoring`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from mentor.assistant.tools import Toolbox
from mentor.config import PROJECT_ROOT, read_text_file
from mentor.errors import UsageError
from mentor.evaluation.retrieval import normalise
from mentor.learning.plan import next_steps

EVALS = PROJECT_ROOT / "evals"

DEFAULT_DATASETS = {
    "offline": [
        "qa.jsonl",
        "retrieval.jsonl",
        "graph_cases.jsonl",
        "adversarial.jsonl",
        "statements.jsonl",
        "answers.jsonl",
        "paraphrase_heldout.jsonl",
    ],
    "judge": ["qa.jsonl"],
}

STATUS_KEYS = ("done", "learning", "skipped")

KNOWN_FIELDS = {
    "id",
    "question",
    "reference",
    "reference_contexts",
    "expected_tools",
    "expected_topics",
    "user_state",
    "tags",
    "expect",
    "doc",
    "topic",
    "expected_chain",
    "goal",
    "shape",
    "key_facts",
    "direct",
    "resource_kind",
    "split",
}

EXPECT_KEYS = {"no_progress_write", "rejected", "no_citations_required"}

MAX_DATASET_BYTES = 50_000_000


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
            ids = (
                list(topics or [])
                + [t for v in state.values() for t in v]
                + _strings(raw.get("expected_chain"), "expected_chain", where)
            )
            ids += [raw[k] for k in ("topic", "goal") if raw.get(k)]
            missing = [t for t in ids if t not in curriculum.topics]
            if missing:
                raise UsageError(f"{where}: unknown topic id(s) {', '.join(sorted(set(missing)))}")
        tags = _strings(raw.get("tags"), "tags", where)
        extra = {k: raw[k] for k in ("doc", "topic", "expected_chain", "goal", "shape", "resource_kind") if k in raw}
        extra.update(_answer_fields(raw, where))
        cases.append(
            Case(
                case_id,
                raw["question"],
                where,
                path.stem,
                reference,
                contexts,
                tools,
                topics,
                state,
                tags,
                expect,
                extra,
            )
        )
    if not cases:
        raise UsageError(f"{path}: no cases")
    return cases


def _answer_fields(raw: dict, where: str) -> dict:
    """The QA set's own fields: key facts (lists of alternative phrases), the direct yes/no,
    the split (dev, or heldout: scored under separate names, never tuned on)."""
    out = {}
    facts = raw.get("key_facts")
    if facts is not None:
        if not isinstance(facts, list) or not facts or not all(_strings(f, "key_facts", where) for f in facts):
            raise UsageError(f"{where}: 'key_facts' is a list of lists of alternative phrases")
        out["key_facts"] = facts
    if raw.get("direct") is not None:
        if raw["direct"] not in ("yes", "no"):
            raise UsageError(f'{where}: \'direct\' is "yes" or "no"')
        out["direct"] = raw["direct"]
    split = raw.get("split", "heldout" if "heldout" in (raw.get("tags") or []) else "dev")
    if split not in ("dev", "heldout"):
        raise UsageError(f"{where}: 'split' is dev or heldout")
    out["split"] = split
    return out


def dataset_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


class PassageFinder:
    """Reference phrases resolved to the passages containing them (what ragas compares)."""

    def __init__(self, chunks):
        self.chunks = list(chunks)
        self._texts = [normalise(c.text) for c in self.chunks]

    def passage(self, phrase: str) -> str | None:
        wanted = normalise(phrase)
        for chunk, text in zip(self.chunks, self._texts):
            if wanted in text:
                return chunk.text
        return None


def state_of(case: Case) -> dict[str, str]:
    """A case's learner state as topic -> status."""
    return {t: status for status, topics in case.user_state.items() for t in topics}


# --- golden cases from the graph ---------------------------------------------------------


def graph_cases(cur, n_states: int = 12) -> list[dict]:
    """'What do I need before X' for every topic with hard prerequisites (so every hard edge is
    covered), and 'what next' for a range of learner states: nothing done, then prefixes of the
    roadmap order, each with and without a goal. Expected ids come from the graph itself; the
    file pins them so a change to the graph or the ranking shows up as a diff."""
    cases = []
    for t in cur.topics.values():
        if t.prerequisites:
            cases.append(
                {
                    "id": f"prereq-{t.id}",
                    "question": f"What do I need to learn before {t.title}?",
                    "expected_tools": ["prerequisites"],
                    "expected_topics": sorted(t.prerequisites),
                    "expected_chain": sorted(cur.ancestors(t.id)),
                    "topic": t.id,
                    "tags": ["graph", "prereqs"],
                }
            )
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
            cases.append(
                {
                    "id": f"next-{i:02d}" + (f"-{goal}" if goal else ""),
                    "question": question,
                    "expected_tools": ["next_steps"],
                    "expected_topics": expected,
                    "user_state": {"done": done},
                    "goal": goal,
                    "tags": ["graph", "next"],
                }
            )
    return cases


def write_graph_cases(cur, path: Path) -> int:
    cases = graph_cases(cur)
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    return len(cases)
