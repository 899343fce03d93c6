"""Where a learner with a background stands in the roadmaps, beyond where to start: the sections
they can skim, for what they already work with ("been a software engineer for years, testing and
clean code are my day job. which part can I mostly skim?"), and the part of a roadmap that is for
their goal ("I use sklearn and pytorch at work and want to move into LLM apps. which part of the
zero to llm roadmap is for me?"), and what is left of a section named for what they know ("i have a cs
degree … which parts of phase 1 of the master curriculum should i still do?").

Not here: where to pick up ("where do I jump in?": `placing.pick_up_at`), next steps (`next.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.background import background_topics, lacking, role_topics
from mentor.assistant.evidence import passage_lines, select
from mentor.assistant.forms import asks_yes_no
from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.placing import NUMBERED, named_section, section_asked, top_part, topic_passage
from mentor.assistant.offline.shapes import finish, short, topic_line
from mentor.assistant.offline.verdicts import known_from
from mentor.assistant.parts import own_words, sections_of
from mentor.assistant.tools import Toolbox
from mentor.corpus.chunks import Chunk
from mentor.learning.curriculum import Topic

SKIM = re.compile(
    r"\b(skim|skip|fast[- ]?forward|leave out|breeze through|speed through"
    r"|go (light|lighter|easy|quickly) (on|through))\b",
    re.IGNORECASE,
)
FOR_ME = re.compile(
    r"\b(for me|should i (focus on|go for|start)|is mine|my part|where (do|should|can) i (jump|dive|get|come) in)\b",
    re.IGNORECASE,
)
# "which parts of phase 1 … should i still do?", "what's left for me in phase 0?"
STILL = re.compile(
    r"\b(still (do|need|have to|learn|study|cover|go through)|(is|are) left|left (for me|to do|to learn)|remaining"
    r"|new (for|to) me|put (my|most of my|the most) time|spend (my|more|most of my) time|slow down)\b",  # "which
    # bits would actually be new to me?", "which sections can i skim and where should i put my time?"
    re.IGNORECASE,
)
SHOWN = 2  # sections named


def skim_places(tb: Toolbox, message: str, docs: list[str], used: list[Topic]) -> list[tuple[str, Chunk, list[Topic]]]:
    """(roadmap, passage, the topics of theirs it covers) for the sections that cover what the learner says they
    work with, in the roadmap named (in the roadmaps whose numbered sections have them, when none is), those
    covering most first; [] when none does, or the question asks no such thing."""
    if not SKIM.search(message) or not used:
        return []
    places = []
    for doc in docs or [d.id for d in tb.deps.documents]:
        found = {}
        for topic in used:
            passage = topic_passage(tb, doc, topic)
            if passage is not None and (docs or NUMBERED.match(passage.section)):
                found.setdefault(top_part(passage), (passage, []))[1].append(topic)
        places += [(doc, passage, topics) for passage, topics in found.values()]
    places.sort(key=lambda p: -len(p[2]))  # the sections covering most of what they know first
    return places[:SHOWN]


def answer_skim(tb: Toolbox, places: list[tuple[str, Chunk, list[Topic]]]) -> Draft:
    """What the learner can skim: the sections of `skim_places`, each with its line about what they know."""
    named = "; ".join(f"{doc}'s {top_part(c)} ({', '.join(short(t) for t in topics)})" for doc, c, topics in places)
    lines = [
        line for doc, passage, topics in places if (line := topic_line(tb, tb.book.add(passage), topics[0])) is not None
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


def answer_still(tb: Toolbox, message: str, said: str) -> Draft | None:
    """'I have a cs degree so data structures, big o and git are fine. which parts of phase 1 of the master
    curriculum should i still do?': the named section's parts that hold a topic the learner has not said
    they know, first lines quoted, and the parts to skim; None without a background said, a section
    named, or parts that differ."""
    cur = tb.deps.curriculum
    used = {t.id for t in background_topics(said, cur)}
    job = {t.id for t in role_topics(said, cur)} if not used else set()  # what they name, else their job's, as it is
    done = {p.topic for p in tb.proposals if p.kind == "status" and p.status == "done"}
    if not STILL.search(message) or not used | done | job or asks_yes_no(message):  # "is phase 2 still relevant?"
        return None
    section = section_asked(tb, message)
    if not section:
        return None
    lacks = lacking(said, cur)  # "i use git and linux daily but never used jupyter": jupyter is no part to skim
    known, own = (known_from(tb, used) | job) - lacks, used | done | job
    top = top_part(section[0])  # all of the part named; the tool shows its first passages
    parts = sections_of(tb.deps.passages, section[0].doc, top)
    if section[0].section != top:  # a section inside a part: its own passages only
        parts = {name: [c for c in chunks if c in section] for name, chunks in parts.items()}
        parts = {name: chunks for name, chunks in parts.items() if chunks}
    todo, skim = [], []
    for name, chunks in parts.items():  # known: what its heading names, and most of what it names
        about = {tid for _, _, tid in cur.mention_spans(own_words(name))}
        named = {tid for c in chunks for _, _, tid in cur.mention_spans(" ".join(c.text.split()))} | about
        # a heading naming nothing is skimmed for what the learner said, not what it implies ("i use pytorch" is no
        # "Learn first ML algorithm THEORY"): "Step 0.3 …: Learn basic engineering tools" for git and linux
        held = known if about else own
        mostly = bool(named) and about <= known and 2 * len(named & held) >= len(named) and not named & lacks
        (skim if mostly else todo).append(name)
    if not todo:
        return None
    where = named_section(section[0])
    todo_names, todo = todo, [_with_parts(name, parts[name]) for name in todo]
    if skim:
        head = f"Of {where}, still do {', '.join(todo)}; you can skim {', '.join(skim)}, from what you said you know."
    else:
        head = (
            f"All of {where} is still for you: each part has something you haven't said you know ({', '.join(todo)})."
        )
    lines = [line for name in todo_names[:3] if (line := _new_line(tb, parts[name], known)) is not None]
    return finish(head, lines)


def _new_line(tb: Toolbox, chunks: list[Chunk], known: set[str]):
    """A part's first line naming a topic the learner has not said they know ("18.2. Detecting Data Drift …" for
    one who knows Kubernetes and CI/CD); its first line when none does."""
    cur = tb.deps.curriculum
    first = None
    for chunk in chunks:
        for line in passage_lines(0, chunk):
            if line.title or line.text[-1:] == ":":
                continue
            first = first or (chunk, line.text)
            if {tid for _, _, tid in cur.mention_spans(line.text)} - known:
                return _numbered(tb, chunk, line.text)
    return _numbered(tb, *first) if first else None


def _numbered(tb: Toolbox, chunk: Chunk, text: str):
    """The line of `chunk` whose text is `text`, numbered as the answer cites the passage."""
    return next(ln for ln in passage_lines(tb.book.add(chunk), chunk) if ln.text == text)


def _with_parts(name: str, chunks: list) -> str:
    """A section's name with its own sections' ("Mathematics for Machine Learning (1.1 Linear Algebra, …)")."""
    inner = list(dict.fromkeys(c.section.split(" › ")[2] for c in chunks if c.section.count(" › ") >= 2))
    return f"{name} ({', '.join(inner[:4])})" if inner else name
