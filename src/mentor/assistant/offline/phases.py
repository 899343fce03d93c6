"""Offline answers about a whole phase of the curriculum ("which maths do I actually need?",
"what should I do about maths?"): a question that names a phase, not one of its topics, is
answered with the phase's topics in the roadmaps' order and how the dependency-correct
roadmap places the phase (maths: learned alongside, when needed, never a course to finish
first), with the lines the roadmaps give for it.

A phase is named by the words of its title before any colon, bracket, comma, "&" or "for"
("Mathematics for ML (parallel support to ML theory)" is named by "mathematics", "MLOps & ML
system design" by "mlops"), with the glossary's expansions ("maths" is "mathematics"). A
question naming one of the phase's topics is about that topic, unless it asks which parts of
the phase ("which parts of mlops will be new to me?").

Not here: answers about one topic (`knowledge.py`, `shapes.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.evidence import terms
from mentor.assistant.offline.draft import Draft, Memory
from mentor.assistant.offline.shapes import MAX_QUOTES, finish, gather, mentioned, select, short
from mentor.assistant.tools import Toolbox

SHOWN = 6  # topics named
# "which parts of mlops …": the phase's topics are asked for, even where a topic shares its name
PARTS = re.compile(r"\b(which|what) (parts?|topics|areas|bits|pieces)\b", re.IGNORECASE)
ROADMAP = re.compile(r"\b(roadmaps?|curriculum|plan)\b", re.IGNORECASE)


def named_phase(tb: Toolbox, message: str) -> str | None:
    """The id of the phase `message` names when it names none of that phase's topics."""
    if ROADMAP.search(message):  # "the maths roadmap" is a roadmap, asked about in its own words
        return None
    cur = tb.deps.curriculum
    said = set(terms(tb.deps.retriever.rewriter.rewrite(message)))
    named = {t.phase for t in mentioned(message, cur)} if not PARTS.search(message) else set()
    for pid, title in cur.phase_titles.items():
        lead = set(terms(re.split(r"[:(,&]|\bfor\b", title, maxsplit=1)[0]))
        if lead and lead <= said and pid not in named:
            return pid
    return None


def answer_phase(tb: Toolbox, message: str, phase: str, memory: Memory) -> Draft:
    cur = tb.deps.curriculum
    topics = sorted((t for t in cur.topics.values() if t.phase == phase), key=lambda t: cur.sort_key(t.id))
    names = ", ".join(short(t) for t in topics[:SHOWN])
    tracks = {cur.step(t.id).track for t in topics if cur.step(t.id) is not None}
    title = cur.phase_titles[phase]
    if tracks == {"parallel"} or "parallel" in title.lower():
        head = (
            f"{title}: learn it alongside ML, the part each topic needs when you reach it, "
            f"not as a course to finish first. Its topics: {names}."
        )
    else:
        head = f"{title}: its topics, in the roadmaps' order, are {names}."
    lines = gather(tb, [message], topics[:2])
    chosen = select(lines, f"{message} {title}", MAX_QUOTES)
    memory.last_topic = topics[0] if topics else None
    return finish(head, chosen, memory.last_topic)
