"""What a roadmap's own words mean, when a learner quotes them.

- A mark: "what does the [P] tag mean?", "what is [D: after projects]?". A mark is a bracketed
  code the roadmaps define in a legend line ("# [P] = Parallel (must learn together with
  something)"); the answer quotes that line, and the detail a mark carries after its colon
  ("after projects") is read as what it applies to.
- A quoted phrase: "what do they mean by 'data literacy'?", "learning pandas at 'syntax level
  only'?". The answer finds the phrase in a roadmap (spaces and hyphens aside) and quotes what
  that roadmap puts with it: the line right under it, and its "Goal:" / "Reason:" lines and its
  "do NOT" lines.

Not here: questions about topics (`knowledge.py`), about sections (`sections.py`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from mentor.assistant.evidence import LEGEND_ENTRY, passage_lines, terms
from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.order import RECAP
from mentor.assistant.offline.shapes import finish
from mentor.assistant.tools import Toolbox

MARK = re.compile(r"\[([A-Z]{1,6})(?::\s*([^\]\[]{1,60}))?\]")
MEANING = re.compile(r"\b(mean\w*|stand\w* for|tags?|mark\w*|labels?|legend|what is|what are|what's)\b", re.IGNORECASE)


COMPARING = re.compile(r"\b(diff\w*|vs\.?|versus|compare\w*)\b", re.IGNORECASE)


def asks_mark(message: str) -> bool:
    two = len({m.group(1) for m in MARK.finditer(message)}) >= 2
    return bool(MARK.search(message) and (MEANING.search(message) or two and COMPARING.search(message)))


def answer_mark(intent, message, tb: Toolbox, memory, mode_note) -> Draft:
    """The legend lines that define the marks asked about ("the difference between an [I] step and
    a [D] step?": both), quoted; when no roadmap defines one, that said, with the marks they do define."""
    meanings, entries, others = [], [], []
    for mark in list({m.group(1): m for m in MARK.finditer(message)}.values())[:3]:
        code, detail = mark.group(1), (mark.group(2) or "").strip()
        entry, chunk = _legend_entry(tb, code, detail)
        if entry is None:
            known = sorted({m for c in tb.deps.passages for m in re.findall(r"^\W*(\[[A-Z]{1,6}\])\s*=", c.text, re.M)})
            defined = f" The marks their legends define are {', '.join(known)}." if known else ""
            return Draft(f"No roadmap defines a [{code}] mark, so I won't guess what it means.{defined}")
        meaning = f"[{code}] means {LEGEND_DEFINES.sub('', entry.text).strip()}"
        meanings.append(meaning + (f"; here it applies {detail}" if detail else ""))
        entries.append(entry)
        others = others or [ln for ln in passage_lines(entry.n, chunk) if LEGEND_ENTRY.match(ln.text)]
    shown = {e.text for e in entries}
    head = f"In {entries[0].chunk.doc}, " + "; ".join(meanings) + "."
    return finish(head, [*entries, *[ln for ln in others if ln.text not in shown]][:3])


PHRASE = re.compile(r"(?<!\w)['\"‘“]([^'\"’”\n]{3,60})['\"’”](?!\w)")
EXPLAINING = re.compile(r"\b(goal|reason|why|note|important)\s*:?\s*$", re.IGNORECASE)
MEANS = re.compile(r"\b(mean\w*|stand\w* for|refer\w* to|explain\w*)\b", re.IGNORECASE)  # not "what's in 'the craft'"
NOT_LINE = re.compile(r"\b(do not|don't|not)\b", re.IGNORECASE)


LEGEND_DEFINES = re.compile(r"^\W*\[[A-Z]{1,6}\]\s*(=|:|-|–)\s*(?=\S)")  # "# [P] = Parallel (…)"


def _legend_entry(tb: Toolbox, code: str, detail: str):
    """The legend line defining `[code]` and its passage (numbered in the answer), or (None, None)."""
    tb.run("search_curriculum", query=f"legend [{code}] {detail}".strip())
    defines = re.compile(rf"^\W*\[{code}\]\s*(=|:|-|–)\s*(?=\S)")
    for chunk in tb.deps.passages:
        if chunk.kind != "passage" or f"[{code}]" not in chunk.text:
            continue
        lines = passage_lines(0, chunk)
        entry = next((ln for ln in lines if defines.match(ln.text)), None)
        if entry is not None:
            return replace(entry, n=tb.book.add(chunk)), chunk
    return None, None


def asks_phrase(message: str, cur) -> bool:
    """A quoted phrase asked about that is not simply a topic's name ('overfitting' is a topic:
    the answer about a concept says more of it)."""
    found = PHRASE.search(message)
    if found is None or not MEANS.search(message):
        return False
    phrase = " ".join(found.group(1).split())
    if not terms(phrase):  # "'---'", "'the'": no words to look up
        return False
    return not any(start == 0 and end == len(phrase) for start, end, _ in cur.mention_spans(phrase))


def _plainly(text: str) -> str:
    return re.sub(r"[\s_-]+", " ", text.lower()).strip()


def answer_phrase(intent, message, tb: Toolbox, memory, mode_note) -> Draft | None:
    """What the roadmap that uses a quoted phrase puts with it (where it says most about it: the
    place with a goal, a reason or a "do NOT" beside it, a recap last); when no roadmap uses the
    phrase, that said; None when the roadmap says nothing beside it."""
    phrase = PHRASE.search(message).group(1).strip()
    wanted = _plainly(phrase)
    tb.run("find_lines", query=phrase)
    whole = re.compile(rf"(?<![a-z0-9]){re.escape(wanted)}(?![a-z0-9])")  # "ops" is not in "loops"
    places = []
    for chunk in tb.deps.passages:
        if chunk.kind != "passage" or not whole.search(_plainly(chunk.text)):
            continue
        lines = passage_lines(0, chunk)
        at = next((i for i, ln in enumerate(lines) if whole.search(_plainly(ln.text))), None)
        if at is None:
            continue
        below = [ln for ln in lines[at + 1 :] if not ln.title][:1]
        said = [ln for ln in lines[at + 1 :] if EXPLAINING.search(ln.context) or NOT_LINE.search(ln.text)]
        said += [ln for ln in lines[: at + 1] if NOT_LINE.search(ln.text) and wanted in _plainly(ln.text)]
        recap = bool(RECAP.search(f"{chunk.section} {chunk.heading}"))
        places.append((len(said) - 2 * recap, chunk, lines[at], [*below, *said]))
    if not places:
        return Draft(f"The roadmaps don't use the words \u201c{phrase}\u201d, so I won't guess what is meant.")
    _, chunk, line, found = max(places, key=lambda p: p[0])
    if not found and (line.title or len(_plainly(line.text)) < len(wanted) + 12):
        return None  # nothing said beside it or in its own line: the usual answer for the words asked
    n = tb.book.add(chunk)
    if not found:  # "30.4. Understanding the Business Context (Aligning ML solutions to business goals)": all it says
        head = f"{chunk.doc} lists it under {chunk.heading.strip()} and says no more of it:"
        return finish(head, [replace(line, n=n)])
    chosen = list({ln.text: replace(ln, n=n) for ln in found if ln.text != line.text or not line.title}.values())[:3]
    where = "" if line.text.strip() == chunk.heading.strip() else f" ({chunk.heading.strip()})"
    return finish(f'{chunk.doc} says "{line.text.strip()}"{where}; what it puts with it:', chosen)
