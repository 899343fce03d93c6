"""Building, checking and opening the search index: Chroma (through llama-index's Chroma vector
store) and BM25 over the same passages, with a manifest written last.

Building: a build goes into a new folder beside the old one (layout in `builds`); only when its
manifest is written does the `active` link move. A killed build leaves the previous index
usable, and its folder is removed by the next `mentor ingest`. Building the same corpus with the
same backend again is a no-op. `ingest --force` always repairs: it never needs to read the old
build, and it puts back whatever took the place of `builds/` or `active` (a dangling link, a
file, a folder).

With MENTOR_CHROMA_URL the vectors go to a collection of the build's own on a Chroma server
(`stores`, which also says why the other build files stay in the shared index folder): it is
written and its size checked before the build's manifest is, so `active` never points at a
half-written collection, and readers of the previous build keep theirs until they close it.

Opening: `open_index` takes a reader's lease on the active build, checks it against its manifest
and loads it. Not here: the build's folder, leases and damage checks (`builds`), where vectors
live (`stores`), writing and searching them (`vectors`), queries (`retrieve`).
"""

from __future__ import annotations

import json
import shutil
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from mentor.config import Settings
from mentor.corpus import documents as corpus_mod
from mentor.corpus import own
from mentor.corpus.chunks import Chunk, chunk_corpus
from mentor.corpus.fetch import page_chunks
from mentor.corpus.resources import extract_resources, resource_chunk
from mentor.errors import IndexDamaged, IndexMismatch, IndexMissing
from mentor.learning.curriculum import load_curriculum
from mentor.learning.own.links import tag_passages
from mentor.search import stores, vectors
from mentor.search.builds import (
    FORMAT,
    MANIFEST,
    READERS_LOCK,
    BuildLease,
    activate,
    build_lock,
    checksums,
    lease_active,
    make_folder,
    open_chroma,
    remove_superseded,
)
from mentor.search.embed import Choice, choose_backend, load_embedder, make_embedder
from mentor.search.expansion import PhrasingVectors, index_texts, load_questions, load_words, phrasings
from mentor.search.freshness import Freshness, build_freshness, freshness
from mentor.search.lexical import Bm25Index, vocabulary
from mentor.search.topics import TopicBridge

# --- building -------------------------------------------------------------------------------


def gather_passages(settings: Settings) -> tuple[list[Chunk], list[dict], int]:
    """Roadmap passages, linked resources and cached web pages, in index order."""
    return _gather(settings, _curriculum(settings))


def _gather(settings: Settings, curriculum) -> tuple[list[Chunk], list[dict], int]:
    docs = corpus_mod.load_documents(settings.corpus_dir)
    own_docs, own_passages = own.passages(settings.home)  # learners' own roadmaps (`mentor corpus add`)
    passages = chunk_corpus(docs) + own_passages
    docs = docs + own_docs
    resources = extract_resources(passages, {d.id: d.lines for d in docs})
    pages = page_chunks(settings.corpus_dir / "cache")
    chunks = passages + [resource_chunk(r) for r in resources] + pages
    _link_topics(curriculum, chunks)
    tag_passages(curriculum, own_passages)  # what their items name exactly ("SQL"), too
    return chunks, [r.to_dict() for r in resources], len(docs)


def _curriculum(settings: Settings):
    """The corpus's curriculum graph, or None when it has none."""
    if not (settings.corpus_dir / "curriculum.yaml").is_file():
        return None
    return load_curriculum(settings.corpus_dir)


def _link_topics(cur, chunks: list[Chunk]) -> None:
    """Record in each passage the curriculum topics it covers (when there is a curriculum)."""
    if cur is None:
        return
    by_url = {url: t.id for t in cur.topics.values() for url in t.resources}
    for chunk in chunks:
        found = cur.topics_in_text(f"{chunk.heading}\n{chunk.text}")
        if chunk.url in by_url and by_url[chunk.url] not in found:
            found.append(by_url[chunk.url])
        chunk.topics = found


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="ingest", unit="step", file=sys.stderr, disable=not enabled, leave=False)


