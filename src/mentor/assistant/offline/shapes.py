"""Offline answers shaped by the question: "what is X?" says what the roadmaps say of X. Mostly
the helpers every shaped answer uses: gathering passages through the tools, quoting their lines,
the recorded disagreement about some topics.

Every answer opens with one direct sentence built from the graph or the selected lines, then
quotes the passage lines that support it (`evidence.select`: body lines, not headings). All
passages come from the tools, so the trace is what really ran and every quote is checked.

Not here: comparisons (`compare.py`), disagreements (`conflicts.py`), yes/no decisions
(`decision.py`), answers read from a roadmap's own sections ("which ones", "how long", "what's in
step 1.3": `sections.py`), what comes after a topic or section (`order.py`), resources
(`resources.py`), next steps, prerequisites and plans (`knowledge.py`), the learner's own progress
(`learner.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.evidence import Line, bullets, passage_lines, select, terms
from mentor.assistant.offline.draft import Draft, short_title
from mentor.assistant.tools import Toolbox
from mentor.corpus.documents import roadmaps_named, without_roadmap_names
from mentor.learning.curriculum import Topic

MAX_QUOTES = 3
SIDES = 4  # quotes shown for a disagreement
NEGATIVE = re.compile(
    r"\b(optional|not required|nice[- ]to[- ]have|not beginner|not needed|pick (one|pytorch or)|either"
    r"|choos(e|ing) one|one or two|advanced|not a prerequisite|not prerequisite|additional skills)\b",
    re.IGNORECASE,
)
# what a heading says of everything under it ("Nice-to-Have (Advanced/Helpful but Not Required to Start)");
# not "advanced": "PHASE 6 — MLOPS (ADVANCED ENGINEER LEVEL)" is a step of the path
PLACE_NEGATIVE = re.compile(r"\b(optional|not required|nice[- ]to[- ]have|additional skills)\b", re.IGNORECASE)


# --- gathering and quoting ----------------------------------------------------------------------


def gather(tb: Toolbox, queries: list[str], topics: list[Topic] = ()) -> list[Line]:
    """Ask the tools for passages (a search per query, a lookup per topic) and return the lines
    of every passage this answer has been shown."""
    for i, query in enumerate(queries):
        if query.strip():
            tb.run("search_curriculum", query=query)
            if i == 0:
                tb.run("find_lines", query=query)
    for topic in topics:
        tb.run("lookup_topic", topic=topic.id)
    return [line for n, chunk in enumerate(tb.book.chunks, 1) for line in passage_lines(n, chunk)]


def quoted(lines: list[Line], quotes: dict[int, str], lists: bool = False) -> list[str]:
    """The lines as quoted bullets with their source numbers (with `lists`, a short list's item with
    its list); notes each passage's quote."""
    return bullets(lines, quotes, lists)


def mentioned(message: str, cur) -> list[Topic]:
    """The topics a message names, in the order it names them."""
    spans = cur.mention_spans(" ".join(message.split()))
    return [cur.topics[t] for t in dict.fromkeys(tid for _, _, tid in spans)]


def roadmap_name(tb: Toolbox, doc_id: str) -> str:
    return next((d.title for d in tb.deps.documents if d.id == doc_id), doc_id)


def topic_line(tb: Toolbox, n: int, topic: Topic) -> Line | None:
    """The line of passage `n` that says most about `topic` (by its names), of those that name it when some do
    ("- Git" for Git, not "Linux basics" beside it)."""
    lines = passage_lines(n, tb.passage(n))
    cur = tb.deps.curriculum
    naming = [ln for ln in lines if topic.id in {t for _, _, t in cur.mention_spans(" ".join(ln.text.split()))}]
    names = " ".join([topic.title, *topic.aliases])
    best = select(naming, names, 1) or select(lines, names, 1)
    return best[0] if best else None


def finish(head: str, lines: list[Line], topic=None, lists: bool = False) -> Draft:
    quotes: dict[int, str] = {}
    return Draft("\n".join([head, *quoted(lines, quotes, lists)]), quotes, topic)


