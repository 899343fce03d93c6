"""Where things sit in one roadmap's own sequence: the section a message names ("weeks 15-18 of
the six month plan", "the llm and agents phase"), a topic's own section in a roadmap (the numbered
section whose heading says least besides the topic), what that roadmap puts right before and right
after it (after a whole part, the next part), and where a learner with a background picks a roadmap
up. Every passage is read through `read_section`, so the trace shows what was looked at.

Not here: the answers that use these (`order.py`, `decision.py`, `next.py`, `knowledge.py`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from mentor.assistant.evidence import Line, passage_lines, terms
from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.outline import STAGE, first_section
from mentor.assistant.offline.shapes import backbone_first, finish, plain, short, topic_line
from mentor.assistant.parts import SECTION_LABEL, own_words, part_named, roadmap_passages, section_passages
from mentor.assistant.tools import Toolbox
from mentor.corpus.chunks import Chunk
from mentor.corpus.documents import roadmaps_named
from mentor.learning.curriculum import Topic
from mentor.learning.plan import passage_for

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
    message = DURATION.sub(" ", message)  # "taught calc for 10 yrs … which sections of phase 1": no section 10
    if not names_section(tb, message):
        return None
    result = tb.run("read_section", section=message)
    return result.data if isinstance(result.data, list) and result.data else None


DURATION = re.compile(  # "10 yrs", not the name of "the 6 month plan"
    r"\b\d+(\.\d+)?\s*\+?\s*(yrs?|years?|months?|mos|days?|hours?|hrs?|h)\b"
    r"(?![\s-]*(plan|roadmap|schedule|course|curriculum|program|one)\b)",
    re.IGNORECASE,
)
HEADING_NUMBER = re.compile(r"^\W*(\d+(?:\.\d+)+)\.?\s")  # a numbered heading's number, "16.4"


def named_section(chunk: Chunk) -> str:
    """A section as a learner finds it: 'Week 7, 8: Level 2 Coding Tutorials', its path's first
    part with its heading when they differ."""
    top, heading = plain(chunk.section.split(" › ")[0]).rstrip("…"), plain(chunk.heading)
    if not heading:
        return top
    number = HEADING_NUMBER.match(chunk.heading)
    numbered = f"{number.group(1)} {heading}" if number else heading  # "16.4 Orchestration (…)": findable
    return numbered if heading.startswith(top) or top in heading else f"{top}: {numbered}"


def in_roadmap(tb: Toolbox, doc: str, topics: list[Topic]) -> Draft | None:
    """The topics in one roadmap's own order, each with the section that has it; None when the
    roadmap places fewer than two of them."""
    placed = [(topic_passage(tb, doc, topic), topic) for topic in topics]
    # by the section, then by where in it ("RAG Engineering" before "Agent Systems" in one passage)
    placed = sorted(((c, t) for c, t in placed if c is not None), key=lambda ct: (ct[0].first_line, _at(tb, *ct)))
    if len(placed) < 2:
        return None
    steps = " → ".join(f"{short(t)} ({named_section(c)})" for c, t in placed)
    lines = _edge_line(tb, doc, [t for _, t in placed])
    for chunk, topic in placed[:3]:
        tb.run("read_section", section=plain(chunk.heading) or chunk.section, roadmap=doc)
        line = topic_line(tb, tb.book.add(chunk), topic)
        lines += [line] if line is not None and line not in lines else []
    return finish(f"In {doc}'s order: {steps}.", lines)


def _edge_line(tb: Toolbox, doc: str, topics: list[Topic]) -> list[Line]:
    """The roadmap's own line for a step of the topics' order, when it has one ("MLOps → AFTER deployment"),
    its passage read through the tools: the first quoted."""
    cur = tb.deps.curriculum
    edges = [cur.edge(a.id, b.id) for a, b in zip(topics, topics[1:])]
    for quote in dict.fromkeys(e.quote.strip().rstrip(":") for e in edges if e and e.doc == doc and e.quote):
        chunk = passage_for(doc, quote, tb.deps.passages)
        found = [ln for ln in passage_lines(0, chunk) if ln.text.strip().rstrip(":") == quote] if chunk else []
        if found and not found[0].title:
            tb.run("read_section", section=plain(chunk.heading) or chunk.section, roadmap=doc)
            return [replace(found[0], n=tb.book.add(chunk))]
    return []


def _right_before(tb: Toolbox, chunk: Chunk, topic: Topic) -> list[Line]:
    """The body line right before the topic's own in its passage ("CNN and Sequence Intro" before "… Transformer
    work"), by where each line stands; none that names the topic itself."""
    cur = tb.deps.curriculum
    lines, at, end, found = passage_lines(0, chunk), _at(tb, chunk, topic), 0, []
    for line in lines:  # each line where it stands, read forwards: a line's words may also be in an earlier one
        start = chunk.text.find(line.text, end)
        if start < 0 or start + len(line.text) > at:
            break
        end = start + len(line.text)
        if topic.id in {tid for _, _, tid in cur.mention_spans(line.text)}:
            break  # the topic's own line comes first
        found += [line] if not line.title else []
    return found[-1:]


