"""Structure-aware chunking of the cleaned roadmaps.

Each roadmap has its own shape: `####` banners around `# PHASE n` lines with `Step n.m` blocks,
a numbered outline (`5.4.1.`) under plain subject lines, markdown week headings underlined with
`===`, short `Phase n - ...` lines with bullet pairs, emoji-led phase and topic lines separated by
`____` rules. One set of line rules recognises all of them; a stack of open headings gives each
chunk its heading path. Sections too long to cite precisely are split at bullet groups or
paragraphs. A chunk's text is always a contiguous slice of the cleaned document, so a quote
from it can be found there verbatim.

Not covered here: turning URLs into resource records (`resources.py`), embedding (`embed.py`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field

from mentor.corpus.documents import Document

SEP = " › "
MAX_LINES = 18  # non-blank lines in one chunk before it is split
MAX_CHARS = 900
LABEL_CHARS = 60

URL_RE = re.compile(r"https?://[^\s<>()\[\]\"'`]+")
BANNER_RE = re.compile(r"^#{10,}\s*$")
MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
UNDERLINE_RE = re.compile(r"^\s*(={3,}|-{3,})\s*$")
RULE_RE = re.compile(r"^\s*(_{5,}|-{5,})\s*$")
PHASE_RE = re.compile(r"^[^\w\s]*\s*phase\s+\d+\s*[:\-–—]", re.IGNORECASE)
STEP_RE = re.compile(r"^Step\s+\d+(?:\.\d+)*\b")
OUTLINE_RE = re.compile(r"^(\d+(?:\.\d+)+)\.?\s+(\S.*)$")
BULLET_RE = re.compile(r"^(\s*)([-*•o·]|\d+\))\s+\S")
DONE_RE = re.compile(r"\s*[-—]*\s*✅?\s*Done\s*$", re.IGNORECASE)


@dataclass
class Chunk:
    chunk_id: str
    doc: str
    title: str  # document title
    section: str  # heading path joined with SEP
    heading: str  # full text of the innermost heading line, for indexing
    first_line: int  # 1-based, inclusive, in the cleaned document
    last_line: int
    text: str
    links: list[str] = field(default_factory=list)
    kind: str = "passage"  # passage | resource | page
    url: str | None = None  # the link a citation should open (resources, pages)
    topics: list[str] = field(default_factory=list)  # curriculum topics it covers (set at ingest)

    @property
    def lines(self) -> tuple[int, int]:
        return (self.first_line, self.last_line)

    def index_text(self) -> str:
        """What retrieval sees: the heading path gives short passages their context."""
        head = "" if self.heading in self.text else f"{self.heading}\n"
        return f"{self.title}\n{self.section}\n{head}{self.text}"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Heading:
    level: int
    label: str
    text: str
    kind: str


def make_chunk_id(doc: str, section: str, text: str) -> str:
    """Stable: the same text at the same place always gets the same id."""
    return hashlib.sha1(f"{doc}\0{section}\0{text}".encode()).hexdigest()[:16]


def find_links(text: str) -> list[str]:
    links = []
    for match in URL_RE.finditer(text):
        url = match.group(0).rstrip(".,;:!?#*")
        if url not in links:
            links.append(url)
    return links


def _has_symbol_start(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and unicodedata.category(stripped[0]) in ("So", "Sk", "Cn", "Co")


def _label(text: str) -> str:
    """A short, clean label for a heading path."""
    text = DONE_RE.sub("", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("So", "Sk", "Cn", "Co", "Mn"))
    text = re.sub(r"^#+\s*", "", text).strip().rstrip(":").strip()
    outline = OUTLINE_RE.match(text)
    if outline:
        text = f"{outline.group(1)} {outline.group(2)}"
    text = re.sub(r"\s+", " ", text)
    if len(text) > LABEL_CHARS:
        text = text[:LABEL_CHARS].rsplit(" ", 1)[0] + "…"
    return text


def _is_titleish(line: str, limit: int = 60) -> bool:
    s = line.strip()
    return (
        0 < len(s) <= limit
        and s[0].isupper()
        and "\t" not in s
        and not URL_RE.search(s)
        and not s.endswith((".", ",", ";"))
        and not BULLET_RE.match(line)
    )


class _Classifier:
    """Decides, line by line, whether a line opens a heading, is decoration, or is content."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def _next_nonblank(self, i: int) -> str:
        for line in self.lines[i + 1 :]:
            if line.strip():
                return line
        return ""

    def _prev_nonblank(self, i: int) -> str:
        for line in reversed(self.lines[:i]):
            if line.strip():
                return line
        return ""

    def decoration(self, i: int) -> str | None:
        """'banner', 'underline', 'rule' or None."""
        line = self.lines[i]
        if BANNER_RE.match(line):
            return "banner"
        if UNDERLINE_RE.match(line) and i > 0 and self.lines[i - 1].strip():
            if not BULLET_RE.match(self.lines[i - 1]) and not RULE_RE.match(self.lines[i - 1]):
                return "underline"
        if RULE_RE.match(line):
            return "rule"
        return None

    def heading(self, i: int, innermost: _Heading | None, seen_content: bool) -> _Heading | None:
        line = self.lines[i]
        s = line.strip()
        if not s:
            return None
        nxt_line = self.lines[i + 1] if i + 1 < len(self.lines) else ""
        if RULE_RE.match(nxt_line) and nxt_line.strip().startswith("_") and _is_titleish(s) and not s.endswith(":"):
            return _Heading(1, _label(s), s, "part")  # a title standing over a ____ rule
        if line[:1] in (" ", "\t"):
            return None
        prev = self._prev_nonblank(i)
        if i + 1 < len(self.lines) and self.decoration(i + 1) == "underline":
            level = 1 if nxt_line.strip().startswith("=") else 2
            return _Heading(level, _label(s), s, "underlined")
        md = MD_HEADING_RE.match(s)
        if md:
            if BANNER_RE.match(prev):
                return _Heading(1, _label(md.group(2)), s, "phase")
            if not seen_content:
                return _Heading(0, _label(md.group(2)), s, "title")
            if MD_HEADING_RE.match(prev) and self.lines[i - 1].strip():
                return None  # a run of '#' lines: the first is the heading, the rest its body
            return _Heading(1 if len(md.group(1)) <= 2 else 2, _label(md.group(2)), s, "markdown")
        if PHASE_RE.match(s):
            return _Heading(1, _label(s), s, "phase")
        if STEP_RE.match(s):
            return _Heading(2, _label(s), s, "step")
        outline = OUTLINE_RE.match(s)
        if outline:
            depth = outline.group(1).count(".") + 1
            return _Heading(3, _label(s), s, "outline") if depth == 2 else None
        nxt = self._next_nonblank(i).strip()
        nxt_outline = OUTLINE_RE.match(nxt)
        if nxt_outline and nxt_outline.group(1).count(".") == 1 and _is_titleish(s):
            return _Heading(2, _label(s), s, "subject")
        if _has_symbol_start(s) and len(s) <= 80:
            after_rule = not prev or bool(RULE_RE.match(prev))
            if after_rule:
                return _Heading(1, _label(s), s, "emoji")
            if re.search(r":\s*\S", s):
                return None  # "📘 Resource: Kaggle ..." is content
            return _Heading(2, _label(s), s, "label" if s.endswith(":") else "emoji")
        in_step = innermost is not None and innermost.kind == "step"
        if not in_step and innermost is not None and _is_titleish(s, 50) and BULLET_RE.match(self._next_nonblank(i)):
            if s.endswith(":") or not re.search(r"[.!?]", s):
                level = innermost.level if innermost.kind == "label" else min(innermost.level + 1, 3)
                return _Heading(max(2, level), _label(s), s, "label")
        return None


