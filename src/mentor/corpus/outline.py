"""Reading a learner's own roadmap by its own structure, whatever its layout: Markdown headings,
org-mode outlines (`* Heading`, `** Sub`, `- [X] item`), repeated label lines with items under
them ("Week 1 — Basics" then `- [x] NumPy`), or a plain indented outline. Each line is a heading
(a line that has items or deeper lines under it), an item (a bullet, a checkbox, a numbered or
indented line), prose or blank; the passages follow the headings, each a contiguous slice of the
document, so a quote from one is found there verbatim.

Also here: which lines carry a "Done" mark, and an item's name with its marks taken off (what is
matched against the curriculum's topic names). Marks that count as done: a ticked checkbox
(`[x]`, `[X]`, `[✓]`), org-mode's `DONE` keyword, ✅ ✔ ☑ ✓ anywhere on the line, and the words
done / completed / finished set off at the end ("— done", ": Done", "(done)", "[completed]") or
"DONE" in capitals. Not counted: an empty or partial box (`[ ]`, `[-]`, even with one of those
marks after it), ~~strikethrough~~ (it as often means "dropped"), or a bare trailing word ("get
things done").

Not here: the five built-in roadmaps' chunker (`chunks.py`, tried first: the layout that finds
more sections wins), storing added roadmaps (`own.py`), linking items to topics
(`mentor.learning.roadmap_links`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from mentor.corpus.chunks import (  # the packing rules are the built-in chunker's
    LABEL_CHARS,
    URL_RE,
    Chunk,
    chunk_document,
    section_chunks,
)
from mentor.corpus.documents import Document

BULLET = re.compile(r"^(\s*)(?:[-*+•·▪‣◦]|\d{1,3}[.)]|[a-zA-Z][.)])\s+(?=\S)")
MD_HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*\s*$")
ORG_HEADING = re.compile(r"^(\*+)\s+(\S.*)$")
ORG_FILE = re.compile(r"^(\*{2,}\s+\S|#\+(TITLE|title):)", re.MULTILINE)
CHECKBOX = re.compile(r"^\[([ xX✓✔\-~/])\]\s*")
CHECKED = re.compile(r"^\s*(?:[-*+•·]|\d{1,3}[.)])?\s*\[[xX✓✔]\]")
OPEN_BOX = re.compile(r"^\s*(?:[-*+•·]|\d{1,3}[.)])?\s*\[[ \-~/]\]")  # the box says "not done": it wins
ORG_KEYWORD = re.compile(r"^(TODO|DONE|NEXT|WAITING|CANCELLED)\s+")
DONE_SYMBOL = re.compile("[✅✔☑✓]")
DONE_WORDS = r"(?:done|completed|finished)"
DONE_WORD = re.compile(rf"(?:[(\[]\s*{DONE_WORDS}\s*[)\]]|[-–—:|]+\s*{DONE_WORDS})[\s.!]*$", re.IGNORECASE)
DONE_CAPS = re.compile(r"\bDONE[\s.!]*$")
# "Week 1 —", "Month 2:", "Day 3 -", "Phase 1.", "Module 4)": a label and its number
SHAPE = re.compile(r"^([^\W\d_]+)\s*(\d+(?:\.\d+)*)\s*(?:[:\-–—.)|]+\s*|\s+|$)")
NUMBERING = re.compile(r"^\d+(?:\.\d+)*[.)]?\s+")
MAX_HEADING_CHARS = 100


@dataclass(frozen=True)
class Line:
    """One line of a learner's roadmap, as read."""

    number: int  # 1-based
    text: str  # as in the cleaned document
    kind: str  # heading | item | text | blank
    level: int = 0  # headings: deeper is larger
    done: bool = False

    @property
    def name(self) -> str:
        return item_name(self.text)


def is_done(line: str) -> bool:
    """Does the line carry a "Done" mark (see the module's docstring for which count)?"""
    body = line.strip()
    if OPEN_BOX.match(body):
        return False
    if CHECKED.match(body) or DONE_SYMBOL.search(body):
        return True
    stars = ORG_HEADING.match(body)
    if stars and stars.group(2).startswith("DONE "):
        return True
    return bool(DONE_CAPS.search(body) or DONE_WORD.search(body))


def strip_marks(text: str) -> str:
    """The line without bullet, heading marks, checkbox, org keyword, done marks and emphasis."""
    s = text.strip()
    s = re.sub(r"^#{1,6}\s+", "", s)
    s = re.sub(r"^\*+\s+", "", s)
    s = BULLET.sub("", s, count=1).strip()
    s = CHECKBOX.sub("", s)
    s = ORG_KEYWORD.sub("", s)
    s = DONE_SYMBOL.sub("", s)
    s = re.sub(rf"[(\[]\s*{DONE_WORDS}\s*[)\]]", "", s, flags=re.IGNORECASE)
    s = re.sub(rf"\s*[-–—:|]+\s*{DONE_WORDS}[\s.!]*$", "", s, flags=re.IGNORECASE)
    s = re.sub(r"\s*\bDONE[\s.!]*$", "", s)
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)  # [text](url) -> text
    s = URL_RE.sub("", s)
    s = re.sub(r"(\*\*|__|~~|`)", "", s)
    s = "".join(ch for ch in s if unicodedata.category(ch) not in ("So", "Sk", "Cn", "Co", "Mn", "Cf"))
    return re.sub(r"\s+", " ", s).strip(" \t:;,.-–—|")


