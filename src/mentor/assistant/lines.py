"""The line index: every line of the indexed passages with its terms, for finding the lines that answer a
question across the whole corpus (BM25 over lines, then `evidence.select` on the best of them), and for telling
the words no passage has.

Not here: how a passage is split into lines or how lines are ranked and quoted (`evidence.py`).
"""

from __future__ import annotations

import math

from mentor.assistant.evidence import ASKING, Line, passage_lines, substance, terms
from mentor.corpus.chunks import Chunk


class LineIndex:
    """Every line of the indexed passages with its terms, for finding the lines that answer a
    question across the whole corpus (BM25 over lines, then `select` on the best of them)."""

    def __init__(self, chunks: list[Chunk]):
        self.chunks = chunks  # held, so that its id names no other list while this index is cached
        self.runs: dict[str, list[int]] | None = None  # `anchor`'s phrase postings, built on first use
        self.lines = [line for chunk in chunks for line in passage_lines(0, chunk)]
        self.bags = [frozenset(terms(ln.text)) for ln in self.lines]
        self.contexts = [frozenset(terms(ln.context)) for ln in self.lines]
        self.postings: dict[str, list[int]] = {}  # term -> the lines having it, in the line or its context
        for i, (bag, around) in enumerate(zip(self.bags, self.contexts)):
            for term in bag | around:
                self.postings.setdefault(term, []).append(i)
        self.df = {term: sum(1 for i in ids if term in self.bags[i]) for term, ids in self.postings.items()}

    def candidates(self, query: str, limit: int = 40) -> list[Line]:
        wanted = set(terms(query)) - ASKING
        n = len(self.lines)

        def idf(term: str) -> float:
            df = self.df.get(term, 0)
            return math.log(1 + (n - df + 0.5) / (df + 0.5))

        scored = []
        for i in {i for term in wanted for i in self.postings.get(term, ())}:
            if not self.lines[i].title:
                shared, around = wanted & self.bags[i], wanted & self.contexts[i]
                score = sum(idf(t) for t in sorted(shared)) + 0.5 * sum(idf(t) for t in sorted(around - shared))
                scored.append((score * substance(self.lines[i].text), i))
        return [self.lines[i] for _, i in sorted(scored, reverse=True)[:limit]]


_INDEXES: dict[int, LineIndex] = {}


def line_index(chunks: list[Chunk]) -> LineIndex:
    """The line index of these passages, built once per index build (its chunk list)."""
    key = id(chunks)
    if key not in _INDEXES:
        _INDEXES.clear()  # one build is served at a time; a new one replaces the old index
        _INDEXES[key] = LineIndex(chunks)
    return _INDEXES[key]


def unseen(words, chunks: list[Chunk]) -> list[str]:
    """The words (as a learner wrote them) that no line of these passages has, even stemmed: "cooking",
    which a search's typo repair would read as "choosing"."""
    postings = line_index(chunks).postings
    return [w for w in words if not any(t in postings for t in terms(w))]
