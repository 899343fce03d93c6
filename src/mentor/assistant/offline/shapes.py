"""Offline answers shaped by the question: a comparison sets both sides next to each other
(the roadmaps' own contrast line first), a question about a disagreement between the roadmaps
shows every side, and "what is X?" says what the roadmaps say of X. Also the helpers every
shaped answer uses: gathering passages through the tools, quoting their lines, the recorded
disagreement about some topics.

Every answer opens with one direct sentence built from the graph or the selected lines, then
quotes the passage lines that support it (`evidence.select`: body lines, not headings). All
passages come from the tools, so the trace is what really ran and every quote is checked.

Not here: yes/no decisions (`decision.py`), answers read from a roadmap's own sections ("which
ones", "how long", "what's in step 1.3": `sections.py`), what comes after a topic or section
(`order.py`), resources (`resources.py`), next steps, prerequisites and plans (`knowledge.py`),
the learner's own progress (`learner.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.evidence import Line, bullets, passage_lines, select, terms
from mentor.assistant.forms import asks_yes_no
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
    """The line of passage `n` that says most about `topic` (by its names)."""
    best = select(passage_lines(n, tb.passage(n)), " ".join([topic.title, *topic.aliases]), 1)
    return best[0] if best else None


def finish(head: str, lines: list[Line], topic=None, lists: bool = False) -> Draft:
    quotes: dict[int, str] = {}
    return Draft("\n".join([head, *quoted(lines, quotes, lists)]), quotes, topic)


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


# --- where the roadmaps disagree -------------------------------------------------------------------


# a question that asks about a disagreement in so many words
DISAGREE = re.compile(
    r"\b(disagree\w*|agree|conflict\w*|contradict\w*|differ\w*|(an)?other (roadmap|plan|one|schedule|curriculum)s?"
    r"|which is (it|right)|which (one )?(do|should) i (follow|pick|choose|listen to)|which one\b"
    r"|who (do|should) i (listen to|follow|believe|trust)|elsewhere|but i read|but don'?t you"
    r"|like the \w+ (plan|roadmap)|one (roadmap|plan|schedule) (says|has|puts))\b",
    re.IGNORECASE,
)


def answer_conflict(intent, message, tb, memory, mode_note) -> Draft | None:
    """The disagreement between the roadmaps the question is about, each side quoted; None when
    none is recorded and the question names two topics (an order question: "transformers before or
    after rnns?"), or asks the order in one roadmap it names."""
    topics = mentioned(message, tb.deps.curriculum)
    result = tb.run("disagreements", topic="")  # all of them: the question's topics and words pick one
    found = (result.data or {}).get("disagreements") or []
    wanted, ids = set(terms(message)), {t.id for t in topics}

    def fit(c: dict) -> int:
        said = c["description"] + " " + " ".join(s["quote"] for s in c["sources"])
        return 3 * len(set(c["topics"]) & ids) + len(wanted & set(terms(said)))

    best = max(found, key=fit, default=None)
    asked = ids - {tid for tid, length in tb.deps.curriculum.mentions(message) if length <= 2}  # not "ML"
    asks = bool(DISAGREE.search(message))  # "which one do I follow?"
    explicit = asks or len(roadmaps_named(tb.deps.documents, message)) >= 2
    if best is not None and not asks and (not set(best["topics"]) & asked if asked else not explicit):
        best = None  # "is dsa needed?" is no maths disagreement; words alone pick none unless one is asked about
    lead = {t.id for t in [t for t in topics if t.id in asked][:2]}  # what the question is about: named first
    if best is not None and lead and not set(best["topics"]) & lead:
        best = None  # "k-means and pca: … with linear regression …" is not the gradient-descent disagreement
    if not asks and len(roadmaps_named(tb.deps.documents, message)) == 1 and EITHER_SIDE.search(message):
        best = None  # "in the libraries roadmap do … come before or after neural nets?": that roadmap's order
    side_by_side = len(roadmaps_named(tb.deps.documents, message)) >= 2 and not asks_yes_no(message)
    if (best is None or fit(best) < 3) and not asks and not side_by_side:
        return None  # no disagreement recorded, none asked about, no two roadmaps set side by side: as asked
    if best is None or fit(best) < 3:
        return _each_says(tb, message, topics)
    quotes: dict[int, str] = {}
    cited = [s for s in best["sources"] if s.get("n")]
    seen: set[str] = set()
    firsts = [s for s in cited if not (s["doc"] in seen or seen.add(s["doc"]))]  # every roadmap's side first
    shown = (firsts + [s for s in cited if s not in firsts])[:SIDES]
    sides = [f'- {s["doc"]}: "{s["quote"]}" [{s["n"]}]' for s in sorted(shown, key=cited.index)]
    for s in shown:
        if s.get("n"):
            quotes.setdefault(s["n"], tb.body_quote(s["n"], s["quote"], best["description"]))
    return Draft("\n".join([f"The roadmaps disagree here. {best['description']}", *sides]), quotes)


def _each_says(tb: Toolbox, message: str, topics: list[Topic]) -> Draft:
    """No disagreement recorded: what each roadmap the question names says of it, in its own words
    and where (searched in that roadmap alone); what the roadmaps say when it names fewer than two."""
    named = roadmaps_named(tb.deps.documents, message)
    head = "I know of no disagreement between the roadmaps there."
    if len(named) < 2:
        return finish(f"{head} What they say:", select(gather(tb, [message]), message, 2))
    asked = without_roadmap_names(tb.deps.documents, message)
    bullets, quotes = [], {}
    for doc in named[:3]:
        own = [s for t in topics[:1] for s in t.sources if s.get("doc") == doc and s.get("quote")]
        n = tb.cite_quote(doc, own[0]["quote"]) if own else None  # the topic's own place in that roadmap
        if n is not None:
            text = tb.body_quote(n, own[0]["quote"], topics[0].title)
        else:
            tb.run("search_curriculum", query=asked, roadmap=doc)
            lines = [ln for i, c in enumerate(tb.book.chunks, 1) if c.doc == doc for ln in passage_lines(i, c)]
            best = select(lines, asked, 1)
            if not best:
                continue
            n, text = best[0].n, best[0].text
        quotes.setdefault(n, text)
        bullets.append(f'- {doc} ({tb.passage(n).section.replace(" › ", " > ")}): "{text}" [{n}]')
    return Draft("\n".join([f"{head} Each in its own words:", *bullets]), quotes)


EITHER_SIDE = re.compile(r"\b(before or after|after or before)\b", re.IGNORECASE)


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


SHAPE_HANDLERS = {
    "conflict": answer_conflict,
}
