"""Offline answers about order: "X done, what's next?" and "in what order should I learn A, B
and C?".

What comes after a topic is read two ways, and the answer gives both:

- the prerequisite graph: the topics that build on it, hard and soft edges alike ("cross
  validation done" leads to hyperparameter tuning, which the roadmaps put after it without
  making it a gate);
- the roadmaps themselves: each roadmap is an ordered text, so what it puts after a topic is
  the lines that follow the topic's own line there ("10.2.3. Backpropagation Algorithm" is
  followed by the optimisers and by regularisation). A roadmap's own recap (its dependency
  summary, its legend) is no place to start from. A question about a section ("I finished
  weeks 15-18") reads what follows that section.

A roadmap's phases (weeks, steps) in its own order come from its table of contents ("order of
the zero-to-llm phases?", "… after the deep learning phase").

Not here: the learner's next steps from their progress (`knowledge.answer_next`), a single
topic's prerequisites (`knowledge.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.evidence import Line, passage_lines, terms
from mentor.assistant.forms import EITHER_SIDE, asks_where_in
from mentor.assistant.offline.draft import Draft, Memory
from mentor.assistant.offline.outline import stages
from mentor.assistant.offline.placing import (
    before_in_roadmap,
    between_in_roadmap,
    everywhere,
    in_roadmap,
    named_section,
    next_part,
    next_passage,
    section_asked,
    top_part,
    topic_section,
)
from mentor.assistant.offline.shapes import (
    backbone_first,
    finish,
    gather,
    mentioned,
    plain,
    roadmap_name,
    select,
    short,
    step_label,
    topic_line,
)
from mentor.assistant.parts import roadmap_passages, sections_of
from mentor.assistant.tools import Toolbox
from mentor.corpus.chunks import Chunk
from mentor.corpus.documents import roadmaps_named
from mentor.learning.curriculum import Topic

FOLLOWING = 2  # lines quoted per roadmap
ROADMAPS = 3  # roadmaps quoted
NAMED = 4  # graph successors named
LABEL = re.compile(r":\s*$")
WORDS = re.compile(r"[^\W_]+")  # "Data →" is one word and a step of a flow, not what comes next
# a roadmap's recap of itself ("FINAL DEPENDENCY SUMMARY", a legend): what follows it is no next step
RECAP = re.compile(r"\b(summary|legend|recap)\b", re.IGNORECASE)


def answer_after(tb: Toolbox, message: str, topics: list[Topic], memory: Memory) -> Draft:
    """'X done, what's next?': what the graph builds on X and what each roadmap puts after it."""
    said = tb.user_message or message
    section = section_asked(tb, said) or topic_section(tb, said, topics)
    if section is not None:
        return _after_section(tb, section, memory)
    if not topics:
        return finish("Which topic or section do you mean?", [])
    cur = tb.deps.curriculum
    done = {t.id for t in topics}
    later: list[str] = []
    for topic in topics:
        tb.run("lookup_topic", topic=topic.id)
        soft = [e.target for e in cur.soft_edges if e.source == topic.id]
        later += [t for t in sorted(cur.successors(topic.id) + soft, key=cur.sort_key) if t not in done | set(later)]
    names = ", ".join(short(t) for t in topics)
    quotes: dict[int, str] = {}
    bullets = _following_bullets(tb, topics, quotes)
    if later:
        going = ", ".join(cur.topics[t].title + step_label(cur, cur.topics[t]) for t in later[:NAMED])
        head = f"After {names}, the roadmaps go on to: {going}."
    elif bullets:
        head = f"After {names}, this is what the roadmaps put next:"
    else:
        return finish(f"Nothing in the roadmaps comes after {names}; see `what should I learn next?`.", [])
    if later and bullets:
        head += " What each roadmap puts next:"
    following = [cur.topics[t] for t in later[:2]]
    memory.last_topic = following[0] if following else topics[-1]
    memory.suggest([t.id for t in following], known=[t.id for t in topics])  # what they said they did stays known
    return Draft("\n".join([head, *bullets]), quotes, memory.last_topic)


