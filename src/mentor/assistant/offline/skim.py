"""Where a learner with a background stands in the roadmaps, beyond where to start: the sections
they can skim, for what they already work with ("been a software engineer for years, testing and
clean code are my day job. which part can I mostly skim?"), and the part of a roadmap that is for
their goal ("I use sklearn and pytorch at work and want to move into LLM apps. which part of the
zero to llm roadmap is for me?").

Not here: where to pick up ("where do I jump in?": `placing.pick_up_at`), next steps (`next.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.evidence import passage_lines, select
from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.placing import NUMBERED, named_section, top_part, topic_passage
from mentor.assistant.offline.shapes import finish, short, topic_line
from mentor.assistant.tools import Toolbox
from mentor.learning.curriculum import Topic

SKIM = re.compile(r"\b(skim|skip|fast[- ]?forward|leave out|breeze through)\b", re.IGNORECASE)
FOR_ME = re.compile(r"\b(for me|should i (focus on|go for|start)|is mine|my part)\b", re.IGNORECASE)
SHOWN = 2  # sections named


def answer_skim(tb: Toolbox, message: str, docs: list[str], used: list[Topic]) -> Draft | None:
    """The sections that cover what the learner says they work with, in the roadmap named (in the
    roadmaps whose numbered sections have them, when none is): what they can skim. None when none
    does, or the question asks no such thing."""
    if not SKIM.search(message) or not used:
        return None
    places = []  # (doc, passage, the topics of theirs it covers)
    for doc in docs or [d.id for d in tb.deps.documents]:
        found = {}
        for topic in used:
            passage = topic_passage(tb, doc, topic)
            if passage is not None and (docs or NUMBERED.match(passage.section)):
                found.setdefault(top_part(passage), (passage, []))[1].append(topic)
        places += [(doc, passage, topics) for passage, topics in found.values()]
    if not places:
        return None
    places.sort(key=lambda p: -len(p[2]))  # the sections covering most of what they know first
    shown = places[:SHOWN]
    named = "; ".join(f"{doc}'s {top_part(c)} ({', '.join(short(t) for t in topics)})" for doc, c, topics in shown)
    lines = [
        line for doc, passage, topics in shown if (line := topic_line(tb, tb.book.add(passage), topics[0])) is not None
    ]
    return finish(f"You can skim what you already work with: {named}.", lines)


def answer_goal_part(tb: Toolbox, message: str, doc: str, goal: Topic | None) -> Draft | None:
    """'Which part of the zero to llm roadmap is for me?' with a goal said: that roadmap's section for it,
    what it holds quoted; None without a goal, or when the roadmap has no section for it."""
    if goal is None or not FOR_ME.search(message):
        return None
    passage = topic_passage(tb, doc, goal)
    if passage is None:
        return None
    n = tb.book.add(passage)
    lines = select([ln for ln in passage_lines(n, passage) if not ln.title], f"{message} {goal.title}", 3)
    return finish(f"For {short(goal)}, {doc} has {named_section(passage)}.", lines, goal, lists=True)
