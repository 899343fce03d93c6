"""The mentor's tools: plain typed functions over the curriculum, the index and the learner's
progress and profile. Their docstrings are what a model reads; developer notes are comments.
Both answer modes use them: the LLM agent is given exactly the tools in `Toolbox.NAMES`, and the
offline mode calls the same tools through `Toolbox.run`, so every call is recorded as it ran.

A `Toolbox` is bound to one learner and one answer's `SourceBook`: the learner always comes from
the session, never from model-supplied text, and every passage a tool shows is numbered so the
answer can cite it. A model's mistakes (an unknown tool, arguments that do not fit a tool's
signature, an unknown topic, a bad number) come back as an observation saying what went wrong;
an error raised inside a tool is a bug of ours and propagates. No tool writes the learner's
data: `propose_progress`, `propose_undo` and `propose_profile` store a proposal that the learner
confirms (or not) in the front end, and only when the learner's own message this turn states
that change (`statements.py`, `safety.py`); passages, pages and model text cannot create one.

Not here: the use cases themselves (`mentor.learning.actions`), how a message is read
(`router.py`) or how an answer is worded (`offline/`, the model).
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import math
import types
import typing

from mentor.assistant.citations import SourceBook
from mentor.assistant.evidence import Line, is_title, passage_lines, select, terms
from mentor.assistant.lines import line_index
from mentor.assistant.parts import section_passages
from mentor.assistant.proposing import ProposalTools
from mentor.assistant.results import ToolCall, ToolResult
from mentor.corpus.chunks import Chunk
from mentor.corpus.documents import roadmaps_named, without_roadmap_names
from mentor.errors import BadToolCall, MentorError, UnknownTopic, UsageError
from mentor.learning import actions
from mentor.learning.plan import passage_for, resources, topic_passages
from mentor.learning.proposals import Proposal

SEARCH_K = 4
ROADMAP_K = 30  # candidates searched when one roadmap's passages are kept
LINES_K = 5


class Toolbox(ProposalTools):
    # the tools, in the order a model is shown them; both modes may call exactly these
    NAMES = (
        "search_curriculum",
        "find_lines",
        "read_section",
        "lookup_topic",
        "prerequisites",
        "next_steps",
        "disagreements",
        "read_progress",
        "propose_progress",
        "propose_undo",
        "propose_profile",
        "make_plan",
    )

    def __init__(self, deps, learner: str, book: SourceBook, user_message: str = "", context=None):
        self.deps = deps
        self.learner = learner
        self.book = book
        self.user_message = user_message  # the learner's own words this turn: proposals need them
        self.context = context  # the topic the conversation was just about ("I finished it")
        self.calls: list[ToolCall] = []
        self.proposals: list[Proposal] = []  # what this turn proposed, for the learner to confirm
        self.quotes: dict[int, str] = {}  # the quote a topic's source gives for a numbered passage

    # --- the tools (docstrings are model-facing) ------------------------------------------

    def search_curriculum(self, query: str, roadmap: str = "") -> ToolResult:
        """Search the ML roadmaps and the resources they link for passages about `query`;
        `roadmap` (such as 'master curriculum', '6 month plan', or empty: all) keeps one roadmap's.
        Returns numbered passages; cite them in your answer as [n]."""
        docs = roadmaps_named(self.deps.documents, roadmap) if roadmap.strip() else []
        try:
            result = self.deps.retriever.search(query, k=ROADMAP_K if docs else SEARCH_K)
        except UsageError as exc:  # a blank query
            return ToolResult(f"Cannot search: {exc}")
        if docs:  # that roadmap's best passages (all roadmaps' when it has none about the query)
            kept = [h for h in result.hits if h.chunk.doc in docs][:SEARCH_K] or result.hits[:SEARCH_K]
            result = dataclasses.replace(result, hits=kept)
        lines, numbers = [], []
        for hit in result.hits:
            n = self.book.add(hit.chunk)
            numbers.append(n)
            c = hit.chunk
            link = f" link: {c.url}" if c.url else ""
            lines.append(
                f"[{n}] {c.title} › {c.section} (lines {c.first_line}-{c.last_line}){link}\n"
                f"<passage>\n{c.text.strip()}\n</passage>"
            )
        text = "\n\n".join(lines) if lines else "No passage in the roadmaps matches that."
        return ToolResult(text, result, numbers)

    def find_lines(self, query: str) -> ToolResult:
        """The roadmap lines (list items, "Learn:" entries, outline items, sentences) that best
        answer `query`, across every roadmap, each with its passage numbered for citation. Use
        it to quote what the roadmaps say rather than only their headings."""
        if not query.strip():
            return ToolResult("Cannot search: the query is empty.")
        index = line_index(self.deps.retriever.index.chunks)
        found = select(index.candidates(query), query, k=LINES_K)
        lines = [Line(self.book.add(ln.chunk), ln.chunk, ln.text, ln.position, ln.title, ln.context) for ln in found]
        text = "\n".join(f'[{ln.n}] {ln.chunk.title} › {ln.chunk.section}: "{ln.text}"' for ln in lines)
        return ToolResult(text or "No line of the roadmaps matches that.", lines, [ln.n for ln in lines])

    def read_section(self, section: str, roadmap: str = "") -> ToolResult:
        """The passages of one section of a roadmap, in order: `section` such as 'Phase 0',
        'Step 1.3', 'weeks 1-4', '17' or a section's name ('the craft'); `roadmap` such as
        'learning algorithm', 'master curriculum', '6 month plan' (or empty: any roadmap)."""
        docs = roadmaps_named(self.deps.documents, f"{roadmap} {section}")
        asked = without_roadmap_names(self.deps.documents, section)
        found = section_passages(self.deps.passages, asked, docs, self.deps.retriever.rewriter.glossary)
        if not found:
            return ToolResult(f"No section {section!r} in " + (", ".join(docs) if docs else "the roadmaps") + ".")
        numbers = [self.book.add(c) for c in found]
        text = "\n\n".join(
            f"[{n}] {c.title} › {c.section}\n<passage>\n{c.text.strip()}\n</passage>" for n, c in zip(numbers, found)
        )
        return ToolResult(text, found, numbers)

    def lookup_topic(self, topic: str) -> ToolResult:
        """Look up one curriculum topic by name (free text such as 'LR' or 'neural nets'): its
        phase, estimated hours, prerequisites, companions to learn alongside, what it unlocks
        (the topics that build on it), resources and the roadmap passages that cover it
        (numbered for citation)."""
        t = self._topic(topic)
        if isinstance(t, ToolResult):
            return t
        cur = self.deps.curriculum
        numbers = self.cite_topic(t)
        data = {
            "id": t.id,
            "title": t.title,
            "phase": t.phase,
            "hours": t.hours,
            "prerequisites": [cur.topics[p].title for p in t.prerequisites],
            "learn_with": [cur.topics[p].title for p in t.parallel],
            "unlocks": [cur.topics[s].title for s in sorted(cur.successors(t.id), key=cur.sort_key)],
            "resources": resources(t, self.deps.resource_index),
            "status": self.deps.progress.statuses(self.learner).get(t.id, "not_started"),
        }
        text = json.dumps(data, ensure_ascii=False) + "\nPassages: " + " ".join(f"[{n}]" for n in numbers)
        return ToolResult(text, {"topic": t, **data}, numbers)

    def prerequisites(self, topic: str) -> ToolResult:
        """Everything a topic needs first, in learning order, with where each requirement comes
        from, and which of them this learner has not finished yet."""
        t = self._topic(topic)
        if isinstance(t, ToolResult):
            return t
        chain = actions.prerequisites_for(self.deps, t.id, self.learner).to_dict()
        numbers = self.cite_topic(t)
        brief = {
            "topic": chain["topic"]["title"],
            "prerequisites": [p["title"] for p in chain["prerequisites"]],
            "direct": [p["title"] for p in chain["prerequisites"] if p["depth"] == 1],
            "missing": [self.deps.curriculum.topics[m].title for m in chain["missing"]],
        }
        return ToolResult(json.dumps(brief, ensure_ascii=False), {"topic": t, **chain}, numbers)

    def next_steps(
        self, goal: str = "", assuming_done: list[str] | None = None, not_done: list[str] | None = None
    ) -> ToolResult:
        """What this learner should learn next: topics whose prerequisites are all done, ranked,
        each with the reason. Give `goal` (a topic) to head towards it, or leave it empty. Give
        `assuming_done` (topics, such as the ones just suggested) to ask what opens up once
        those are finished too ("and after that?"), and `not_done` (topics the learner says they
        have never done) so that what `assuming_done` implies does not count them."""
        if assuming_done or not_done:  # not_done alone changes nothing, but is checked like the rest
            return self._next_after(goal, assuming_done or [], not_done or [])
        try:
            data = actions.next_steps_for(self.deps, self.learner, goal or None).to_dict()
        except UnknownTopic as exc:
            return self._unknown(exc)
        return self._next_result(data)

    def disagreements(self, topic: str = "") -> ToolResult:
        """Where the roadmaps disagree with each other (about `topic`, or everywhere when it is
        empty): what each side says, in the roadmaps' own words, numbered for citation, and how
        the curriculum reconciles them."""
        found = self.deps.curriculum.conflicts
        if topic.strip():
            t = self._topic(topic)
            if isinstance(t, ToolResult):
                return t
            found = [c for c in found if t.id in c["topics"]]
        out = []
        for conflict in found:
            sources = [{**s, "n": self.cite_quote(s.get("doc"), s.get("quote"))} for s in conflict["sources"]]
            description = " ".join(conflict["description"].split())
            out.append({"topics": conflict["topics"], "description": description, "sources": sources})
        brief = [
            {
                "about": c["topics"],
                "reconciled": c["description"],
                "sides": [f"[{s['n']}] {s['doc']}" for s in c["sources"]],
            }
            for c in out
        ]
        text = json.dumps(brief, ensure_ascii=False) if out else "The roadmaps do not disagree about that."
        return ToolResult(text, {"disagreements": out}, [s["n"] for c in out for s in c["sources"] if s["n"]])

    def read_progress(self) -> ToolResult:
        """The learner's recorded progress (topics done, being learned and skipped) and profile
        (goal, hours a week, background), when they have saved one."""
        cur = self.deps.curriculum
        statuses = self.deps.progress.statuses(self.learner)
        profile = self.deps.progress.profile(self.learner)
        grouped: dict[str, list[str]] = {}
        for tid, status in statuses.items():
            if tid in cur.topics:
                grouped.setdefault(status, []).append(cur.topics[tid].title)
        text = json.dumps(grouped, ensure_ascii=False) if grouped else "Nothing recorded yet."
        if profile:
            text += "\nProfile: " + json.dumps(profile, ensure_ascii=False)
        return ToolResult(text, {"statuses": statuses, "grouped": grouped, "profile": profile})

    def make_plan(self, hours_per_week: float, weeks: int = 0, goal: str = "") -> ToolResult:
        """A week-by-week study plan from the learner's current state at `hours_per_week`, for
        `weeks` weeks (0: until done), towards `goal` (a topic) or through the whole curriculum.
        Never schedules a topic before its prerequisites."""
        try:
            plan = actions.study_plan_for(
                self.deps, self.learner, float(hours_per_week), int(weeks) or None, goal or None
            )
        except UnknownTopic as exc:
            return self._unknown(exc)
        except MentorError as exc:  # hours out of range
            return ToolResult(f"Cannot plan: {exc}")
        brief = {
            "weeks": len(plan.weeks),
            "total_hours": plan.total_hours,
            "first_weeks": [[t.title for t in w.topics] for w in plan.weeks[:4]],
            "does_not_fit": len(plan.unscheduled),
        }
        return ToolResult(json.dumps(brief, ensure_ascii=False), plan)

    # --- calling a tool -------------------------------------------------------------------

    def run(self, name: str, /, **args) -> ToolResult:
        """Call a tool by name and record the call. A call that does not fit the tool comes back
        as an observation; whatever the tool itself raises propagates. (`name` is positional
        only, so a model's argument called "name" is checked like any other.)"""
        try:
            checked = self._checked(name, args)
        except BadToolCall as exc:
            result = ToolResult(str(exc))
        else:
            result = getattr(self, name)(**checked)
        self.calls.append(ToolCall(name, args, result))
        return result

    def _checked(self, name: str, args: dict) -> dict:
        """The model's arguments bound to the tool's signature and converted to its annotated
        types; a null stands for an argument left out."""
        if name not in self.NAMES:
            raise BadToolCall(f"There is no tool called {name!r}. The tools are: {', '.join(self.NAMES)}.")
        method = getattr(self, name)
        signature = inspect.signature(method)
        given = {k: v for k, v in args.items() if not (v is None and k in signature.parameters)}
        try:
            bound = signature.bind(**given)
        except TypeError as exc:  # raised by bind() for the model's arguments, before any tool runs
            raise BadToolCall(f"Bad arguments for {name}: {exc}") from None
        hints = typing.get_type_hints(method)
        return {arg: _as_type(name, arg, value, hints[arg]) for arg, value in bound.arguments.items()}

    # --- citing passages (for the offline composer; not tools) -----------------------------

    def cite_topic(self, topic, limit: int = 2) -> list[int]:
        """Number the passages a topic cites (found in the chunked corpus)."""
        numbers = []
        for chunk, quote in topic_passages(topic, self.deps.passages, limit):
            n = self.book.add(chunk)
            numbers.append(n)
            self.quotes.setdefault(n, self.body_quote(n, quote, " ".join([topic.title, *topic.aliases])))
        return numbers

    def body_quote(self, n: int, quote: str, about: str, *rather: str) -> str:
        """The quote to show for passage `n`: `quote` itself, unless it is only the passage's
        heading, then the body line that says most about `about` (the answer is in the body); with
        `rather`, the first of them a body line shares words with comes before `about` (a topic asked
        about before the whole disagreement: "SQL	Querying real-world datasets", not the table's header)."""
        chunk = self.book.get(n)
        if chunk is None or not is_title(quote, chunk):
            return quote
        lines = passage_lines(n, chunk)
        for first in rather:
            found = select([ln for ln in lines if set(terms(first)) & set(terms(ln.text))], first, 1)
            if found:
                return found[0].text
        body = select(lines, about, 1) or [ln for ln in lines if not ln.title][:1]
        return body[0].text if body else quote

    def cite_quote(self, doc: str | None, quote: str | None) -> int | None:
        """Number the roadmap passage of `doc` that holds `quote` verbatim, if there is one."""
        chunk = passage_for(doc, quote, self.deps.passages)
        return self.book.add(chunk) if chunk is not None else None

    def cite_resource(self, url: str) -> int | None:
        """Number the indexed description of a linked resource, if the index has one."""
        for chunk in self.deps.retriever.index.chunks:
            if chunk.kind == "resource" and chunk.url == url:
                return self.book.add(chunk)
        return None

    def passage(self, n: int) -> Chunk | None:
        """The passage numbered `n` in this answer, if any."""
        return self.book.get(n)

    # --- plumbing -------------------------------------------------------------------------

    def _next_after(self, goal: str, assuming_done: list[str], not_done: list[str]) -> ToolResult:
        topics = [self._topic(t) for t in assuming_done]
        lacking = [self._topic(t) for t in not_done]
        for t in topics + lacking:
            if isinstance(t, ToolResult):
                return t
        try:
            ids = [t.id for t in topics]
            found = actions.next_steps_for(self.deps, self.learner, goal or None, ids, [t.id for t in lacking])
        except UnknownTopic as exc:
            return self._unknown(exc)
        return self._next_result(found.to_dict())

    def _next_result(self, data: dict) -> ToolResult:
        numbers = []
        for item in data["topics"]:
            numbers += self.cite_topic(self.deps.curriculum.topics[item["id"]], limit=1)
        brief = [
            {"topic": i["title"], "why": i["why"], "with": [c["title"] for c in i["learn_with"]]}
            for i in data["topics"]
        ]
        if len(data.get("route") or []) > 2:  # a far goal: the way there too, in the roadmaps' order
            way = {"next": brief, "way_to_goal": [t["title"] for t in data["route"]]}
            return ToolResult(json.dumps(way, ensure_ascii=False), data, numbers)
        return ToolResult(json.dumps(brief, ensure_ascii=False), data, numbers)

    def _topic(self, text: str):
        try:
            return self.deps.curriculum.resolve(str(text))
        except UnknownTopic as exc:
            return self._unknown(exc)

    def _unknown(self, exc: UnknownTopic) -> ToolResult:
        hint = ", ".join(t.title for t in exc.suggestions)
        return ToolResult(
            f"No topic in the curriculum matches {exc.text!r}." + (f" Close: {hint}." if hint else ""),
            {"unknown": exc.text, "suggestions": exc.suggestions},
        )


# --- checking a model's arguments -------------------------------------------------------------


def _as_type(tool: str, arg: str, value, kind):
    """`value` as the annotated type of a tool argument; BadToolCall when it is not one. Models
    often quote numbers, so numeric text counts as a number."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):  # "X | None": a null was left out already
        kind = next(k for k in typing.get_args(kind) if k is not type(None))
    if kind is str and isinstance(value, str):
        return value
    if kind in (int, float) and not isinstance(value, bool):
        number = _number(value)
        if number is not None and (kind is float or number == int(number)):
            return kind(number)
    if typing.get_origin(kind) is list and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise BadToolCall(f"Bad arguments for {tool}: {arg} must be {_type_name(kind)}, not {value!r}"[:300])


def _number(value) -> float | None:
    try:
        number = float(value) if isinstance(value, (int, float, str)) else None
    except ValueError:  # text that is not a number
        return None
    return number if number is not None and math.isfinite(number) else None


def _type_name(kind) -> str:
    names = {str: "text", int: "a whole number", float: "a number"}
    return names.get(kind) or ("a list of texts" if typing.get_origin(kind) is list else str(kind))
