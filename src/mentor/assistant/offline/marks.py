"""What a roadmap's own marks mean: "what does the [P] tag mean?", "what is [D: after projects]?".
A mark is a bracketed code the roadmaps define in a legend line ("# [P] = Parallel (must learn
together with something)"); the answer quotes that line, and the detail a mark carries after its
colon ("after projects") is read as what it applies to.

Not here: questions about topics (`knowledge.py`), about sections (`sections.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.evidence import Line, passage_lines
from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.shapes import finish
from mentor.assistant.tools import Toolbox

MARK = re.compile(r"\[([A-Z]{1,6})(?::\s*([^\]]+))?\]")
MEANING = re.compile(r"\b(mean\w*|stand\w* for|tag|mark\w*|label|legend|what is|what are|what's)\b", re.IGNORECASE)


def asks_mark(message: str) -> bool:
    return bool(MARK.search(message) and MEANING.search(message))


def answer_mark(intent, message, tb: Toolbox, memory, mode_note) -> Draft:
    """The legend line that defines the mark asked about, quoted; when no roadmap defines it, that
    said, with the marks they do define."""
    found = MARK.search(message)
    code, detail = found.group(1), (found.group(2) or "").strip()
    tb.run("search_curriculum", query=f"legend [{code}] {detail}".strip())
    definition = re.compile(rf"^\W*\[{code}\]\s*(=|:|-|–)\s*\S")
    for chunk in tb.deps.passages:
        if chunk.kind != "passage" or f"[{code}]" not in chunk.text:
            continue
        n = tb.book.add(chunk)
        lines: list[Line] = [ln for ln in passage_lines(n, chunk) if definition.match(ln.text)]
        if lines:
            meaning = re.sub(rf"^\W*\[{code}\]\s*(=|:|-|–)\s*", "", lines[0].text).strip()
            head = f"In {chunk.doc}, [{code}] means {meaning}"
            head += f"; here it applies {detail}." if detail else "."
            others = [ln for ln in passage_lines(n, chunk) if re.match(r"^\W*\[[A-Z]{1,6}\]\s*=", ln.text)]
            return finish(head, [lines[0], *[ln for ln in others if ln.text != lines[0].text]][:3])
    known = sorted({m for c in tb.deps.passages for m in re.findall(r"^\W*(\[[A-Z]{1,6}\])\s*=", c.text, re.M)})
    defined = f" The marks their legends define are {', '.join(known)}." if known else ""
    return Draft(f"No roadmap defines a [{code}] mark, so I won't guess what it means.{defined}")
