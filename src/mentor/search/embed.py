"""Embedding backends behind one small interface, and the choice between them.

- `lsa`: weights-free. TF-IDF over words and character n-grams (which survive typos), reduced
  with truncated SVD and L2-normalised; fitted on the corpus at ingest and saved with the index.
- `sentence-transformers:<id or path>`: a real model, loaded only from local files (a path, the
  project's `data/models/`, or the Hugging Face cache). `mentor models pull` fetches the default.
- `auto`: the default sentence-transformers model when its weights are on this machine, else `lsa`.

sentence-transformers (and torch) are imported only when that backend is used.
"""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from mentor.config import DEFAULT_ST_MODEL, Settings
from mentor.errors import ConfigError, IndexDamaged
from mentor.models import local_model_path

ST_PREFIX = "sentence-transformers:"


class Embedder(Protocol):
    spec: str  # "lsa" or "sentence-transformers:<ref>", recorded in the manifest

    def fit(self, texts: list[str]) -> None: ...
    def embed_documents(self, texts: list[str]) -> np.ndarray: ...
    def embed_query(self, text: str) -> np.ndarray: ...
    def save(self, folder: Path) -> None: ...
    def describe(self) -> dict: ...


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


class LsaEmbedder:
    """Latent semantic analysis fitted on the corpus: no weights to download.

    Fitting uses scikit-learn's TfidfVectorizer and TruncatedSVD. What is saved is plain data
    (vocabularies, idf weights, the SVD basis), and queries are embedded by `_Tfidf` below, which
    reproduces the vectorizers exactly (a test checks it): searching never imports scikit-learn.

    At scale (`benchmarks/scale.py`): the basis is fitted on at most FIT_SAMPLE passages spread
    over the corpus (fitting on 100k took ~20 min and ~10 GB of TF-IDF matrix at 1M, against
    ~40 s for 5k); the build embeds with scikit-learn's own vectorizers, 2.5 times faster than
    `_Tfidf`, in batches that bound the sparse matrix's memory.
    """

    FIT_SAMPLE = 5000
    BATCH = 20_000

    spec = "lsa"
    FILE = "lsa.pkl"

    def __init__(self, dims: int = 192, char_weight: float = 1.0):
        self.dims = dims
        self.char_weight = char_weight
        self._word: _Tfidf | None = None
        self._char: _Tfidf | None = None
        self._projection = None  # features x dims, float32: the SVD basis
        self._fitted = None  # scikit-learn's vectorizers, after fit() (the build); not saved

    def fit(self, texts: list[str]) -> None:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        word = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), stop_words="english")
        char = TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(3, 5))
        from scipy.sparse import hstack

        if len(texts) > self.FIT_SAMPLE:  # evenly spread, deterministic
            texts = texts[:: len(texts) // self.FIT_SAMPLE][: self.FIT_SAMPLE]
        matrix = hstack([word.fit_transform(texts), char.fit_transform(texts) * self.char_weight]).tocsr()
        dims = max(2, min(self.dims, matrix.shape[0] - 1, matrix.shape[1] - 1))
        svd = TruncatedSVD(n_components=dims, random_state=0, algorithm="arpack")
        svd.fit(matrix)
        self._word = _Tfidf("word", word.vocabulary_, word.idf_, frozenset(word.get_stop_words()))
        self._char = _Tfidf("char_wb", char.vocabulary_, char.idf_)
        self._projection = np.ascontiguousarray(svd.components_.T, dtype=np.float32)
        self._fitted = (word, char)

    def _features(self, texts: list[str]):
        from scipy.sparse import hstack

        word, char = self._fitted or (self._word, self._char)
        return hstack([word.transform(texts), char.transform(texts) * self.char_weight]).tocsr()

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if self._projection is None:
            raise RuntimeError("LsaEmbedder used before fit() or load()")
        if len(texts) <= self.BATCH:
            return _normalise(np.asarray(self._features(texts).astype(np.float32) @ self._projection))
        return np.vstack([self.embed_documents(texts[i : i + self.BATCH]) for i in range(0, len(texts), self.BATCH)])

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]

    def save(self, folder: Path) -> None:
        with open(folder / self.FILE, "wb") as fh:
            pickle.dump((self.dims, self.char_weight, self._word.state(), self._char.state(), self._projection), fh)

    @classmethod
    def load(cls, folder: Path) -> "LsaEmbedder":
        """The fitted model saved in a build; IndexDamaged when the file does not hold one."""
        try:
            with open(folder / cls.FILE, "rb") as fh:
                state = pickle.load(fh)
        except (
            OSError,
            EOFError,
            pickle.UnpicklingError,
            ImportError,
            AttributeError,
            IndexError,
            KeyError,
            MemoryError,
            OverflowError,
            TypeError,
            ValueError,
        ) as exc:  # what garbled pickles raise
            raise IndexDamaged(folder, f"{cls.FILE}: {type(exc).__name__}: {exc}") from exc
        if not _is_lsa_state(state):
            raise IndexDamaged(folder, f"{cls.FILE} does not hold a fitted LSA model")
        dims, char_weight, word, char, projection = state
        emb = cls(dims, char_weight)
        emb._word, emb._char, emb._projection = _Tfidf(*word), _Tfidf(*char), projection
        return emb

    def describe(self) -> dict:
        n = self._projection.shape[1] if self._projection is not None else self.dims
        return {"backend": "lsa", "dims": int(n), "features": "word 1-2 grams + char_wb 3-5 grams, tf-idf"}


