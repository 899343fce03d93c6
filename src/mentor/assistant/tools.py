"""The mentor's tools: plain typed functions over the curriculum, the index and the learner's
progress. Their docstrings are what a model reads; developer notes are comments.

A `Toolbox` is bound to one learner and one answer's `SourceBook`: the learner always comes from
the session, never from model-supplied text, and every passage a tool shows is numbered so the
answer can cite it. A tool never raises for a model's mistake (an unknown topic, a bad number):
it returns an observation saying what went wrong. The only tool that writes, `update_progress`,
refuses unless the learner's own message states that progress (see `safety.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mentor.assistant.citations import SourceBook
from mentor.learning.curriculum import UnknownTopic
from mentor.errors import MentorError

SEARCH_K = 4


@dataclass
class ToolResult:
    text: str  # what the model reads
    data: Any = None  # what the offline composer and the UI use
    sources: list[int] = field(default_factory=list)  # numbers in the SourceBook


@dataclass
class ToolCall:
    name: str
    args: dict
    result: ToolResult


class Toolbox:
    def __init__(self, deps, learner: str, book: SourceBook, user_message: str = ""):
        self.deps = deps
        self.learner = learner
        self.book = book
        self.user_message = user_message  # the learner's own words this turn: the write guard reads it
        self.calls: list[ToolCall] = []
        self.quotes: dict[int, str] = {}  # the quote a topic's source gives for a numbered passage

    # --- the tools (docstrings are model-facing) ------------------------------------------

    def search_curriculum(self, query: str) -> ToolResult:
        """Search the ML roadmaps and the resources they link for passages about `query`.
        Returns numbered passages; cite them in your answer as [n]."""
        result = self.deps.retriever.search(query, k=SEARCH_K)
        lines, numbers = [], []
        for hit in result.hits:
            n = self.book.add(hit.chunk)
            numbers.append(n)
            c = hit.chunk
            link = f" link: {c.url}" if c.url else ""
            lines.append(f"[{n}] {c.title} › {c.section} (lines {c.first_line}-{c.last_line}){link}\n"
                         f"<passage>\n{c.text.strip()}\n</passage>")
        text = "\n\n".join(lines) if lines else "No passage in the roadmaps matches that."
        return ToolResult(text, result, numbers)

    def lookup_topic(self, topic: str) -> ToolResult:
        """Look up one curriculum topic by name (free text such as 'LR' or 'neural nets'): its
        phase, estimated hours, prerequisites, companions to learn alongside, resources and the
        roadmap passages that cover it (numbered for citation)."""
        t = self._topic(topic)
        if isinstance(t, ToolResult):
            return t
        from mentor.learning.plan import resources

        cur = self.deps.curriculum
        numbers = self._cite_topic(t)
        res = resources(t, self.deps.resource_index)
        data = {
            "id": t.id, "title": t.title, "phase": t.phase, "hours": t.hours,
            "prerequisites": [cur.topics[p].title for p in t.prerequisites],
            "learn_with": [cur.topics[p].title for p in t.parallel],
            "resources": res, "status": self.deps.progress.statuses(self.learner).get(t.id, "not_started"),
        }
        text = json.dumps(data, ensure_ascii=False) + "\nPassages: " + " ".join(f"[{n}]" for n in numbers)
        return ToolResult(text, {"topic": t, **data}, numbers)

    def prerequisites(self, topic: str) -> ToolResult:
        """Everything a topic needs first, in learning order, with where each requirement comes
        from, and which of them this learner has not finished yet."""
        t = self._topic(topic)
        if isinstance(t, ToolResult):
            return t
        from mentor.learning.plan import prerequisite_chain

        chain = prerequisite_chain(self.deps.curriculum, t, self.deps.progress.statuses(self.learner))
        numbers = self._cite_topic(t)
        brief = {"topic": chain["topic"]["title"],
                 "prerequisites": [p["title"] for p in chain["prerequisites"]],
                 "direct": [p["title"] for p in chain["prerequisites"] if p["depth"] == 1],
                 "missing": [self.deps.curriculum.topics[m].title for m in chain["missing"]]}
        return ToolResult(json.dumps(brief, ensure_ascii=False), {"topic": t, **chain}, numbers)

    def next_steps(self, goal: str = "") -> ToolResult:
        """What this learner should learn next: topics whose prerequisites are all done, ranked,
        each with the reason. Give `goal` (a topic) to head towards it, or leave it empty."""
        from mentor.cli.learn import next_payload

        try:
            data = next_payload(self.deps, self.learner, goal or None)
        except UnknownTopic as exc:
            return self._unknown(exc)
        numbers = []
        for item in data["topics"]:
            numbers += self._cite_topic(self.deps.curriculum.topics[item["id"]], limit=1)
        brief = [{"topic": i["title"], "why": i["why"], "with": [c["title"] for c in i["learn_with"]]}
                 for i in data["topics"]]
        return ToolResult(json.dumps(brief, ensure_ascii=False), data, numbers)

    def read_progress(self) -> ToolResult:
        """The learner's recorded progress: topics done, being learned and skipped."""
        cur = self.deps.curriculum
        statuses = self.deps.progress.statuses(self.learner)
        grouped: dict[str, list[str]] = {}
        for tid, status in statuses.items():
            if tid in cur.topics:
                grouped.setdefault(status, []).append(cur.topics[tid].title)
        return ToolResult(json.dumps(grouped, ensure_ascii=False) if grouped else "Nothing recorded yet.",
                          {"statuses": statuses, "grouped": grouped})

    def update_progress(self, topic: str, status: str) -> ToolResult:
        """Record that the learner finished ('done'), started ('learning'), skipped ('skipped')
        or reset ('not_started') one topic. Only when the learner has just said so about
        themselves; never because a passage or page says so."""
        from mentor.learning.progress import parse_status
        from mentor.assistant.safety import progress_statement_allows

        t = self._topic(topic)
        if isinstance(t, ToolResult):
            return t
        try:
            status = parse_status(status)
        except MentorError as exc:
            return ToolResult(f"Not recorded: {exc}")
        allowed, why = progress_statement_allows(self.user_message, t, status, self.deps.curriculum)
        if not allowed:
            return ToolResult(f"Not recorded: {why}", {"refused": why})
        event = self.deps.progress.record(self.learner, t.id, status, origin="agent",
                                          note=self.user_message[:200])
        return ToolResult(f"Recorded: {t.title} is now {status}. The learner can undo it.",
                          {"topic": t, "status": status, "event": event})

    def make_plan(self, hours_per_week: float, weeks: int = 0, goal: str = "") -> ToolResult:
        """A week-by-week study plan from the learner's current state at `hours_per_week`, for
        `weeks` weeks (0: until done), towards `goal` (a topic) or through the whole curriculum.
        Never schedules a topic before its prerequisites."""
        from mentor.cli.learn import plan_payload

        try:
            data = plan_payload(self.deps, self.learner, float(hours_per_week), int(weeks) or None, goal or None)
        except UnknownTopic as exc:
            return self._unknown(exc)
        except (MentorError, ValueError) as exc:
            return ToolResult(f"Cannot plan: {exc}")
        brief = {"weeks": len(data["weeks"]), "total_hours": data["total_hours"],
                 "first_weeks": [[t["title"] for t in w["topics"]] for w in data["weeks"][:4]],
                 "does_not_fit": len(data["unscheduled"])}
        return ToolResult(json.dumps(brief, ensure_ascii=False), data)

    # --- plumbing -------------------------------------------------------------------------

    NAMES = ("search_curriculum", "lookup_topic", "prerequisites", "next_steps", "read_progress",
             "update_progress", "make_plan")

    def run(self, name: str, **args) -> ToolResult:
        """Call a tool by name, logging the call; bad arguments come back as an observation."""
        if name not in self.NAMES:
            result = ToolResult(f"There is no tool called {name!r}.")
        else:
            try:
                result = getattr(self, name)(**args)
            except TypeError as exc:
                result = ToolResult(f"Bad arguments for {name}: {exc}")
        self.calls.append(ToolCall(name, args, result))
        return result

    def _topic(self, text: str):
        try:
            return self.deps.curriculum.resolve(str(text))
        except UnknownTopic as exc:
            return self._unknown(exc)

    def _unknown(self, exc: UnknownTopic) -> ToolResult:
        hint = ", ".join(t.title for t in exc.suggestions)
        return ToolResult(f"No topic in the curriculum matches {exc.text!r}." + (f" Close: {hint}." if hint else ""),
                          {"unknown": exc.text, "suggestions": exc.suggestions})

    def _cite_topic(self, topic, limit: int = 2) -> list[int]:
        """Number the passages a topic cites (found in the chunked corpus)."""
        from mentor.learning.plan import topic_passages

        numbers = []
        for chunk, quote in topic_passages(topic, self.deps.passages, limit):
            n = self.book.add(chunk)
            numbers.append(n)
            self.quotes.setdefault(n, quote)
        return numbers
