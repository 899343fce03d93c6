"""A build of the index on disk: its folder, the `active` link, the manifest and the checksums
that find damage, the readers' leases that keep a build in use on disk, and the removal of
superseded builds.

Layout under MENTOR_INDEX_DIR:

    active -> builds/<id>        symlink, swapped atomically when a build finishes
    builds/<id>/                 passages.jsonl, resources.jsonl, chroma/ (the embedded store
                                 only), store.json, bm25/, lsa.pkl, vocabulary.json,
                                 topics.json, phrasings.npy/.json, readers.lock,
                                 manifest.json (written last: no manifest, no build)

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

A build whose vectors are on a Chroma server (`stores`) has no `chroma/` folder: its manifest
records the collection's size and digests of a sample of its rows (reading every vector back
over HTTP on each open would cost seconds at scale), and removing the build deletes its
collection on the server, under the same exclusive lock, so never while a reader holds it.

Not here: what goes into a build and how it is queried (`index`).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from mentor.errors import IndexDamaged, IndexMismatch, MentorError
from mentor.search import stores
from mentor.search.stores import COLLECTION, chroma_digest  # noqa: F401 - re-exported

# Of a build's files; another format is refused with a message naming `mentor ingest`.
# 3: topics.json (the topic bridge, `topics.py`) added. 4: phrasings.npy/.json (`expansion`) added.
FORMAT = 4

MANIFEST = "manifest.json"

READERS_LOCK = "readers.lock"

CHROMA_DB = "chroma/chroma.sqlite3"

SQLITE_MAGIC = b"SQLite format 3\x00"

REQUIRED_FILES = (
    "passages.jsonl",
    "resources.jsonl",
    "vocabulary.json",
    "topics.json",
    "bm25/mentor.json",
    "phrasings.npy",
    "phrasings.json",
)

LEASE_ATTEMPTS = 5


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
    except (OSError, ValueError, RecursionError) as exc:  # JSON, UTF-8, a 5,000-digit number, deep nesting
        raise IndexDamaged(folder, f"{MANIFEST} unreadable: {type(exc).__name__}") from exc
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
    if not all(
        isinstance(v, dict) and isinstance(v.get("size"), int) and isinstance(v.get("sha256"), str)
        for v in files.values()
    ):
        return "has malformed checksums"
    if any(Path(rel).is_absolute() or ".." in Path(rel).parts for rel in files):
        return "names files outside the build"
    store = manifest.get("store", {"collection": COLLECTION})
    if not isinstance(store, dict) or not isinstance(store.get("collection"), str):
        return "does not name the store of its vectors"
    return None


def read_manifest(index_dir: Path) -> dict | None:
    """The active build's manifest (None when there is no build; IndexDamaged when unreadable)."""
    folder = active_dir(index_dir)
    return None if folder is None else load_manifest(folder)


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
    local = not stores.recorded(folder, manifest).is_server  # a server's store has no files here
    problem = _files_problem(folder, manifest["files"]) or (_chroma_problem(folder / CHROMA_DB) if local else None)
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


def open_chroma(folder: Path, manifest: dict, *, full: bool = False):
    """(client, collection) of a build, checked against the manifest's digest of its vectors
    (`full`: of all its content); on a server, of the sampled rows, and its size."""
    from chromadb.errors import ChromaError

    store = stores.recorded(folder, manifest)
    client = stores.connect(store, folder)
    try:
        collection = client.get_collection(store.collection)
        problem = _content_problem(collection, manifest, store, full)
    except stores.transport_errors() as exc:
        client.close()
        raise stores.unreachable(store, exc) from None
    except (ChromaError, OSError, ValueError) as exc:  # ValueError: chromadb's "collection does not exist"
        client.close()
        raise IndexDamaged(folder, f"Chroma: {exc}") from exc
    if problem:
        client.close()
        raise IndexDamaged(folder, problem)
    return client, collection


def _content_problem(collection, manifest: dict, store: stores.Store, full: bool) -> str | None:
    digests = manifest["chroma_digests"]
    sample = digests.get("sample") if store.is_server else None
    want = manifest["counts"]["total"]
    if sample is not None and collection.count() != want:
        return f"the collection {store.collection} holds {collection.count()} passages, not {want}"
    if chroma_digest(collection, full=full, ids=sample) != digests["content" if full else "vectors"]:
        return "Chroma's content differs from what was built"
    return None


def other_format_message(folder: Path, manifest: dict) -> str:
    return (
        f"the index in {folder} was built by another version of mentor (format {manifest['format']}): "
        "run `mentor ingest` to rebuild it"
    )


@contextmanager
def build_lock(index_dir: Path):
    if index_dir.exists() and not index_dir.is_dir():
        raise MentorError(f"{index_dir} is a file, not a folder: move it away or set MENTOR_INDEX_DIR")
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = index_dir / ".lock"
    if lock.is_symlink() or (lock.exists() and not lock.is_file()):  # never follow or write through it
        shutil.rmtree(lock) if lock.is_dir() and not lock.is_symlink() else lock.unlink()
    with open(lock, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise MentorError(f"another `mentor ingest` is building {index_dir}; wait for it to finish")
        yield


def make_folder(path: Path) -> None:
    """`path` as a folder, whatever had taken its name (a file, a dangling link)."""
    if not path.is_dir() and (path.exists() or path.is_symlink()):
        path.unlink()
    path.mkdir(exist_ok=True)


def activate(index_dir: Path, folder: Path) -> None:
    """Point `active` at the new build atomically (replacing whatever had taken the name)."""
    tmp = index_dir / f".active-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(folder.relative_to(index_dir))
    active = index_dir / "active"
    if active.is_dir() and not active.is_symlink():
        shutil.rmtree(active)
    os.replace(tmp, active)


def remove_superseded(index_dir: Path, keep: Path) -> list[str]:
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
        if not _delete_vectors(entry):
            return False  # its server is down: the next ingest tries again
        shutil.rmtree(entry, ignore_errors=True)  # a reader that opened the lock meanwhile waits, then sees it gone
    return True


def _delete_vectors(entry: Path) -> bool:
    """Delete a build's collection on its server (nothing for an embedded build: the folder
    holds it); False when the server cannot be reached."""
    try:
        store = stores.recorded(entry)
    except IndexDamaged:  # a garbled store.json: no collection we could name
        return True
    return stores.delete_collection(store)


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
        return IndexMismatch(other_format_message(folder, manifest))
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
