"""The statement suite: does chat propose the progress a learner states, and nothing else, and
is nothing ever written without the learner's confirmation?

Cases (`evals/statements.jsonl`, schema in `evals/README.md`) are conversations of one or more
turns with the proposals the last turn should leave behind: positives in many phrasings,
negatives (negation, reported speech, other people, plans, quotes, questions, injections),
several topics at once, and follow-ups ("just finished it!"). Each case runs twice on a
learner of its own, through the real conversation:

- offline mode: the proposals of every turn, against the expected (topic, status) pairs:
  `proposal_precision` and `proposal_recall`, micro-averaged, per split (`dev` is what the
  rules were developed on and is gated; `heldout` was never looked at while tuning and is
  reported beside it);
- LLM mode, driven by `adversary.WritingModel`, which proposes whatever the passages and its
  own text name: `injected_proposals` counts proposals about a topic the learner's turns do not
  name (and any undo or profile proposal, which no case asks for);
- both: `unconfirmed_writes` counts progress events written by the conversation itself.

Not here: the other suites' cases (`datasets`, `run`), the report files (`report`).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

from mentor.assistant.agent import LlmChoice
from mentor.assistant.conversation import Conversation
from mentor.config import read_text_file
from mentor.errors import UsageError
from mentor.evaluation.report import Aggregate, Threshold
from mentor.learning.progress import STATUSES

FIELDS = {"id", "turns", "expected", "category", "tags", "split"}
SPLITS = ("dev", "heldout")
MAX_BYTES = 5_000_000

METRICS = {
    "proposal_precision": "statements (dev): share of proposals that are a (topic, status) the learner stated",
    "proposal_recall": "statements (dev): share of stated (topic, status) pairs that were proposed",
    "proposal_precision_heldout": "statements (held-out, never tuned on): proposal precision",
    "proposal_recall_heldout": "statements (held-out, never tuned on): proposal recall",
    "unconfirmed_writes": "progress events chat wrote without the learner's confirmation, both modes (count)",
    "injected_proposals": "LLM mode, a model trying to write: proposals about topics the learner did not name (count)",
}
COUNTS = {"unconfirmed_writes", "injected_proposals"}


@dataclass
class StatementCase:
    id: str
    turns: list[str]
    expected: set[tuple[str, str]]
    category: str
    split: str
    source: str


@dataclass
class StatementResult:
    case: StatementCase
    proposed: set[tuple[str, str]] = field(default_factory=set)  # offline mode
    injected: list[str] = field(default_factory=list)  # LLM mode: what should not have been proposed
    writes: int = 0

    def to_dict(self) -> dict:
        c = self.case
        return {
            "id": c.id,
            "split": c.split,
            "category": c.category,
            "turns": c.turns,
            "expected": _pairs(c.expected),
            "proposed": _pairs(self.proposed),
            "false": _pairs(self.proposed - c.expected),
            "missed": _pairs(c.expected - self.proposed),
            "injected": self.injected,
            "unconfirmed_writes": self.writes,
        }


def _pairs(pairs: set[tuple[str, str]]) -> list[list[str]]:
    return [list(p) for p in sorted(pairs)]


def is_statement_dataset(path: Path) -> bool:
    """A file in this suite's schema (its first case has "turns") rather than the QA schema."""
    for line in read_text_file(Path(path), MAX_BYTES, "dataset").splitlines():
        if line.strip():
            try:
                first = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                return False  # the QA loader names the problem
            return isinstance(first, dict) and "turns" in first
    return False


def load_statements(path: Path, cur) -> list[StatementCase]:
    """Parse and validate; every problem names the file and line."""
    path = Path(path)
    cases = []
    for n, line in enumerate(read_text_file(path, MAX_BYTES, "dataset").splitlines(), 1):
        if line.strip():
            cases.append(_case(line, f"{path.name}:{n}", cur))
    return cases


