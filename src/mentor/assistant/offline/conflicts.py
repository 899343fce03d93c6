"""Offline answers about where the roadmaps disagree: the recorded disagreement a question is about,
each side quoted, and the section each roadmap has the topic in; with none recorded, what each
roadmap the question names says of it, in its own words.

Not here: the disagreement one-liner other answers append (`shapes.disagreement`), an order asked
about one roadmap ("… before or after neural nets in the libraries roadmap?": `order.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.citations import content_words
from mentor.assistant.evidence import numbered, passage_lines, select, terms
from mentor.assistant.forms import EITHER_SIDE, asks_yes_no, question_sentences
from mentor.assistant.lines import unseen
from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.knowledge import out_of_scope
from mentor.assistant.offline.placing import places
from mentor.assistant.offline.shapes import SIDES, finish, gather, mentioned, short
from mentor.assistant.tools import Toolbox
from mentor.corpus.documents import roadmap_clauses, roadmaps_named, without_roadmap_names
from mentor.learning.curriculum import Topic

# a question that asks about a disagreement in so many words
DISAGREE = re.compile(
    r"\b(disagree\w*|agree|conflict\w*|contradict\w*|differ\w*|(an)?other (roadmap|plan|one|schedule|curriculum)s?"
    r"|which is (it|right)|which (one )?(do|should) i (follow|pick|choose|listen to)|which one\b"
    r"|who (do|should) i (listen to|follow|believe|trust)|who'?s right|who is right|elsewhere|but i read|but don'?t you"
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
    # the words asked about, not the roadmaps' names ("the libraries+math doc … the master curriculum" is no maths
    # disagreement for its "math" and "master")
    wanted, ids = set(terms(without_roadmap_names(tb.deps.documents, message))), {t.id for t in topics}

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
    if asks and not topics and found and _verdict(message) and not content_words(message) - GENERAL:
        return _overall(tb, message, found)  # "do the roadmaps agree with each other?"
    # "do the roadmaps disagree about when to learn maths?" names no topic ("maths" is a phase): its words pick
    by_words = asks and not topics and best is not None and fit(best) >= 1
    if (best is None or fit(best) < 3) and not by_words:
        whether = asks_yes_no((question_sentences(message) or [message])[-1]) and not WHETHER_AGREE.search(message)
        # "… other roadmaps go on to transformers. do i have to add transformers?": a yes or no, none recorded
        return None if whether else _each_says(tb, message, topics)
    quotes: dict[int, str] = {}
    cited = [s for s in best["sources"] if s.get("n")]
    seen: set[str] = set()
    firsts = [s for s in cited if not (s["doc"] in seen or seen.add(s["doc"]))]  # every roadmap's side first
    named = roadmaps_named(tb.deps.documents, message)
    firsts.sort(key=lambda s: s["doc"] not in named)  # the roadmaps the question names first
    # a roadmap the question names that the record leaves out ("the master curriculum puts docker in mlops"): its side
    clauses = roadmap_clauses(tb.deps.documents, message)
    extra = [(doc, side) for doc in named if doc not in seen and (side := _side_of(tb, doc, message, topics, clauses))]
    extra = extra[: SIDES - 2]  # the record's own sides first: two of them at least, four sides in all at most
    shown = (firsts + [s for s in cited if s not in firsts])[: SIDES - len(extra)]
    # each side in its roadmap's words: the line the record cites, or, when that is only its passage's heading, the
    # body line under it, the heading saying where ('- six-month-weekly (Week 23, 24: ML Ops): "You need to …"')
    asked_about = [tid for tid in best["topics"] if tid in ids]  # the topics disputed that are asked about, then
    abouts = [" ".join(name for tid in group for name in _names(tb, tid)) for group in (asked_about, best["topics"])]
    said_by = {id(s): tb.body_quote(s["n"], s["quote"], best["description"], *abouts) for s in shown}  # then why
    where_by = {id(s): f" ({s['quote'].strip().rstrip(':')})" if said_by[id(s)] != s["quote"] else "" for s in shown}
    sides = [f'- {s["doc"]}{where_by[id(s)]}: "{said_by[id(s)]}" [{s["n"]}]' for s in sorted(shown, key=cited.index)]
    for s in shown:
        quotes.setdefault(s["n"], said_by[id(s)])
    sides += [_side_line(tb, doc, found, quotes) for doc, found in extra]
    about = next((t for t in topics if t.id in lead and t.id in best["topics"]), None)
    where = places(tb, about, [s["doc"] for s in best["sources"]]) if about is not None else ""
    verdict = _verdict(message)
    said = f"{verdict}the roadmaps disagree here." if verdict else "The roadmaps disagree here."
    return Draft("\n".join([f"{said} {best['description']}{where}", *sides]), quotes)


def _names(tb: Toolbox, topic_id: str) -> list[str]:
    topic = tb.deps.curriculum.topics.get(topic_id)
    return [topic.title, *topic.aliases] if topic is not None else []


AGREE = re.compile(r"\bagree\b", re.IGNORECASE)
# a question whether the roadmaps agree at all, in these words only
GENERAL = frozenset(
    "do does did roadmaps roadmap plans agree disagree differ contradict each other all they these really mostly "
    "generally overall much".split()
)
# a yes/no question about agreement itself ("do all the roadmaps agree that …?"), not "X or Y? they seem to differ"
WHETHER_AGREE = re.compile(
    r"(?:^|[.?!])\s*(?:(?:so|ok|okay|well|and|but|also)\W+)?(?:do|does|did|are|is)\b(?![^?.!]{0,60}?\bor (dis)?agree)"
    r"[^?.!]{0,60}?\b(agree|disagree|differ|contradict|conflict)",
    re.IGNORECASE,
)


def _verdict(message: str) -> str:
    """'No, ' to "do the roadmaps agree …?", 'Yes, ' to "do they disagree …?" (a yes/no question about
    a disagreement recorded); nothing to a question that asks what to do about one."""
    if not WHETHER_AGREE.search(message) or re.search(r"\b(matter|you agree)\b", message, re.IGNORECASE):
        return ""  # "does it matter that they disagree?", "do you agree with …?": not whether they agree
    return "No, " if AGREE.search(message) and not re.search(r"\bdisagree", message, re.IGNORECASE) else "Yes, "


def _overall(tb: Toolbox, message: str, found: list[dict]) -> Draft:
    """Whether the roadmaps agree, asked of nothing in particular: where they disagree, by the topics."""
    cur = tb.deps.curriculum
    about = [" and ".join(short(cur.topics[t]) for t in c["topics"][:2] if t in cur.topics) for c in found]
    return Draft(
        f"{_verdict(message)}the roadmaps disagree in {len(found)} places I know of: {'; '.join(about)}. "
        "Ask about one of them to see each roadmap's side."
    )


def _each_says(tb: Toolbox, message: str, topics: list[Topic]) -> Draft:
    """No disagreement recorded: what each roadmap the question names says of it, in its own words
    and where (searched in that roadmap alone); what the roadmaps say when it names fewer than two."""
    named = roadmaps_named(tb.deps.documents, message)
    head = "I know of no disagreement between the roadmaps there."  # no yes or no: none recorded is no proof
    if len(named) < 2 and topics:  # "is sql a core step or optional? …": where each roadmap has it
        named = list(dict.fromkeys(s["doc"] for s in topics[0].sources if s.get("doc") and s.get("quote")))
        named = named if len(named) >= 2 else []
    if len(named) < 2:
        rest = sorted(content_words(message) - GENERAL)  # what it asks about besides agreeing
        if not topics and rest and len(unseen(rest, tb.deps.retriever.index.chunks)) == len(rest):
            return Draft(f"{head} {out_of_scope(message, tb).text}")  # "do the roadmaps disagree about cooking?"
        said = select(gather(tb, [message]), message, 2)
        return finish(f"{head} What they say:" if said else head, said)
    quotes, clauses = {}, roadmap_clauses(tb.deps.documents, message)
    found = [(doc, side) for doc in named[:SIDES] if (side := _side_of(tb, doc, message, topics, clauses))]
    bullets = [_side_line(tb, doc, side, quotes) for doc, side in found]
    return Draft("\n".join([f"{head} Each in its own words:", *bullets]), quotes)


def _side_line(tb: Toolbox, doc: str, side: tuple[int, str], quotes: dict[int, str]) -> str:
    """One roadmap's side as a bullet, where it stands in that roadmap; its quote noted in `quotes`."""
    n, text = side
    quotes.setdefault(n, text)
    return f'- {doc} ({tb.passage(n).section.replace(" › ", " > ")}): "{text}" [{n}]'