@dataclass
class _Section:
    path: list[str]
    heading: str
    level: int
    kind: str = ""
    lines: list[int] = field(default_factory=list)  # 0-based indices of content lines
    has_body: bool = False


def _sections(doc: Document) -> list[_Section]:
    lines = doc.lines
    cls = _Classifier(lines)
    stack: list[_Heading] = []
    sections: list[_Section] = [_Section([], "", 0)]
    seen_content = False
    for i, line in enumerate(lines):
        deco = cls.decoration(i)
        if deco in ("banner", "underline"):
            if sections[-1].lines:
                sections[-1].lines.append(i)
            continue
        if deco == "rule":
            keep = 1 if line.strip().startswith("-") else 0
            stack = [h for h in stack if h.level <= keep]
            sections.append(_Section([h.label for h in stack if h.level > 0], "", keep))
            continue
        head = cls.heading(i, stack[-1] if stack else None, seen_content)
        if head is not None:
            stack = [h for h in stack if h.level < head.level] + [head]
            path = [h.label for h in stack if h.level > 0]
            sections.append(_Section(path, head.text, head.level, head.kind, [i]))
            seen_content = True
            continue
        if line.strip():
            seen_content = True
            sections[-1].has_body = True
        if sections[-1].lines or line.strip():
            sections[-1].lines.append(i)
    return sections


def _trim(indices: list[int], lines: list[str]) -> list[int]:
    """Drop blank and decoration lines at either end."""

    def blank(i: int) -> bool:
        s = lines[i].strip()
        return not s or bool(BANNER_RE.match(s) or UNDERLINE_RE.match(s) or RULE_RE.match(s))

    while indices and blank(indices[0]):
        indices = indices[1:]
    while indices and blank(indices[-1]):
        indices = indices[:-1]
    return indices


def _groups(indices: list[int], lines: list[str]) -> list[list[int]]:
    """Split a section's lines into bullet groups (a top-level bullet and what hangs under it)
    or, where there are no bullets, paragraphs."""
    bullets = [i for i in indices if BULLET_RE.match(lines[i])]
    top = min((len(BULLET_RE.match(lines[i]).group(1).expandtabs(4)) for i in bullets), default=None)
    groups: list[list[int]] = [[]]
    prev_blank = False
    for i in indices:
        m = BULLET_RE.match(lines[i])
        starts_group = (m is not None and len(m.group(1).expandtabs(4)) == top) or (
            top is None and prev_blank and lines[i].strip()
        )
        if starts_group and groups[-1]:
            groups.append([])
        groups[-1].append(i)
        prev_blank = not lines[i].strip()
    return [g for g in groups if g]