def item_name(text: str) -> str:
    """What an item or heading names: its marks and a leading label ("Week 1 —", "2.3") taken off."""
    s = strip_marks(text)
    shape = SHAPE.match(s)
    if shape and s[shape.end() :].strip():
        s = s[shape.end() :]
    s = NUMBERING.sub("", s)
    return s.strip(" \t:;,.-–—|")


def label(text: str) -> str:
    """A short label for a heading path."""
    s = strip_marks(text)
    if len(s) > LABEL_CHARS:
        s = s[:LABEL_CHARS].rsplit(" ", 1)[0] + "…"
    return s


def _width(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _shape(text: str) -> str | None:
    match = SHAPE.match(text.strip())
    return match.group(1).lower() if match else None


class _Reader:
    """Classifies the lines of one document."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.org = bool(ORG_FILE.search("\n".join(lines)))
        shapes = [_shape(s) for s in lines if s.strip() and not self._bullet(s)]
        self.repeated = {s for s in shapes if s and shapes.count(s) >= 2}

    def _bullet(self, line: str) -> bool:
        if self.org and ORG_HEADING.match(line):
            return False
        return bool(BULLET.match(line))

    def _next(self, i: int) -> str | None:
        return next((s for s in self.lines[i + 1 :] if s.strip()), None)

    def has_children(self, i: int) -> bool:
        nxt = self._next(i)
        if nxt is None:
            return False
        return self._bullet(nxt) or _width(nxt) > _width(self.lines[i])

    def read(self) -> list[Line]:
        raw: list[tuple[int, str, str, object]] = []
        for i, line in enumerate(self.lines):
            kind, key = self._kind(i)
            raw.append((i + 1, line, kind, key))
        levels = self._levels([key for _, _, kind, key in raw if kind == "heading"])
        return [
            Line(n, line, kind, levels.get(key, 0) if kind == "heading" else 0, kind != "blank" and is_done(line))
            for n, line, kind, key in raw
        ]

    def _kind(self, i: int) -> tuple[str, object]:
        line = self.lines[i]
        s = line.strip()
        if not s:
            return "blank", None
        md = MD_HEADING.match(s) if _width(line) == 0 else None
        if md:
            return "heading", ("md", len(md.group(1)))
        org = ORG_HEADING.match(line) if self.org else None
        if org:
            return "heading", ("org", len(org.group(1)))
        if self._bullet(line):
            return "item", None
        if len(s) <= MAX_HEADING_CHARS and not URL_RE.fullmatch(s) and self.has_children(i):
            return "heading", ("label", _width(line), _shape(s))
        if _width(line) > 0 or _shape(s) in self.repeated:
            return ("item", None) if len(s) <= MAX_HEADING_CHARS else ("text", None)
        return "text", None

    @staticmethod
    def _levels(keys: list) -> dict:
        """Markdown and org headings by their marks; label headings below them, by indentation,
        then by the order their shapes ("month", "week") first appear."""
        widths = sorted({k[1] for k in keys if k[0] == "label"})
        shapes: list = []
        for k in keys:
            if k[0] == "label" and (k[1], k[2]) not in shapes:
                shapes.append((k[1], k[2]))
        levels = {}
        for k in keys:
            if k[0] != "label":
                levels[k] = k[1]
            else:
                rank = [s for s in shapes if s[0] == k[1]].index((k[1], k[2]))
                levels[k] = 7 + widths.index(k[1]) * 4 + min(rank, 3)
        return levels


def read_lines(text: str) -> list[Line]:
    """Every line of a cleaned document, classified."""
    return _Reader(text.split("\n")).read()


@dataclass
class _Section:
    path: list[str]
    heading: str
    level: int
    indices: list[int]  # 0-based line indices, heading first
    has_body: bool = False


def _sections(lines: list[Line]) -> list[_Section]:
    stack: list[tuple[int, str]] = []
    sections = [_Section([], "", 0, [])]
    for line in lines:
        if line.kind == "heading":
            stack = [h for h in stack if h[0] < line.level] + [(line.level, label(line.text))]
            sections.append(_Section([h[1] for h in stack], line.text.strip(), line.level, [line.number - 1]))
            continue
        sections[-1].indices.append(line.number - 1)
        sections[-1].has_body = sections[-1].has_body or line.kind != "blank"
    return sections


def _fold_bare(sections: list[_Section]) -> list[_Section]:
    """A heading with nothing under it but a deeper heading joins that heading's passage."""
    out: list[_Section] = []
    carry: list[int] = []
    for pos, sec in enumerate(sections):
        sec.indices = carry + sec.indices
        carry = []
        nxt = sections[pos + 1] if pos + 1 < len(sections) else None
        if sec.heading and not sec.has_body and nxt is not None and nxt.level > sec.level:
            carry = sec.indices
            continue
        out.append(sec)
    return out


def outline_chunks(doc: Document) -> list[Chunk]:
    """The document cut at the headings `read_lines` finds."""
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for sec in _fold_bare(_sections(read_lines(doc.text))):
        heading = strip_marks(sec.heading) if sec.heading else ""
        chunks += section_chunks(doc, sec.indices, sec.path, heading, seen)
    return chunks


def _sections_found(chunks: list[Chunk]) -> int:
    return len({c.section for c in chunks if c.section != "Introduction"})


def chunk_own(doc: Document) -> list[Chunk]:
    """A learner's roadmap in passages: the built-in chunker's cut when it recognises the layout
    at least as well (as many sections), else the outline's."""
    built_in = chunk_document(doc)
    outline = outline_chunks(doc)
    return outline if _sections_found(outline) > _sections_found(built_in) else built_in
