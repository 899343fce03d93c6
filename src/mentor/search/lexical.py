"""The lexical side of retrieval: query clean-up, abbreviation expansion, typo repair, and the
BM25 index (bm25s with an English stemmer) over the same passages as the dense index.

Typo repair maps a query word the corpus has never seen to the closest corpus word
(rapidfuzz), so "libary" still matches "library". Words are kept as typed too.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

from mentor.config import MAX_QUERY_CHARS
from mentor.errors import IndexDamaged, UsageError

WORD_RE = re.compile(r"[a-z0-9][a-z0-9+#\-]*[a-z0-9+#]|[a-z0-9]")


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
        extra = [self.glossary[w] for w in words(text) if w in self.glossary]
        extra += list(self.corrections(text).values())
        return " ".join([text, *extra])


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

    @property
    def stemmer(self):
        if self._stemmer is None:
            import Stemmer

            self._stemmer = Stemmer.Stemmer("english")
        return self._stemmer

    def _tokens(self, texts: list[str]) -> list[list[str]]:
        import bm25s

        return bm25s.tokenize(texts, stopwords="en", stemmer=self.stemmer, return_ids=False, show_progress=False)

    def build(self, texts: list[str]) -> None:
        import bm25s

        self._retriever = bm25s.BM25(k1=1.2, b=0.75)
        self._retriever.index(
            bm25s.tokenize(texts, stopwords="en", stemmer=self.stemmer, show_progress=False), show_progress=False
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
        vocab = self._retriever.vocab_dict
        tokens = [t for t in self._tokens([text])[0] if t in vocab]
        if not tokens:
            return []
        k = min(k, self.n_docs)
        docs, scores = self._retriever.retrieve([tokens], k=k, show_progress=False, n_threads=0)
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]
