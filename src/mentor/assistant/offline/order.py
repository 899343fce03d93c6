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

from mentor.assistant.evidence import (
    SECTION_LABEL,
    Line,
    part_named,
    passage_lines,
    roadmap_passages,
    section_passages,
    terms,
)
from mentor.assistant.offline.draft import Draft, Memory
from mentor.assistant.offline.outline import STAGE, stages
from mentor.assistant.offline.shapes import finish, gather, mentioned, plain, roadmap_name, select, short, topic_line
from mentor.assistant.tools import Toolbox
from mentor.corpus.chunks import Chunk
from mentor.corpus.documents import roadmaps_named
from mentor.learning.curriculum import Topic

FOLLOWING = 2  # lines quoted per roadmap
ROADMAPS = 3  # roadmaps quoted
NAMED = 4  # graph successors named
LABEL = re.compile(r":\s*$")
# a roadmap's recap of itself ("FINAL DEPENDENCY SUMMARY", a legend): what follows it is no next step
RECAP = re.compile(r"\b(summary|legend|recap)\b", re.IGNORECASE)


def answer_after(tb: Toolbox, message: str, topics: list[Topic], memory: Memory) -> Draft:
    """'X done, what's next?': what the graph builds on X and what each roadmap puts after it."""
    said = tb.user_message or message
    section = section_asked(tb, said) or _topic_section(tb, said, topics)
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
    memory.suggested = [t.id for t in following]
    return Draft("\n".join([head, *bullets]), quotes, memory.last_topic)


def step_label(cur, topic: Topic) -> str:
    """' (Step 4.1)': where the dependency-correct roadmap puts a topic on its path, if it does."""
    step = cur.step(topic.id)
    return f" (Step {step.name})" if step is not None and step.track == "path" and step.name[:1].isdigit() else ""


def _following_bullets(tb: Toolbox, topics: list[Topic], quotes: dict[int, str]) -> list[str]:
    """Quoted lines each roadmap puts right after the topics' own lines, the dependency-correct
    roadmap first."""
    bullets = []
    backbone = tb.deps.curriculum.backbone_doc
    docs = sorted({s.get("doc") for t in topics for s in t.sources if s.get("doc")}, key=lambda d: (d != backbone, d))
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
        if line.title or (LABEL.search(line.text) and len(line.text.split()) <= 8) or len(line.text.split()) < 2:
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


NAMES_SECTION = re.compile(r"\b(phase|step|weeks?|month|section|level)\s*\d", re.IGNORECASE)


def names_section(tb: Toolbox, message: str) -> bool:
    """Whether a message names a roadmap section: by number ("weeks 15-18"), or by its words in
    the one roadmap it names ("the LLM and agents phase of zero to llm")."""
    if SECTION_LABEL.search(message) and NAMES_SECTION.search(message):
        return True
    if part_named(message) is None:
        return False
    if len(roadmaps_named(tb.deps.documents, message)) == 1:
        return True
    # "after the llm and agents phase whats left?": a part only one roadmap has, by its heading's words
    found = section_passages(tb.deps.passages, message, [], tb.deps.retriever.rewriter.glossary)
    return len({c.doc for c in found}) == 1 and any(STAGE.match(c.section) for c in found)


def section_asked(tb: Toolbox, message: str) -> list[Chunk] | None:
    """The roadmap section a message names ("weeks 15-18 of the six month plan"), if any."""
    if not names_section(tb, message):
        return None
    result = tb.run("read_section", section=message)
    return result.data if isinstance(result.data, list) and result.data else None


def named_section(chunk: Chunk) -> str:
    """A section as a learner finds it: 'Week 7, 8: Level 2 Coding Tutorials', its path's first
    part with its heading when they differ."""
    top, heading = plain(chunk.section.split(" › ")[0]).rstrip("…"), plain(chunk.heading)
    if not heading:
        return top
    return heading if heading.startswith(top) or top in heading else f"{top}: {heading}"


def _in_roadmap(tb: Toolbox, doc: str, topics: list[Topic]) -> Draft | None:
    """The topics in one roadmap's own order, each with the section that has it; None when the
    roadmap places fewer than two of them."""
    placed = [(_topic_passage(tb, doc, topic), topic) for topic in topics]
    placed = sorted(((c, t) for c, t in placed if c is not None), key=lambda ct: ct[0].first_line)
    if len(placed) < 2:
        return None
    steps = " → ".join(f"{short(t)} ({named_section(c)})" for c, t in placed)
    lines = []
    for chunk, topic in placed[:3]:
        tb.run("read_section", section=plain(chunk.heading) or chunk.section, roadmap=doc)
        line = topic_line(tb, tb.book.add(chunk), topic)
        lines += [line] if line is not None and line not in lines else []
    return finish(f"In {doc}'s order: {steps}.", lines)


