"""'Will I be job ready after the 6 month plan?': not by itself, where a roadmap says what more it takes.
'Do I have to watch the whole kudvenkat SQL playlist?', 'am I expected to do both computer vision and
NLP?': a question whether all of something is needed, answered no where the roadmaps ask for only part of
it ("watch first 12 videos") or a choice ("Choose 1-2 tracks like CV/NLP"), quoting the line that says so.
'Can I use Keras instead of PyTorch?': yes where a roadmap lets the learner pick either.

Not here: the other decisions (`decision.py`).
"""

from __future__ import annotations

import dataclasses
import re

from mentor.assistant.evidence import Line, passage_lines, select
from mentor.assistant.forms import JOB_READY
from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.placing import topic_passage
from mentor.assistant.offline.shapes import finish, mentioned
from mentor.assistant.parts import roadmap_passages
from mentor.assistant.tools import Toolbox
from mentor.corpus.documents import roadmaps_named
from mentor.learning.curriculum import Topic

# a clause that asks yes or no ("do i have to watch all of it?"), read by the decisions too
YES_NO_CLAUSE = re.compile(r"^\W*(should|must|do|does|can|could|is|are|am|will|would|need)\b", re.IGNORECASE)


def answer_portion(tb: Toolbox, clause: str, topics: list[Topic]) -> Draft | None:
    """No, with the line asking for part of it, or None when the roadmaps ask for no part of it."""
    part = _only_part(tb, clause, topics)
    if part is None:
        return None
    some = "only part of it" if FIRST_LINE.search(part.text) else "a choice among them"
    head = f"No: {part.chunk.doc} asks for {some}, not all of it"
    if part.title:  # a heading says it ("Deep Learning Frameworks (Choosing one or two to focus on)"): what it holds
        body = [ln for ln in passage_lines(part.n, part.chunk) if not ln.title]
        return finish(f"{head}: {' '.join(part.text.split())}.", select(body, clause, 2), topics[0] if topics else None)
    return finish(f"{head}.", [part], topics[0] if topics else None)


# asking whether all of something is needed, and the roadmaps' words for a part of it: the first few of a resource
# for "the whole playlist", a choice for "both"
ALL_ASK = re.compile(r"\b(both|whole|entire|every|all (of )?(the|it|them|these|those)|all \d+)\b", re.IGNORECASE)
FIRST_LINE = re.compile(r"\b(first \d+|only follow first)\b", re.IGNORECASE)
CHOICE_OF = re.compile(r"\b(one or two|\d+-\d+ tracks|pick (one|either)|choose one)\b", re.IGNORECASE)
RESOURCE = re.compile(r"\b(playlist|course|book|videos?|series|tutorials?|sections)\b", re.IGNORECASE)


def _only_part(tb: Toolbox, asked: str, said: list[Topic]) -> Line | None:
    """The line that asks for only part of what a question asks whether all of is needed ("the whole
    kudvenkat sql playlist": "(watch first 12 videos)"; "both computer vision and nlp": "Choose 1-2
    tracks"), about the topics the "whole" or "both" is of (`said`, the message's, for "all of it"), in the
    roadmap named when one is; or None."""
    every = ALL_ASK.search(asked)
    if every is None or not YES_NO_CLAUSE.match(asked):
        return None
    cur = tb.deps.curriculum
    phrase = re.split(r"\b(before|after|for|in|to|at|of the|so)\b|[,?.!;]", asked[every.end() :], maxsplit=1)[0]
    topics = mentioned(phrase, cur)  # what the "whole" or "both" is of: "the whole kudvenkat sql playlist"
    pronoun = not topics and re.search(r"\b(it|them|these|those)$|^both$", every.group(0), re.IGNORECASE)
    if pronoun:
        strong = {tid for tid, length in cur.mentions(tb.user_message or asked) if length > 2}  # not "the ml part"
        topics = [t for t in said if t.id in strong]  # "… sql playlist, do i have to watch all of it?"
    if not topics:
        return None
    both = every.group(0).lower() == "both"
    if both and len(topics) < 2:  # "do i need both?" of what?
        return None
    said_all = tb.user_message or asked
    if not both and not RESOURCE.search(said_all if pronoun else phrase):  # "the whole sql section" is needed
        return None
    named = roadmaps_named(tb.deps.documents, said_all)
    docs = named or [d.id for d in tb.deps.documents]
    places = [c for t in topics for doc in docs if (c := topic_passage(tb, doc, t)) is not None]
    unique = {c.chunk_id: c for c in places}.values()
    own = [ln for c in unique for ln in passage_lines(0, c)]  # the topics' own sections, numbered once quoted
    found = tb.run("find_lines", query=f"{asked} only first").data or []
    ids = {t.id for t in topics}
    pool = [
        ln
        for ln in [*own, *found]
        if (not named or ln.chunk.doc in named)
        and (
            # "both": a choice whose passage names both; "the whole …": the first few of it, named in the line itself
            CHOICE_OF.search(ln.text) and ids <= _named_in(_scope(tb, ln), cur)
            if both
            else FIRST_LINE.search(ln.text) and ids & _named_in(ln.text, cur)
        )
    ]
    # a heading may say it: "Deep Learning Frameworks (Choosing one or two to focus on)"
    best = select(pool, asked, 1) or pool[:1]
    return dataclasses.replace(best[0], n=tb.book.add(best[0].chunk)) if best else None


