"""Numbered citations built from retrieved passages, never trusted from model text.

A `SourceBook` numbers the passages a conversation turn has seen ([1], [2], …). An answer cites
them by number; `finalize` keeps only the numbers that exist, gives each a verbatim quote taken
from the passage itself (the sentence that best supports the cited sentence), checks every quote
against its passage, repairs or drops what fails, and renumbers densely.

Not here: which passages a turn sees (the tools number them) or retrieval (`mentor.search`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from mentor.corpus.chunks import Chunk

MARKER = re.compile(r"\[(\d{1,3})\]")
# a sentence ends at . ! ? (not after "vs.", "e.g.", "i.e.", "etc.") or a line break
SENTENCE_END = re.compile(r"(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<=[.!?])\s+|\n+")
WORD = re.compile(r"[a-z0-9][a-z0-9+#-]*")
STOP = frozenset(
    "a an the and or of to in on for with is are be it this that what which how do i my me you your "
    "can should before after about from at by as into any some all not no yes there their them we us "
    "learn learning need want know".split()
)


@dataclass
class Citation:
    n: int
    chunk_id: str
    doc: str
    title: str
    section: str
    lines: list[int]
    url: str | None
    quote: str

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def content_words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if w not in STOP and len(w) > 1}


def sentences(text: str) -> list[str]:
    """Verbatim pieces of a passage: its lines, split further at sentence ends."""
    out = []
    for piece in SENTENCE_END.split(text):
        # "- overfitting" is "overfitting": a bullet ("-", "•", an "o" sub-bullet) is a mark and its space
        piece = (
            re.sub(r"^\s*(?:[•*\-·]\s+|o\t\s*)+", "", piece).strip()
            if re.match(r"^\s*(?:[•*\-·]\s|o\t)", piece)
            else piece.strip()
        )
        if len(piece) >= 3 and not re.fullmatch(r"[#=_\-\s]+", piece):
            out.append(piece)
    return out


def best_sentence(chunk: Chunk, about: str) -> str:
    """The passage sentence sharing most words with `about` (the first sentence on a tie)."""
    wanted = content_words(about)
    candidates = sentences(chunk.text) or [chunk.text.strip()]
    scored = [(len(wanted & content_words(s)), -i, s) for i, s in enumerate(candidates)]
    return max(scored)[2]


class SourceBook:
    """The passages one answer may cite, numbered in the order they were first shown."""

    def __init__(self):
        self.chunks: list[Chunk] = []

    def add(self, chunk: Chunk) -> int:
        for i, c in enumerate(self.chunks):
            if c.chunk_id == chunk.chunk_id:
                return i + 1
        self.chunks.append(chunk)
        return len(self.chunks)

    def get(self, n: int) -> Chunk | None:
        return self.chunks[n - 1] if 1 <= n <= len(self.chunks) else None


def _cited_sentence(answer: str, start: int) -> str:
    """The answer sentence a marker at `start` belongs to."""
    begin = max(answer.rfind(". ", 0, start), answer.rfind("\n", 0, start)) + 1
    return answer[begin:start]


def finalize(answer: str, book: SourceBook, quotes: dict[int, str] | None = None) -> tuple[str, list[Citation]]:
    """Map [n] markers to citations with checked quotes; drop markers that point nowhere;
    renumber 1..k in order of first use. `quotes` may propose a quote per source number (from a
    model or a template); each is verified against the passage and replaced when it fails."""
    quotes = quotes or {}
    order: list[int] = []
    about: dict[int, str] = {}
    for m in MARKER.finditer(answer):
        n = int(m.group(1))
        if book.get(n) is not None and n not in order:
            order.append(n)
            about[n] = _cited_sentence(answer, m.start())
    renumber = {old: new for new, old in enumerate(order, 1)}

    def swap(m: re.Match) -> str:
        n = int(m.group(1))
        return f"[{renumber[n]}]" if n in renumber else ""

    text = re.sub(r"\s+([.,;:])", r"\1", MARKER.sub(swap, answer))
    text = re.sub(r"(\[\d+\])(?:\s*\1)+", r"\1", text)  # "[1] [1]" -> "[1]"
    citations = []
    for old in order:
        chunk = book.get(old)
        quote = verify_quote(chunk, quotes.get(old)) or best_sentence(chunk, about[old])
        citations.append(
            Citation(
                n=renumber[old],
                chunk_id=chunk.chunk_id,
                doc=chunk.doc,
                title=chunk.title,
                section=chunk.section,
                lines=[chunk.first_line, chunk.last_line],
                url=chunk.url or (chunk.links[0] if chunk.links else None),
                quote=quote,
            )
        )
    return text.strip(), citations


def verify_quote(chunk: Chunk, quote: str | None) -> str | None:
    """`quote` if it is verbatim in the passage; else the passage sentence it nearly matches
    (a repaired quote); else None."""
    if not quote:
        return None
    quote = quote.strip().strip('"“”')
    if quote and quote in chunk.text:
        return quote
    best = max(sentences(chunk.text), key=lambda s: fuzz.ratio(quote, s), default=None)
    if best is not None and fuzz.ratio(quote, best) >= 85:
        return best
    return None


def check(citations: list[Citation], chunks_by_id: dict[str, Chunk]) -> list[str]:
    """Problems with a finished answer's citations (used by tests and the evaluation)."""
    problems = []
    for c in citations:
        chunk = chunks_by_id.get(c.chunk_id)
        if chunk is None:
            problems.append(f"[{c.n}] cites unknown passage {c.chunk_id}")
        elif c.quote not in chunk.text:
            problems.append(f"[{c.n}] quote not found in its passage: {c.quote!r}")
    return problems