def _side_of(
    tb: Toolbox, doc: str, message: str, topics: list[Topic], clauses: dict[str, str]
) -> tuple[int, str] | None:
    """(passage number, line) for what roadmap `doc` says of what is asked: the topic's own place there, the line
    of it about what is asked; or, where the question says what that roadmap says and the topic's place there says
    none of it ("the llm roadmap waits until the llm phase for attention", transformers in its phase 3), the line
    most about that, of the topic's places there and what a search of that roadmap finds."""
    asked = without_roadmap_names(tb.deps.documents, message)
    own = [s for t in topics[:1] for s in t.sources if s.get("doc") == doc and s.get("quote")]
    side = clauses.get(doc, "")  # what the question says of that roadmap (`roadmap_clauses`)
    says = set(terms(side)) - PLACE_WORDS - SAYING  # "… in phase 0": every roadmap's headings say "phase"
    places = [n for s in own if (n := tb.cite_quote(doc, s["quote"])) is not None]
    where = {w for n in places for w in terms(f"{tb.passage(n).section} {tb.passage(n).text}")}  # and where it stands
    found = (
        _searched(tb, doc, f"{side} {topics[0].title if topics else ''}", says)
        if len(says) >= 2 and not says & where
        else None
    )
    if found is not None:
        return found
    words = set(terms(asked))  # of the topic's places there, the one about what is asked ("confusion matrices")
    own.sort(key=lambda s: -len(words & set(terms(s["quote"]))))
    n = tb.cite_quote(doc, own[0]["quote"]) if own else None
    if n is not None:
        return n, tb.body_quote(n, own[0]["quote"], topics[0].title)
    return _searched(tb, doc, asked)