def places(tb: Toolbox, topic: Topic, docs: list[str]) -> str:
    """'Where each has SQL: six-month-weekly in Week 5, 6: SQL; learning-algorithm in Step 0.4 [I]: Learn
    SQL basics.': the section each roadmap has a topic in, for the roadmaps of a disagreement; "" when
    fewer than two of them place it."""
    found = [(doc, topic_passage(tb, doc, topic)) for doc in dict.fromkeys(docs)]
    found = [(doc, chunk) for doc, chunk in found if chunk is not None]
    if len(found) < 2:
        return ""
    for doc, chunk in found:
        tb.run("read_section", section=plain(chunk.heading) or chunk.section, roadmap=doc)
    where = "; ".join(f"{doc} in {named_section(chunk)}" for doc, chunk in found)
    return f" Where each has {short(topic)}: {where}."


def _at(tb: Toolbox, chunk: Chunk, topic: Topic) -> int:
    """Where in a passage a topic stands: its own line there (a source the curriculum cites), else where
    the passage's body first names it (its heading names the whole part: "Phase 4 - LLM and Agents")."""
    own = [chunk.text.find(s["quote"]) for s in topic.sources if s.get("doc") == chunk.doc and s.get("quote")]
    if any(at >= 0 for at in own):
        return min(at for at in own if at >= 0)
    body = chunk.text.split("\n", 1)[-1]
    found = [a for a, _, tid in tb.deps.curriculum.mention_spans(body) if tid == topic.id]
    return len(chunk.text) - len(body) + min(found, default=len(body))


def before_in_roadmap(tb: Toolbox, doc: str, topic: Topic, after: bool = False, own: bool = False) -> Draft | None:
    """'What comes right before the transformer stuff in the llm roadmap?': the section the roadmap
    puts right before the one that has the topic, in its words; None when the roadmap has no such
    section (the topic is not in it, or is at its very start). `after`: what comes right after it too
    ("… and what do i move on to after them?"); `own`: the topic's own line first ("where does git come in …?")."""
    chunk = topic_passage(tb, doc, topic)
    passages = roadmap_passages(tb.deps.passages, doc)
    earlier = [
        c for c in passages if chunk is not None and c.last_line < chunk.first_line and NUMBERED.match(c.section)
    ]
    if not earlier:
        return None
    previous = earlier[-1]
    tb.run("read_section", section=plain(chunk.heading) or chunk.section, roadmap=doc)
    tb.run("read_section", section=plain(previous.heading) or previous.section, roadmap=doc)
    # the section before by its first line and its last (what it is, and what leads into the topic), and the line
    # right before the topic's own in its section ("CNN and Sequence Intro" before "Transformer work")
    body = [ln for ln in passage_lines(tb.book.add(previous), previous) if not ln.title]
    mine = topic_line(tb, tb.book.add(chunk), topic) if own else None
    lines = [mine] if mine is not None else []
    lines += body[:1] + [ln for ln in body[1:] if len(terms(ln.text)) > 1][-1:]  # its last line that says something
    if topic.id not in {tid for _, _, tid in tb.deps.curriculum.mention_spans(chunk.heading)}:  # named for it: all
        lines += [replace(ln, n=tb.book.add(chunk)) for ln in _right_before(tb, chunk, topic)]  # of it is the topic
    head = f"In {doc}, {short(topic)} is at {named_section(chunk)}; right before it comes {named_section(previous)}"
    following = next_part(tb, chunk) if after else None
    if following is not None:
        head += f", and right after it {named_section(following)}"
        lines += [ln for ln in passage_lines(tb.book.add(following), following) if not ln.title][:1]
    chain = tb.run("prerequisites", topic=topic.id).data or {}
    direct = [p["title"] for p in chain.get("prerequisites", []) if p["depth"] == 1]
    head += f". Across the roadmaps it builds directly on {', '.join(direct[:3])}." if direct else "."
    what = "what comes right before" + (" and after:" if following is not None else ":")
    said = f" Its own line, then {what}" if mine is not None else f" {what[0].upper()}{what[1:]}"
    return finish(head + said, lines, topic)


