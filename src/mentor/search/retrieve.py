"""Hybrid retrieval: BM25 and dense (Chroma) results fused, optionally reranked by a
cross-encoder, returned as cited hits.

Fusion (`MENTOR_FUSION`) is `calibrated` by default: a weighted sum of two scores that mean the
same from one query to the next, the share of the query a passage matches lexically (its BM25
score over the best any passage could get for those terms, `lexical.Bm25Index.shares`) and its
cosine similarity. A lexical side that matched only a common word ("learn", "model") then adds
little, and a passage the dense side ranks first keeps its place, where rank fusion (`rrf`,
kept for comparison, as is a min-max normalised `weighted` sum) lets any passage found by both
sides, however low, pass it: the hybrid lost to its own dense half on learners' paraphrases.
`benchmarks/retrieval.py` compares them.

The lexical query is rewritten (abbreviations, typo repair, see `lexical.py`). The dense query is
the cleaned text, since character n-grams and models cope with typos themselves, plus the names
of the curriculum topics the query names (`topics.py`): a learner's "save my trained model"
carries the topic's "model persistence … pickle/joblib" to the passage that says so. Query words
that no passage, glossary entry or typo repair accounts for count against the lexical share, and
raise the topic names' weight in the dense query ("leetcode drills": no passage has either word,
so the dense query is mostly the names of data structures & algorithms, for which "leetcode" is
an alias).

`Retriever` searches one open build; `LiveRetriever`, what a long-running process holds (the
server, a chat), follows `active` to each new build without a restart (see `index.py`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

from mentor.config import Settings
from mentor.corpus.documents import names_pattern, roadmap_names
from mentor.errors import ConfigError, IndexDamaged, MentorError
from mentor.models import local_model_path
from mentor.search.builds import active_name
from mentor.search.embed import choose_backend
from mentor.search.freshness import Freshness, assess
from mentor.search.index import OpenIndex, open_index
from mentor.search.lexical import QueryRewriter, Rewrite, clean_query, load_glossary

MODES = ("bm25", "dense", "hybrid")
FUSIONS = ("calibrated", "rrf", "weighted")
RRF_K = 60
CANDIDATES = 30
LEXICAL_WEIGHT = 0.5  # of the lexical share against the cosine in calibrated fusion
BRIDGE_WEIGHT = 0.4  # of the named topics' names against the query's own words in the dense query
UNKNOWN_BRIDGE_WEIGHT = 1.0  # added in proportion to the query's words that no passage has
RERANK_PREFIX = "cross-encoder:"
ROADMAP_BOOST = 0.3  # added to the fused score of the passages of the one roadmap a query names
PHRASED_LINES = 3  # lines whose learner phrasings are closest to a query, returned with its hits
ROADMAP_DEPTH = 400  # candidates per side then: every passage of a roadmap can be reached


@dataclass
class Hit:
    rank: int
    score: float
    chunk: object

    def to_dict(self) -> dict:
        c = self.chunk
        return {
            "rank": self.rank,
            "score": round(self.score, 6),
            "text": c.text,
            "chunk_id": c.chunk_id,
            "doc": c.doc,
            "title": c.title,
            "section": c.section,
            "lines": [c.first_line, c.last_line],
            "url": c.url or (c.links[0] if c.links else None),
            "kind": c.kind,
            "links": c.links,
        }


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    notices: list[str] = field(default_factory=list)
    # the roadmap lines whose learner phrasings are closest to the query: (passage, line, cosine)
    lines: list[tuple[object, str, float]] = field(default_factory=list)


class Reranker:
    """A sentence-transformers CrossEncoder over (query, passage) pairs, local weights only."""

    def __init__(self, path):
        from sentence_transformers import CrossEncoder

        try:
            self.model = CrossEncoder(str(path), device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:  # a folder that is not a cross-encoder's (no config, no weights)
            raise ConfigError(f"MENTOR_RERANK: {path} holds no usable cross-encoder ({_first_line(exc)})") from None

    def scores(self, query: str, texts: list[str]) -> list[float]:
        return [float(s) for s in self.model.predict([(query, t) for t in texts], show_progress_bar=False)]


def make_reranker(settings: Settings) -> Reranker | None:
    spec = settings.rerank.strip()
    if spec in ("", "none", "off"):
        return None
    if not spec.startswith(RERANK_PREFIX):
        raise ConfigError(f"unknown reranker {spec!r}: use none or cross-encoder:<model id or path>")

    ref = spec[len(RERANK_PREFIX) :]
    path = local_model_path(ref, settings.models_dir, settings.hf_cache)
    if path is None:
        raise ConfigError(f"no local weights for reranker {ref!r}: run `mentor models pull` while online")
    return Reranker(path)


def rrf(rankings: list[list[int]], k: int = RRF_K) -> dict[int, float]:
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, pos in enumerate(ranking):
            scores[pos] = scores.get(pos, 0.0) + 1.0 / (k + rank + 1)
    return scores


def calibrated(
    lexical: list[tuple[int, float]], dense: list[tuple[int, float]], depth: int, weight: float = LEXICAL_WEIGHT
) -> dict[int, float]:
    """`weight` x lexical share + (1 - `weight`) x cosine, both best first. A passage missing
    from a list that `depth` cut short gets that list's lowest score (at most what it would have
    had); missing from a list that held every match, nothing. A side that found nothing leaves
    the other's order as it was."""
    sides = [(lexical, weight), (dense, 1.0 - weight)]
    fused: dict[int, float] = {}
    for pairs, _ in sides:
        for pos, _ in pairs:
            fused[pos] = 0.0
    for pairs, w in sides:
        scores = dict(pairs)
        floor = min(scores.values()) if len(pairs) >= depth else 0.0
        for pos in fused:
            fused[pos] += w * max(scores.get(pos, floor), 0.0)
    return fused


