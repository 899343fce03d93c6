"""Questions about a roadmap's own outline, answered from its table of contents: how many phases
(or steps in a phase) it has, what it starts with, what it ends with ("what's the last part of the
master curriculum?", "how many steps are in phase 0 of the learning algorithm?"). What a roadmap ends
with includes the sections after its numbered parts (the six-month plan's "Useful Tips").

Not here: what one section covers (`sections.py`), what comes after a section (`order.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.evidence import heads, passage_lines, select
from mentor.assistant.forms import asks_yes_no
from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.shapes import finish
from mentor.assistant.parts import SECTION_LABEL, part_named, roadmap_passages, section_passages, sections_of
from mentor.assistant.tools import Toolbox
from mentor.corpus.chunks import Chunk
from mentor.corpus.documents import roadmaps_named, without_roadmap_names

# "how many phases does it have", not "how many weeks for deep learning" (a topic's time: `answer_how_long`)
HOW_MANY = re.compile(
    r"\bhow many (phases|steps|weeks|parts|sections|stages|levels|blocks)\b"
    r"(?!\s+(for|of|on|to|until|till|before|per|a|each|every|should|would|do|can|will|i)\b)",
    re.IGNORECASE,
)
# the learner's own doing ("the first thing I should do when I get stuck"), not the roadmap's outline
PERSONAL = re.compile(r"\b(when|if|whenever) i\b|\bi get (stuck|lost)\b|\bper (day|week)\b", re.IGNORECASE)
REQUEST = re.compile(r"^\W*(can|could|would|will) (u|you|ya)\b", re.IGNORECASE)  # "can u list the phases …": no yes/no
FIRST = re.compile(
    r"\b(very )?first (thing|part|step|phase|section|stage|block)\b|\bstarts? (with|off)\b|\bbegins? with\b"
    r"|\bwhere (does|do) (the |this |that )?[\w -]{0,30}\b(want|have|tell|get)s? (me|you|us) (to )?start\b",
    re.IGNORECASE,
)
# "list the phases in order", "what's the order of the phases": the whole outline
PARTS = r"(phases|weeks|steps|parts|sections|stages)"
ALL = re.compile(
    rf"\b(order of (the |its )?{PARTS}|(list|name) (the |its |all )?{PARTS}|{PARTS} in order)\b", re.IGNORECASE
)
LAST = re.compile(
    r"\b(last|final) (part|phase|step|section|stage|thing|block)\b|\bends? (with|up)\b"
    r"|\b(where|how) (it all|does it|(does|do) (the|this|that) [\w -]{1,30}?) end\b",
    re.IGNORECASE,
)
NAMES_PART = re.compile(r"\b(phase|week|step|level|stage)s?\b", re.IGNORECASE)  # "the final phase": its last phase
STAGE = re.compile(r"^\W*(phase|week|step|level|stage)\s*\d", re.IGNORECASE)


def asks_outline(tb: Toolbox, text: str) -> bool:
    """A question about one named roadmap's outline: how many parts, its first, its last."""
    asked = HOW_MANY.search(text) or ALL.search(text) or FIRST.search(text) or LAST.search(text)
    if not asked or len(roadmaps_named(tb.deps.documents, text)) != 1:
        return False
    if asks_yes_no(text) and not REQUEST.match(text) or PERSONAL.search(text):  # "is the last part … hard?"
        return False
    plain = without_roadmap_names(tb.deps.documents, text)
    if part_named(plain):  # "for the maths part of the libraries roadmap, what do I start with?": that part's
        return False
    named = tb.deps.curriculum.mentions(plain)
    return not any(length > 2 for _, length in named)  # "what's the first thing in the deep learning weeks?"