def build(settings: Settings, *, force: bool = False, progress: bool = True, source=None) -> dict:
    """Build the index if the corpus, backend or store changed, the build is damaged, or
    `force`; return its manifest, with "skipped": True when the current index was already up to
    date. Either way superseded builds go, except those a reader still has open (or whose
    server is down): their names are returned as "left_in_use" (a later ingest removes them).
    `source`: what to index instead of the corpus, a callable returning (passages, resources,
    documents) like `gather_passages` (`benchmarks/scale.py`'s synthetic passages)."""
    choice = choose_backend(settings)
    with build_lock(settings.index_dir):
        state = None if force else freshness(settings, choice)
        if state is not None and state.state == "fresh":
            in_use = remove_superseded(settings.index_dir, state.folder)
            return {**state.manifest, "skipped": True, "reason": choice.reason, "left_in_use": in_use}
        make_folder(settings.index_dir / "builds")
        folder, manifest = _build_new(settings, choice, progress, source)
        activate(settings.index_dir, folder)
        return {**manifest, "left_in_use": remove_superseded(settings.index_dir, folder)}


def _build_new(settings: Settings, choice: Choice, progress: bool, source=None) -> tuple[Path, dict]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    build_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + f"-{uuid.uuid4().hex[:8]}"
    folder = settings.index_dir / "builds" / build_id
    folder.mkdir()
    (folder / READERS_LOCK).touch()
    store = stores.configured(settings, build_id)
    stores.record(folder, store)  # before any vector: a killed build's collection can be found
    bar = _progress(5, progress)
    try:
        t = time.perf_counter()
        curriculum = _curriculum(settings)
        fingerprint = own.fingerprint(settings)  # before reading: a roadmap added meanwhile makes it stale
        chunks, resources, n_docs = source() if source else _gather(settings, curriculum)
        _write_jsonl(folder / "passages.jsonl", [c.to_dict() for c in chunks])
        _write_jsonl(folder / "resources.jsonl", resources)
        timings["load_and_chunk"] = time.perf_counter() - t
        bar.set_postfix_str(f"{len(chunks)} passages")
        bar.update()

        t = time.perf_counter()
        # both retrievers index each passage with the learners' words for it (`expansion`)
        questions, words = load_questions(settings.corpus_dir), load_words(settings.corpus_dir, curriculum)
        texts, stale = index_texts(chunks, words, questions, curriculum)
        plain = [c.index_text() for c in chunks]
        embedder = make_embedder(choice)
        embedder.fit(texts)
        embedded = embedder.embed_documents(texts)
        PhrasingVectors.build(phrasings(chunks, words, questions, curriculum), embedder).save(folder)
        embedder.save(folder)
        timings["embed"] = time.perf_counter() - t
        bar.set_postfix_str(f"embedded with {choice.spec}")
        bar.update()

        t = time.perf_counter()
        with ThreadPoolExecutor(1) as pool:  # BM25 meanwhile: writing vectors mostly waits on Chroma
            lexical = pool.submit(_write_lexical, folder, texts, curriculum, plain)
            digests = vectors.write(folder, store, chunks, embedded)
            timings["chroma"] = time.perf_counter() - t
            bar.update()
            timings["bm25"] = lexical.result()
        timings["chroma_and_bm25"] = time.perf_counter() - t
        bar.set_postfix_str("chroma and bm25 written")
        bar.update()

        t = time.perf_counter()
        files = checksums(folder)
        timings["checksums"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - started
        kinds = [c.kind for c in chunks]
        manifest = {
            "format": FORMAT,
            "build_id": build_id,
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "corpus_fingerprint": fingerprint,
            "pipeline_version": corpus_mod.PIPELINE_VERSION,
            "embedding": {"spec": choice.spec, "reason": choice.reason, **embedder.describe()},
            "counts": {
                "documents": n_docs,
                "passages": kinds.count("passage"),
                "resources": kinds.count("resource"),
                "pages": kinds.count("page"),
                "total": len(chunks),
            },
            # document expansion: learners' phrasings of roadmap lines whose anchor no passage holds
            "expansion": {"phrasings": len(questions), "stale": [f"{p.doc}: {p.anchor}" for p in stale]},
            "timings_s": {k: round(v, 3) for k, v in timings.items()},
            "collection": store.collection,
            "store": store.to_dict(),
            "files": files,
            "chroma_digests": digests,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))  # last: marks the build finished
        bar.update()
    except BaseException:
        bar.close()
        stores.delete_collection(store)  # a half-written one (best effort: a later ingest retries)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    bar.close()
    return folder, manifest


def _write_lexical(folder: Path, texts: list[str], curriculum, plain: list[str]) -> float:
    """BM25 over the expanded texts; the vocabulary (the in-scope check, typo repair) and the
    topic bridge (names weighed by their rarity) from the roadmaps' own text: the learners'
    phrasings are full of example words ("rules like if bread then butter") that would make an
    unrelated question look known. Returns the seconds it took."""
    t = time.perf_counter()
    bm25 = Bm25Index()
    bm25.build(texts)
    bm25.save(folder)
    (folder / "vocabulary.json").write_text(json.dumps(vocabulary(plain)))
    TopicBridge.build(curriculum, plain).save(folder)
    return time.perf_counter() - t


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