def weighted(scored: list[list[tuple[int, float]]], weights: list[float]) -> dict[int, float]:
    fused: dict[int, float] = {}
    for pairs, weight in zip(scored, weights):
        if not pairs:
            continue
        values = [s for _, s in pairs]
        lo, hi = min(values), max(values)
        for pos, s in pairs:
            norm = (s - lo) / (hi - lo) if hi > lo else 1.0
            fused[pos] = fused.get(pos, 0.0) + weight * norm
    return fused


class Retriever:
    def __init__(self, index: OpenIndex, settings: Settings, reranker: Reranker | None = None):
        self.index = index
        self.fusion = settings.fusion
        if self.fusion not in FUSIONS:
            raise ConfigError(f"unknown fusion {self.fusion!r}: use {', '.join(FUSIONS)}")
        self.reranker = reranker
        self.rewriter = QueryRewriter(index.vocabulary, load_glossary(settings.corpus_dir))
        self._position = {c.chunk_id: i for i, c in enumerate(index.chunks)}
        self._roadmaps = {doc: names_pattern(names) for doc, names in roadmap_names(settings.corpus_dir).items()}
        self._topic_vectors: dict[str, np.ndarray] = {}
        try:  # each passage's learner phrasings (`expansion.PhrasingVectors`), grouped once
            self._phrasings = index.phrasings.grouped(self._position)
        except KeyError:
            raise IndexDamaged(index.folder, "phrasings.json names a passage the build does not have") from None

    def lexical(self, query: str, k: int = CANDIDATES, rewrite: Rewrite | None = None) -> list[tuple[int, float]]:
        """(passage position, share of the query it matches in [0, 1]), best first. `rewrite`:
        the query as `self.rewriter` expands it, when the caller has it already."""
        rewrite = rewrite or self.rewriter.expand(query)
        return self.index.bm25.shares(rewrite.text, k, len(self.index.bm25.unknown_terms(rewrite.unknown)))

    def dense(
        self, query: str, k: int = CANDIDATES, rewrite: Rewrite | None = None, vector: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(passage position, cosine similarity), best first, for the query and the topics it names:
        a passage's own vector's, or its closest learner phrasing's when that is closer (`expansion`).
        The k nearest passages by their own vectors plus the passages of the phrasings are exactly the
        k best when the own vectors are searched exactly (in memory, up to `vectors.EXACT_LIMIT`
        passages): any other passage's own cosine is below the k-th. Chroma's HNSW index, for a larger
        collection, is approximate as before; a passage it misses counts by its phrasings alone.
        `vector`: the query's (`query_vector`), when the caller has it already."""
        vector = self.query_vector(query, rewrite) if vector is None else vector
        found = {self._position[i]: s for i, s in self.index.nearest(vector, k) if i in self._position}
        order, starts, passages = self._phrasings
        for pos, score in zip(passages.tolist(), self.index.phrasings.closest(vector, order, starts).tolist()):
            if score > found.get(pos, -2.0):
                found[pos] = score
        return sorted(found.items(), key=lambda ps: (-ps[1], ps[0]))[:k]

    def roadmap_named(self, query: str) -> tuple[str | None, str]:
        """The one roadmap a query names by what learners call it ("the llm roadmap", "the six month
        plan"), and the query without those words (they name the roadmap, not what is asked);
        (None, the query) when it names none or several."""
        named = [doc for doc, pattern in self._roadmaps.items() if pattern.search(query)]
        if len(named) != 1:
            return None, query
        content = " ".join(self._roadmaps[named[0]].sub(" ", query).split())
        return named[0], content if self.index.bm25.terms(content) else query  # nothing left but "the": as asked

    def _unknown_share(self, query: str, rewrite: Rewrite) -> float:
        """The share of the query's terms (stop words aside) that are in no passage."""
        terms = self.index.bm25.terms(query)
        return min(1.0, len(self.index.bm25.unknown_terms(rewrite.unknown)) / len(terms)) if terms else 0.0

    def _topic_vector(self, topic: str) -> np.ndarray:
        if topic not in self._topic_vectors:  # a race computes it twice, harmlessly
            self._topic_vectors[topic] = self.index.embedder.embed_query(self.index.topics.texts[topic])
        return self._topic_vectors[topic]

    def query_vector(self, query: str, rewrite: Rewrite | None = None) -> np.ndarray:
        """The dense side's unit query vector: the query's own, plus the names of the topics it names."""
        rewrite = rewrite or self.rewriter.expand(query)
        vector = self.index.embedder.embed_query(query)
        named = self.index.topics.match(rewrite.text)
        if named:  # the more of the query's words no passage has, the more its topics' names count
            weight = BRIDGE_WEIGHT + UNKNOWN_BRIDGE_WEIGHT * self._unknown_share(query, rewrite)
            total = sum(named.values())
            vector = vector + weight * sum(w * self._topic_vector(t) for t, w in named.items()) / total
        return vector / (np.linalg.norm(vector) or 1.0)

    def search(self, raw_query: str, k: int = 5, mode: str = "hybrid", rerank: bool = True) -> SearchResult:
        if mode not in MODES:
            raise ConfigError(f"unknown retrieval mode {mode!r}: use one of {', '.join(MODES)}")
        query, notices = clean_query(raw_query)
        k = max(1, min(int(k), 50))
        doc, content = self.roadmap_named(query)
        rewrite = self.rewriter.expand(content)
        vector = self.query_vector(content, rewrite) if mode != "bm25" else None
        scored = self._scored(content, mode, ROADMAP_DEPTH if doc else max(CANDIDATES, k), rewrite, vector)
        if doc:  # "in the llm roadmap, which engineering skills …": that roadmap's passages come first
            scored = {p: s + ROADMAP_BOOST * (self.index.chunks[p].doc == doc) for p, s in scored.items()}
        order = sorted(scored, key=lambda p: (-scored[p], p))
        if rerank and self.reranker is not None and order:
            pool = order[: max(k, 20)]
            ce = self.reranker.scores(query, [self.index.chunks[p].index_text() for p in pool])
            scored = dict(zip(pool, ce))
            order = sorted(pool, key=lambda p: (-scored[p], p))
        hits = [Hit(rank=r + 1, score=scored[p], chunk=self.index.chunks[p]) for r, p in enumerate(order[:k])]
        found = self.index.phrasings.nearest(vector, PHRASED_LINES) if vector is not None else []
        lines = [(self.index.chunks[self._position[owner]], line, score) for owner, line, score in found]
        return SearchResult(query=query, hits=hits, notices=notices, lines=lines)

    def _scored(self, query: str, mode: str, depth: int, rewrite: Rewrite, vector) -> dict[int, float]:
        """Passage position -> score, for `depth` candidates of each side `mode` uses."""
        if mode == "bm25":
            return dict(self.lexical(query, depth, rewrite))
        if mode == "dense":
            return dict(self.dense(query, depth, rewrite, vector))
        lexical, dense = self.lexical(query, depth, rewrite), self.dense(query, depth, rewrite, vector)
        if self.fusion == "calibrated":
            return calibrated(lexical, dense, depth)
        if self.fusion == "rrf":
            return rrf([[p for p, _ in lexical], [p for p, _ in dense]])
        return weighted([lexical, dense], [0.5, 0.5])

    def known_share(self, words: Iterable[str]) -> float:
        """The share of `words` this index knows: in its vocabulary, one typo away from a
        vocabulary word, or in the glossary (1.0 when there are no words)."""
        words = list(words)
        if not words:
            return 1.0
        vocab, glossary = self.index.vocabulary, self.rewriter.glossary
        fixed = self.rewriter.corrections(" ".join(words))
        known = [w for w in words if w in vocab or fixed.get(w) in vocab or w in glossary]
        return len(known) / len(words)

    def matched_share(self, query: str) -> float:
        """How much of `query` the best passage matches, its learners' phrasings included (the
        lexical share, 0 to 1): "keep an eye on a model in production" is a learner's phrasing
        of monitoring, though few of its words are the roadmaps' own."""
        best = self.lexical(query, 1)
        return best[0][1] if best else 0.0

    def close(self) -> None:
        self.index.close()


class LiveRetriever:
    """Serves the active build and moves to a new one when `mentor ingest` activates it: each
    search first compares `active` with the build served (one readlink, ~2 µs), opens the new
    build if they differ, and closes the old one once the searches still running on it finish.
    Should the new build fail to open (damaged, another backend), it keeps serving the old one,
    retries only when `active` moves again, and says so in `freshness()`."""

    def __init__(self, settings: Settings, reranker: Reranker | None = None):
        self.settings = settings
        self.reranker = reranker
        self._lock = threading.Lock()  # guards the fields below
        self._switching = threading.Lock()  # one thread opens a new build; the others go on searching
        self._current, self.state = self._open()
        self._running: dict[int, int] = {}  # id(retriever) -> searches running on it
        self._retired: list[Retriever] = []
        self._failed: tuple[str, str] | None = None  # (build name, why) of a build that would not open

    def _open(self, warm: bool = False) -> tuple[Retriever, Freshness]:
        """Open the active build; `warm` also opens (and checks) its Chroma collection now,
        so that a damaged one is refused before the switch rather than in a search."""
        idx, state = open_index(self.settings)
        try:
            if warm:
                idx.collection
        except MentorError:
            idx.close()
            raise
        return Retriever(idx, self.settings, self.reranker), state

    @property
    def index(self) -> OpenIndex:
        return self._current.index

    @property
    def rewriter(self):
        return self._current.rewriter

    def known_share(self, words: Iterable[str]) -> float:
        return self._current.known_share(words)

    def matched_share(self, query: str) -> float:
        return self._current.matched_share(query)

    def refresh(self) -> bool:
        """Move to the build `active` points at, if it is another one; True when it moved."""
        name = active_name(self.settings.index_dir)
        if name is None or name == self._current.index.folder.name or (self._failed and self._failed[0] == name):
            return False
        if not self._switching.acquire(blocking=False):
            return False
        try:
            new, state = self._open(warm=True)
        except MentorError as exc:  # missing, damaged, mismatched: the old build still serves
            self._failed = (name, str(exc))
            return False
        finally:
            self._switching.release()
        with self._lock:
            old, self._current, self.state, self._failed = self._current, new, state, None
            self._retired.append(old)
        self._close_idle()
        return True

    def search(self, *args, **kwargs) -> SearchResult:
        self.refresh()
        with self._lock:
            retriever = self._current
            self._running[id(retriever)] = self._running.get(id(retriever), 0) + 1
        try:
            return retriever.search(*args, **kwargs)
        finally:
            with self._lock:
                self._running[id(retriever)] -= 1
            self._close_idle()

    def _close_idle(self) -> None:
        with self._lock:
            idle = [r for r in self._retired if not self._running.get(id(r))]
            self._retired = [r for r in self._retired if r not in idle]
            for r in idle:
                self._running.pop(id(r), None)
        for r in idle:
            r.close()

    def freshness(self) -> Freshness:
        """The build served (after following `active`) and its state, for health checks."""
        self.refresh()
        with self._lock:
            current, failed = self._current, self._failed
        idx = current.index
        state = assess(self.settings, idx.folder, idx.manifest, choose_backend(self.settings), verify=False)
        message = f"serving build {idx.folder.name}: {state.message}"
        if failed:
            message += f"; the active build {failed[0]} could not be opened: {failed[1]}"
        return Freshness(state.state, message, idx.manifest, idx.folder)

    def close(self) -> None:
        with self._lock:
            everything, self._retired = [self._current, *self._retired], []
        for r in everything:
            r.close()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