def everywhere(tb: Toolbox, topic: Topic) -> Draft | None:
    """'Where does model versioning come in?' asked of no roadmap: the section each roadmap has the topic in,
    the dependency-correct roadmap first, with its line there; None when fewer than two roadmaps place it."""
    docs = backbone_first(tb.deps.curriculum, [s["doc"] for s in topic.sources if s.get("doc")])
    found = [(doc, chunk) for doc in docs if (chunk := topic_passage(tb, doc, topic)) is not None]
    if len(found) < 2:
        return None
    lines = []
    for doc, chunk in found:
        tb.run("read_section", section=plain(chunk.heading) or chunk.section, roadmap=doc)
        line = topic_line(tb, tb.book.add(chunk), topic)
        lines += [line] if line is not None else []
    where = "; ".join(f"{doc} at {named_section(chunk)}" for doc, chunk in found)
    return finish(f"Where each roadmap has {short(topic)}: {where}.", lines[:4], topic)


def between_in_roadmap(tb: Toolbox, doc: str, one: Topic, other: Topic) -> Draft | None:
    """'Whats the path from basic neural nets to cnns in the master curriculum, which sections are in
    between?': the sections of that roadmap between the two topics' own, in its order; None when the
    roadmap does not place both."""
    ends = sorted(
        (c for c in (topic_passage(tb, doc, t) for t in (one, other)) if c is not None), key=lambda c: c.first_line
    )
    if len(ends) < 2 or ends[0] is ends[1]:
        return None
    inside = [
        c for c in roadmap_passages(tb.deps.passages, doc) if ends[0].last_line < c.first_line < ends[1].first_line
    ]
    names = list(dict.fromkeys(plain(c.heading) or named_section(c) for c in inside))  # "Training Neural Networks"
    head = f"In {doc}, from {named_section(ends[0])} to {named_section(ends[1])}"
    if not names:
        return finish(f"{head} nothing comes in between: the one follows the other.", [])
    shown = "; ".join(names[:MAX_BETWEEN]) + ("; …" if len(names) > MAX_BETWEEN else "")
    lines = []
    for chunk in inside[:2]:
        tb.run("read_section", section=plain(chunk.heading) or chunk.section, roadmap=doc)
        lines += [ln for ln in passage_lines(tb.book.add(chunk), chunk) if not ln.title][:1]
    return finish(f"{head}, these come in between: {shown}.", lines)


MAX_BETWEEN = 6  # sections named


def next_part(tb: Toolbox, chunk: Chunk) -> Chunk | None:
    """What a roadmap puts after a passage: after its whole part when the passage is the part's own
    heading ("Week 15, 16, 17, 18: Machine Learning"), else the next passage."""
    last = chunk
    if chunk.section == top_part(chunk):
        last = next(
            (c for c in reversed(roadmap_passages(tb.deps.passages, chunk.doc)) if top_part(c) == top_part(chunk)),
            chunk,
        )
    return next_passage(tb, last)


