"""Building and opening the search index: Chroma (through llama-index's Chroma vector store)
and BM25 over the same passages, with a manifest written last.

Layout under MENTOR_INDEX_DIR:

    active -> builds/<id>        symlink, swapped atomically when a build finishes
    builds/<id>/                 passages.jsonl, resources.jsonl, chroma/, bm25/, lsa.pkl,
                                 manifest.json (written last: no manifest, no index)

A build goes into a new folder beside the old one; only when its manifest is written does the
`active` link move. A killed build leaves the previous index usable, and its folder is removed
by the next `mentor ingest`. Building the same corpus with the same backend again is a no-op.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from mentor import corpus as corpus_mod
from mentor.chunks import Chunk, chunk_corpus
from mentor.config import Settings
from mentor.embed import Choice, choose_backend, load_embedder, make_embedder
from mentor.errors import IndexMismatch, IndexMissing, MentorError
from mentor.lexical import Bm25Index, vocabulary
from mentor.resources import extract_resources, resource_chunk

FORMAT = 1
COLLECTION = "mentor_passages"
MANIFEST = "manifest.json"


def active_dir(index_dir: Path) -> Path | None:
    """The finished build the index currently serves, or None."""
    link = index_dir / "active"
    if not link.exists():
        return None
    target = link.resolve()
    return target if (target / MANIFEST).is_file() else None


def read_manifest(index_dir: Path) -> dict | None:
    folder = active_dir(index_dir)
    if folder is None:
        return None
    return json.loads((folder / MANIFEST).read_text())


@dataclass
class Freshness:
    state: str  # missing | fresh | stale | other-backend
    message: str
    manifest: dict | None = None


def freshness(settings: Settings, choice: Choice | None = None) -> Freshness:
    """Is the index there, built from this corpus, with the configured backend?"""
    manifest = read_manifest(settings.index_dir)
    if manifest is None:
        return Freshness("missing", f"no index in {settings.index_dir}: run `mentor ingest` to build it")
    choice = choice or choose_backend(settings)
    built_with = manifest["embedding"]["spec"]
    if built_with != choice.spec:
        return Freshness(
            "other-backend",
            f"the index was built with the {built_with!r} embedding backend but {choice.spec!r} is "
            f"configured ({choice.reason}): run `mentor ingest` to rebuild it",
            manifest,
        )
    if manifest["corpus_fingerprint"] != corpus_mod.fingerprint(settings.corpus_dir):
        return Freshness(
            "stale", "the corpus has changed since the index was built: run `mentor ingest` to refresh it", manifest
        )
    return Freshness("fresh", f"index built {manifest['built_at']} is up to date", manifest)


@contextmanager
def _build_lock(index_dir: Path):
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise MentorError(f"another `mentor ingest` is building {index_dir}; wait for it to finish")
        yield


def gather_passages(settings: Settings) -> tuple[list[Chunk], list[dict], int]:
    """Roadmap passages, linked resources and cached web pages, in index order."""
    from mentor.fetch import page_chunks

    docs = corpus_mod.load_documents(settings.corpus_dir)
    passages = chunk_corpus(docs)
    resources = extract_resources(passages, {d.id: d.lines for d in docs})
    pages = page_chunks(settings.corpus_dir / "cache")
    chunks = passages + [resource_chunk(r) for r in resources] + pages
    _link_topics(settings, chunks)
    return chunks, [r.to_dict() for r in resources], len(docs)


def _link_topics(settings: Settings, chunks: list[Chunk]) -> None:
    """Record in each passage the curriculum topics it covers (when there is a curriculum)."""
    from mentor.curriculum import load_curriculum

    if not (settings.corpus_dir / "curriculum.yaml").is_file():
        return
    cur = load_curriculum(settings.corpus_dir)
    by_url = {url: t.id for t in cur.topics.values() for url in t.resources}
    for chunk in chunks:
        found = cur.topics_in_text(f"{chunk.heading}\n{chunk.text}")
        if chunk.url in by_url and by_url[chunk.url] not in found:
            found.append(by_url[chunk.url])
        chunk.topics = found


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="ingest", unit="step", file=sys.stderr, disable=not enabled, leave=False)


def _write_chroma(folder: Path, chunks: list[Chunk], vectors) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    client = chromadb.PersistentClient(path=str(folder / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection(COLLECTION, metadata={"hnsw:space": "cosine"})
    store = ChromaVectorStore(chroma_collection=collection)
    nodes = [
        TextNode(
            id_=c.chunk_id,
            text=c.index_text(),
            embedding=vec.tolist(),
            metadata={"doc": c.doc, "section": c.section, "kind": c.kind, "first_line": c.first_line,
                      "last_line": c.last_line, "url": c.url or "", "topics": ",".join(c.topics)},
        )
        for c, vec in zip(chunks, vectors)
    ]
    store.add(nodes)


def build(settings: Settings, *, force: bool = False, progress: bool = True) -> dict:
    """Build the index if the corpus or backend changed (or `force`); return its manifest,
    with "skipped": True when the current index was already up to date."""
    choice = choose_backend(settings)
    with _build_lock(settings.index_dir):
        state = freshness(settings, choice)
        if state.state == "fresh" and not force:
            return {**state.manifest, "skipped": True, "reason": choice.reason}
        _remove_unfinished(settings.index_dir)
        return _build_new(settings, choice, progress)


def _build_new(settings: Settings, choice: Choice, progress: bool) -> dict:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    build_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + f"-{uuid.uuid4().hex[:8]}"
    folder = settings.index_dir / "builds" / build_id
    folder.mkdir(parents=True)
    bar = _progress(5, progress)
    try:
        t = time.perf_counter()
        chunks, resources, n_docs = gather_passages(settings)
        _write_jsonl(folder / "passages.jsonl", [c.to_dict() for c in chunks])
        _write_jsonl(folder / "resources.jsonl", resources)
        timings["load_and_chunk"] = time.perf_counter() - t
        bar.set_postfix_str(f"{len(chunks)} passages"); bar.update()

        t = time.perf_counter()
        texts = [c.index_text() for c in chunks]
        embedder = make_embedder(choice)
        embedder.fit(texts)
        vectors = embedder.embed_documents(texts)
        embedder.save(folder)
        timings["embed"] = time.perf_counter() - t
        bar.set_postfix_str(f"embedded with {choice.spec}"); bar.update()

        t = time.perf_counter()
        _write_chroma(folder, chunks, vectors)
        timings["chroma"] = time.perf_counter() - t
        bar.set_postfix_str("chroma written"); bar.update()

        t = time.perf_counter()
        bm25 = Bm25Index()
        bm25.build(texts)
        bm25.save(folder)
        (folder / "vocabulary.json").write_text(json.dumps(vocabulary(texts)))
        timings["bm25"] = time.perf_counter() - t
        bar.set_postfix_str("bm25 written"); bar.update()

        timings["total"] = time.perf_counter() - started
        kinds = [c.kind for c in chunks]
        manifest = {
            "format": FORMAT,
            "build_id": build_id,
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "corpus_fingerprint": corpus_mod.fingerprint(settings.corpus_dir),
            "pipeline_version": corpus_mod.PIPELINE_VERSION,
            "embedding": {"spec": choice.spec, "reason": choice.reason, **embedder.describe()},
            "counts": {
                "documents": n_docs,
                "passages": kinds.count("passage"),
                "resources": kinds.count("resource"),
                "pages": kinds.count("page"),
                "total": len(chunks),
            },
            "timings_s": {k: round(v, 3) for k, v in timings.items()},
            "collection": COLLECTION,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))  # last: marks the build finished
        bar.update()
    except BaseException:
        bar.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    bar.close()
    _activate(settings.index_dir, folder)
    return manifest


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _activate(index_dir: Path, folder: Path) -> None:
    """Point `active` at the new build atomically, then drop older builds."""
    tmp = index_dir / f".active-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(folder.relative_to(index_dir))
    os.replace(tmp, index_dir / "active")
    for old in (index_dir / "builds").iterdir():
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)


def _remove_unfinished(index_dir: Path) -> None:
    """Folders of builds that were killed before their manifest (we hold the build lock)."""
    current = active_dir(index_dir)
    builds = index_dir / "builds"
    if builds.is_dir():
        for folder in builds.iterdir():
            if folder != current and not (folder / MANIFEST).is_file():
                shutil.rmtree(folder, ignore_errors=True)


@dataclass
class OpenIndex:
    """A finished build, loaded for querying."""

    folder: Path
    manifest: dict
    chunks: list[Chunk]
    embedder: object
    bm25: Bm25Index
    vocabulary: dict[str, int]
    _collection: object = None

    @property
    def collection(self):
        """This build's Chroma collection (opened lazily). The build writes it through
        llama-index's ChromaVectorStore; queries go to Chroma directly, so that answering
        does not import llama-index (2.4 s) in offline mode."""
        if self._collection is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            client = chromadb.PersistentClient(
                path=str(self.folder / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
            )
            self._collection = client.get_collection(COLLECTION)
        return self._collection

    def nearest(self, vector, k: int) -> list[tuple[str, float]]:
        """The k passages closest to `vector` as (chunk id, cosine similarity), best first.

        Asks for distances only: fetching documents and metadata and turning them into
        llama-index nodes (what `ChromaVectorStore.query` does) took 5.5 ms a query against
        0.9 ms for this, and retrieval only needs the ids (`benchmarks/load.py`)."""
        result = self.collection.query(query_embeddings=[list(map(float, vector))], n_results=k,
                                       include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0])]


def open_index(settings: Settings, *, allow_stale: bool = True) -> tuple[OpenIndex, Freshness]:
    """Load the active build; raise IndexMissing / IndexMismatch with a message naming
    `mentor ingest`. A stale index still opens (the caller shows the warning)."""
    choice = choose_backend(settings)
    state = freshness(settings, choice)
    if state.state == "missing":
        raise IndexMissing(state.message)
    if state.state == "other-backend":
        raise IndexMismatch(state.message)
    if state.state == "stale" and not allow_stale:
        raise IndexMismatch(state.message)
    folder = active_dir(settings.index_dir)
    chunks = [Chunk(**json.loads(line)) for line in open(folder / "passages.jsonl", encoding="utf-8")]
    index = OpenIndex(
        folder=folder,
        manifest=state.manifest,
        chunks=chunks,
        embedder=load_embedder(choice, folder),
        bm25=Bm25Index.load(folder),
        vocabulary=json.loads((folder / "vocabulary.json").read_text()),
    )
    return index, state