def before_in_roadmap(tb: Toolbox, doc: str, topic: Topic, after: bool = False) -> Draft | None:
    """'What comes right before the transformer stuff in the llm roadmap?': the section the roadmap
    puts right before the one that has the topic, in its words; None when the roadmap has no such
    section (the topic is not in it, or is at its very start). `after`: what comes right after it too
    ("… and what do i move on to after them?")."""
    chunk = _topic_passage(tb, doc, topic)
    passages = roadmap_passages(tb.deps.passages, doc)
    earlier = [
        c for c in passages if chunk is not None and c.last_line < chunk.first_line and NUMBERED.match(c.section)
    ]
    if not earlier:
        return None
    previous = earlier[-1]
    tb.run("read_section", section=plain(chunk.heading) or chunk.section, roadmap=doc)
    tb.run("read_section", section=plain(previous.heading) or previous.section, roadmap=doc)
    lines = [ln for ln in passage_lines(tb.book.add(previous), previous) if not ln.title][:2]
    head = f"In {doc}, {short(topic)} is at {named_section(chunk)}; right before it comes {named_section(previous)}"
    following = _next_part(tb, chunk) if after else None
    if following is not None:
        head += f", and right after it {named_section(following)}"
        lines += [ln for ln in passage_lines(tb.book.add(following), following) if not ln.title][:1]
    chain = tb.run("prerequisites", topic=topic.id).data or {}
    direct = [p["title"] for p in chain.get("prerequisites", []) if p["depth"] == 1]
    head += f". Across the roadmaps it builds directly on {', '.join(direct[:3])}." if direct else "."
    return finish(head + " What comes right before" + (" and after:" if following is not None else ":"), lines, topic)


def _next_part(tb: Toolbox, chunk: Chunk) -> Chunk | None:
    """What a roadmap puts after a passage: after its whole part when the passage is the part's own
    heading ("Week 15, 16, 17, 18: Machine Learning"), else the next passage."""
    last = chunk
    if chunk.section == _top(chunk):
        last = next((c for c in reversed(roadmap_passages(tb.deps.passages, chunk.doc)) if _top(c) == _top(chunk)), chunk)
    return _next_passage(tb, last)


def _topic_passage(tb: Toolbox, doc: str, topic: Topic) -> Chunk | None:
    """A topic's passage in one roadmap: of those whose heading names it, a numbered section's first, and
    the heading that says least besides ("Week 15, 16, 17, 18: Machine Learning", not the introduction's
    "Step by step roadmap for machine learning engineer"); else the first that lists it."""
    named, listed = _passages_of(tb, doc, topic)
    if named:
        return min(named, key=lambda c: (not NUMBERED.match(c.section), _besides(tb, c.heading, topic)))
    return (listed or [None])[0]


def _besides(tb: Toolbox, heading: str, topic: Topic) -> int:
    """How many words a heading has besides its number ("Week 13, 14:") and the topic's name."""
    text = " ".join(re.sub(r"^\W*((week|phase|step|level)s?\s*)?[\d.,\s–-]*:?", "", heading, flags=re.IGNORECASE).split())
    spans = [(a, b) for a, b, tid in tb.deps.curriculum.mention_spans(text) if tid == topic.id]
    rest = "".join(ch for i, ch in enumerate(text) if not any(a <= i < b for a, b in spans))
    return len(terms(rest))


def _passages_of(tb: Toolbox, doc: str, topic: Topic) -> tuple[list[Chunk], list[Chunk]]:
    """(the passages of one roadmap whose heading names a topic, those whose text names it), in order."""
    cur = tb.deps.curriculum
    passages = roadmap_passages(tb.deps.passages, doc)
    named = [c for c in passages if topic.id in {t for _, _, t in cur.mention_spans(c.heading)}]
    listed = [c for c in passages if topic.id in {t for _, _, t in cur.mention_spans(" ".join(c.text.split()))}]
    return named, listed


def _topic_section(tb: Toolbox, message: str, topics: list[Topic]) -> list[Chunk] | None:
    """'6 month plan: done with the sql weeks, what's next?': the section of the one roadmap
    named whose heading names the topic, so that what comes next is that roadmap's next one."""
    docs = roadmaps_named(tb.deps.documents, message)
    if len(docs) != 1 or not topics:
        return None
    found = []
    for topic in topics:  # each topic's passage: the last whose heading names it, else the first that lists it
        named, listed = _passages_of(tb, docs[0], topic)
        found += named[-1:] or listed[:1]
    # the furthest of them ("the deep learning playlist (ann, cnn, rnn)": its weeks; "… pca included": the list)
    return [max(found, key=lambda c: c.first_line)] if found else None