def _is_lsa_state(state) -> bool:
    """What `LsaEmbedder.save` writes: (dims, char weight, word state, char state, SVD basis),
    each vectorizer state being (analyzer, vocabulary, idf, stop words)."""
    if not (isinstance(state, tuple) and len(state) == 5):
        return False
    dims, char_weight, *vectorizers, projection = state
    if not all(
        isinstance(v, tuple) and len(v) == 4 and isinstance(v[1], dict) and isinstance(v[2], np.ndarray)
        for v in vectorizers
    ):
        return False
    n_features = sum(len(v[2]) for v in vectorizers)
    return (
        isinstance(dims, int)
        and isinstance(char_weight, (int, float))
        and isinstance(projection, np.ndarray)
        and projection.ndim == 2
        and projection.shape[0] == n_features
    )


class _Tfidf:
    """Sublinear TF-IDF with L2 rows, as sklearn's TfidfVectorizer computes it for the two
    analyzers LSA uses: words (1-2 grams, English stop words) and char_wb 3-5 grams."""

    TOKEN = re.compile(r"(?u)\b\w\w+\b")
    SPACES = re.compile(r"\s\s+")

    def __init__(self, analyzer: str, vocabulary: dict, idf, stop_words: frozenset = frozenset()):
        self.analyzer = analyzer
        self.vocabulary = {str(k): int(v) for k, v in vocabulary.items()}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.stop_words = frozenset(stop_words)

    def state(self) -> tuple:
        return (self.analyzer, self.vocabulary, self.idf, self.stop_words)

    def terms(self, text: str) -> list[str]:
        text = text.lower()
        if self.analyzer == "word":
            tokens = [t for t in self.TOKEN.findall(text) if t not in self.stop_words]
            return tokens + [" ".join(tokens[i : i + 2]) for i in range(len(tokens) - 1)]
        grams = []
        for word in self.SPACES.sub(" ", text).split():
            word = f" {word} "
            for n in range(3, 6):
                offset = 0
                grams.append(word[:n])
                while offset + n < len(word):
                    offset += 1
                    grams.append(word[offset : offset + n])
                if offset == 0:
                    break
        return grams

    def transform(self, texts: list[str]):
        from scipy.sparse import csr_matrix

        rows, cols, vals = [], [], []
        for row, text in enumerate(texts):
            counts: dict[int, int] = {}
            for term in self.terms(text):
                col = self.vocabulary.get(term)
                if col is not None:
                    counts[col] = counts.get(col, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts, dtype=np.int64)
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.idf[idx]
            weights /= np.linalg.norm(weights)
            rows += [row] * len(idx)
            cols += idx.tolist()
            vals += weights.tolist()
        return csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.idf)))


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from local files only."""

    def __init__(self, ref: str, path: Path):
        self.ref = ref
        self.path = path
        self.spec = ST_PREFIX + ref
        self._model = None

    @property
    def model(self):
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            try:
                self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
            except (OSError, ValueError) as exc:  # a folder that is not a model's (no config, no weights)
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
                raise ConfigError(
                    f"MENTOR_EMBED: {self.path} holds no usable sentence-transformers model ({first})"
                ) from None
        return self._model

    def _query_prefix(self) -> str:
        # BGE English models are trained with this instruction on the query side.
        return "Represent this sentence for searching relevant passages: " if "bge" in self.ref.lower() else ""

    def fit(self, texts: list[str]) -> None:
        pass  # pretrained

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        vecs = self.model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([self._query_prefix() + text])[0]

    def save(self, folder: Path) -> None:
        (folder / "sentence-transformers.txt").write_text(f"{self.ref}\n{self.path}\n")

    def describe(self) -> dict:
        return {
            "backend": "sentence-transformers",
            "model": self.ref,
            "path": str(self.path),
            "dims": int(self.model.get_embedding_dimension()),
        }


@dataclass
class Choice:
    spec: str  # resolved: "lsa" or "sentence-transformers:<ref>"
    reason: str
    path: Path | None = None


def choose_backend(settings: Settings) -> Choice:
    """Resolve MENTOR_EMBED into a concrete backend, saying why."""
    wanted = settings.embed.strip()
    if wanted == "lsa":
        return Choice("lsa", "MENTOR_EMBED=lsa")
    if wanted == "auto":
        path = local_model_path(DEFAULT_ST_MODEL, settings.models_dir, settings.hf_cache)
        if path is not None:
            return Choice(ST_PREFIX + DEFAULT_ST_MODEL, f"auto: {DEFAULT_ST_MODEL} found at {path}", path)
        return Choice("lsa", f"auto: no local weights for {DEFAULT_ST_MODEL}, using the weights-free lsa")
    if wanted.startswith(ST_PREFIX):
        ref = wanted[len(ST_PREFIX) :].strip()
        if not ref:
            raise ConfigError("MENTOR_EMBED=sentence-transformers: needs a model id or path after the colon")
        path = local_model_path(ref, settings.models_dir, settings.hf_cache)
        if path is None:
            raise ConfigError(
                f"no local weights for {ref!r} (looked at the path, {settings.models_dir}, and the "
                "Hugging Face cache). Run `mentor models pull` while online, or use MENTOR_EMBED=lsa."
            )
        return Choice(ST_PREFIX + ref, f"MENTOR_EMBED={wanted}", path)
    raise ConfigError(
        f"unknown embedding backend {wanted!r}: use auto, lsa or sentence-transformers:<model id or path>"
    )


def make_embedder(choice: Choice) -> Embedder:
    if choice.spec == "lsa":
        return LsaEmbedder()
    return SentenceTransformerEmbedder(choice.spec[len(ST_PREFIX) :], choice.path)


def load_embedder(choice: Choice, folder: Path) -> Embedder:
    """The embedder an index was built with, ready to embed queries."""
    if choice.spec == "lsa":
        return LsaEmbedder.load(folder)
    return make_embedder(choice)