def answer_outline(tb: Toolbox, text: str) -> Draft:
    doc = roadmaps_named(tb.deps.documents, text)[0]
    label = SECTION_LABEL.search(without_roadmap_names(tb.deps.documents, text))
    within = numbered_section(tb, text, doc)  # "how many steps are in phase 0 …": that phase's steps
    if label is not None and label.group(1) and not within:  # "… in phase 9 of the learning algorithm?"
        names = list(stages(roadmap_passages(tb.deps.passages, doc), top=True))
        have = f" Its parts: {', '.join(names)}." if names else ""
        return finish(f"{doc} has no {label.group(0).strip()}.{have}", [])
    parts = stages(within) if within else stages(roadmap_passages(tb.deps.passages, doc), top=True)
    if not parts:
        return finish(f"{doc} is not divided into numbered parts.", [])
    names = list(parts)
    where = f"{_top(within[0])} of {doc}" if within else doc
    tb.run("read_section", section=within[0].section.split(" › ")[0] if within else names[0], roadmap=doc)
    if HOW_MANY.search(text) or ALL.search(text):
        shown = names if len(names) <= 8 else [*names[:7], "…"]
        head = f"{where} has {len(names)} {_kind(names)}: {' → '.join(shown)}."
        return finish(head, _opening(tb, parts[names[0]]))
    first = bool(FIRST.search(text)) and not LAST.search(text)
    name = names[0] if first else names[-1]
    heading = parts[name].heading.strip().rstrip(":")  # "Week 1, 2, 3, 4" is "… : Computer Science Principals"
    titled = f"{name}: {heading}" if within == [] and heading and heading not in name and name not in heading else name
    after = [] if first or within or NAMES_PART.search(text) else _after(tb, doc, parts[name])
    if after:  # "the 6 month roadmap ends with some advice …": its weeks end, then come its tips
        tails = list(dict.fromkeys(_top(c) for c in after))
        shown = ", ".join(tails[:3]) + (f" and {len(tails) - 3} more sections" if len(tails) > 3 else "")
        lines = [ln for c in after for ln in passage_lines(tb.book.add(c), c)]
        head = f"{doc}'s numbered parts end with {titled}; after them come {shown}:"
        return finish(head, _opening(tb, parts[name])[:1] + select(lines, text, 2))
    lines = _opening(tb, parts[name])
    inner = first_section(tb, parts[name]) if not within and len(lines) < 2 else None
    if inner is not None:  # "Phase 1: The Bedrock - Foundations" says one line of itself: its first section too
        titled += f", whose first section is {inner[0]}"
        lines += _opening(tb, inner[1])[: 3 - len(lines)]
    head = f"{where} {'starts' if first else 'ends'} with {titled}:"
    return finish(head, lines)


def first_section(tb: Toolbox, chunk: Chunk) -> tuple[str, Chunk] | None:
    """(the name of the first section of the part `chunk` opens, its first passage), read through the tools;
    None when `chunk` opens no part, or the part has no sections."""
    inner = sections_of(tb.deps.passages, chunk.doc, chunk.section)
    if not inner:
        return None
    name, chunks = next(iter(inner.items()))
    tb.run("read_section", section=name, roadmap=chunk.doc)
    return name, chunks[0]


def _after(tb: Toolbox, doc: str, last: Chunk) -> list[Chunk]:
    """The passages of the top-level sections after a roadmap's last numbered part (its tips, its summary)."""
    passages = roadmap_passages(tb.deps.passages, doc)
    end = max(c.first_line for c in passages if _top(c) == _top(last))
    return [c for c in passages if c.first_line > end and _top(c) != _top(last) and not STAGE.match(_top(c))]


def numbered_section(tb: Toolbox, text: str, doc: str) -> list[Chunk]:
    """The passages of the numbered section a question names in the roadmap ("phase 0"), if any."""
    label = SECTION_LABEL.search(without_roadmap_names(tb.deps.documents, text))
    if label is None or not label.group(1):
        return []
    return section_passages(tb.deps.passages, label.group(0), [doc])


def stages(chunks: list[Chunk], top: bool = False) -> dict[str, Chunk]:
    """The numbered parts in reading order, each with its first passage: the roadmap's top-level
    phases (weeks), or the steps inside one of them."""
    found: dict[str, Chunk] = {}
    for chunk in chunks:
        name = chunk.section.split(" › ")[0] if top else chunk.heading.strip().rstrip(":.")  # no full stop mid-list
        if STAGE.match(name) and name not in found:
            found[name] = chunk
    return found


def _top(chunk: Chunk) -> str:
    return chunk.section.split(" › ")[0]


def _kind(names: list[str]) -> str:
    word = STAGE.match(names[0]).group(1).lower()
    return "blocks of weeks" if word == "week" else f"{word}s"


def _opening(tb: Toolbox, chunk: Chunk) -> list:
    """The first lines a part says of itself."""
    n = tb.book.add(chunk)
    shown: list = []
    for line in (ln for ln in passage_lines(n, chunk) if not ln.title):
        line = heads(line) or line  # "- Engineering" and the line it stands over are one quote
        if all(line.position != ln.position for ln in shown):
            shown.append(line)
    return shown[:3]
