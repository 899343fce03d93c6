"""'Does the six month plan cover transformers?', 'is docker covered in the learning algorithm?',
'is there anything about recommender systems?': whether the roadmaps have a topic, answered yes or
no first, with the section each roadmap has it in and its own line there. A roadmap named that
lacks it is said to, with the ones that have it.

Not here: whether a topic is needed or must come first (`decision.py`), what a section holds
(`sections.py`), where the roadmaps disagree (`conflicts.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.anchor import TOKEN
from mentor.assistant.citations import content_words
from mentor.assistant.evidence import heads, passage_lines, select, terms
from mentor.assistant.forms import COVER_WORDS, COVERS, covered_object
from mentor.assistant.lines import unseen
from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.knowledge import answer_search, out_of_scope
from mentor.assistant.offline.placing import NUMBERED, named_section, topic_passage
from mentor.assistant.offline.shapes import finish, mentioned, plain, short, topic_line
from mentor.assistant.parts import own_words, roadmap_passages
from mentor.assistant.tools import Toolbox
from mentor.corpus.documents import roadmaps_named, without_roadmap_names

EXAMPLE_WORDS = frozenset("like such as e.g eg etc really actually just also".split())
SHOWN = 3  # roadmaps named in an answer about all of them (the first three that have it)


def answer_covers(intent, message, tb, memory, mode_note) -> Draft | None:
    """Yes or no, then where. A question naming no topic is a "no" when no roadmap has any of its
    words ("does the six month plan cover cooking?"), else searched as asked."""
    cur = tb.deps.curriculum
    asked = without_roadmap_names(tb.deps.documents, message)
    topics = _object_topics(asked, cur)
    if not topics:  # "does it cover pytroch?": the typo repairs of what is asked about, for the topic they name
        wanted = covered_object(asked).strip()
        repaired = _repaired(tb, wanted)
        asked = asked.replace(wanted, repaired) if wanted and mentioned(repaired, cur) else asked
        topics = _object_topics(asked, cur)
    asked_for = covered_object(asked)
    spelled = cur.find(asked_for)[0] if not topics else None  # "sckit learn": scikit-learn
    if spelled is not None:
        asked, topics = asked.replace(asked_for.strip(), spelled.title), [spelled]
    if not topics:
        words = sorted(content_words(asked_for) - COVER_WORDS)
        chunks = tb.deps.retriever.index.chunks
        # "gans or diffusion models": each thing asked about has a word no line has, so none is there
        each = [_in_order(a) for a in re.split(r"\bor\b|,|/", asked_for)]
        if words and all(not w or unseen(w, chunks) for w in each):  # in no line: "cooking"
            asked_about = list(dict.fromkeys(" ".join(w) for w in each if w))
            missing = " or ".join(asked_about[:SHOWN]) + (" or the others" if len(asked_about) > SHOWN else "")
            return Draft(f"No: I can't find {missing} in any of the roadmaps. " + out_of_scope(asked, tb).text)
        found = _mentions(tb, asked, words, roadmaps_named(tb.deps.documents, message)) if words else None
        return found or answer_search(intent, message, tb, memory, mode_note)
    topic, said = _asked_about(asked, topics, cur)
    memory.last_topic = topic
    named = roadmaps_named(tb.deps.documents, message)
    every = [d.id for d in tb.deps.documents]
    whole = set(terms(short(topic))) <= set(terms(said))  # "python fundamentals"; not "seaborn", "kaggle"
    name = short(topic) if whole else said  # the words as asked, when they name only part of the topic
    besides = [w for w in _in_order(asked) if not _has(said, w) and w not in EXAMPLE_WORDS]
    found = {doc: _place(tb, doc, topic, said, whole) for doc in dict.fromkeys(named + every)}
    having = [doc for doc in every if found[doc] is not None]
    if named:
        has = [doc for doc in named if found[doc] is not None]
        lacking = [doc for doc in named if found[doc] is None]
        # "does the libraries roadmap have sql as one of its main phases?": only in its optional tools; "is docker
        # scheduled in one of the weeks?": an extra. A roadmap with it only aside lacks it as a main part
        aside = [doc for doc in has if ASIDE.search(found[doc].section)] if MAIN.search(asked) else []
        places = "; ".join(f"{doc} has {name} in {named_section(found[doc])}" for doc in has if doc not in aside)
        shown = [(doc, found[doc], topic) for doc in has]
        lacks = f"{' and '.join(lacking)} {'does' if len(lacking) == 1 else 'do'} not name {name}"
        if aside:
            only = [f"{doc} has {name} only in {named_section(found[doc])}, outside its main path" for doc in aside]
            verdict = "; ".join([*([places] if places else []), *only, *([lacks] if lacking else [])])
            return _placed(tb, f"{'Yes, in part' if places else 'No'}: {verdict}.", shown, topic, said, besides)
        if not lacking:
            return _placed(tb, f"Yes: {places}.", shown, topic, said, besides)
        if has:  # "is pytorch mentioned in the six month plan and the learning algorithm?"
            return _placed(tb, f"Yes, in part: {places}; {lacks}.", shown, topic, said, besides)
        others = [doc for doc in having if doc not in named]
        near = _nearest(tb, lacking[0], topic) if len(lacking) == 1 else None
        nearest = [(lacking[0], near[1], near[0])] if near is not None else []
        closest = f"; the nearest it comes is {short(near[0])}, in {named_section(near[1])}" if near else ""
        if not others and not near:
            return Draft(f"No: {lacks}, and no other roadmap does either.", {}, topic)
        where = "; ".join(f"{doc} in {named_section(found[doc])}" for doc in others[:SHOWN])
        elsewhere = (f". It is in {where}" if near else f"; {where}") if others else ", and no other roadmap names it"
        places = nearest + [(doc, found[doc], topic) for doc in others[:SHOWN]]
        return _placed(tb, f"No: {lacks}{closest}{elsewhere}.", places, topic, said, besides)
    if not having:
        return Draft(f"No: none of the roadmaps names {name}.", {}, topic)
    where = "; ".join(f"{doc} in {named_section(found[doc])}" for doc in having[:SHOWN])
    count = (
        f"all {len(every)} roadmaps have"
        if len(having) == len(every)
        else f"{len(having)} of the {len(every)} roadmaps have"
        if len(having) > 1
        else "one roadmap has"
    )
    return _placed(
        tb, f"Yes: {count} {name}: {where}.", [(d, found[d], topic) for d in having[:SHOWN]], topic, said, besides
    )


# a question whether something is a main part of a roadmap, not whether it is in it at all
MAIN = re.compile(
    r"\b((main|core|proper|dedicated|regular|scheduled) (week|phase|step|stage|part|module)s?|scheduled (in|for|as)"
    r"|on the schedule|(its|their) own (week|phase|step|stage)s?"
    r"|one of (the|its) (\w+ )?(weeks|phases|steps|stages))\b",
    re.IGNORECASE,
)
# a section beside a roadmap's main path: "📦 Optional Tools to Learn Along the Way", "Additional skills that will be
# helpful", "Nice-to-Have (Advanced/Helpful but Not Required to Start)"
ASIDE = re.compile(r"\b(optional|additional|extras?|nice[- ]to[- ]have|bonus|not required|along the way)\b", re.I)
NEAR = 3  # hops through the graph to the nearest topic a roadmap has


def _nearest(tb: Toolbox, doc: str, topic):
    """(the topic nearest the one asked about that a roadmap has, its passage there), or None: the
    fewest graph hops away, then the closest in the roadmaps' phases and order ("transformers" in the six
    month plan: deep learning, Week 19-22)."""
    cur = tb.deps.curriculum
    phase = cur.sort_key(topic.id)[0]

    def near(tid: str) -> bool:  # a phase away at most: Python fundamentals is no near thing to RAG
        return abs(cur.sort_key(tid)[0] - phase) <= 1

    hops, frontier = {topic.id: 0}, [topic.id]
    for level in range(1, NEAR + 1):
        frontier = [n for t in frontier for n in cur.neighbours(t) if n not in hops and near(n)]
        hops.update({n: level for n in frontier})
    at = cur.sort_key(topic.id)[1]
    ranked = sorted(
        (t for t in hops if t != topic.id),
        key=lambda t: (abs(cur.sort_key(t)[0] - phase), hops[t], abs(cur.sort_key(t)[1] - at)),
    )
    for tid in ranked:
        passage = _source_passage(tb, doc, cur.topics[tid]) or topic_passage(tb, doc, cur.topics[tid])
        if passage is not None:
            return cur.topics[tid], passage
    return None


def _source_passage(tb: Toolbox, doc: str, topic):
    """The passage of a roadmap that the curriculum cites for a topic, its first such ("14.6. Pre-trained
    Transformer Models (BERT, GPT, etc.)" for pretrained models in the master curriculum), or None."""
    quotes = [s["quote"] for s in topic.sources if s.get("doc") == doc and s.get("quote")]
    passages = roadmap_passages(tb.deps.passages, doc)
    return next((c for q in quotes for c in passages if q in c.text), None)


def _in_order(text: str) -> list[str]:
    """A phrase's content words, as written and in its order ("quantum computing")."""
    wanted = content_words(text) - COVER_WORDS
    return list(dict.fromkeys(w for w in re.findall(r"[\w+#.-]+", text.lower()) if w in wanted))


def _object_topics(asked: str, cur) -> list:
    """The topics a coverage question asks about: those its object names ("does any roadmap recommend
    learning javascript for ml?" asks about javascript, which is none); the message's when the object is
    only the question's own words ("is it covered?")."""
    asked_for = covered_object(asked)
    if content_words(asked_for) - COVER_WORDS and asked_for.strip() != " ".join(asked.split()):
        return mentioned(asked_for, cur)
    return mentioned(asked, cur)


def _asked_about(asked: str, topics: list, cur) -> tuple:
    """The topic a coverage question asks about and the words it names it by: the one its verb is about
    ("does the plan mention xgboost", "is streamlit recommended for projects"), else the last named."""
    text = " ".join(asked.split())
    spans = cur.mention_spans(text)
    verb = COVERS.search(text)
    if verb is not None:
        inside = [span for span in spans if span[0] < verb.end()]
        after = [span for span in spans if span[0] >= verb.end()]
        chosen = inside if re.match(r"\W*(is|are)\b", text, re.IGNORECASE) and inside else after
        if chosen:
            start, end, tid = chosen[0]
            return cur.topics[tid], text[start:end]
    last = [span for span in spans if span[2] == topics[-1].id]
    return topics[-1], text[last[-1][0] : last[-1][1]] if last else short(topics[-1])


def _has(text: str, said: str) -> bool:
    """Whether a text has the words as a learner wrote them, spacing, hyphens and a plural's "s" aside: "mlops"
    is in "ML Ops", "scikit learn" in "scikit-learn", "transformers" in "Transformer work"; not "rag" in
    "average", nor "transformers" in "transformations" (a stemmer makes both "transform")."""
    wanted = _singular("".join(TOKEN.findall(said.lower())))
    words = TOKEN.findall(text.lower())
    return bool(wanted) and any(
        _singular("".join(words[i : i + n])) == wanted for n in (1, 2, 3) for i in range(len(words) - n + 1)
    )


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _place(tb: Toolbox, doc: str, topic, said: str, whole: bool):
    """Where a roadmap has what is asked: a passage with the words as asked ("transformers" in "Transformer
    work", not in a link), the topic's own section first; a numbered one before the rest. A roadmap
    without the words has it only when they are the topic's whole name and its section names the topic."""
    having = [c for c in roadmap_passages(tb.deps.passages, doc) if _has(own_words(c.text), said)]
    own = topic_passage(tb, doc, topic)
    # "model monitoring" of a step that says "monitoring": the topic's own section with the words' last one
    head = len(said.split()) > 1 and own is not None and _has(own_words(own.text), said.split()[-1])
    if own is not None and (own in having or whole and not having or head):
        return own
    return next((c for c in having if NUMBERED.match(c.section)), having[0] if having else None)


def _repaired(tb: Toolbox, text: str) -> str:
    """The text with the search's typo repairs made ("pytroch" -> "pytorch"): a topic is then named by it."""
    for wrong, right in tb.deps.retriever.rewriter.corrections(text).items():
        text = re.sub(rf"\b{re.escape(wrong)}\b", right, text, flags=re.IGNORECASE)
    return text


def _mentions(tb: Toolbox, asked: str, words: list[str], named: list[str]) -> Draft | None:
    """'Are there any projects in the zero to llm roadmap?': yes, with the lines of the roadmap named
    (of any, when none is) that have the words asked about; None when no line found has them."""
    wanted = {term for w in words for term in terms(w)}
    for doc in named or [""]:  # each roadmap named searched on its own
        tb.run("search_curriculum", query=asked, **({"roadmap": doc} if doc else {}))
    lines = [ln for n, c in enumerate(tb.book.chunks, 1) if not named or c.doc in named for ln in passage_lines(n, c)]
    having = [ln for ln in lines if not ln.title and wanted <= set(terms(ln.text))]  # every word asked about
    chosen = select(having, asked, 3)
    if not chosen:
        return None
    docs = list(dict.fromkeys(ln.chunk.doc for ln in chosen))  # the roadmaps whose lines have the words
    who = " and ".join(docs) if named else "the roadmaps"
    return finish(f"Yes: {who} {'mentions' if len(docs) == 1 and named else 'mention'} {' and '.join(words)}:", chosen)


def _placed(tb: Toolbox, head: str, places: list, topic, said: str, besides: list[str] = ()) -> Draft:
    """The head, then each place's own line about the topic (the line with the words asked, when it has
    them; beside the first of them, one with a word asked `besides` them: the "shap" of "explainability stuff
    like shap"), its section read through the tools."""
    lines = []
    each = 2 if len(places) == 1 else 1  # one roadmap's place: each of its lines with the words, two at most
    for doc, chunk, about in places:
        tb.run("read_section", section=plain(chunk.heading) or chunk.section, roadmap=doc)
        n = tb.book.add(chunk)
        body = [ln for ln in passage_lines(n, chunk) if not ln.title]
        own = [ln for ln in body if _has(ln.text, said)] or [ln for ln in [topic_line(tb, n, about)] if ln]
        extra = [ln for ln in body if any(_has(ln.text, w) for w in besides)]
        # a line with the words asked besides the topic's first when it has the topic's too, else second
        found = [heads(ln) or ln for ln in [ln for ln in own if ln in extra] + own[:1] + extra + own]
        kept = [ln for i, ln in enumerate(found) if ln.position not in {o.position for o in found[:i]}]
        lines += [ln for ln in kept[:each] if ln not in lines]
    return finish(head, lines, topic, lists=True)


# a requirement asked of something ("do i need a phd for ml?", "is a cs degree required?"), and what it is for
REQUIRED = re.compile(r"\b(need|needed|required?|requirement|have to have|must have|necessary)\b", re.IGNORECASE)
FOR_WHAT = re.compile(r"\b(for|to|in order to|before)\b.*$", re.IGNORECASE)
ASKED_WORDS = frozenset(
    "need needed require required requirement necessary have must really do does is are am i me my it "
    "become becoming get getting start starting learn learning engineer".split()
)


def answer_unmentioned(tb: Toolbox, clause: str) -> Draft | None:
    """'Do I need a PhD for ML?': no roadmap mentions it, so none asks for it; None when the question names a
    topic of its own (after the typo repairs) or every word it asks about is in some line."""
    cur = tb.deps.curriculum
    asked = without_roadmap_names(tb.deps.documents, clause)
    if not REQUIRED.search(asked) or any(length > 2 for _, length in cur.mentions(_repaired(tb, asked))):
        return None
    wanted = [w for w in _in_order(FOR_WHAT.sub("", REQUIRED.sub(" ", asked))) if w not in ASKED_WORDS]
    missing = [w for w in unseen(wanted, tb.deps.retriever.index.chunks) if terms(w)]  # not the "cs" of "cs degree"
    if not missing:
        return None
    name = " ".join(missing)
    return Draft(
        f"No: none of the roadmaps mentions {name}, so none of them asks for it; they set out skills to learn, "
        "from programming and maths to ML, deep learning and deployment."
    )


COVERAGE_HANDLERS = {"covers": answer_covers}
