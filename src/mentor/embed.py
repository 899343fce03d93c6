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
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from mentor.config import DEFAULT_ST_MODEL, Settings
from mentor.errors import ConfigError

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
    """Latent semantic analysis fitted on the corpus: no weights to download."""

    spec = "lsa"
    FILE = "lsa.pkl"

    def __init__(self, dims: int = 192, char_weight: float = 1.0):
        self.dims = dims
        self.char_weight = char_weight
        self._word = self._char = None
        self._projection = None  # features x dims, float32: the SVD basis

    def fit(self, texts: list[str]) -> None:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._word = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1, stop_words="english")
        self._char = TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(3, 5), min_df=1)
        matrix = self._features(texts, fit=True)
        for vectorizer in (self._word, self._char):
            vectorizer.stop_words_ = None  # only for introspection; would bloat the pickle
        dims = max(2, min(self.dims, matrix.shape[0] - 1, matrix.shape[1] - 1))
        svd = TruncatedSVD(n_components=dims, random_state=0, algorithm="arpack")
        svd.fit(matrix)
        # Keep only the basis; projecting is then one sparse-dense product (sklearn's transform
        # would re-validate and up-cast the basis on every query).
        self._projection = np.ascontiguousarray(svd.components_.T, dtype=np.float32)

    def _features(self, texts: list[str], fit: bool = False):
        from scipy.sparse import hstack

        if fit:
            word, char = self._word.fit_transform(texts), self._char.fit_transform(texts)
        else:
            word, char = self._word.transform(texts), self._char.transform(texts)
        return hstack([word, char * self.char_weight]).tocsr()

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if self._projection is None:
            raise RuntimeError("LsaEmbedder used before fit() or load()")
        features = self._features(texts).astype(np.float32)
        return _normalise(np.asarray(features @ self._projection))

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]

    def save(self, folder: Path) -> None:
        with open(folder / self.FILE, "wb") as fh:
            pickle.dump((self.dims, self.char_weight, self._word, self._char, self._projection), fh)

    @classmethod
    def load(cls, folder: Path) -> "LsaEmbedder":
        with open(folder / cls.FILE, "rb") as fh:
            dims, char_weight, word, char, projection = pickle.load(fh)
        emb = cls(dims, char_weight)
        emb._word, emb._char, emb._projection = word, char, projection
        return emb

    def describe(self) -> dict:
        n = self._projection.shape[1] if self._projection is not None else self.dims
        return {"backend": "lsa", "dims": int(n), "features": "word 1-2 grams + char_wb 3-5 grams, tf-idf"}


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

            self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
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


def local_model_path(ref: str, models_dir: Path) -> Path | None:
    """Where the weights for `ref` are on this machine, or None. Never downloads."""
    path = Path(ref).expanduser()
    if path.is_dir():
        return path.resolve()
    pulled = models_dir / ref.replace("/", "--")
    if (pulled / "config.json").is_file() or (pulled / "modules.json").is_file():
        return pulled
    return _hf_cache_path(ref)


def _hf_cache_path(ref: str) -> Path | None:
    if "/" not in ref:
        return None
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(ref, local_files_only=True))
    except Exception:  # not cached (LocalEntryNotFoundError) or an invalid id
        return None


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
        path = local_model_path(DEFAULT_ST_MODEL, settings.models_dir)
        if path is not None:
            return Choice(ST_PREFIX + DEFAULT_ST_MODEL, f"auto: {DEFAULT_ST_MODEL} found at {path}", path)
        return Choice("lsa", f"auto: no local weights for {DEFAULT_ST_MODEL}, using the weights-free lsa")
    if wanted.startswith(ST_PREFIX):
        ref = wanted[len(ST_PREFIX) :].strip()
        if not ref:
            raise ConfigError("MENTOR_EMBED=sentence-transformers: needs a model id or path after the colon")
        path = local_model_path(ref, settings.models_dir)
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
