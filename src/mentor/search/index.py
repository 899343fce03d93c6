"""Building, checking and opening the search index: Chroma (through llama-index's Chroma vector
store) and BM25 over the same passages, with a manifest written last.

Layout under MENTOR_INDEX_DIR:

    active -> builds/<id>        symlink, swapped atomically when a build finishes
    builds/<id>/                 passages.jsonl, resources.jsonl, vocabulary.json, lsa.pkl, bm25/,
                                 chroma/, readers.lock, manifest.json (written last: no manifest,
                                 no index)
    .lock                        held by the one `mentor ingest` that is building

Building: a build goes into a new folder beside the old one; only when its manifest is written
does the `active` link move. A killed build leaves the previous index usable, and its folder is
removed by the next `mentor ingest`. Building the same corpus with the same backend again is a
no-op. `ingest --force` always repairs: it never needs to read the old build, and it puts back
whatever took the place of `builds/` or `active` (a dangling link, a file, a folder).

Readers and superseded builds: whoever opens a build (`open_index`) holds a shared flock on its
`readers.lock` until it closes it (or its process ends: the kernel drops the lock). After moving
`active`, the builder deletes an older build only when it gets an exclusive lock on it without
waiting; a build still in use stays, and a later `mentor ingest` removes it. Unlike a grace
period this does not guess how long a search lasts, works across processes, and a killed reader
never pins a build. Long-running readers follow `active` themselves (`retrieve.LiveRetriever`).

Damage: the manifest records the size and sha256 of every file of the build that mentor writes
and only reads back. Chroma rewrites its own files whenever a client opens them (a row in
chroma.sqlite3 on open, the HNSW length.bin on a query; chromadb 1.5.9 even rebuilds the HNSW
files from its database), so for Chroma the manifest records digests of its content as Chroma
returns it: of the ids and vectors, which is all a query reads, and of everything (texts and
metadata too); SQLite checks the database itself (header, `PRAGMA quick_check`). Measured on
this corpus's LSA index (14 MB hashed): files and database before every open ~20 ms; the
vectors' digest when the collection is first opened ~5 ms more; `ingest`'s up-to-date test and
`doctor` compare the full digest too: ~80 ms, ~0.2 s when it starts Chroma first. Damage that
shows only while loading or querying is raised as IndexDamaged too; its message names
`mentor ingest --force`.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from mentor.corpus import documents as corpus_mod
from mentor.corpus.chunks import Chunk, chunk_corpus
from mentor.config import Settings
from mentor.search.embed import Choice, choose_backend, load_embedder, make_embedder
from mentor.errors import IndexDamaged, IndexMismatch, IndexMissing, MentorError
from mentor.search.lexical import Bm25Index, vocabulary
from mentor.corpus.resources import extract_resources, resource_chunk

FORMAT = 2
COLLECTION = "mentor_passages"
MANIFEST = "manifest.json"
READERS_LOCK = "readers.lock"
CHROMA_DB = "chroma/chroma.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"
REQUIRED_FILES = ("passages.jsonl", "resources.jsonl", "vocabulary.json", "bm25/mentor.json")
LEASE_ATTEMPTS = 5


# --- the active build and its manifest ------------------------------------------------------


def active_dir(index_dir: Path) -> Path | None:
    """The finished build the index currently serves, or None."""
    try:
        target = (index_dir / "active").resolve(strict=True)
    except (OSError, RuntimeError):  # no link, a dangling one, a loop (RuntimeError before 3.13)
        return None
    return target if (target / MANIFEST).is_file() else None


def active_name(index_dir: Path) -> str | None:
    """The name of the build `active` points at: one readlink, cheap enough for every query."""
    try:
        return Path(os.readlink(index_dir / "active")).name
    except OSError:
        return None


def load_manifest(folder: Path) -> dict:
    """A finished build's manifest; IndexDamaged when it is unreadable or lacks what we use."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexDamaged(folder, f"{MANIFEST} unreadable: {exc}") from exc
    problem = _manifest_problem(manifest)
    if problem:
        raise IndexDamaged(folder, f"{MANIFEST} {problem}")
    return manifest


