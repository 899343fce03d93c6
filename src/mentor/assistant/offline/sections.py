"""Offline answers read from the roadmaps' own structure: "which ones" lists the items under the
heading that names what is asked ("which clustering methods" -> "7.1 Clustering"), a numbered
outline entry ("4.2. Types of Learning" over 4.2.1-4.2.4) or a labelled list ("Algorithms to
cover:"); a section question ("what's in step 1.3?",
"weeks 7-8 what am I supposed to do") reads that section and says what it covers.
Headings are chosen from the roadmaps' table of contents; the passages are read through the
tools (`read_section`, `find_lines`, `search_curriculum`), so the trace is what ran.

Not here: the shared drafting helpers and the other shapes (`shapes.py`), "how long" (`durations.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.anchor import anchor, spelled
from mentor.assistant.evidence import Line, passage_lines, select, terms
from mentor.assistant.forms import question_sentences
from mentor.assistant.offline.draft import Draft, short_title
from mentor.assistant.offline.outline import numbered_section
from mentor.assistant.offline.shapes import (
    ASKING,
    MAX_QUOTES,
    finish,
    gather,
    heading_fit,
    looked_up,
    mentioned,
    plain,
    roadmap_name,
)
from mentor.assistant.parts import part_named, section_passages
from mentor.assistant.tools import Toolbox
from mentor.corpus.documents import roadmaps_named, without_roadmap_names

# how a question says what a roadmap asks of you, never what the list is of ("worth picking up", "says")
SAYING = frozenset(terms("pick picking up worth say says said give gives giving"))
# what a list is not: "besides the 24 weeks of content, what other skills …"
BESIDES = re.compile(r"\b(besides|apart from|aside from|other than|except( for)?)\b[^,?.;]*[,;]", re.IGNORECASE)


def answer_which(intent, message, tb, memory, mode_note) -> Draft:
    message = _spelled(tb, ASKED_TO_EXPLAIN.sub("", _with_aside(tb, message)))  # "explain the … loop": not XAI
    message = BESIDES.sub(" ", message)
    topics = mentioned(message, tb.deps.curriculum)
    named = _named_list(tb, message)  # "which object detection models?": "Object Detection (… R-CNN, YOLO, SSD)"
    if named is not None:
        return named
    docs = roadmaps_named(tb.deps.documents, tb.user_message or message)
    if len(docs) == 1:  # "what pieces does the llm roadmap tell me to learn?": that roadmap's lines
        tb.run("search_curriculum", query=message, roadmap=docs[0])
    lines = gather(tb, [message], topics[:1])
    own = [ln for ln in lines if len(docs) == 1 and ln.chunk.doc == docs[0]]
    chosen = select(own or lines, message, MAX_QUOTES)
    if not chosen:
        return Draft("The roadmaps don't list that, so I won't guess.")
    wanted = set(terms(message)) - ASKING
    listing = [ln for ln in chosen if _items(ln.text) and wanted & set(terms(ln.text))]
    # the list whose own name (outside its brackets) says most of what is asked
    listed = max(listing, key=lambda ln: len(wanted & set(terms(_list_name(ln.text)))), default=None)
    items = _items(listed.text) if listed else []
    within = numbered_section(tb, message, docs[0]) if len(docs) == 1 else []  # "… for phase 1 of the llm roadmap"
    under = _listing(tb, message, docs if len(docs) == 1 else [], within)
    if under is not None and (not items or heading_fit(under[0], wanted) >= heading_fit(listed.text, wanted)):
        heading, listed = under
        items = _items(heading) or [re.sub(r"^[-•*]\s*", "", plain(ln.text)) for ln in listed][:8]
        chosen = listed[:2]  # the section's own items; nearby lines of other sections are noise
        steps = any(item.endswith(ARROWS) for item in items)  # a chain of steps reads as one
        named = " → ".join(re.sub(r"\s*(→|->)$", "", item) for item in items) if steps else ", ".join(items)
        head = f"Under {short_title(plain(heading))}, the roadmaps list {named}:"
    else:
        head = f"The roadmaps name {', '.join(items)}:" if items else "The roadmaps list:"
    return finish(head, chosen, topics[0] if topics else None)


def _with_aside(tb: Toolbox, message: str) -> str:
    """The question with a short aside around it ("…are listed? like XAI stuff", "need portfolio
    ideas. what projects…?"): a few words that say what the list is about."""
    said = tb.user_message or message
    rest = said.replace(message, " ", 1) if message in said else ""
    return f"{message} {rest.strip()}" if 0 < len(rest.split()) <= 6 else message


def _spelled(tb: Toolbox, message: str) -> str:
    """The message with its typos repaired as search repairs them ("techniqes" -> techniques), so
    that its words meet the headings' words."""
    for wrong, right in tb.deps.retriever.rewriter.corrections(message).items():
        if len(wrong) < 6:  # a short word off the roadmaps' vocabulary is more often English than a typo ("drone")
            continue
        message = re.sub(rf"\b{re.escape(wrong)}\b", right, message, flags=re.IGNORECASE)
    return message


def _listing(tb: Toolbox, message: str, docs: list[str] = (), within: list = ()) -> tuple[str, list[Line]] | None:
    """The roadmap section whose own heading names what the question asks about ("which
    clustering methods" -> "7.1 Clustering"), read through `read_section`, with its items; in the
    roadmap named, when one is, and inside the numbered section named ("which model families
    for phase 1 of the zero to llm roadmap"), whose own items stand when no heading in it fits."""
    wanted = set(terms(message)) - ASKING - SAYING
    best, score = None, 0
    for chunk in within or tb.deps.passages:  # the roadmaps' table of contents
        if docs and chunk.doc not in docs:
            continue
        hit = heading_fit(chunk.heading, wanted)
        if hit > 0:  # as an outline entry's, a section's items that share the question's words count
            body = set(terms(chunk.text)) - set(terms(chunk.heading))
            hit += 0.5 * bool(wanted & body)
        if hit > score:
            best, score = chunk, hit
    entry = _outline_entry(tb, message, docs, within)
    if entry is not None and entry[0] > score:
        return _entry_items(tb, entry)
    best = within[0] if within and best is None else best
    found = _section_items(tb, best) if best is not None else None
    return found if found is not None or entry is None else _entry_items(tb, entry)


def _section_items(tb: Toolbox, best) -> tuple[str, list[Line]] | None:
    result = tb.run("read_section", section=plain(best.heading), roadmap=best.doc)
    chunks = [c for c in (result.data if isinstance(result.data, list) else []) if c.chunk_id == best.chunk_id]
    if not chunks:
        return None
    n = tb.book.add(best)
    items = [ln for ln in passage_lines(n, best) if not ln.title and not ln.text.endswith(":")]
    return (best.heading, items) if len(items) >= 2 else None


def _entry_items(tb: Toolbox, entry) -> tuple[str, list[Line]]:
    _, chunk, position = entry
    tb.run("read_section", section=plain(chunk.heading or chunk.section.split(" › ")[-1]), roadmap=chunk.doc)
    lines = _outline_lines(tb.book.add(chunk), chunk)
    return lines[position].text, _children(lines, position)


ASKED_TO_EXPLAIN = re.compile(r"^\W*((can|could) (you|u) |please )?explain\b", re.IGNORECASE)
OUTLINE = re.compile(r"^\W*(\d+(?:\.\d+)+)\.?\s+\S")  # "4.2. Types of Learning", "7.1.1. K-Means"
LABEL_LINE = re.compile(r"^\W*[^\W\d][^:]{2,60}:$")  # "Algorithms to cover:"
BULLET = re.compile(r"^\s*[-•*]\s+\S")
ARROWS = ("→", "->")  # a step that leads to the next
# how a "which" question is asked; unlike ASKING, "types of learning" keeps its nouns here
QUESTION_WORDS = frozenset(terms("which what there besides should need want know tell please list roadmap roadmaps"))


def _outline_entry(
    tb: Toolbox, message: str, docs: list[str] = (), within: list = ()
) -> tuple[float, object, int] | None:
    """The numbered outline entry with sub-entries ("4.2. Types of Learning" over "4.2.1. …")
    whose words, and its sub-entries', best fit the question: (score, passage, line position)."""
    asked, wanted = set(terms(message)) - QUESTION_WORDS, set(terms(message)) - ASKING
    said = set(terms(tb.user_message or message)) - QUESTION_WORDS  # "need portfolio ideas. what projects …?"
    named = set(terms(_asked_noun(message))) - QUESTION_WORDS - GENERIC
    best = None
    for chunk in within or tb.deps.passages:
        if chunk.kind != "passage" or docs and chunk.doc not in docs:
            continue
        lines = _outline_lines(0, chunk)
        around = set(terms(chunk.text))
        for i, line in enumerate(lines):
            children = _children(lines, i)
            if len(children) < 2:
                continue
            own = set(terms(plain(line.text)))
            score = len(asked & own) / (1 + 0.1 * len(own - asked)) + bool(named & own)
            score += 0.5 * bool(wanted & {t for c in children for t in terms(c.text)})
            score += 0.25 * min(2, len((said - own) & around))  # the passage is about the rest of the message
            if score > 1 and (best is None or score > best[0]):
                best = (score, chunk, i)
    return best


# what any list is made of: "which clustering methods" asks for clustering, not for methods
GENERIC = frozenset(terms("method methods technique techniques type types kind kinds way ways thing things option"))


def _asked_noun(message: str) -> str:
    """What a 'which/what' question asks for: the last word before its verb ("what algorithms am
    I…" -> algorithms, "which project ideas are…" -> ideas)."""
    found = re.search(
        r"\b(?:which|what)\s+([a-z][a-z-]*(?:\s[a-z][a-z-]*){0,4}?)\s+(?:are|is|am|do|does|did|should|can|could|would|will|to|for|in|on"
        r"|of|i|we|you)\b",
        message,
        re.IGNORECASE,
    )
    return found.group(1).split()[-1] if found else ""


def _outline_lines(n: int, chunk) -> list[Line]:
    """A passage's lines as written ("4.2. Types of Learning" whole: sentence splitting would
    cut the number off)."""
    texts = [t.strip() for t in chunk.text.splitlines() if t.strip()]
    return [Line(n, chunk, t, i, False, chunk.heading) for i, t in enumerate(texts)]


def _children(lines: list[Line], position: int) -> list[Line]:
    """The sub-entries right under the outline entry at `position` ("4.2.1." … under "4.2."), or
    the bullets right under a label ("Algorithms to cover:" over "- Linear Regression", …), or the
    chain of steps under one ("Loop:" over "Learn THEORY →", "Implement using sklearn →", …)."""
    parent = lines[position].text
    if LABEL_LINE.match(parent):
        found: list[Line] = []
        chain = False
        for line in lines[position + 1 :]:
            if BULLET.match(line.text) and not chain:
                found.append(line)
                continue
            if line.text.endswith(ARROWS) and (chain or not found):
                found.append(line)
                chain = True
                continue
            if chain:  # the chain's last step has no arrow after it
                found.append(line)
            break
        return found
    numbered = OUTLINE.match(parent)
    if numbered is None:
        return []
    number = numbered.group(1)
    found = []
    for line in lines[position + 1 :]:
        sub = OUTLINE.match(line.text)
        if not sub or not sub.group(1).startswith(number + "."):
            break
        if sub.group(1).count(".") == number.count(".") + 1:
            found.append(line)
    return found


def _list_name(text: str) -> str:
    """What a list line is called: 'Text Preprocessing (Tokenization, …)' -> 'Text Preprocessing',
    'Common NLP Tasks: Sentiment Analysis, …' -> 'Common NLP Tasks'."""
    return re.sub(r"\(.*?\)", "", text).split(":")[0]


INTRO = re.compile(r"^(introduction|intro|overview|basics|brief)\s*-\s*", re.IGNORECASE)


def _named_list(tb: Toolbox, message: str) -> Draft | None:
    """The items a roadmap line lists in brackets right after the question's own words ("Object
    Detection (Introduction - R-CNN, YOLO, SSD)"), when the question's most specific words stand
    in such a line."""
    found = anchor(tb.deps.retriever.index.chunks, message)
    if found is None or found.words < 2:
        return None
    words = spelled(found.phrase)
    for line in found.lines:
        # the item's whole name, not the end of a longer one ("Sequence Data Problems (…)" names no data problems)
        listed = re.search(rf"(?:^|[,:;(]\s*)(?:\W*){words}\s*\(([^)]*,[^)]*)\)", line.text, re.IGNORECASE)
        if listed is None:
            continue
        # "Introduction - R-CNN" is R-CNN; "Inception - Understanding key ideas" is Inception
        items = [re.sub(r"\s+-\s.*$", "", INTRO.sub("", i.strip())) for i in listed.group(1).split(",") if i.strip()]
        where = line.chunk.section.replace(" › ", " > ")
        head = f"For {found.as_written}, {line.chunk.doc} names {', '.join(items)} (under {where}):"
        return finish(head, looked_up(tb, found, [line]))
    return None


def _items(text: str) -> list[str]:
    inside = re.search(r"\(([^)]*,[^)]*)\)", text)
    if inside:
        return [i.strip() for i in re.split(r",|\band\b", inside.group(1)) if i.strip()][:6]
    after = text.split(":", 1)[1] if ":" in text else ""
    items = [i.strip() for i in after.split(",") if i.strip()] if "," in after else []
    # names, not a sentence with a comma in it ("Tip: run one tiny sklearn project …, then deepen theory.")
    return items[:6] if all(len(i.split()) <= 5 for i in items) else []


# --- sections of a roadmap ------------------------------------------------------------------------


def answer_section(intent, message, tb, memory, mode_note) -> Draft:
    asked = (question_sentences(message) or [""])[-1]  # "finished phase 2 of zero to llm. whats phase 3 about?"
    if asked != message and NUMBERED_ASK.search(asked):
        docs = roadmaps_named(tb.deps.documents, message)
        result = tb.run("read_section", section=asked, roadmap=docs[0] if len(docs) == 1 else "")
    else:
        result = tb.run("read_section", section=message)
    chunks = result.data if isinstance(result.data, list) else []
    numbered = NUMBERED_ASK.search(without_roadmap_names(tb.deps.documents, message))
    if not chunks and numbered:  # "what do weeks 25-30 involve?"
        return Draft(f"The roadmaps have no {numbered.group(0).strip()}, so I won't guess what it holds.")
    part = part_named(without_roadmap_names(tb.deps.documents, message))
    if not chunks and part and not mentioned(part, tb.deps.curriculum):  # "what's in the cooking phase?"
        return Draft(f"No roadmap has a section called \u201c{part}\u201d, so I won't guess what it holds.")
    if not chunks:  # a section asked by its words that no heading has: what the roadmaps list for them
        return answer_which(intent, message, tb, memory, mode_note)
    numbers = result.sources
    lines = [ln for n, c in zip(numbers, chunks) for ln in passage_lines(n, c)]
    if len(chunks) == 1:
        items = [ln.text.rstrip(".:") for ln in lines if not ln.title][:6]  # a label with words says something
    else:
        items = [
            _step_name(c, [ln for ln in lines if ln.chunk is c]) + _first_items(ln for ln in lines if ln.chunk is c)
            for c in chunks
        ]
    top = chunks[0].section.split(" › ")
    name = top[0] if len(chunks) > 1 or len(top) == 1 else top[-1]
    if name.endswith("…") and chunks[0].heading.strip().startswith(name.rstrip("…")):
        name = chunks[0].heading.strip()  # the path cut a long heading short: the heading in full
    items = [item for item in items if item != name] or items  # not "Phase 5: …" again as its own first part
    head = f"{name} ({roadmap_name(tb, chunks[0].doc)}) covers: " + "; ".join(dict.fromkeys(items)) + "."
    chosen = select(lines, message, 2)
    return finish(head, chosen)


def quoted_section(tb: Toolbox, message: str) -> str | None:
    """A roadmap section's name quoted in a message ("there's a 'parallel track' at the bottom"), if any."""
    quoted = QUOTED.search(message)
    if quoted is None or not re.search(r"[a-z]{3}", quoted.group(1), re.IGNORECASE):
        return None
    phrase = " ".join(quoted.group(1).split())
    if any(s == 0 and e == len(phrase) for s, e, _ in tb.deps.curriculum.mention_spans(phrase)):
        return None  # "do I need 'docker'?": a topic's name, asked about as the topic
    docs = roadmaps_named(tb.deps.documents, message)
    return quoted.group(1) if section_passages(tb.deps.passages, quoted.group(1), docs) else None


QUOTED = re.compile(r"(?<!\w)['\"‘“]([^'\"’”\n]{3,60})['\"’”](?!\w)")
NUMBERED_ASK = re.compile(
    r"\b(weeks?|phase|step|level)\s*\d[\d.]*(\s*(-|–|to|thru|through|and|,)\s*\d+)*", re.IGNORECASE
)


def _step_name(chunk, lines=()) -> str:
    """A sub-section's own name: "Step 0.2 [P with Step 0.1]: Learn core data libraries" becomes
    "Learn core data libraries"; a bare tag ("Step 5.3 [D]") is named by its first label line ("Step 5.3 [D]:
    Deploy full ML system")."""
    last = chunk.section.split(" › ")[-1].rstrip("…")
    name = re.sub(r"^\W*(step|week)\s*[\d., ]+(\[[^\]]*\])?\s*:?\s*", "", last, flags=re.IGNORECASE).strip()
    label = next((ln.text.rstrip(":").strip() for ln in lines if not ln.title and ln.text.endswith(":")), "")
    return f"{last}: {label}" if not name and label else (name or last).rstrip(".")


def _first_items(lines) -> str:
    """A passage's first list items, briefly: ' (NumPy, Pandas, Matplotlib)'."""
    # not the heading again ("Software Testing (Software Testing, …)"), nor a label ("Deploy full ML system:")
    lines = [ln for ln in lines if not ln.title and not ln.text.endswith(":")]
    names = [plain(ln.text) for ln in lines]  # "20.2. Code Style Guides (PEP 8)" is "Code Style Guides (PEP 8)"
    bullets = [b for b in names if re.match(r"^[A-Za-z]", b) and len(re.sub(r"\(.*?\)", "", b).split()) <= 6][:4]
    return f" ({', '.join(b.rstrip('.') for b in bullets)})" if bullets else ""


SECTION_HANDLERS = {
    "which": answer_which,
    "section": answer_section,
}