def topic_passage(tb: Toolbox, doc: str, topic: Topic) -> Chunk | None:
    """A topic's passage in one roadmap: of those whose heading names it, a numbered section's first, and
    the heading that says least besides ("Week 15, 16, 17, 18: Machine Learning", not the introduction's
    "Step by step roadmap for machine learning engineer"); else the first that lists it."""
    named, listed = _passages_of(tb, doc, topic)
    if named:
        return min(named, key=lambda c: (not NUMBERED.match(c.section), _besides(tb, c.heading, topic)))
    return (listed or [None])[0]


def _besides(tb: Toolbox, heading: str, topic: Topic) -> int:
    """How many words a heading has besides its number ("Week 13, 14:") and the topic's name."""
    text = " ".join(
        re.sub(r"^\W*((week|phase|step|level)s?\s*)?[\d.,\s–-]*:?", "", heading, flags=re.IGNORECASE).split()
    )
    spans = [(a, b) for a, b, tid in tb.deps.curriculum.mention_spans(text) if tid == topic.id]
    rest = "".join(ch for i, ch in enumerate(text) if not any(a <= i < b for a, b in spans))
    return len(terms(rest))


def _passages_of(tb: Toolbox, doc: str, topic: Topic) -> tuple[list[Chunk], list[Chunk]]:
    """(the passages of one roadmap whose heading names a topic, those whose text names it), in order."""
    cur = tb.deps.curriculum
    passages = roadmap_passages(tb.deps.passages, doc)
    named = [c for c in passages if topic.id in {t for _, _, t in cur.mention_spans(own_words(c.heading))}]
    listed = [c for c in passages if topic.id in {t for _, _, t in cur.mention_spans(own_words(c.text))}]
    return named, listed


def topic_section(tb: Toolbox, message: str, topics: list[Topic]) -> list[Chunk] | None:
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
    section = topic_section(tb, message, [topic])
    if section is None:
        return None
    # what the section is about, not what for ("Week 13, 14: Math, Statistics For Machine Learning": statistics)
    what = re.split(r"\s+for\s+", section[-1].heading, maxsplit=1, flags=re.IGNORECASE)[0]
    named = {tid for _, _, tid in tb.deps.curriculum.mention_spans(what)}
    if not named <= known:
        return None
    last = section[-1]
    following = next_passage(tb, last)
    return f"{named_section(following)} of {last.doc} (after {named_section(last)})" if following is not None else None


def next_passage(tb: Toolbox, last: Chunk) -> Chunk | None:
    """The passage of the same roadmap right after `last`, read through `read_section`; None at its end."""
    following = next((c for c in roadmap_passages(tb.deps.passages, last.doc) if c.first_line > last.last_line), None)
    if following is not None:
        tb.run("read_section", section=plain(following.heading), roadmap=following.doc)
    return following


def top_part(chunk: Chunk) -> str:
    """The part of its roadmap a passage is in ("Phase 3: The Depth - Deep Learning")."""
    return chunk.section.split(" › ")[0]


NUMBERED = re.compile(r"^\W*((week|phase|step|level)\s*)?\d", re.IGNORECASE)


STEP_LABEL = re.compile(r"\bStep\s*\d+(\.\d+)*", re.IGNORECASE)


def _with_step(tb: Toolbox, step: Chunk) -> Chunk | None:
    """The step a roadmap marks to be learned in parallel with `step` ("Step 1.2 [P with Step 1.1]"), if any."""
    label = STEP_LABEL.search(step.heading)
    if label is None:
        return None
    mark = re.compile(rf"\[P with {re.escape(label.group(0))}\]", re.IGNORECASE)
    return next((c for c in roadmap_passages(tb.deps.passages, step.doc) if mark.search(c.heading)), None)