def _following_bullets(tb: Toolbox, topics: list[Topic], quotes: dict[int, str]) -> list[str]:
    """Quoted lines each roadmap puts right after the topics' own lines, the dependency-correct
    roadmap first."""
    bullets = []
    docs = backbone_first(tb.deps.curriculum, [s["doc"] for t in topics for s in t.sources if s.get("doc")])
    for doc in docs[:ROADMAPS]:
        sequence = _doc_lines(tb.deps.passages, doc)
        anchors = [
            i
            for i, ln in enumerate(sequence)
            if _is_topic_line(ln.text, topics, doc) and not RECAP.search(f"{ln.chunk.section} {ln.chunk.heading}")
        ]
        if not anchors:
            continue
        for line in _after(sequence, anchors[-1], topics, doc):
            n = tb.book.add(line.chunk)
            quotes.setdefault(n, line.text)
            bullets.append(f'- {doc}: "{line.text}" [{n}]')
    return bullets


def _after(sequence: list[Line], anchor: int, topics: list[Topic], doc: str) -> list[Line]:
    """The lines with content after position `anchor` (after its section, when the anchor is the
    section's heading): not headings, labels ("Learn:") or more lines about the same topics."""
    found, start = [], anchor + 1
    if sequence[anchor].title:  # a section's heading: what follows is its body; next is the next section
        own = sequence[anchor].chunk
        start = next((i for i in range(anchor, len(sequence)) if sequence[i].chunk is not own), start)
    for line in sequence[start:]:
        if line.title or (LABEL.search(line.text) and len(line.text.split()) <= 8) or len(WORDS.findall(line.text)) < 2:
            continue
        if _is_topic_line(line.text, topics, doc):
            continue
        found.append(line)
        if len(found) >= FOLLOWING:
            break
    return found


def _is_topic_line(text: str, topics: list[Topic], doc: str) -> bool:
    """A line that is one of the topics' own places in `doc` (a source the curriculum cites)."""
    for topic in topics:
        for source in topic.sources:
            quote = source.get("quote") or ""
            if source.get("doc") == doc and quote and (quote in text or (len(text) > 12 and text in quote)):
                return True
    return False


_SEQUENCES: dict[tuple, list[Line]] = {}


def _doc_lines(passages: list[Chunk], doc: str) -> list[Line]:
    """Every line of a roadmap in reading order (the passages sorted by their first line)."""
    key = (id(passages), len(passages), doc)
    if key not in _SEQUENCES:
        if len(_SEQUENCES) > 64:
            _SEQUENCES.clear()
        _SEQUENCES[key] = [line for c in roadmap_passages(passages, doc) for line in passage_lines(0, c)]
    return _SEQUENCES[key]


# --- what follows a section --------------------------------------------------------------------


def _after_section(tb: Toolbox, section: list[Chunk], memory: Memory) -> Draft:
    last = section[-1]
    # a whole part named ("after all the deep learning stuff"): the next part
    following = next_part(tb, section[0]) if section[0].section == top_part(section[0]) else next_passage(tb, last)
    if following is None:
        return finish(f"{plain(last.heading)} is where {last.doc} ends.", [])
    n = tb.book.add(following)
    body = [ln for ln in passage_lines(n, following) if not ln.title]
    # its first line, and what says most of what it is about (its resources, its items), not its next two lines
    lines = body[:1] + [ln for ln in select(body[1:], plain(following.heading), 2) if not ln.text.endswith(":")]
    head = f"After {named_section(section[0])}, {last.doc} goes on to {named_section(following)}"
    parts = _parts(tb, following)
    if parts:  # "after the deep learning phase …": the next phase, with what it is made of
        head += f" ({', '.join(parts)})"
    then = next_passage(tb, following) if len(lines) < 2 else None  # a phase's one-line intro: its first part too
    if then is not None:
        lines += [ln for ln in passage_lines(tb.book.add(then), then) if not ln.title][: 3 - len(lines)]
        head += f", starting with {plain(then.heading)}"
    return finish(head + ":", lines)


def _parts(tb: Toolbox, chunk: Chunk) -> list[str]:
    """The sections a part is made of, when `chunk` opens a part that has several ("Phase 4: The System -
    MLOps & Deployment": Introduction to MLOps, Model Deployment, …), at most six."""
    if chunk.section != top_part(chunk):
        return []
    names = list(dict.fromkeys(plain(name) for name in sections_of(tb.deps.passages, chunk.doc, chunk.section)))
    return names[:6] if len(names) >= 2 else []


# --- several topics in order --------------------------------------------------------------------


