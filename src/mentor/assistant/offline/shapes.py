"""Offline answers shaped by the question: a decision gets its yes or no first, a comparison
sets both sides next to each other, a question about a disagreement between the roadmaps shows
both sides, "X done, what next?" says what builds on X, "in what order?" sorts the topics by the
graph, and "what is X?" says what the roadmaps say of X. Also the helpers every shaped answer
uses: gathering passages through the tools and quoting their lines.

Every answer opens with one direct sentence built from the graph or the selected lines, then
quotes the passage lines that support it (`evidence.select`: body lines, not headings). All
passages come from the tools, so the trace is what really ran and every quote is checked.

Not here: answers read from a roadmap's own sections ("which ones", "how long", "what's in
step 1.3": `sections.py`), resources (`resources.py`), next steps, prerequisites and plans
(`knowledge.py`), the learner's own progress (`learner.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.evidence import Line, passage_lines, select, terms
from mentor.assistant.offline.draft import Draft, short_title
from mentor.assistant.statements import background_topics
from mentor.assistant.tools import Toolbox
from mentor.assistant.topics import mentioned_topic
from mentor.learning.actions import implied_known
from mentor.learning.curriculum import Topic

MAX_QUOTES = 3
SIDES = 4  # quotes shown for a disagreement
NEGATIVE = re.compile(
    r"\b(optional|not required|nice[- ]to[- ]have|not beginner|not needed|pick (one|pytorch or)|either"
    r"|choos(e|ing) one|one or two|advanced|not a prerequisite|not prerequisite)\b",
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


def quoted(lines: list[Line], quotes: dict[int, str]) -> list[str]:
    """The lines as quoted bullets with their source numbers; notes each passage's quote."""
    out = []
    for line in lines:
        quotes.setdefault(line.n, line.text)
        out.append(f'- "{line.text}" [{line.n}]')
    return out


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


def finish(head: str, lines: list[Line], topic=None) -> Draft:
    quotes: dict[int, str] = {}
    return Draft("\n".join([head, *quoted(lines, quotes)]), quotes, topic)


# --- decisions: yes or no first -----------------------------------------------------------------

BEFORE = re.compile(r"\b(before|first|until after|straight (in)?to|skip|jump|without)\b", re.IGNORECASE)
SEQUENCE = re.compile(r"\b(first|before|afterwards?|only (then|after)|later|then)\b", re.IGNORECASE)
TOGETHER_LINE = re.compile(r"\b(together|in parallel|alongside|parallel support)\b", re.IGNORECASE)
TOGETHER = re.compile(r"\b(same time|together|alongside|in parallel|side by side)\b", re.IGNORECASE)
# "finish / a whole course of" maths first: never (maths is parallel support, learned when needed)
WHOLE = re.compile(r"\b(finish\w*|complete\w*|whole|full|entire|all of|master\w*|more)\b", re.IGNORECASE)
PRONOUN = re.compile(r"\b(it|its|that|this|them|those|they)\b", re.IGNORECASE)
UNTIL_AFTER = re.compile(r"\b(leave|postpone|wait with|put off)\b.*\buntil after\b", re.IGNORECASE)


def answer_decision(intent, message, tb, memory, mode_note) -> Draft:
    cur = tb.deps.curriculum
    topics = mentioned(message, cur)
    said = tb.user_message or message
    if PRONOUN.search(message) and len(mentioned(said, cur)) > len(
        topics
    ):  # "…math + stats before ML. must I finish that block first?"
        topics = mentioned(said, cur)
    if not topics and memory.last_topic and PRONOUN.search(message):  # "is it needed?"
        topics = [memory.last_topic]
    verdict = _readiness(tb, message, _wanted(message, cur) or topics[-1]) if topics else None
    if verdict is None and len(topics) >= 2:
        verdict = _graph_verdict(tb, message, topics[0], topics[-1])
    lines = gather(tb, [message], [topics[0], topics[-1]] if topics else [])
    caveat = select([ln for ln in lines if NEGATIVE.search(ln.text) and _about(ln, topics, cur)], message, 1)
    chosen = caveat + [ln for ln in select(lines, message, MAX_QUOTES) if ln not in caveat]
    if verdict is None and SEQUENCE.search(message) and not TOGETHER.search(message):
        found = tb.run("find_lines", query=f"{message} together").data or []  # the roadmaps' words for it
        pool = [
            ln
            for ln in [*lines, *found]
            if TOGETHER_LINE.search(ln.text) and _about(ln, topics, cur) and _names_only(ln, topics, cur)
        ]
        together = select(pool, message, 1)
        if together:  # "read all the theory first?": "Theory and implementation MUST be learned together."
            verdict = "No: the roadmaps have you learn them together, not one after the other."
            chosen = together + [ln for ln in chosen if ln not in together]
    if verdict is None:
        verdict = _text_verdict(caveat, _by_specificity(message, cur) or topics)
    verdict += disagreement(tb, topics[:1] + topics[-1:]) if len(topics) >= 2 else ""
    if topics:  # "is sql needed for ml?" is about sql: "then skip it" means sql
        memory.last_topic = topics[0]
    return finish(verdict, chosen[:MAX_QUOTES], topics[0] if topics else None)