def _scope(tb: Toolbox, line: Line) -> str:
    """What a line speaks of: its passage, or for a heading ("Deep Learning Frameworks (Choosing one or two to
    focus on)") every passage under the same section."""
    if not line.title:
        return line.chunk.text
    top = " › ".join(line.chunk.section.split(" › ")[:2])
    return " ".join(c.text for c in roadmap_passages(tb.deps.passages, line.chunk.doc) if c.section.startswith(top))


def _named_in(text: str, cur) -> set[str]:
    return {t.id for t in mentioned(text, cur)}


def _names(line: Line, topics: list[Topic], cur) -> bool:
    """The line, or what it stands under, names one of the topics."""
    return bool({t.id for t in topics} & _named_in(f"{line.text} {line.context}", cur))


# one thing in place of another ("keras instead of pytorch", "or is keras fine?"), and a roadmap's words for a choice
INSTEAD = re.compile(
    r"\b(instead of|rather than|in place of)\b|\bor (is|are|would) [\w\s/-]{1,30}\b(fine|ok|okay|enough)\b", re.I
)
CHOICE_LINE = re.compile(r"\b(pick (either|one|\w+ or)|either|option [a-c]|choos\w*)\b", re.IGNORECASE)


def answer_instead(tb: Toolbox, clause: str, topics: list[Topic]) -> Draft | None:
    """Yes, with the line letting the learner pick, when one of the two topics asked about may stand in for
    the other ("Pick PyTorch or Keras …"); None when no roadmap (the one named, if any) offers that choice."""
    if not INSTEAD.search(clause) or len(topics) < 2:
        return None
    cur = tb.deps.curriculum
    named = roadmaps_named(tb.deps.documents, tb.user_message or clause)
    found = tb.run("find_lines", query=f"{clause} pick either option").data or []
    asked = {t.id for t in topics}
    pool = [
        ln
        for ln in found
        if CHOICE_LINE.search(f"{ln.text} {ln.context}")
        and (not named or ln.chunk.doc in named)
        and asked <= {tid for *_, tid in cur.mention_spans(ln.chunk.text)}  # its passage has both
        and _names(ln, topics, cur)
    ]
    best = select(pool, clause, 2)
    if not best:
        return None
    doc = best[0].chunk.doc
    best = [dataclasses.replace(ln, n=tb.book.add(ln.chunk)) for ln in best if ln.chunk.doc == doc]
    return finish(f"Yes: {doc} lets you pick either of them.", best, topics[0])


# a roadmap's words for what it takes beyond it ("… after this 6 months journey you need to work on many projects
# and acquire additional knowledge to qualify as a machine learning engineer")
FINISHING = re.compile(
    r"\b(finish\w*|complet\w*|end of|done with|after (the|this|that|it)|whole (plan|roadmap))\b", re.I
)
BEYOND = re.compile(r"\b(qualify|job|hired|employ\w*)\b", re.IGNORECASE)
MORE = re.compile(r"\b(need to|additional|many projects|more)\b", re.IGNORECASE)


def answer_enough(tb: Toolbox, clause: str) -> Draft | None:
    """No, with the roadmap's line saying what more it takes, for a question whether finishing makes the learner
    employable (`forms.JOB_READY`); None when no roadmap (the one named, if any) says so."""
    if not JOB_READY.search(clause):
        return None
    named = roadmaps_named(tb.deps.documents, tb.user_message or clause)
    if not named and not FINISHING.search(clause):  # "do i need sql to get hired?": whether sql is needed
        return None
    found = tb.run("find_lines", query=f"{clause} qualify machine learning engineer additional").data or []
    pool = [ln for ln in found if BEYOND.search(ln.text) and MORE.search(ln.text)]
    if not pool:
        return None
    own = [ln for ln in pool if ln.chunk.doc in named]
    line = dataclasses.replace((own or pool)[0], n=tb.book.add((own or pool)[0].chunk))
    if named and not own:  # "will the learning algorithm get me hired?": it doesn't say; what one that does says
        head = f"{' and '.join(named)} {'does' if len(named) == 1 else 'do'} not say; {line.chunk.doc} says"
        return finish(f"{head} its own plan is not enough by itself:", [line])
    return finish(f"No, not by itself: {line.chunk.doc} says what it takes beyond it.", [line])