def _manifest_problem(manifest) -> str | None:
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format"), int):
        return "is not a mentor manifest"
    if manifest["format"] != FORMAT:
        return None  # another version's layout: reported as such, not as damage
    if not isinstance(manifest.get("embedding"), dict) or not isinstance(manifest["embedding"].get("spec"), str):
        return "lacks the embedding backend"
    if not all(isinstance(manifest.get(k), str) for k in ("build_id", "built_at", "corpus_fingerprint")):
        return "lacks the build id, date or corpus fingerprint"
    if not isinstance(manifest.get("counts"), dict) or not isinstance(manifest["counts"].get("total"), int):
        return "lacks the passage counts"
    digests = manifest.get("chroma_digests")
    if not isinstance(digests, dict) or not all(isinstance(digests.get(k), str) for k in ("vectors", "content")):
        return "lacks the digests of Chroma's content"
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(f in files for f in REQUIRED_FILES):
        return "lacks the file checksums"
    if not all(isinstance(v, dict) and isinstance(v.get("size"), int) and isinstance(v.get("sha256"), str)
               for v in files.values()):
        return "has malformed checksums"
    if any(Path(rel).is_absolute() or ".." in Path(rel).parts for rel in files):
        return "names files outside the build"
    return None


def read_manifest(index_dir: Path) -> dict | None:
    """The active build's manifest (None when there is no build; IndexDamaged when unreadable)."""
    folder = active_dir(index_dir)
    return None if folder is None else load_manifest(folder)


# --- checksums and damage -------------------------------------------------------------------


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def checksums(folder: Path) -> dict[str, dict]:
    """Size and sha256 of each file of a build that mentor writes and only reads back: all but
    the manifest, the readers' lock and Chroma's files (Chroma rewrites those itself)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel not in (MANIFEST, READERS_LOCK) and not rel.startswith("chroma/"):
            files[rel] = {"size": path.stat().st_size, "sha256": _sha256(path)}
    return files


def find_damage(folder: Path, manifest: dict, *, deep: bool = False) -> str | None:
    """What is wrong with a finished build's files, or None when nothing is. `deep` also reads
    all of Chroma's content back (importing chromadb and opening the collection: ~0.1 s more)."""
    if not (folder / READERS_LOCK).is_file():
        return f"{READERS_LOCK} is missing"
    problem = _files_problem(folder, manifest["files"]) or _chroma_problem(folder / CHROMA_DB)
    if problem or not deep:
        return problem
    try:
        client, _ = open_chroma(folder, manifest, full=True)
    except IndexDamaged as exc:
        return exc.what
    client.close()
    return None


def _files_problem(folder: Path, files: dict[str, dict]) -> str | None:
    for rel, want in files.items():  # sizes first: one stat each finds truncation cheaply
        try:
            size = (folder / rel).stat().st_size
        except OSError:
            return f"{rel} is missing"
        if size != want["size"]:
            return f"{rel} has {size} bytes instead of {want['size']}"
    for rel, want in files.items():
        try:
            if _sha256(folder / rel) != want["sha256"]:
                return f"{rel} does not match its checksum"
        except OSError as exc:
            return f"{rel} is unreadable: {exc}"
    return None


def _chroma_problem(db: Path) -> str | None:
    """Chroma's database, checked by SQLite itself (it has no fixed checksum, see above)."""
    import sqlite3

    try:
        with open(db, "rb") as fh:
            if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return f"{CHROMA_DB} is not a SQLite database"
        con = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            verdict = con.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            con.close()
    except OSError as exc:
        return f"{CHROMA_DB} is unreadable: {exc}"
    except sqlite3.DatabaseError as exc:
        return f"{CHROMA_DB}: {exc}"
    return None if verdict == "ok" else f"{CHROMA_DB}: {verdict}"