def _about(line: Line, topics: list[Topic], cur) -> bool:
    """A line that names one of the topics asked about (any line, when none is named): a caveat
    about maths in general is no verdict on linear regression."""
    if not topics:
        return True
    named = {tid for _, _, tid in cur.mention_spans(f"{line.text} {line.context}")}
    return any(t.id in named for t in topics)


def _names_only(line: Line, topics: list[Topic], cur) -> bool:
    """A line that names no topic but those asked about ("Math ↔ ML Theory → PARALLEL SUPPORT" is
    about maths, which a question on theory and code does not ask about)."""
    return {tid for _, _, tid in cur.mention_spans(line.text)} <= {t.id for t in topics}


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


READY_VERB = re.compile(
    r"\b(jump (straight )?in(to)?|go straight (in)?to|dive into|start( with)?|begin( with)?)\b", re.IGNORECASE
)


def _wanted(message: str, cur) -> Topic | None:
    """The topic right after "jump into", "start with": what a readiness question is about
    ("can I jump into deep learning or do I need classical ML first?" is about deep learning)."""
    verb = READY_VERB.search(message)
    text = " ".join(message.split())
    after = [tid for start, _, tid in cur.mention_spans(text) if verb and start >= verb.end()]
    return cur.topics[after[0]] if after else None


def _by_specificity(message: str, cur) -> list[Topic]:
    """The topics a message names, the longest-named first ("ml lifecycle tool like mlflow":
    mlflow before the "ml" of machine learning fundamentals)."""
    spans = sorted(cur.mention_spans(" ".join(message.split())), key=lambda s: s[0] - s[1])
    return [cur.topics[t] for t in dict.fromkeys(tid for _, _, tid in spans)]


def short(topic: Topic) -> str:
    """A topic's title without its parenthesised details: 'Machine learning fundamentals'."""
    return short_title(topic.title)


def _graph_verdict(tb: Toolbox, message: str, first: Topic, then: Topic) -> str | None:
    """Yes or no from the prerequisite graph, for a question about two topics' order."""
    cur = tb.deps.curriculum
    if UNTIL_AFTER.search(message):  # "can I leave A until after B?": yes unless B needs A
        return _leave_until_after(tb, first, then)
    chain = tb.run("prerequisites", topic=then.id).data
    needed = {p["id"] for p in chain["prerequisites"]} if isinstance(chain, dict) else set()
    if TOGETHER.search(message):
        if first.id in needed:
            return f"No: {short(then)} comes after {short(first)} in the roadmaps."
        return f"Yes: the roadmaps let you learn {short(first)} and {short(then)} in parallel."
    if not BEFORE.search(message) and not re.search(r"\b(need|require|have to|must)\b", message, re.IGNORECASE):
        return None
    if first.id in needed:
        return f"Yes: {short(then)} builds on {short(first)}, so finish that first{_tag(cur, first, then)}."
    suggested = {r["id"] for r in chain.get("recommended", [])} if isinstance(chain, dict) else set()
    if first.id in suggested and first.phase != "maths":
        return f"Yes: the roadmaps put {short(first)} before {short(then)}, as an order to follow, not a hard gate."
    if first.id in suggested and not WHOLE.search(message):  # the core rule: maths "only when needed"
        return (
            f"Yes, the part of {short(first)} that {short(then)} uses: the roadmaps put it before {short(then)}, "
            "learned when needed rather than finished as a whole course first."
        )
    return "No: " + _why_not_required(cur, first, then)


def _tag(cur, before: Topic, after: Topic) -> str:
    """The roadmap's own words for a direct edge ("Step 5.1 [D: after projects]"), if there is one."""
    edge = cur.edge(before.id, after.id)
    quote = (edge.quote or "").strip().rstrip(":") if edge is not None else ""
    return f' ({edge.doc}: "{quote}")' if quote else ""