PLACE_WORDS = frozenset(terms("phase phases step steps week weeks level section part stage start end first last"))
# what a question says a roadmap does, not what it says of the topic: "the llm roadmap says …", "… which is right"
SAYING = frozenset(
    terms("say says said put puts has have want wants list lists treat treats make makes do does which right but just")
)


def _searched(tb: Toolbox, doc: str, query: str, says: set[str] = frozenset()) -> tuple[int, str] | None:
    """(passage number, line) of the line of roadmap `doc` that best answers `query`, searched in it alone; of the
    best few, the one that, with what it stands under, says most of `says` ("attention … in the llm phase":
    "LLM Basics: Attention intuition, …", not a line on transformers its neighbours share)."""
    tb.run("search_curriculum", query=query, roadmap=doc)
    lines = [ln for i, c in enumerate(tb.book.chunks, 1) if c.doc == doc for ln in passage_lines(i, c)]
    found = select(lines, query, 3 if says else 1)
    best = max(found, key=lambda ln: len(says & set(terms(f"{ln.text} {ln.context}"))), default=None)
    if best is None or says and not says & set(terms(f"{best.text} {best.context}")):
        return None  # a line that says none of it is no side of that roadmap
    return best.n, numbered(best)


CONFLICT_HANDLERS = {
    "conflict": answer_conflict,
}
