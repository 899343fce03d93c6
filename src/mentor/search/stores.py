"""Where a build's vectors live: the embedded Chroma store (a `PersistentClient` in the build's
own `chroma/` folder, the default) or a Chroma server (`MENTOR_CHROMA_URL`, an `HttpClient`),
on which each build writes its own collection, `mentor-<build id>`.

A build records its store in `store.json`, written before any vector (so that even a killed
build's half-written collection can be found and deleted), and in its manifest. A build made for
one store and opened with another setting (the embedded store, another server) is "other-store":
`mentor ingest` rebuilds it.

Shared build files. With a server, only the vectors live there; everything else of a build
(passages.jsonl, BM25, the LSA model, vocabulary, topics, the manifest, `active` and the readers'
leases) stays under MENTOR_INDEX_DIR, which the workers share (a volume mounted by every
worker, read-only for them; `mentor ingest` is the only writer). Not rebuilt per worker from
the server, because: the query embedder (LSA's fitted vocabularies and basis) is not in Chroma
at all, so a worker could not even embed a query from what the server holds; rebuilding BM25
would mean every worker pulling every passage over HTTP and tokenising it at start-up (minutes
at 1M passages) and could drift from the build; and the atomic swap, the checksums and the
leases that keep a build's collection alive while a reader holds it are all files, which every
worker sees at once on a shared folder (flock works across processes of one host, and across
NFS clients through Linux's emulation with POSIX locks). The server holds what has to be shared
at query time and scale (the vectors); the folder holds one build's small-to-medium files.

Also the digest of a collection's content, which the manifest records (`builds` says why).
Not here: what a build holds and how it is checked (`builds`), building and opening (`index`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from mentor.config import Settings
from mentor.errors import IndexDamaged, StoreUnreachable

COLLECTION = "mentor_passages"  # the embedded store's collection (one store per build folder)
STORE_FILE = "store.json"
SERVER_PREFIX = "mentor-"


@dataclass(frozen=True)
class Store:
    """The embedded store (url None) or one collection on a Chroma server."""

    url: str | None = None
    collection: str = COLLECTION

    @property
    def is_server(self) -> bool:
        return self.url is not None

    def describe(self) -> str:
        return f"the Chroma server at {self.url}" if self.url else "the embedded store"

    def to_dict(self) -> dict:
        return {"kind": "server" if self.url else "embedded", "url": self.url, "collection": self.collection}


def configured(settings: Settings, build_id: str) -> Store:
    """The store a new build `build_id` writes to under these settings."""
    if settings.chroma_url is None:
        return Store()
    return Store(settings.chroma_url, SERVER_PREFIX + build_id)


def recorded(folder: Path, manifest: dict | None = None) -> Store:
    """The store a build was written to: its manifest's record, else `store.json` (a build
    killed before its manifest), else the embedded store (builds made before servers)."""
    data = (manifest or {}).get("store")
    if data is None:
        try:
            data = json.loads((folder / STORE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Store()
    if not isinstance(data, dict) or not isinstance(data.get("collection"), str):
        raise IndexDamaged(folder, f"{STORE_FILE} does not name a store")
    url = data.get("url")
    return Store(url if isinstance(url, str) else None, data["collection"])


def record(folder: Path, store: Store) -> None:
    (folder / STORE_FILE).write_text(json.dumps(store.to_dict()))


def same_store(store: Store, settings: Settings) -> bool:
    return store.url == settings.chroma_url


def other_store_message(store: Store, settings: Settings) -> str:
    wanted = f"the Chroma server at {settings.chroma_url}" if settings.chroma_url else "the embedded store"
    return (
        f"the index was built for another store ({store.describe()}) but {wanted} is configured "
        "(MENTOR_CHROMA_URL): run `mentor ingest` to rebuild it"
    )


def _chroma_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


def connect(store: Store, folder: Path):
    """A client of the store: a PersistentClient on the build's folder, or an HttpClient;
    StoreUnreachable (naming MENTOR_CHROMA_URL) when the server does not answer."""
    import chromadb
    from chromadb.errors import ChromaError

    if not store.is_server:
        try:
            return chromadb.PersistentClient(path=str(folder / "chroma"), settings=_chroma_settings())
        except (ChromaError, OSError) as exc:
            raise IndexDamaged(folder, f"Chroma: {exc}") from exc
    scheme, rest = store.url.split("://", 1)
    host, port = rest.rsplit(":", 1)
    try:
        return chromadb.HttpClient(
            host=host.strip("[]"), port=int(port), ssl=scheme == "https", settings=_chroma_settings()
        )
    except (ValueError, *transport_errors()) as exc:  # chromadb: a bare ValueError for a refused connection
        raise unreachable(store, exc) from None


def unreachable(store: Store, exc: BaseException) -> StoreUnreachable:
    why = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    return StoreUnreachable(
        f"MENTOR_CHROMA_URL: no Chroma server answers at {store.url} ({why}): start it "
        "(`chroma run --host HOST --port PORT --path DIR`) or unset MENTOR_CHROMA_URL for the embedded store"
    )


def transport_errors() -> tuple[type[BaseException], ...]:
    """What a request to a server that went away raises (httpx's, under chromadb's client)."""
    import httpx

    return (httpx.TransportError,)


def create_collection(client, store: Store):
    """A new, empty collection for a build (a name already taken on the server is an error:
    build ids are unique, so it would be someone else's)."""
    metadata = {"hnsw:space": "cosine"}
    if store.is_server:
        return client.create_collection(store.collection, metadata=metadata)
    return client.get_or_create_collection(store.collection, metadata=metadata)


def delete_collection(store: Store) -> bool:
    """Delete a server build's collection; True when it is gone (or never was, or the build is
    embedded: its folder holds it), False when the server cannot be reached now."""
    if not store.is_server:
        return True
    from chromadb.errors import NotFoundError

    try:
        client = connect(store, Path("."))
    except StoreUnreachable:
        return False
    try:
        client.delete_collection(store.collection)
    except NotFoundError:
        pass
    except (ValueError, *transport_errors()):  # chromadb 1.5.9 raises ValueError for a missing one too
        return _gone(client, store)
    finally:
        client.close()
    return True


def _gone(client, store: Store) -> bool:
    try:
        return store.collection not in {c.name for c in client.list_collections()}
    except Exception:  # noqa: BLE001 - the server went away meanwhile: try again at the next ingest
        return False


def chroma_digest(collection, *, full: bool, ids: list[str] | None = None) -> str:
    """sha256 over the collection (or its rows `ids`) in id order: ids and vectors (what a
    query reads, ~5 ms here) or, `full`, texts and metadata too (~25 ms). Read in pages: one
    `get` of 100k rows is more SQL variables than the embedded store's SQLite allows."""
    import numpy as np

    rows = {}
    for got in _pages(collection, ["embeddings", "documents", "metadatas"] if full else ["embeddings"], ids):
        for i, row_id in enumerate(got["ids"]):
            row = row_id.encode() + b"\0" + np.asarray(got["embeddings"][i], dtype="<f4").tobytes()
            rows[row_id] = row + (
                json.dumps([got["documents"][i], got["metadatas"][i]], sort_keys=True).encode() if full else b""
            )
    digest = hashlib.sha256()
    for row_id in sorted(rows):
        digest.update(rows[row_id])
    return digest.hexdigest()


def _pages(collection, include: list[str], ids: list[str] | None, size: int = 5000):
    if ids is not None:
        yield from (collection.get(ids=ids[i : i + size], include=include) for i in range(0, len(ids), size))
        return
    offset = 0
    while True:
        got = collection.get(include=include, limit=size, offset=offset)
        yield got
        if len(got["ids"]) < size:
            return
        offset += size