def _why_not_required(cur, first: Topic, then: Topic) -> str:
    if first.phase == "maths":
        return (
            f"the roadmaps treat maths such as {short(first)} as parallel support, learned only when needed, "
            f"not a prerequisite to finish before {short(then)}."
        )
    if then.id in first.parallel:
        return f"the roadmaps learn {short(first)} in parallel with {short(then)}, together."
    if any("[I]" in (s.get("quote") or "") for s in first.sources):
        return f"{short(first)} is independent in the roadmaps: you can learn it any time, not before {short(then)}."
    return f"{short(first)} is not a prerequisite of {short(then)} in the roadmaps."


def _leave_until_after(tb: Toolbox, first: Topic, then: Topic) -> str:
    chain = tb.run("prerequisites", topic=then.id).data
    needed = {p["id"] for p in chain["prerequisites"]} if isinstance(chain, dict) else set()
    if first.id in needed:
        return f"No: {short(then)} builds on {short(first)}, so it cannot wait until after."
    return (
        f"Yes: {short(first)} can wait; the roadmaps put it after {short(then)}{_tag(tb.deps.curriculum, then, first)}."
    )


def _readiness(tb: Toolbox, message: str, topic: Topic) -> str | None:
    """'Is it ok to go straight into X now?': yes when the learner has done what X needs."""
    if TOGETHER.search(message) or not re.search(r"\b(now|ready|straight|yet|jump)\b", message, re.IGNORECASE):
        return None
    cur = tb.deps.curriculum
    stated = {p.topic for p in tb.proposals if p.kind == "status" and p.status in ("done", "learning")}
    if topic.id in stated:  # "I did X with sklearn. …": X is not what they ask readiness for
        return None
    chain = tb.run("prerequisites", topic=topic.id).data
    if not isinstance(chain, dict):
        return None
    known = stated | {a for t in stated for a in cur.ancestors(t)}  # what they just said they did, and its needs
    used = {t.id for t in background_topics(tb.user_message or message, cur)}  # "5 yrs python, docker daily"
    known |= used | implied_known(cur, used)
    missing = [m for m in chain["missing"] if m not in known]
    if not missing:
        return f"Yes: you have finished everything {short(topic)} needs."
    nearest = _nearest_missing(cur, topic.id, set(missing))
    after = ", ".join(cur.topics[m].title for m, _ in nearest[:2])
    tag = _tag(cur, cur.topics[nearest[0][0]], cur.topics[nearest[0][1]]) if nearest else ""
    titles = [cur.topics[m].title for m in missing]
    return f"No: {short(topic)} comes after {after}{tag}; still missing for you: {', '.join(titles[:3])}."


def _nearest_missing(cur, topic_id: str, missing: set[str]) -> list[tuple[str, str]]:
    """The missing prerequisites closest to the topic, each with the topic it gates: its direct
    ones, or, past those the learner knows (a backend developer's Docker), the first missing
    ones behind them."""
    layer, seen = [topic_id], set()
    while layer:
        found, further = [], []
        for tid in layer:
            for p in cur.topics[tid].prerequisites:
                if p not in seen:
                    seen.add(p)
                    (found if p in missing else further).append((p, tid))
        if found:
            return found
        layer = [p for p, _ in further]
    return []


def _text_verdict(lines: list[Line], topics: list[Topic]) -> str:
    """Yes or no from what the selected lines say: 'optional', 'not beginner-level', 'pick one'
    read as no; otherwise the roadmaps list it as part of the path."""
    negative = next((ln for ln in lines if NEGATIVE.search(ln.text)), None)
    if negative is not None:
        word = NEGATIVE.search(negative.text).group(0)
        return f"No: the roadmaps mark it as {word.lower()}, not something you must do now."
    if not topics:  # nothing to look up in the graph and no caveat in the text: no verdict to give
        return "The roadmaps don't answer that in so many words; here is what they say:"
    return f"Yes: the roadmaps include {topics[0].title} on the path."


# --- which ones ---------------------------------------------------------------------------------


ASKING = frozenset(
    terms(
        "which what type types kind kinds method methods technique techniques learn need curriculum "
        "roadmap roadmaps list there should besides numbers report problems steps explain"
    )
)


def heading_fit(text: str, wanted: set[str]) -> float:
    """How well a heading names what is wanted: shared words, less for words it has besides."""
    heading = set(terms(plain(text))) - ASKING
    return len(wanted & heading) / (1 + 0.1 * len(heading - wanted))


