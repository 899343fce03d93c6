"""Offline answers to a comparison ("X vs Y", "what's the difference between the engineering part
and the mlops basics part?"): both sides next to each other, each from where the roadmaps put it.

A side is found, in order: by the words of it that stand verbatim in a few roadmap lines ("dot
product" against "cross product", each under its own heading); by the heading or the short label
line that names it ("Level 1 Coding Tutorials", "- Engineering", "Learn FastAPI"), in the roadmap
the question names if it names one, and then what the roadmap says under that label is quoted, not
the label; else by the lines that say its words, the roadmap's own contrast line first ("Batch
Prediction vs. Online Prediction").

Not here: where the roadmaps disagree (`conflicts.py`), decisions (`decision.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.anchor import anchor, tokens
from mentor.assistant.evidence import (
    LABEL_WORDS,
    Line,
    is_label,
    lines_under,
    list_run,
    passage_lines,
    run_label,
    select,
    terms,
)
from mentor.assistant.lines import line_index
from mentor.assistant.offline.draft import Draft, short_title
from mentor.assistant.offline.knowledge import answer_concept
from mentor.assistant.offline.placing import named_section
from mentor.assistant.offline.shapes import ASKING, MAX_QUOTES, booked, finish, gather, plain, quoted
from mentor.assistant.tools import Toolbox
from mentor.assistant.topics import mentioned_topic
from mentor.corpus.documents import roadmaps_named, without_roadmap_names

ASKED_ALONE = 4  # a message with more words than this that names one side asks about that side, not "vs what?"
VERSUS = re.compile(
    r"\s+(?:vs\.?|versus|or|and|compared (?:to|with)|(?:the )?same (?:kind of )?(?:thing )?as"
    r"|different (?:from|than|to))\s+",
    re.IGNORECASE,
)


def answer_compare(intent, message, tb, memory, mode_note) -> Draft:
    twice = _twice(tb, message)
    if twice is not None:  # "why does pca show up twice in the master curriculum? what's the difference?"
        return twice
    left, right = _sides(message)
    if not terms(left) or not terms(right):  # "vs docker": one side only
        if len(terms(message)) > ASKED_ALONE:  # "what is 'alignment' …? is it the same thing as fine tuning": explain
            return answer_concept(intent, message, tb, memory, mode_note)
        named = " ".join(w for w in (left + " " + right).split() if w.lower() not in ("vs", "vs.", "versus")) or "it"
        return Draft(f'Compare {named} with what? Name both sides, e.g. "fastapi vs docker".')
    anchors = [_side_anchor(tb, side) for side in (left, right)]
    if all(anchors):  # "my course did dot product AND cross product": the words each side stands in
        left, right = (found.phrase for found in anchors)
    lines = gather(tb, [message])
    for side in (left, right):
        if side.strip():
            tb.run("find_lines", query=side)
    lines = [line for n, chunk in enumerate(tb.book.chunks, 1) for line in passage_lines(n, chunk)]
    named = roadmaps_named(tb.deps.documents, message)  # "both are in phase 5 of the learning algorithm": its lines
    in_doc = [ln for ln in lines if len(named) == 1 and ln.chunk.doc == named[0]]
    if in_doc and _says_both(tb, in_doc, left, right):
        lines = in_doc
    by_place = _by_place(tb, left, right, named[0] if len(named) == 1 else None)
    if by_place is not None:  # "the engineering part and the mlops basics part": what each label heads
        return by_place
    picked: list[Line] = []
    own = [_alone(found, other) for found, other in zip(anchors, anchors[::-1])] if all(anchors) else []
    if own and own[0] != own[1]:  # each side's own line, and where it stands ("Cross product" under "Advanced")
        picked = [booked(tb, line) for line in own]
        places = [f"{found.as_written} is under {_place(line.chunk)}" for found, line in zip(anchors, own)]
        return finish(f"Side by side, from the roadmaps: {'; '.join(places)}:", picked)
    sides = [set(terms(left)), set(terms(right))]
    contrast = [ln for ln in lines if all(side and side <= set(terms(ln.text)) for side in sides)]
    picked += select(contrast, message, 1)  # "Batch Prediction vs. Online Prediction": the roadmap's own contrast
    for own, other in ((sides[0], sides[1]), (sides[1], sides[0])):
        side = " ".join(sorted(own))
        about = [ln for ln in lines if ln not in picked and own & set(terms(ln.text))]
        # a line about this side alone says most of it: all of its words, none of the other side's
        alone = [ln for ln in about if own <= set(terms(ln.text)) and not (other - own) & set(terms(ln.text))]
        picked += select(alone, f"{side} {message}", 1) or ([] if contrast else select(about, f"{side} {message}", 1))
    near = {ln.chunk.chunk_id for ln in picked}
    both = select([ln for ln in lines if ln not in picked and ln.chunk.chunk_id in near], f"{left} {right}", 1)
    chosen = (picked + both)[:MAX_QUOTES]
    if not chosen:
        return Draft("The roadmaps don't compare those, so I won't guess.")
    where = plain(chosen[0].chunk.heading)
    head = f"Side by side, from the roadmaps ({where}): {left.strip()} and {right.strip()}:"
    placed = _placed(tb, left, right)
    return finish(f"{placed} {head}" if placed else head, chosen)


# one thing in two places of a roadmap: "why does pca show up twice", "… in two spots", "comes up again later"
TWICE = re.compile(
    r"\b(twice|two (different )?(places|spots|sections|parts|times)|(show|shows|come|comes|appear|appears|pop|pops)"
    r" up (again|twice)|listed again|again later|both (places|spots|sections))\b",
    re.IGNORECASE,
)


def _twice(tb: Toolbox, message: str) -> Draft | None:
    """The places of the one roadmap named that list the one topic asked about, each with its line there; None
    when the question asks no such thing, or the roadmap lists it in fewer than two sections."""
    named = roadmaps_named(tb.deps.documents, message)
    asked = without_roadmap_names(tb.deps.documents, message)
    spans, twice = tb.deps.curriculum.mention_spans(asked), TWICE.search(asked)
    if twice is None or len(named) != 1 or not spans:
        return None
    before = [s for s in spans if s[0] < twice.start()]
    start, end, _ = before[-1] if before else spans[0]  # the topic as asked: "why does pca show up twice"
    words = set(terms(asked[start:end]))
    places: dict[str, Line] = {}  # each section's line with the words asked, a body line before its heading
    for chunk in (c for c in tb.deps.passages if c.doc == named[0]):
        having = [ln for ln in passage_lines(0, chunk) if words <= set(terms(ln.text))]
        for line in sorted(having, key=lambda ln: ln.title)[:1]:
            places.setdefault(chunk.section, line)
    if len(places) < 2:
        return None
    lines = [booked(tb, line) for line in list(places.values())[:MAX_QUOTES]]
    where = "; ".join(named_section(line.chunk) for line in lines)
    return finish(f"{named[0]} lists {asked[start:end].strip()} in {len(places)} places: {where}.", lines)


def _says_both(tb: Toolbox, lines: list[Line], left: str, right: str) -> bool:
    """Whether the lines say something of each side (by its words, not a roadmap's name), in a line
    of its own."""
    sides = [set(terms(without_roadmap_names(tb.deps.documents, side))) for side in (left, right)]
    bags = [set(terms(ln.text)) for ln in lines if not ln.title]
    return all(any(side & bag and not (other - side) & bag for bag in bags) for side, other in (sides, sides[::-1]))


def _side_anchor(tb: Toolbox, side: str):
    """The words of one side of a comparison that stand verbatim in a few roadmap lines ("dot product")."""
    found = anchor(tb.deps.retriever.index.chunks, side) if side.strip() else None
    return found if found is not None and found.words >= 2 else None


def _alone(found, other) -> Line:
    """The first of a side's lines that does not also say the other side ("Cross product", not "Dot and
    cross product")."""
    theirs = set(other.phrase.split())
    return next((ln for ln in found.lines if not theirs <= set(tokens(ln.text))), found.lines[0])


def _place(chunk) -> str:
    """Where a passage stands: 'Nice-to-Have (…) > Linear Algebra (Advanced) (libraries-and-math)'."""
    return f"{chunk.section.replace(' › ', ' > ')} ({chunk.doc})"


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
    # quotes, not the apostrophes of "there's … what's"
    listed = re.search(r"(?<![a-z])['\"‘“]([^'\"’”]+?)\s*(?:,|\band\b|&)\s*([^'\"’”]+)['\"’”](?![a-z])", message, re.I)
    if listed:  # "… says 'fastapi, tensorflow serving'. are those the same kind of thing?"
        return listed.group(1), listed.group(2)
    text = re.sub(
        r"^((what'?s|what is) the diff(erence)? between|how (is|are|do|does)|(is|are|isn'?t)\b)\s+",
        "",
        message.strip(),
        flags=re.IGNORECASE,
    )
    segments = re.split(r"[?,;]|\.+\s|\s[-–—]\s|\bwhat'?s\b|\bwhen\b|\bwhich\b|\bis there\b|\bdo i\b", text, flags=re.I)
    for segment in segments:  # "which is more important, linear algebra or calculus?": the segment with two sides
        parts = VERSUS.split(segment, maxsplit=1)
        if len(parts) == 2 and parts[0].strip() and parts[1].strip():
            return parts[0], parts[1]
    return segments[0], ""


# what a side is called besides its own words: "the engineering part", "an mlops basics bit"
SIDE_TAIL = re.compile(r"\s+(parts?|sections?|bits?|stuff|things?|ones?|phases?|steps?|tiers?)$", re.IGNORECASE)
SIDE_LEAD = re.compile(r"^.*\b(there'?s|there is|there are|is|are|has|have|got|between|about|like)\s+", re.IGNORECASE)
NUMBER = re.compile(r"\d+(\.\d+)*")
NUMBERED_PART = re.compile(r"\b(phase|step|week|level|section)\s*\d", re.IGNORECASE)
PART_NAMED = re.compile(r"\b(phase|step|week|level|section)s?\s*\d+(\.\d+)*(\s*(-|–|to|and|&|,)\s*\d+)*", re.I)
QUOTED = re.compile(r"(?<![a-z])['\"‘“]([^'\"’”]{3,60})['\"’”](?![a-z])", re.IGNORECASE)
FILLING = re.compile(r"^(the|a|an|in|of|on|for)\s+|\s+(in|of|on|for|the|a|an)$", re.IGNORECASE)


def _side_words(tb: Toolbox, side: str, within: bool = False) -> str:
    """What a side names, without the sentence around it or the roadmap it is in: "in the last phase of
    the zero-to-llm roadmap there's an engineering part" -> "engineering"; the words in quotes, unless the
    comparison is `within` a numbered section ("the 'resources' in phase 2"), whose words count too."""
    quoted = QUOTED.search(side)  # "the 'absolutely required' maths": the roadmap's own words, in quotes
    if quoted and not within:
        return quoted.group(1)
    text = " ".join(without_roadmap_names(tb.deps.documents, side).split()).strip(" .!?:")
    part = PART_NAMED.search(text)
    if part and not within and part.start() > 0:  # "the ml block (weeks 15-18)": the numbered part names it
        return part.group(0)
    text = SIDE_LEAD.sub("", text)
    for _ in range(3):
        text = FILLING.sub("", SIDE_TAIL.sub("", text.strip())).strip()
    return text


def _shared_tail(left: str, right: str) -> tuple[str, str]:
    """ "level 1" and "level 2 python tutorials": the words the first side shares with the second."""
    short, long = left.split(), right.split()
    if short and len(short) < len(long) and short[0].lower() == long[0].lower():
        return " ".join(short + long[len(short) :]), right
    label = NUMBERED_PART.match(left)  # "step 4.1" and "4.2": the second is a step too
    if label and long and re.match(r"\d", long[0]):
        return left, f"{label.group(1)} {right}"
    return left, right


def _side_place(tb: Toolbox, words: str, doc: str | None) -> tuple[str, Line, list[Line]] | None:
    """(the side as the roadmap writes it, the line that names it, what the roadmap says under that
    line): by a heading or a short label line naming the side, in `doc` if one is named."""
    wanted = set(terms(words)) - ASKING
    numbers = {w for w in tokens(words) if w.isdigit()}  # "level 2" is not level 1
    number = NUMBER.search(words)
    if not wanted:
        return None
    best, score = None, 0.0
    # the lines, and the headings of sections with no lines of their own ("Absolutely Required (Core for ML)")
    headings = [
        Line(n=0, chunk=c, text=c.heading, position=0, title=True, context=c.heading)
        for c in tb.deps.passages
        if c.heading.strip()
    ]
    for line in [*line_index(tb.deps.retriever.index.chunks).lines, *headings]:
        if doc and line.chunk.doc != doc or line.chunk.kind != "passage":
            continue
        if not line.title and len(tokens(line.text)) > LABEL_WORDS:  # a heading, or a label line
            continue
        own = set(terms(plain(line.text)))
        shared = wanted & own
        if not numbers <= set(tokens(line.text)) or len(shared) < max(1, round(0.66 * len(wanted))):
            continue
        first = NUMBER.search(line.text)  # "step 4.1" is the step numbered 4.1, not "Step 4.2 [P with Step 4.1]"
        if number and (first is None or first.group(0) != number.group(0)):
            continue
        fit = len(shared) - 0.1 * len(own - wanted)
        if fit > score:
            best, score = line, fit
    if best is None:
        return None
    name, content = re.sub(r"^[^\w(]+", "", plain(best.text)).strip(), _under(best, words)  # no "🔸"
    if best.title:  # a heading over sections of its own ("Nice-to-Have (…)" over "Calculus", …): what they are
        inner = [c for c in tb.deps.passages if c.doc == best.chunk.doc and name in c.section.split(" › ")[:-1]]
        names = list(dict.fromkeys(plain(c.section.split(" › ")[-1]) for c in inner))
        if not content:
            firsts = (next((ln for ln in passage_lines(0, c) if not ln.title), None) for c in inner[:2])
            content = [ln for ln in firsts if ln is not None]  # each of its first two sections' first line
        name = f"{name}: {', '.join(names[:4])}" if names else name
    return (name, best, content) if content else None


def _under(label: Line, words: str) -> list[Line]:
    """What a passage says under a heading or label line: its first line, and the one that says most
    of `words`."""
    found = lines_under(label)
    picked = found[:1] + [ln for ln in select(found[1:], words, 1) if ln not in found[:1]]
    if len(picked) < 2:  # "Learn Deep Learning THEORY" and then "Learn:" over "- neural networks", "- loss functions"
        after = [ln for ln in passage_lines(label.n, label.chunk) if ln.position > label.position]
        ends = next((i for i, ln in enumerate(after) if ln.title and not ln.text.endswith(":")), len(after))
        leads = [ln for ln in after[:ends] if ln.text.endswith(":") and len(ln.text.split()) <= LABEL_WORDS]
        runs = [run for lead in leads for run in [list_run(_next(lead))] if len(run) > 1]
        picked += [run[0] for run in runs[:1]]  # quoted with the rest of its list, under its label
        body = [ln for ln in after[:ends] if not (ln.title or is_label(ln) or ln.text.endswith(":"))]
        if not picked and body:  # "* Machine learning" over its playlists: the label is no heading, what it says is
            named = NUMBER.sub(" ", words)  # "weeks 15-18" is no "Tutorial 18 to 25"
            picked = body[:1] + (select(body[1:], named, 1) or body[1:2])
    return picked


def _next(line: Line) -> Line:
    return next((ln for ln in passage_lines(line.n, line.chunk) if ln.position == line.position + 1), line)


def _up_to(name: str, label: Line) -> str:
    """Where a side's label stands, its path cut at the side's own heading (nothing when it is a top one)."""
    path, own = label.chunk.section.split(" › "), f"{_bare(name)} "  # the name may go on with its sections' names
    at = next((i for i, part in enumerate(path) if _bare(part) and own.startswith(f"{_bare(part)} ")), None)
    return " > ".join(path[:at] if at is not None else path)


def _bare(text: str) -> str:
    """A heading as words, its marks aside ("Step 0.1 [I]: Learn Python fundamentals first." and "…first",
    "Phase 1: Python Basics ✅Done" and "Phase 1: Python Basics")."""
    return " ".join(w for w in re.findall(r"[a-z0-9]+", plain(text).lower()) if w != "done")


def _by_place(tb: Toolbox, left: str, right: str, doc: str | None) -> Draft | None:
    """Both sides by the headings or labels that name them, each with what is said under it."""
    within = NUMBERED_PART.search(f"{left} {right}") is not None
    wl, wr = _shared_tail(_side_words(tb, left, within), _side_words(tb, right, within))
    first = _side_place(tb, wl, doc) if wl and wr else None
    # "phase 2 and phase 3" of no roadmap named: both of the roadmap the first is in
    places = [first, _side_place(tb, wr, doc or (first[1].chunk.doc if within else None))] if first else []
    if not places or not all(places) or places[0][1] == places[1][1]:
        return None
    lines = []
    for name, label, content in places:
        tb.run("read_section", section=plain(label.chunk.heading) or label.chunk.section, roadmap=label.chunk.doc)
        lines += [booked(tb, ln) for ln in content]
    (one, first, _), (other, second, _) = places
    where = [_up_to(name, label) for name, label, _ in places]
    docs = {first.chunk.doc, second.chunk.doc}
    if where[0] == where[1] and where[0]:
        said = f"{one} and {other}, both under {where[0]}"
    else:
        said = " and ".join(
            f"{name} (under {at})" if at and at != name else name for name, at in zip((one, other), where)
        )
    placed = _placed(tb, left, right)
    head = f"Side by side, from {' and '.join(sorted(docs))}: {said}:"
    quotes: dict[int, str] = {}  # a list under its "Learn:" quoted whole, not a side that is one item of a list
    said = [out for ln in lines[: MAX_QUOTES + 1] for out in quoted([ln], quotes, lists=_led(ln))]
    return Draft("\n".join([f"{placed} {head}" if placed else head, *said]), quotes)


def _led(line: Line) -> bool:
    """The line is the first item of a short list a label leads into ("Learn:" over "- tensors", "- training loop")."""
    run = list_run(line)
    return len(run) > 1 and run[0] == line and bool(run_label(run))


COMPARE_HANDLERS = {"compare": answer_compare}