def answer_order(intent, message, tb, memory, mode_note) -> Draft:
    """'In what order should I learn A, B and C?': the graph's order, with what goes in parallel."""
    cur = tb.deps.curriculum
    topics = mentioned(message, cur)
    docs = roadmaps_named(tb.deps.documents, message)
    if len(topics) < 2 and docs and STAGES.search(message):  # "the order of the zero-to-llm phases"
        return _stages(tb, docs[0], message)
    where = asks_where_in(message)  # "where does git come in the master curriculum?": its place, then around it
    if len(topics) == 1 and len(docs) == 1 and (EITHER_SIDE.search(message) or where):  # "… before or after …?"
        around = before_in_roadmap(tb, docs[0], topics[0], after=True, own=bool(where))  # what it puts on each side
        if around is not None:
            return around
    if len(topics) == 1 and not docs and where:  # "where does model versioning come in?": where each roadmap has it
        placed = everywhere(tb, topics[0])
        if placed is not None:
            return placed
    if len(topics) < 2:
        return answer_after(tb, message, topics, memory) if topics else finish("Which topics do you mean?", [])
    if len(docs) == 1 and BETWEEN.search(message):  # "… from basic neural nets to cnns? which sections are in between"
        found = between_in_roadmap(tb, docs[0], topics[0], topics[-1])
        if found is not None:
            return found
    if len(docs) == 1:  # "what order does the six month roadmap put sql, numpy and maths in?": its sections'
        placed = in_roadmap(tb, docs[0], topics)
        if placed is not None:
            return placed
    for topic in topics:
        tb.run("prerequisites", topic=topic.id)
    ordered = sorted(topics, key=lambda t: (len(cur.ancestors(t.id) & {o.id for o in topics}), cur.sort_key(t.id)))
    steps = []
    for topic in ordered:
        together = [short(o) for o in ordered if o.id in topic.parallel and ordered.index(o) < ordered.index(topic)]
        name = short(topic) + step_label(cur, topic)
        steps.append(f"{name} (in parallel with {', '.join(together)})" if together else name)
    quotes: dict[int, str] = {}
    bullets = []
    for topic in ordered[:4]:  # what the roadmaps list under each, in that order
        for n in tb.cite_topic(topic, limit=1):
            line = topic_line(tb, n, topic)
            if line is not None and line.text not in quotes.values():
                quotes.setdefault(n, line.text)
                bullets.append(f'- {short(topic)}: "{line.text}" [{n}]')
    if not bullets:
        chosen = select(gather(tb, [message]), message, 2)
        return finish("In the roadmaps' order: " + " → ".join(steps) + ".", chosen, ordered[-1])
    return Draft("\n".join(["In the roadmaps' order: " + " → ".join(steps) + ".", *bullets]), quotes, ordered[-1])


BETWEEN = re.compile(r"\bbetween\b", re.IGNORECASE)
STAGES = re.compile(r"\b(phases?|stages?|steps|levels|weeks|parts|sections)\b", re.IGNORECASE)
AFTER_STAGE = re.compile(r"\bafter (?:the )?(.+?) (?:phase|stage|part|section)\b", re.IGNORECASE)


def _stages(tb: Toolbox, doc: str, message: str) -> Draft:
    """A roadmap's phases (weeks, steps) in its own order, from its table of contents; after the
    one the question names, when it names one ("after the deep learning phase")."""
    firsts = stages(roadmap_passages(tb.deps.passages, doc), top=True)
    names = list(firsts)
    if not names:
        return finish(f"{doc} is not divided into phases.", [])
    after = AFTER_STAGE.search(message)
    if after:
        wanted = set(terms(after.group(1)))
        hit = next((i for i, name in enumerate(names) if wanted and wanted <= set(terms(name))), None)
        names = names[hit + 1 :] if hit is not None else names
    tb.run("read_section", section=names[0] if names else "", roadmap=doc)
    lines = []
    for name in names[:3]:  # what the first of them are about, in their own words
        chunk = firsts[name]
        body = [ln for ln in passage_lines(tb.book.add(chunk), chunk) if not ln.title]
        lines += body[:1]
    head = f"{roadmap_name(tb, doc)}, in its own order{' after that' if after else ''}: " + " → ".join(names) + "."
    return finish(head, lines)


ORDER_HANDLERS = {"order": answer_order}
