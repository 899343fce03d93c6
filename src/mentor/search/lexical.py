"""The lexical side of retrieval: query clean-up, abbreviation expansion, typo repair, and the
BM25 index (bm25s with an English stemmer) over the same passages as the dense index.

Typo repair maps a query word the corpus has never seen to the closest corpus word
(rapidfuzz), so "libary" still matches "library". Words are kept as typed too. The glossary
(`corpus/glossary.yaml`) expands abbreviations and learners' everyday words for the roadmaps'
terms. A query word none of these can place is reported as unknown (`QueryRewriter.expand`):
it lowers the lexical side's confidence and raises the topic bridge's weight (`retrieve`).

BM25 scores are also given on a scale that means the same for every query: the share of what
the query's terms could score at best (`Bm25Index.shares`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from mentor.config import MAX_QUERY_CHARS
from mentor.errors import IndexDamaged, UsageError

WORD_RE = re.compile(r"[a-z0-9][a-z0-9+#\-]*[a-z0-9+#]|[a-z0-9]")
TERM_RE = re.compile(r"(?u)\b\w\w+\b")  # bm25s's token pattern
STOPWORDS = "en"  # bm25s's STOPWORDS_EN


def clean_query(raw: str) -> tuple[str, list[str]]:
    """Normalise a typed query; returns it and any notices for the person."""
    notices = []
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in raw)
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    if not text:
        raise UsageError('the query is empty: type a question or a few words, e.g. `mentor search "pandas"`')
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
        notices.append(f"query truncated to its first {len(text)} characters (limit {MAX_QUERY_CHARS})")
    return text, notices


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def load_glossary(corpus_dir: Path) -> dict[str, str]:
    path = corpus_dir / "glossary.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k).lower(): str(v) for k, v in (data.get("expansions") or {}).items()}


class QueryRewriter:
    """Expands abbreviations and repairs typos against the corpus vocabulary."""

    def __init__(self, vocabulary: dict[str, int], glossary: dict[str, str]):
        self.vocabulary = vocabulary
        self.glossary = glossary
        self._choices = [w for w in vocabulary if len(w) >= 4 and w.isalpha()]

    def corrections(self, text: str) -> dict[str, str]:
        from rapidfuzz import fuzz, process

        fixed = {}
        for word in set(words(text)):
            if len(word) < 4 or not word.isalpha() or word in self.vocabulary or word in self.glossary:
                continue
            match = process.extractOne(word, self._choices, scorer=fuzz.ratio, score_cutoff=80)
            if match:
                fixed[word] = match[0]
        return fixed

    def rewrite(self, text: str) -> str:
        """The query plus expansions and corrections; the original words stay first."""
        return self.expand(text).text

    def expand(self, text: str) -> "Rewrite":
        """The rewritten query, and the words of `text` it could do nothing with."""
        fixed = self.corrections(text)
        extra = [self.glossary[w] for w in words(text) if w in self.glossary]
        unknown = [w for w in words(text) if w not in self.vocabulary and w not in self.glossary and w not in fixed]
        return Rewrite(" ".join([text, *extra, *fixed.values()]), unknown)


@dataclass(frozen=True)
class Rewrite:
    text: str  # the query, then the glossary's expansions and the typo repairs
    unknown: list[str]  # words in no passage, the glossary or a typo's reach


def vocabulary(texts: list[str]) -> dict[str, int]:
    """Document frequency of each lower-cased word."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(words(text)))
    return dict(counts)


