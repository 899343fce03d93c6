"""The roadmaps' own lines, as knowledge checks read them: list items (bullets, numbered outline
entries, the items under a "Learn:" label, rows of a two-column table) with the label they stand
under, "name – purpose" definitions of libraries and tools, and an index of every line of every
passage for checking that a question has exactly one right option.

Everything here is a verbatim slice of a passage, so a question's quote can always be found in
the passage it cites. Not here: making questions (`kinds.py`), checking them (`checks.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from mentor.corpus.chunks import DONE_RE, Chunk

BULLET = re.compile(r"^\s*(?:[-*•·]|o(?=\s)|\d+\))\s+(?P<body>\S.*?)\s*$")
OUTLINE = re.compile(r"^\s*\d+(?:\.\d+)+\.?\s+(?P<body>\S.*?)\s*$")
TABLE_ROW = re.compile(r"^(?P<name>[^\t]{2,40})\t+(?P<body>[^\t]{3,80})$")
DEFINITION = re.compile(
    r"^(?P<name>[A-Za-z][\w.&/ +-]{1,40}?)(?:\s*\((?:optional)\))?\s+[–—-]\s+(?P<purpose>\S.{5,90})$"
)
TOOLS = re.compile(r"librar|\btools?\b|framework", re.IGNORECASE)  # a passage about libraries and tools
LABEL = re.compile(r"^\W*(?P<label>[A-Z][\w /&-]{2,40}):\s*$")
WORD = re.compile(r"[a-z0-9][a-z0-9+#]*")
GENERIC = frozenset(
    "a an the and or of to in for with on by as via is are be it its this that into from your you use using "
    "e g etc learn learning optional basic basics data ml model models".split()
)


@dataclass(frozen=True)
class Item:
    """One list item: its verbatim line, its text without the bullet, and what it stands under."""

    chunk: Chunk
    line: str  # the line as in the passage, surrounding white space removed
    body: str  # without bullet or outline number
    label: str  # the label or heading the list stands under
    group: int  # items of one list share a group number within their passage


@dataclass(frozen=True)
class Definition:
    """'xgboost – for high-performance gradient boosting': a name and what the roadmap says it is for."""

    chunk: Chunk
    line: str
    name: str
    purpose: str


def fold(text: str) -> str:
    """Lower case, one space between words, typographic apostrophes and dashes made plain."""
    text = text.replace("’", "'").replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", text).strip().lower()


def words(text: str) -> set[str]:
    """Content words (a crude stem: a trailing s dropped), for overlap tests."""
    return {w.rstrip("s") if len(w) > 3 else w for w in WORD.findall(fold(text)) if w not in GENERIC}


def items(chunk: Chunk) -> list[Item]:
    """The passage's list items, grouped into lists: a blank line, a label line or a line that
    is no item ends a list."""
    found: list[Item] = []
    label, group, in_list = chunk.heading.strip(), 0, False
    raws = chunk.text.splitlines()
    for i, raw in enumerate(raws):
        line = raw.strip()
        match = BULLET.match(raw) or OUTLINE.match(raw)
        if match and line != chunk.heading.strip() and not _outline_parent(line, raws[i + 1 : i + 2]):
            if not in_list:
                group, in_list = group + 1, True
            body = DONE_RE.sub("", match.group("body")).strip()  # a learner's "---Done" mark is no content
            found.append(Item(chunk, line, body, label, group))
            continue
        in_list = False
        if LABEL.match(line):
            label = line.rstrip(":").strip()
        elif line:
            label = line if len(line) <= 80 else label
    return found


def _outline_parent(line: str, following: list[str]) -> bool:
    """'1.1. Linear Algebra' followed by '1.1.1. …': a heading of the entries below it."""
    number = re.match(r"(\d+(?:\.\d+)+)\.?\s", line)
    return bool(number and following and following[0].strip().startswith(number.group(1) + "."))


def definitions(chunk: Chunk) -> list[Definition]:
    """'name – purpose' items and two-column 'Tool<TAB>Purpose' rows (the header row left out)."""
    if not TOOLS.search(chunk.text):
        return []
    found = []
    for raw in chunk.text.splitlines():
        line = raw.strip()
        match = BULLET.match(raw)
        body = match.group("body").strip() if match else line
        row = TABLE_ROW.match(line)
        if row and not row.group("name").lower().startswith(("tool", "phase")) and "," not in row.group("body"):
            found.append(Definition(chunk, line, row.group("name").strip(), row.group("body").strip()))
            continue
        if match and (d := DEFINITION.match(body)):
            found.append(Definition(chunk, line, d.group("name").strip(), d.group("purpose").strip()))
    return found


class CorpusLines:
    """Every line of every passage, folded, for the checks: which lines a gap template fits,
    which lines name a thing, whether a text occurs anywhere."""

    def __init__(self, chunks: list[Chunk]):
        self.chunks = [c for c in chunks if c.kind == "passage"]

    @cached_property
    def lines(self) -> list[str]:
        return [fold(ln) for c in self.chunks for ln in c.text.splitlines() if ln.strip()]

    @cached_property
    def by_id(self) -> dict[str, Chunk]:
        return {c.chunk_id: c for c in self.chunks}

    def fills(self, template: str, gap: str) -> list[str]:
        """What stands in the gap of `template` (folded) wherever the rest of it is a whole line."""
        before, after = (re.escape(part) for part in fold(template).split(fold(gap), 1))
        pattern = re.compile(rf"^(?:[-*•·o]\s+|\d+(?:\.\d+)+\.?\s+)?{before}(.+?){after}$")
        return [m.group(1) for ln in self.lines if (m := pattern.match(ln))]

    def naming(self, name: str) -> list[str]:
        """The folded lines that name `name` as a whole word."""
        pattern = re.compile(rf"(?<![\w-]){re.escape(fold(name))}(?![\w-])")
        return [ln for ln in self.lines if pattern.search(ln)]


_LINES: dict[int, CorpusLines] = {}


def corpus_lines(chunks: list[Chunk]) -> CorpusLines:
    """The line index of these passages, built once per passage list."""
    if id(chunks) not in _LINES:
        _LINES.clear()
        _LINES[id(chunks)] = CorpusLines(chunks)
    return _LINES[id(chunks)]