TOPPED_UP = 4  # quotes an answer that quotes some is topped up to
QUOTED_LINE = re.compile(r'^- [^\n]*"[^"\n]+"[^\n]*\[\d+\]$')  # a bullet quoting a line, not a topic's bullet
URL = re.compile(r"https?://\S+")


def topped_up(draft: Draft, tb: Toolbox, message: str) -> Draft:
    """A draft that ends with fewer than `TOPPED_UP` quoted lines, with the lines that best answer the
    message (`select`) from the passages it was shown that it does not quote yet, of the one roadmap the
    message names when it names one. A draft that quotes nothing (a "no" with nothing to show, a count) or
    says more after its quotes (a proposal to confirm, advice) is as it was."""
    lines = draft.text.split("\n")
    shown = sum(bool(QUOTED_LINE.match(line)) for line in lines)
    if not shown or shown >= TOPPED_UP or not QUOTED_LINE.match(lines[-1]) or "\n\n" in draft.text:
        return draft
    named = roadmaps_named(tb.deps.documents, message)
    asked = without_roadmap_names(tb.deps.documents, message)  # "the llm roadmap" asks nothing about llms
    wanted, cited = set(terms(asked)) - ASKING, {int(n) for n in re.findall(r"\[(\d+)\]", draft.text)}
    pool = [
        line
        for n, chunk in enumerate(tb.book.chunks, 1)
        if not named or chunk.doc in named
        for line in passage_lines(n, chunk)
        # a line of a passage already quoted sharing a word of the question; of another, two: not "(Definition,
        # History, Types of Problems)" for "which types of learning are there?"; no lead-in ("Here are some
        # course links for SQL.", "… loop:") and no link the answer already gives
        if line.text not in draft.text
        and len(wanted & set(terms(line.text))) >= (1 if n in cited else 2)
        and not line.text.rstrip().endswith(":")
        and not LEAD_IN.search(line.text)
        and not WARNED.search(line.context)  # "DO NOT DO:" over "Theory completely → then implementation"
        and not any(url in draft.text for url in URL.findall(line.text))
    ]
    more = select(pool, message, TOPPED_UP - shown)
    if not more:
        return draft
    quotes = dict(draft.quotes)
    return Draft("\n".join([draft.text, *bullets(more, quotes)]), quotes, draft.topic, draft.suggested)


LEAD_IN = re.compile(r"\b(here are|as follows|below|following)\b", re.IGNORECASE)
WARNED = re.compile(r"\b(do not|don'?t|avoid|wrong|mistakes?)\b[^:]*:\s*$", re.IGNORECASE)  # a label warning off


# --- shared by the shapes -------------------------------------------------------------------


def disagreement(tb: Toolbox, topics: list[Topic]) -> str:
    """' The roadmaps disagree here: …', the first sentence of the recorded disagreement about all
    of `topics` (empty when the roadmaps agree)."""
    if not topics:
        return ""
    found = (tb.run("disagreements", topic=topics[0].id).data or {}).get("disagreements") or []
    about = next((c for c in found if {t.id for t in topics} <= set(c["topics"])), None)
    if about is None:
        return ""
    first = re.split(r"(?<=\.)\s", about["description"], maxsplit=1)[0]
    return f" The roadmaps disagree here: {first}"


def short(topic: Topic) -> str:
    """A topic's title without its parenthesised details: 'Machine learning fundamentals'."""
    return short_title(topic.title)


def backbone_first(cur, docs) -> list[str]:
    """Roadmap ids, the dependency-correct roadmap's first, then by id."""
    return sorted(set(docs), key=lambda d: (d != cur.backbone_doc, d))


def step_label(cur, topic: Topic) -> str:
    """' (Step 4.1)': where the dependency-correct roadmap puts a topic on its path, if it does."""
    step = cur.step(topic.id)
    return f" (Step {step.name})" if step is not None and step.track == "path" and step.name[:1].isdigit() else ""


# --- which ones ---------------------------------------------------------------------------------


ASKING = frozenset(
    terms(
        "which what type types kind kinds method methods technique techniques learn need curriculum "
        "roadmap roadmaps list there should besides numbers report problems steps"
    )
)