# --- reading --------------------------------------------------------------------------------


@dataclass
class OpenIndex:
    """A finished build, loaded for querying. Holds a lease on the build until `close()`."""

    folder: Path
    manifest: dict
    chunks: list[Chunk]
    embedder: object
    bm25: Bm25Index
    vocabulary: dict[str, int]
    topics: TopicBridge = field(default_factory=lambda: TopicBridge({}, []))
    phrasings: PhrasingVectors = field(default_factory=lambda: PhrasingVectors([], np.zeros((0, 0), np.float32), []))
    lease: BuildLease | None = None
    _collection: object = None
    _client: object = None
    _chroma_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _exact: tuple | None = None  # (chunk ids, unit vectors) of a small collection, read once
    _exact_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def collection(self):
        """This build's Chroma collection (opened lazily). The build writes it through
        llama-index's ChromaVectorStore; queries go to Chroma directly, so that answering
        does not import llama-index (2.4 s) in offline mode."""
        with self._chroma_lock:
            if self._collection is None:
                self._client, self._collection = open_chroma(self.folder, self.manifest)
            return self._collection

    def nearest(self, vector, k: int) -> list[tuple[str, float]]:
        """The k passages closest to `vector` as (chunk id, cosine similarity), best first: in
        memory for a small collection, else by Chroma's index (`vectors`)."""
        with self._exact_lock:  # read once: a small collection is searched in memory (`vectors`)
            if self._exact is None:
                self._exact = vectors.small_collection(lambda: self.collection, self.folder, self.manifest)
        if self._exact:
            return vectors.exact_nearest(*self._exact, vector, k)
        return vectors.query(self.collection, self.folder, self.manifest, vector, k)

    def close(self) -> None:
        """Release Chroma and the lease: from then on `ingest` may delete a superseded build."""
        with self._chroma_lock:
            if self._client is not None:
                self._client.close()
                self._client = self._collection = None
        if self.lease is not None:
            self.lease.release()
            self.lease = None


def open_index(settings: Settings, *, allow_stale: bool = True) -> tuple[OpenIndex, Freshness]:
    """Lease, check and load the active build; raise IndexMissing / IndexMismatch /
    IndexDamaged with a message naming `mentor ingest`. A stale index still opens (the caller
    shows the warning). The build stays on disk until the index is closed."""
    choice = choose_backend(settings)
    lease = lease_active(settings.index_dir)
    if lease is None:
        raise IndexMissing(f"no index in {settings.index_dir}: run `mentor ingest` to build it")
    try:
        state = build_freshness(settings, lease.folder, choice)
        _refuse(state, allow_stale)
        return _load(lease, state.manifest, choice), state
    except BaseException:  # released, then raised as it came
        lease.release()
        raise


def _refuse(state: Freshness, allow_stale: bool) -> None:
    if state.state == "damaged":
        raise IndexDamaged(state.folder, state.problem)
    if state.state in ("other-format", "other-backend", "other-store") or (state.state == "stale" and not allow_stale):
        raise IndexMismatch(state.message)


def _load(lease: BuildLease, manifest: dict, choice: Choice) -> OpenIndex:
    folder = lease.folder
    return OpenIndex(
        folder=folder,
        manifest=manifest,
        chunks=_read_chunks(folder),
        embedder=load_embedder(choice, folder),
        bm25=Bm25Index.load(folder),
        vocabulary=_read_vocabulary(folder),
        topics=TopicBridge.load(folder),
        phrasings=PhrasingVectors.load(folder, manifest["embedding"].get("dims")),
        lease=lease,
    )


def _read_chunks(folder: Path) -> list[Chunk]:
    try:
        with open(folder / "passages.jsonl", encoding="utf-8") as fh:
            return [Chunk(**json.loads(line)) for line in fh]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, TypeError) as exc:  # TypeError: not a passage
        raise IndexDamaged(folder, f"passages.jsonl: {exc}") from exc


def _read_vocabulary(folder: Path) -> dict[str, int]:
    try:
        words = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexDamaged(folder, f"vocabulary.json: {exc}") from exc
    if not isinstance(words, dict):
        raise IndexDamaged(folder, "vocabulary.json is not a word table")
    return words