class Bm25Index:
    """bm25s over passages, with stemming and English stop words."""

    def __init__(self, retriever=None, n_docs: int = 0):
        self._retriever = retriever
        self.n_docs = n_docs
        self._stemmer = None
        self._best = None  # per vocabulary term: its highest score in any passage; their median
        self._stopwords = None

    @property
    def stemmer(self):
        if self._stemmer is None:
            import Stemmer

            self._stemmer = Stemmer.Stemmer("english")
        return self._stemmer

    def build(self, texts: list[str]) -> None:
        import bm25s

        # b=0.5: less length normalisation, as passages carry their learners' phrasings (the
        # expansion lengthens them unevenly); measured on evals/paraphrase_dev.jsonl and retrieval.jsonl
        self._retriever = bm25s.BM25(k1=1.2, b=0.5)
        self._retriever.index(
            bm25s.tokenize(texts, stopwords=STOPWORDS, stemmer=self.stemmer, show_progress=False), show_progress=False
        )
        self.n_docs = len(texts)

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder / "bm25"))
        (folder / "bm25" / "mentor.json").write_text(json.dumps({"n_docs": self.n_docs}))

    @classmethod
    def load(cls, folder: Path) -> "Bm25Index":
        """The index saved in a build; IndexDamaged when its files cannot be read back (json and
        numpy raise ValueError subclasses for garbled data, KeyError for missing fields, and
        numpy's .npy header parser SyntaxError or tokenize.TokenError)."""
        import tokenize

        import bm25s

        try:
            n_docs = int(json.loads((folder / "bm25" / "mentor.json").read_text(encoding="utf-8"))["n_docs"])
            retriever = bm25s.BM25.load(str(folder / "bm25"))
        except (OSError, EOFError, ValueError, KeyError, TypeError, SyntaxError, tokenize.TokenError) as exc:
            raise IndexDamaged(folder, f"bm25: {type(exc).__name__}: {exc}") from exc
        return cls(retriever, n_docs)

    def search(self, text: str, k: int) -> list[tuple[int, float]]:
        """(passage position, score) pairs, best first; only passages that share a term."""
        return self._retrieve(self.known_terms(text), k)

    def shares(self, text: str, k: int, missing: int = 0) -> list[tuple[int, float]]:
        """(passage position, share of the query it matches), best first: its score over the
        highest `text` could get, each term at its best passage's score and each of `missing`
        terms (in no passage) at a typical term's best. 1.0: all of the query, as well as any
        passage matches it; a common word alone: little. A scale that means the same from one
        query to the next, which raw BM25 scores do not."""
        terms = self.known_terms(text)
        if not terms:
            return []
        best, typical = self.best_scores()
        ceiling = float(best[self._retriever.get_tokens_ids(terms)].sum()) + missing * typical
        return [(p, s / ceiling) for p, s in self._retrieve(terms, k)]

    def _retrieve(self, terms: list[str], k: int) -> list[tuple[int, float]]:
        if not terms:
            return []
        docs, scores = self._retriever.retrieve([terms], k=min(k, self.n_docs), show_progress=False, n_threads=0)
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]

    def terms(self, text: str) -> list[str]:
        """The stemmed terms of `text`, stop words left out, as bm25s tokenizes (a test checks
        it) but without its per-call set-up, which cost 0.25 ms a query."""
        if self._stopwords is None:
            from bm25s.stopwords import STOPWORDS_EN

            self._stopwords = frozenset(STOPWORDS_EN)
        return self.stemmer.stemWords([w for w in TERM_RE.findall(text.lower()) if w not in self._stopwords])

    def known_terms(self, text: str) -> list[str]:
        """The terms of `text` that the index knows, repeats kept (BM25 counts them)."""
        vocab = self._retriever.vocab_dict
        return [t for t in self.terms(text) if t in vocab]

    def unknown_terms(self, words: list[str]) -> list[str]:
        """The terms of `words` that no passage has (a word unknown as typed, "end" of the
        passages' "end-to-end", may still be a known term)."""
        vocab = self._retriever.vocab_dict
        return [t for t in self.terms(" ".join(words)) if t not in vocab] if words else []

    def best_scores(self):
        """Each vocabulary term's highest score in any passage, from the stored score matrix,
        and the median of those (a typical term's best)."""
        if self._best is None:
            import numpy as np

            scores = self._retriever.scores
            data, indptr = np.asarray(scores["data"]), np.asarray(scores["indptr"])
            best = np.zeros(len(indptr) - 1, dtype=np.float64)
            filled = np.diff(indptr) > 0
            if filled.any():
                best[filled] = np.maximum.reduceat(data, indptr[:-1][filled])
            self._best = (best, float(np.median(best)) if len(best) else 0.0)
        return self._best