def section_after(tb: Toolbox, message: str, topic: Topic, known: set[str]) -> str | None:
    """'…can I skip the sql part of the weekly plan, and where do I pick up?': the section after
    the topic's own one, in the one roadmap the message names ("Week 7, 8: Level 2 Coding
    Tutorials of six-month-weekly"), or None; None too when that section also names topics not
    in `known` (the pandas weeks are numpy's and plotting's too)."""
    section = _topic_section(tb, message, [topic])
    if section is None:
        return None
    # what the section is about, not what for ("Week 13, 14: Math, Statistics For Machine Learning": statistics)
    what = re.split(r"\s+for\s+", section[-1].heading, maxsplit=1, flags=re.IGNORECASE)[0]
    named = {tid for _, _, tid in tb.deps.curriculum.mention_spans(what)}
    if not named <= known:
        return None
    last = section[-1]
    following = _next_passage(tb, last)
    return f"{named_section(following)} of {last.doc} (after {named_section(last)})" if following is not None else None


def _next_passage(tb: Toolbox, last: Chunk) -> Chunk | None:
    """The passage of the same roadmap right after `last`, read through `read_section`; None at its end."""
    following = next((c for c in roadmap_passages(tb.deps.passages, last.doc) if c.first_line > last.last_line), None)
    if following is not None:
        tb.run("read_section", section=plain(following.heading), roadmap=following.doc)
    return following


def _top(chunk: Chunk) -> str:
    """The part of its roadmap a passage is in ("Phase 3: The Depth - Deep Learning")."""
    return chunk.section.split(" › ")[0]


NUMBERED = re.compile(r"^\W*((week|phase|step|level)\s*)?\d", re.IGNORECASE)


def pick_up_at(tb: Toolbox, doc: str, known: set[str]) -> Draft | None:
    """'cs grad, solid on DSA and python. on the 6 month plan where do I jump in?': the first
    numbered section of that roadmap naming a topic the learner does not know; None when they know
    every one."""
    cur = tb.deps.curriculum
    anytime: list[str] = []  # "[I]" steps (learn any time alongside) new to the learner: named, not started at
    for chunk in roadmap_passages(tb.deps.passages, doc):
        named = {tid for _, _, tid in cur.mention_spans(" ".join(chunk.heading.split()))}
        if NUMBERED.match(chunk.section) and named and not named <= known:
            if INDEPENDENT.search(chunk.heading):
                anytime += [plain(chunk.heading)] if plain(chunk.heading) not in anytime else []
                continue
            tb.run("read_section", section=plain(chunk.heading), roadmap=doc)
            lines = [ln for ln in passage_lines(tb.book.add(chunk), chunk) if not ln.title][:2]
            new = ", ".join(cur.topics[t].title for t in sorted(named - known, key=cur.sort_key))
            besides = f" Alongside, any time: {'; '.join(anytime)}." if anytime else ""
            head = f"Pick up {doc} at {named_section(chunk)}, its first section with something new for you: {new}."
            return finish(head + besides, lines)
    return None


INDEPENDENT = re.compile(r"\[I\]")  # the dependency-correct roadmap's tag for a step to learn any time


def _after_section(tb: Toolbox, section: list[Chunk], memory: Memory) -> Draft:
    last = section[-1]
    # a whole part named ("after all the deep learning stuff"): the next part
    following = _next_part(tb, section[0]) if section[0].section == _top(section[0]) else _next_passage(tb, last)
    if following is None:
        return finish(f"{plain(last.heading)} is where {last.doc} ends.", [])
    n = tb.book.add(following)
    lines = [ln for ln in passage_lines(n, following) if not ln.title][:3]
    head = f"After {named_section(section[0])}, {last.doc} goes on to {named_section(following)}"
    then = _next_passage(tb, following) if len(lines) < 2 else None  # a phase's one-line intro: its first part too
    if then is not None:
        lines += [ln for ln in passage_lines(tb.book.add(then), then) if not ln.title][: 3 - len(lines)]
        head += f", starting with {plain(then.heading)}"
    return finish(head + ":", lines)


# --- several topics in order --------------------------------------------------------------------


def answer_order(intent, message, tb, memory, mode_note) -> Draft:
    """'In what order should I learn A, B and C?': the graph's order, with what goes in parallel."""
    cur = tb.deps.curriculum
    topics = mentioned(message, cur)
    docs = roadmaps_named(tb.deps.documents, message)
    if len(topics) < 2 and docs and STAGES.search(message):  # "the order of the zero-to-llm phases"
        return _stages(tb, docs[0], message)
    if len(topics) < 2:
        return answer_after(tb, message, topics, memory) if topics else finish("Which topics do you mean?", [])
    if len(docs) == 1:  # "what order does the six month roadmap put sql, numpy and maths in?": its sections'
        placed = _in_roadmap(tb, docs[0], topics)
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