def plain(text: str) -> str:
    """An outline entry without its number: '7.1.1. K-Means Clustering' -> 'K-Means Clustering'."""
    return re.sub(r"^\W*\d+(\.\d+)*\.?\s*", "", text).strip().rstrip(".:")


VERSUS = re.compile(r"\s+(?:vs\.?|versus|or|and|compared (?:to|with))\s+", re.IGNORECASE)


def answer_compare(intent, message, tb, memory, mode_note) -> Draft:
    left, right = _sides(message)
    lines = gather(tb, [message])
    for side in (left, right):
        if side.strip():
            tb.run("find_lines", query=side)
    lines = [line for n, chunk in enumerate(tb.book.chunks, 1) for line in passage_lines(n, chunk)]
    picked: list[Line] = []
    for side, other in ((left, right), (right, left)):
        own, theirs = set(terms(side)), set(terms(other)) - set(terms(side))
        about = [ln for ln in lines if ln not in picked and own & set(terms(ln.text))]
        alone = [ln for ln in about if not theirs & set(terms(ln.text))]  # a line on this side alone says most of it
        picked += select(alone, side + " " + message, 1) or select(about, side + " " + message, 1)
    near = {ln.chunk.chunk_id for ln in picked}
    both = select([ln for ln in lines if ln not in picked and ln.chunk.chunk_id in near], f"{left} {right}", 1)
    chosen = (picked + both)[:MAX_QUOTES]
    if not chosen:
        return Draft("The roadmaps don't compare those, so I won't guess.")
    where = plain(chosen[0].chunk.heading)
    head = f"Side by side, from the roadmaps ({where}): {left.strip()} and {right.strip()}:"
    placed = _placed(tb, left, right)
    return finish(f"{placed} {head}" if placed else head, chosen)


def _placed(tb: Toolbox, left: str, right: str) -> str:
    """Where the curriculum puts the two sides: one topic for both, or two with their order."""
    cur = tb.deps.curriculum
    one, other = (mentioned_topic(side, cur) if side.strip() else None for side in (left, right))
    if one is None or other is None:
        return ""
    phase = lambda t: short_title(cur.phase_titles.get(t.phase, t.phase)).split(":")[0]  # noqa: E731
    if one.id == other.id:
        return f"The roadmaps teach both within one topic, {one.title}, in the {phase(one)} phase."
    if other.id in cur.ancestors(one.id, soft=True):
        one, other = other, one
    then = " and then " if one.id in cur.ancestors(other.id, soft=True) else " and "
    where = f"both in the {phase(one)} phase" if one.phase == other.phase else f"in {phase(one)} and {phase(other)}"
    return f"The roadmaps teach them as two topics, {one.title}{then}{other.title}, {where}."


def _sides(message: str) -> tuple[str, str]:
    text = re.sub(r"^(what'?s|what is) the difference between\s+", "", message.strip(), flags=re.IGNORECASE)
    text = re.split(r"[?,;]|\s[-–—]\s|\bwhat'?s\b|\bwhen\b|\bwhich\b|\bis there\b|\bdo i\b", text, flags=re.IGNORECASE)[
        0
    ]
    parts = VERSUS.split(text, maxsplit=1)
    if len(parts) == 2:
        return parts[0], parts[1]
    return text, ""


# --- how long -------------------------------------------------------------------------------------


# --- where the roadmaps disagree -------------------------------------------------------------------


def answer_conflict(intent, message, tb, memory, mode_note) -> Draft:
    topics = mentioned(message, tb.deps.curriculum)
    result = tb.run("disagreements", topic="")  # all of them: the question's topics and words pick one
    found = (result.data or {}).get("disagreements") or []
    wanted, ids = set(terms(message)), {t.id for t in topics}

    def fit(c: dict) -> int:
        said = c["description"] + " " + " ".join(s["quote"] for s in c["sources"])
        return 3 * len(set(c["topics"]) & ids) + len(wanted & set(terms(said)))

    best = max(found, key=fit, default=None)
    lines = gather(tb, [message])
    chosen = select(lines, message, 2)
    if best is None or fit(best) < 3:
        return finish("I know of no disagreement between the roadmaps there. What they say:", chosen)
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
        differ = disagreement(tb, [topic])
        head = f"{where}.{differ} What they say:" if differ else f"{where}; here is what they say:"
        memory.last_topic = topic
    else:
        head = "The roadmaps mention it without explaining it; here is what they say:"
    return finish(head, chosen, topic)


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
    "decision": answer_decision,
    "compare": answer_compare,
    "conflict": answer_conflict,
}