def heading_fit(text: str, wanted: set[str]) -> float:
    """How well a heading names what is wanted: shared words, less for words it has besides."""
    heading = set(terms(plain(text))) - ASKING
    return len(wanted & heading) / (1 + 0.1 * len(heading - wanted))


def plain(text: str) -> str:
    """An outline entry without its number: '7.1.1. K-Means Clustering' -> 'K-Means Clustering'."""
    return re.sub(r"^\W*\d+(\.\d+)*\.?\s*", "", text).strip().rstrip(".:")


def booked(tb: Toolbox, line: Line) -> Line:
    """A line of the line index, numbered in this answer's sources (its passage read through the tools)."""
    tb.run("read_section", section=line.chunk.heading.strip() or line.chunk.section, roadmap=line.chunk.doc)
    return Line(tb.book.add(line.chunk), line.chunk, line.text, line.position, line.title, line.context)


def looked_up(tb: Toolbox, found, lines: list[Line]) -> list[Line]:
    """The lines an anchor found, with the lookup as the trace shows it: its words searched, then the
    passages they stand in read."""
    tb.run("search_curriculum", query=found.phrase)
    return [booked(tb, line) for line in lines]


# --- how long -------------------------------------------------------------------------------------


# --- explaining a concept offline -------------------------------------------------------------------


def answer_explain(intent, message, tb, memory, mode_note, topic: Topic | None) -> Draft | None:
    """What the roadmaps say about a concept: honest that they list it rather than explain it,
    where it sits, and the lines that mention it."""
    lines = gather(tb, [message], [topic] if topic else [])
    own = defining(lines, topic) if topic is not None else []
    names = " ".join([topic.title, *topic.aliases]) if topic is not None else ""
    chosen = select(own, f"{message} {names}", 2)
    chosen += [ln for ln in select(lines, message, MAX_QUOTES) if ln not in chosen][: MAX_QUOTES - len(chosen)]
    if not chosen:
        return None
    if topic is not None:
        info = next((c.result.data for c in reversed(tb.calls) if c.name == "lookup_topic"), None) or {}
        pre = f"; it builds on {', '.join(info.get('prerequisites', [])[:3])}" if info.get("prerequisites") else ""
        where = f"The roadmaps list {short(topic)} (in {topic.phase.replace('-', ' ')}{pre}) rather than explain it"
        step = step_quote(tb.deps.curriculum, topic)  # "at what point do I learn it?"
        where += f'; {tb.deps.curriculum.backbone_doc} has it at "{step}"' if step else ""
        differ = disagreement(tb, [topic])
        head = f"{where}.{differ} What they say:" if differ else f"{where}; here is what they say:"
        memory.last_topic = topic
    else:
        head = "The roadmaps mention it without explaining it; here is what they say:"
    return finish(head, chosen, topic)


def step_quote(cur, topic: Topic) -> str | None:
    """The dependency-correct roadmap's own step for a topic ("Step 0.1 [I]: Learn Python fundamentals
    first."), when the topic has one on its numbered path."""
    step = cur.step(topic.id)
    return step.quote.strip().rstrip(":") if step is not None and step.name[:1].isdigit() else None


def step_tag(cur, topic: Topic) -> str:
    """' (learning-algorithm: "Step 0.1 [I]: Learn Python fundamentals first.")', or nothing."""
    quote = step_quote(cur, topic)
    return f' ({cur.backbone_doc}: "{quote}")' if quote else ""


def defining(lines: list[Line], topic: Topic) -> list[Line]:
    """The lines where the roadmaps place a topic (the quotes the curriculum cites for it) and the
    line right under each, which is where a roadmap says what the item is ("- RAG Engineering"
    then "Embedding, chunking, retrieval, re-ranking, and grounded generation.")."""
    quotes = [s.get("quote") or "" for s in topic.sources]
    found: list[Line] = []
    for i, line in enumerate(lines):
        if any(q and (q in line.text or (len(line.text) > 8 and line.text in q)) for q in quotes):
            below = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].chunk is line.chunk else None
            found += [x for x in (line, below) if x is not None and not x.title and x not in found]
    return found