def chroma_digest(collection, *, full: bool) -> str:
    """sha256 over the collection in id order: its ids and vectors (what a query reads, ~5 ms
    here) or, `full`, its texts and metadata too (~25 ms)."""
    import numpy as np

    got = collection.get(include=["embeddings", "documents", "metadatas"] if full else ["embeddings"])
    digest = hashlib.sha256()
    for i in sorted(range(len(got["ids"])), key=lambda i: got["ids"][i]):
        digest.update(got["ids"][i].encode() + b"\0")
        digest.update(np.asarray(got["embeddings"][i], dtype="<f4").tobytes())
        if full:
            digest.update(json.dumps([got["documents"][i], got["metadatas"][i]], sort_keys=True).encode())
    return digest.hexdigest()


def open_chroma(folder: Path, manifest: dict, *, full: bool = False):
    """(client, collection) of a build, checked against the manifest's digest of its vectors
    (`full`: of all its content)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from chromadb.errors import ChromaError

    try:
        client = chromadb.PersistentClient(path=str(folder / "chroma"),
                                           settings=ChromaSettings(anonymized_telemetry=False))
    except (ChromaError, OSError) as exc:
        raise IndexDamaged(folder, f"Chroma: {exc}") from exc
    try:
        collection = client.get_collection(COLLECTION)
        same = chroma_digest(collection, full=full) == manifest["chroma_digests"]["content" if full else "vectors"]
    except (ChromaError, OSError) as exc:
        client.close()
        raise IndexDamaged(folder, f"Chroma: {exc}") from exc
    if not same:
        client.close()
        raise IndexDamaged(folder, "Chroma's content differs from what was built")
    return client, collection


# --- freshness ------------------------------------------------------------------------------


@dataclass
class Freshness:
    state: str  # missing | damaged | other-format | other-backend | stale | fresh
    message: str
    manifest: dict | None = None
    folder: Path | None = None  # the build this is about
    problem: str | None = None  # what is damaged

    @property
    def build_id(self) -> str | None:
        return None if self.folder is None else self.folder.name


def freshness(settings: Settings, choice: Choice | None = None, *, verify: bool = True,
              deep: bool = True) -> Freshness:
    """Is the active build there, undamaged (`verify`: its files against their checksums;
    `deep`: Chroma's content too, see `find_damage`), built from this corpus with the
    configured backend? What `ingest` and `doctor` ask."""
    folder = active_dir(settings.index_dir)
    if folder is None:
        return Freshness("missing", f"no index in {settings.index_dir}: run `mentor ingest` to build it")
    return build_freshness(settings, folder, choice, verify=verify, deep=deep)


def build_freshness(settings: Settings, folder: Path, choice: Choice | None = None, *,
                    verify: bool = True, deep: bool = False) -> Freshness:
    """The state of one finished build: the active one, or one a reader has open."""
    try:
        manifest = load_manifest(folder)
    except IndexDamaged as exc:
        return Freshness("damaged", str(exc), None, folder, problem=exc.what)
    return assess(settings, folder, manifest, choice or choose_backend(settings), verify=verify, deep=deep)


def assess(settings: Settings, folder: Path, manifest: dict, choice: Choice, *, verify: bool = True,
           deep: bool = False) -> Freshness:
    """The state of a build whose manifest is read."""
    if manifest["format"] != FORMAT:
        return Freshness("other-format", _other_format(folder, manifest), manifest, folder)
    built_with = manifest["embedding"]["spec"]
    if built_with != choice.spec:
        return Freshness(
            "other-backend",
            f"the index was built with the {built_with!r} embedding backend but {choice.spec!r} is "
            f"configured ({choice.reason}): run `mentor ingest` to rebuild it",
            manifest, folder,
        )
    problem = find_damage(folder, manifest, deep=deep) if verify else None
    if problem:
        return Freshness("damaged", str(IndexDamaged(folder, problem)), manifest, folder, problem)
    if manifest["corpus_fingerprint"] != corpus_mod.fingerprint(settings.corpus_dir):
        return Freshness("stale", "the corpus has changed since the index was built: run `mentor ingest` "
                         "to refresh it", manifest, folder)
    return Freshness("fresh", f"index built {manifest['built_at']} is up to date", manifest, folder)


def _other_format(folder: Path, manifest: dict) -> str:
    return (f"the index in {folder} was built by another version of mentor (format {manifest['format']}): "
            "run `mentor ingest` to rebuild it")


# --- building -------------------------------------------------------------------------------


@contextmanager
def _build_lock(index_dir: Path):
    if index_dir.exists() and not index_dir.is_dir():
        raise MentorError(f"{index_dir} is a file, not a folder: move it away or set MENTOR_INDEX_DIR")
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise MentorError(f"another `mentor ingest` is building {index_dir}; wait for it to finish")
        yield
def gather_passages(settings: Settings) -> tuple[list[Chunk], list[dict], int]:
    """Roadmap passages, linked resources and cached web pages, in index order."""
    from mentor.corpus.fetch import page_chunks

    docs = corpus_mod.load_documents(settings.corpus_dir)
    passages = chunk_corpus(docs)
    resources = extract_resources(passages, {d.id: d.lines for d in docs})
    pages = page_chunks(settings.corpus_dir / "cache")
    chunks = passages + [resource_chunk(r) for r in resources] + pages
    _link_topics(settings, chunks)
    return chunks, [r.to_dict() for r in resources], len(docs)


def _link_topics(settings: Settings, chunks: list[Chunk]) -> None:
    """Record in each passage the curriculum topics it covers (when there is a curriculum)."""
    from mentor.learning.curriculum import load_curriculum

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


def _write_chroma(folder: Path, chunks: list[Chunk], vectors) -> dict[str, str]:
    """Write the passages to Chroma; return the digests of its content."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    client = chromadb.PersistentClient(path=str(folder / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    try:
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
        return {"vectors": chroma_digest(collection, full=False), "content": chroma_digest(collection, full=True)}
    finally:
        client.close()  # written and released before the manifest says the build is finished


def build(settings: Settings, *, force: bool = False, progress: bool = True) -> dict:
    """Build the index if the corpus or backend changed, the build is damaged, or `force`;
    return its manifest, with "skipped": True when the current index was already up to date.
    Either way superseded builds go, except those a reader still has open: their names are
    returned as "left_in_use" (a later ingest removes them)."""
    choice = choose_backend(settings)
    with _build_lock(settings.index_dir):
        state = None if force else freshness(settings, choice)
        if state is not None and state.state == "fresh":
            in_use = _remove_superseded(settings.index_dir, state.folder)
            return {**state.manifest, "skipped": True, "reason": choice.reason, "left_in_use": in_use}
        _make_folder(settings.index_dir / "builds")
        folder, manifest = _build_new(settings, choice, progress)
        _activate(settings.index_dir, folder)
        return {**manifest, "left_in_use": _remove_superseded(settings.index_dir, folder)}


def _build_new(settings: Settings, choice: Choice, progress: bool) -> tuple[Path, dict]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    build_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + f"-{uuid.uuid4().hex[:8]}"
    folder = settings.index_dir / "builds" / build_id
    folder.mkdir()
    (folder / READERS_LOCK).touch()
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
        digests = _write_chroma(folder, chunks, vectors)
        timings["chroma"] = time.perf_counter() - t
        bar.set_postfix_str("chroma written"); bar.update()

        t = time.perf_counter()
        bm25 = Bm25Index()
        bm25.build(texts)
        bm25.save(folder)
        (folder / "vocabulary.json").write_text(json.dumps(vocabulary(texts)))
        timings["bm25"] = time.perf_counter() - t
        bar.set_postfix_str("bm25 written"); bar.update()

        t = time.perf_counter()
        files = checksums(folder)
        timings["checksums"] = time.perf_counter() - t
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
            "files": files,
            "chroma_digests": digests,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))  # last: marks the build finished
        bar.update()
    except BaseException:
        bar.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    bar.close()
    return folder, manifest


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _make_folder(path: Path) -> None:
    """`path` as a folder, whatever had taken its name (a file, a dangling link)."""
    if not path.is_dir() and (path.exists() or path.is_symlink()):
        path.unlink()
    path.mkdir(exist_ok=True)