def _size(indices: list[int], lines: list[str]) -> tuple[int, int]:
    nonblank = [lines[i] for i in indices if lines[i].strip()]
    return len(nonblank), sum(len(s) for s in nonblank)


def _pack(indices: list[int], lines: list[str]) -> list[list[int]]:
    n, chars = _size(indices, lines)
    if n <= MAX_LINES and chars <= MAX_CHARS:
        return [indices]
    parts: list[list[int]] = []
    for group in _groups(indices, lines):
        if parts:
            merged = parts[-1] + group
            n, chars = _size(merged, lines)
            if n <= MAX_LINES and chars <= MAX_CHARS:
                parts[-1] = merged
                continue
        parts.append(group)
    return parts


def _merge_leaf_outline_items(sections: list[_Section], lines: list[str]) -> list[_Section]:
    """Runs of one-line outline items ("12.2. Convolutional Layers") become one chunk under
    their parent heading, rather than many chunks too small to be worth citing."""

    def leaf(sec: _Section) -> bool:
        return sec.kind == "outline" and len(_trim(sec.lines, lines)) == 1

    merged: list[_Section] = []
    for sec in sections:
        prev = merged[-1] if merged else None
        if prev and leaf(sec) and (prev.kind == "outline-run" or leaf(prev)):
            parent = prev.path if prev.kind == "outline-run" else prev.path[:-1]
            if parent == sec.path[:-1]:
                prev.lines = _trim(prev.lines, lines) + sec.lines
                prev.kind, prev.path = "outline-run", parent
                prev.heading = parent[-1] if parent else ""
                continue
        merged.append(sec)
    return merged


def _merge_soft_labels(sections: list[_Section], lines: list[str]) -> list[_Section]:
    """Label lines ("💼 Libraries:", "Core Concepts") open a section only when the text they
    belong to is too long for one chunk; otherwise they stay with their parent's passage."""
    merged: list[_Section] = []
    for sec in sections:
        prev = merged[-1] if merged else None
        if prev is not None and sec.kind == "label":
            parent = sec.path[:-1]
            joinable = prev.path == parent or (prev.kind == "label-run" and prev.path == parent)
            n, chars = _size(prev.lines + sec.lines, lines)
            if joinable and n <= MAX_LINES and chars <= MAX_CHARS:
                prev.lines = prev.lines + sec.lines
                prev.kind, prev.has_body = "label-run", True
                continue
        merged.append(sec)
    return merged


def _fold_bare_headings(sections: list[_Section], lines: list[str]) -> list[_Section]:
    """A heading with no text of its own, followed by a deeper heading, is folded into that
    child's chunk (so its line, e.g. a phase title marked "Done", stays citable)."""
    out: list[_Section] = []
    carry: list[int] = []
    for pos, sec in enumerate(sections):
        indices = carry + sec.lines
        carry = []
        nxt = sections[pos + 1] if pos + 1 < len(sections) else None
        bare = not sec.has_body and nxt is not None and nxt.level > sec.level and sec.heading
        if bare and len(_trim(indices, lines)) <= 3 and nxt.lines:
            carry = list(range(_trim(indices, lines)[0], nxt.lines[0])) if _trim(indices, lines) else []
            continue
        sec.lines = indices
        out.append(sec)
    return out


def chunk_document(doc: Document) -> list[Chunk]:
    lines = doc.lines
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    sections = _merge_soft_labels(_merge_leaf_outline_items(_sections(doc), lines), lines)
    for sec in _fold_bare_headings(sections, lines):
        chunks += section_chunks(doc, sec.lines, sec.path, sec.heading.strip("# ").strip(), seen)
    return chunks


def section_chunks(doc: Document, indices: list[int], path: list[str], heading: str, seen: dict) -> list[Chunk]:
    """One section's lines (0-based `indices`) packed into passages; `seen` counts the chunk
    ids of the document so far, so that a repeated passage gets an id of its own."""
    lines, chunks = doc.lines, []
    indices = _trim(indices, lines)
    for part in _pack(indices, lines) if indices else []:
        part = _trim(part, lines)
        if not part:
            continue
        first, last = part[0], part[-1]
        text = "\n".join(lines[first : last + 1])
        section = SEP.join(path) or "Introduction"
        cid = make_chunk_id(doc.id, section, text)
        seen[cid] = seen.get(cid, 0) + 1
        if seen[cid] > 1:
            cid = make_chunk_id(doc.id, section, f"{text}\0{seen[cid]}")
        chunks.append(Chunk(cid, doc.id, doc.title, section, heading, first + 1, last + 1, text, find_links(text)))
    return chunks


def chunk_corpus(docs: list[Document]) -> list[Chunk]:
    return [chunk for doc in docs for chunk in chunk_document(doc)]