def pick_up_at(tb: Toolbox, doc: str, known: set[str]) -> Draft | None:
    """'cs grad, solid on DSA and python. on the 6 month plan where do I jump in?': the first
    numbered section naming a topic the learner does not know, past the furthest foundations
    section they mostly know (a Java developer of 8 years with SQL and OOP starts at NumPy and
    pandas, not at how computers work); what they skip that is new to them is named. None when
    they know every topic."""
    cur = tb.deps.curriculum
    sections = []  # (passage, the topics its heading names), numbered sections only
    for chunk in roadmap_passages(tb.deps.passages, doc):
        named = _subjects(cur, own_words(chunk.heading))
        if NUMBERED.match(chunk.section) and named:
            sections.append((chunk, named))
    passed = max((i for i in range(len(sections)) if _passed(cur, sections[: i + 1], known)), default=-1)
    skipped = [t for _, named in sections[: passed + 1] for t in sorted(named - known, key=cur.sort_key)]
    anytime: list[str] = []  # "[I]" steps (learn any time alongside) new to the learner: named, not started at
    later = sections[passed + 1 :]
    for i, (chunk, named) in enumerate(later):
        if named <= known:
            continue
        # "[I]" is any time, unless what comes later needs it ("Step 0.1 [I]: Learn Python fundamentals first.")
        needed = set().union(*(cur.ancestors(t) for _, after in later[i + 1 :] for t in after))
        if INDEPENDENT.search(chunk.heading) and not (named - known) & needed:
            anytime += [plain(chunk.heading)] if plain(chunk.heading) not in anytime else []
            continue
        tb.run("read_section", section=plain(chunk.heading), roadmap=doc)
        lines = [ln for ln in passage_lines(tb.book.add(chunk), chunk) if not ln.title][:2]
        new = ", ".join(cur.topics[t].title for t in sorted(named - known, key=cur.sort_key))
        besides = f" Alongside, any time: {'; '.join(anytime)}." if anytime else ""
        gaps = list(dict.fromkeys(short(cur.topics[t]) for t in skipped))
        earlier = (
            f" Earlier sections have some you didn't mention, worth a look: {', '.join(gaps[:4])}." if gaps else ""
        )
        head = f"Pick up {doc} at {named_section(chunk)}, its first section with something new for you: {new}."
        inner = first_section(tb, chunk) if len(lines) < 2 else None
        if inner is not None:  # a part's one-line intro: where in it to start too
            first = inner[1]
            head = f"{head[:-1]}, starting with {plain(first.heading).rstrip(':')}."
            lines += [ln for ln in passage_lines(tb.book.add(first), first) if not ln.title and ln.text[-1:] != ":"][:3]
            beside = _with_step(tb, first)  # "Step 1.2 [P with Step 1.1]: Immediately IMPLEMENT using scikit-learn"
            if beside is not None:
                tb.run("read_section", section=plain(beside.heading), roadmap=doc)
                head = f"{head[:-1]}, with {plain(beside.heading).rstrip(':')} alongside it."
        return finish(head + besides + earlier, lines, lists=True)
    return None


def _subjects(cur, heading: str) -> set[str]:
    """The topics a heading is about: not ML or AI named as what it is for ("2.2. Essential Libraries for ML" is
    about libraries); a topic's full name after "for" still counts ("Regularization for Deep Learning")."""
    return {
        tid for start, end, tid in cur.mention_spans(heading) if end - start > 2 or not FOR_WHAT.search(heading[:start])
    }


FOR_WHAT = re.compile(r"\bfor\s+(the\s+)?$", re.IGNORECASE)


def _builds_on(cur, topic_id: str) -> set[str]:
    """The foundations a topic is learned with or after (pandas: Python, NumPy); none for SQL."""
    topic = cur.topics[topic_id]
    around = set(topic.prerequisites) | cur.ancestors(topic_id, soft=True) | set(topic.parallel)
    return {t for t in around if cur.topics[t].phase == "foundations"}


def _passed(cur, sections: list, known: set[str]) -> bool:
    """Whether a learner is past the last of these sections: a foundations section (programming, data
    libraries) they know more than half of, reached along the path: they know more than half of everything
    up to it, or what they know there builds on what they know (pandas on Python). SQL alone, learned with
    nothing of the foundations, says nothing of the Python before it."""
    named = sections[-1][1]
    if not all(cur.topics[t].phase == "foundations" for t in named) or 2 * len(named & known) <= len(named):
        return False
    every = set().union(*(n for _, n in sections))
    along = any(_builds_on(cur, t) & known for t in named & known)
    return along or 2 * len(every & known) > len(every)


INDEPENDENT = re.compile(r"\[I\]")  # the dependency-correct roadmap's tag for a step to learn any time