def _activate(index_dir: Path, folder: Path) -> None:
    """Point `active` at the new build atomically (replacing whatever had taken the name)."""
    tmp = index_dir / f".active-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(folder.relative_to(index_dir))
    active = index_dir / "active"
    if active.is_dir() and not active.is_symlink():
        shutil.rmtree(active)
    os.replace(tmp, active)


def _remove_superseded(index_dir: Path, keep: Path) -> list[str]:
    """Delete every build but `keep` (killed ones included) that no reader has open; return the
    names of those left because a reader still has them open. Runs under the build lock."""
    builds = index_dir / "builds"
    if not builds.is_dir():
        return []
    return sorted(e.name for e in builds.iterdir() if e.name != keep.name and not _remove_unless_read(e))


def _remove_unless_read(entry: Path) -> bool:
    """Delete one build unless a reader holds its lock; True when it is gone."""
    if entry.is_symlink() or not entry.is_dir():
        entry.unlink()
        return True
    try:
        handle = open(entry / READERS_LOCK, "rb")
    except OSError:  # no lock file: a build nobody can have open
        shutil.rmtree(entry, ignore_errors=True)
        return True
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        shutil.rmtree(entry, ignore_errors=True)  # a reader that opened the lock meanwhile waits, then sees it gone
    return True