def _case(line: str, where: str, cur) -> StatementCase:
    try:
        raw = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        raise UsageError(f"{where}: not JSON this program can read") from None
    if not isinstance(raw, dict) or set(raw) - FIELDS:
        raise UsageError(f"{where}: a case is an object with the fields {', '.join(sorted(FIELDS))}")
    turns = raw.get("turns")
    if not isinstance(turns, list) or not turns or not all(isinstance(t, str) and t.strip() for t in turns):
        raise UsageError(f"{where}: 'turns' must be a list of non-empty messages")
    expected = set()
    for item in raw.get("expected") or []:
        if not isinstance(item, dict) or item.get("topic") not in cur.topics or item.get("status") not in STATUSES:
            raise UsageError(f'{where}: each \'expected\' item is {{"topic": <topic id>, "status": <status>}}')
        expected.add((item["topic"], item["status"]))
    split = raw.get("split", "dev")
    if split not in SPLITS:
        raise UsageError(f"{where}: 'split' is dev or heldout")
    return StatementCase(str(raw.get("id") or where), turns, expected, str(raw.get("category", "")), split, where)


# --- running ----------------------------------------------------------------------------------


def run_statements(deps, cases: list[StatementCase], attack: bool = True) -> list[StatementResult]:
    """Every case in offline mode, and (with `attack`) again under the writing model."""
    attacker = _attacker_deps(deps) if attack else None
    results = []
    for i, case in enumerate(cases):
        result = StatementResult(case)
        learner = f"st-{i}"
        for answer in _converse(deps, learner, case.turns):
            result.proposed |= {(p.topic, p.status) for p in answer.proposals if p.kind == "status"}
        if attacker is not None:
            named = _named_by_learner(case, deps.curriculum)
            for answer in _converse(attacker, f"{learner}-llm", case.turns):
                wrong = [p for p in answer.proposals if p.kind != "status" or p.topic not in named]
                result.injected += [f"{p.kind}:{p.topic}" for p in wrong]
        result.writes = len(deps.progress.history(learner)) + len(deps.progress.history(f"{learner}-llm"))
        results.append(result)
    return results


def _named_by_learner(case: StatementCase, cur) -> set[str]:
    """The topics the learner's own turns name (or the case expects, for "it"): a proposal about
    any other topic came from passages or the model's own text."""
    named = {tid for turn in case.turns for _, _, tid in cur.mention_spans(" ".join(turn.split()))}
    return named | {t for t, _ in case.expected}


def _converse(deps, learner: str, turns: list[str]) -> list:
    conversation = Conversation(deps, learner)
    return [conversation.ask(turn) for turn in turns]


def _attacker_deps(deps):
    # imported here: llama-index is heavy, and only this attack needs it in an offline run
    from mentor.evaluation.adversary import WritingModel

    attacker = copy.copy(deps)  # the same curriculum, index and database; another model
    attacker.__dict__.pop("conversations", None)
    model = WritingModel(deps.curriculum)
    attacker.__dict__["llm"] = LlmChoice("adversary", "the statement suite's writing model", model)
    return attacker


# --- scoring ----------------------------------------------------------------------------------


def aggregates(results: list[StatementResult], thresholds: dict[str, Threshold]) -> dict[str, Aggregate]:
    out = {}
    for split, suffix in (("dev", ""), ("heldout", "_heldout")):
        part = [r for r in results if r.case.split == split]
        if not part:
            continue
        tp = sum(len(r.proposed & r.case.expected) for r in part)
        proposed = sum(len(r.proposed) for r in part)
        expected = sum(len(r.case.expected) for r in part)
        false = [(r.case.id, 0.0) for r in part if r.proposed - r.case.expected]
        missed = [(r.case.id, 0.0) for r in part if r.case.expected - r.proposed]
        out["proposal_precision" + suffix] = _agg("proposal_precision" + suffix, tp, proposed, false, thresholds)
        out["proposal_recall" + suffix] = _agg("proposal_recall" + suffix, tp, expected, missed, thresholds)
    writes = [(r.case.id, float(r.writes)) for r in results if r.writes]
    injected = [(r.case.id, float(len(r.injected))) for r in results if r.injected]
    for name, bad in (("unconfirmed_writes", writes), ("injected_proposals", injected)):
        out[name] = Aggregate(name, sum(v for _, v in bad), len(results), 0, thresholds.get(name), bad)
    return out


def _agg(name: str, hits: int, total: int, bad: list, thresholds: dict[str, Threshold]) -> Aggregate:
    value = hits / total if total else None
    return Aggregate(name, value, total, 0, thresholds.get(name), bad)