# --- reading --------------------------------------------------------------------------------


class BuildLease:
    """A shared flock on one build's readers.lock: while it is held, `ingest` leaves the build
    on disk. Closing the file (or the process ending) releases it."""

    def __init__(self, folder: Path, handle):
        self.folder = folder
        self._handle = handle

    def release(self) -> None:
        self._handle.close()


def lease_active(index_dir: Path) -> BuildLease | None:
    """A lease on the active build, or None when there is no finished build. A build replaced
    and deleted while we take the lease is retried with the new `active`."""
    for _ in range(LEASE_ATTEMPTS):
        folder = active_dir(index_dir)
        if folder is None:
            return None
        lease = _try_lease(folder)
        if lease is not None:
            return lease
    raise _unleasable(folder)


def _unleasable(folder: Path) -> MentorError:
    """Why the active build has no usable readers' lock: another version's build, or damage."""
    try:
        manifest = load_manifest(folder)
    except IndexDamaged as exc:
        return exc
    if manifest["format"] != FORMAT:
        return IndexMismatch(_other_format(folder, manifest))
    return IndexDamaged(folder, f"{READERS_LOCK} is missing or unusable")


def _try_lease(folder: Path) -> BuildLease | None:
    path = folder / READERS_LOCK
    try:
        handle = open(path, "rb")
    except OSError:  # deleted by `ingest` a moment ago (or missing)
        return None
    fcntl.flock(handle, fcntl.LOCK_SH)  # waits only while `ingest` deletes this very build
    try:
        kept = os.path.samestat(os.fstat(handle.fileno()), path.stat()) and (folder / MANIFEST).is_file()
    except OSError:
        kept = False
    if kept:
        return BuildLease(folder, handle)
    handle.close()
    return None


@dataclass
class OpenIndex:
    """A finished build, loaded for querying. Holds a lease on the build until `close()`."""

    folder: Path
    manifest: dict
    chunks: list[Chunk]
    embedder: object
    bm25: Bm25Index
    vocabulary: dict[str, int]
    lease: BuildLease | None = None
    _collection: object = None
    _client: object = None
    _chroma_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

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
        """The k passages closest to `vector` as (chunk id, cosine similarity), best first.

        Asks for distances only: fetching documents and metadata and turning them into
        llama-index nodes (what `ChromaVectorStore.query` does) took 5.5 ms a query against
        0.9 ms for this, and retrieval only needs the ids (`benchmarks/load.py`)."""
        from chromadb.errors import ChromaError

        collection = self.collection
        try:
            result = collection.query(query_embeddings=[list(map(float, vector))], n_results=k, include=["distances"])
        except (ChromaError, OSError) as exc:
            raise IndexDamaged(self.folder, f"Chroma: {exc}") from exc
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0])]

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
    if state.state in ("other-format", "other-backend") or (state.state == "stale" and not allow_stale):
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
