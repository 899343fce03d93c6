"""A build's vectors in its Chroma collection: writing them (through llama-index's
ChromaVectorStore, then counted and digested) and finding the nearest ones to a query.

Finding: a collection of up to EXACT_LIMIT passages is read from Chroma once, at the first
query, and searched exactly in memory. A matrix product over a few thousand vectors takes
microseconds; a Chroma query took about a millisecond, the largest single part of an offline
answer's work under load (`benchmarks/load.py --profile`). A larger collection is searched by
Chroma's own HNSW index, one query each time. Either way Chroma is where the vectors live, and
its failures are mentor's: an unreachable server names MENTOR_CHROMA_URL, anything else is a
damaged build.

Not here: where the collection is (embedded or a server: `stores`), the build's folder and its
damage checks (`builds`), building (`index`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mentor.corpus.chunks import Chunk
from mentor.errors import IndexDamaged, MentorError
from mentor.search import stores
from mentor.search.builds import chroma_digest

EXACT_LIMIT = 20_000  # passages: a collection this small is searched exactly in memory
DIGEST_SAMPLE = 256  # rows of a server's collection that the manifest's digests cover


# --- writing ------------------------------------------------------------------------------------


def write(folder: Path, store: stores.Store, chunks: list[Chunk], vectors) -> dict:
    """Write the passages to the build's store and check that all of them are there; return
    the digests of its content."""
    client = stores.connect(store, folder)
    try:
        collection = stores.create_collection(client, store)
        batch = client.get_max_batch_size()  # llama-index's own batches (41,665) are too large for Chroma's 5,461
        for i in range(0, len(chunks), batch):
            _add_nodes(collection, chunks[i : i + batch], vectors[i : i + batch])
        if collection.count() != len(chunks):
            raise MentorError(f"{store.describe()} holds {collection.count()} of the {len(chunks)} passages written")
        return _digests(collection, store, [c.chunk_id for c in chunks])
    except stores.transport_errors() as exc:
        raise stores.unreachable(store, exc) from None
    finally:
        client.close()  # written and released before the manifest says the build is finished


def _digests(collection, store: stores.Store, ids: list[str]) -> dict:
    """Of all the content in the embedded store; of a sample of rows on a server (see `builds`)."""
    if not store.is_server:
        return {"vectors": chroma_digest(collection, full=False), "content": chroma_digest(collection, full=True)}
    sample = ids[:: max(1, len(ids) // DIGEST_SAMPLE)][:DIGEST_SAMPLE]
    return {
        "vectors": chroma_digest(collection, full=False, ids=sample),
        "content": chroma_digest(collection, full=True, ids=sample),
        "sample": sample,
    }


def _add_nodes(collection, chunks: list[Chunk], vectors) -> None:
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    nodes = [
        TextNode(
            id_=c.chunk_id,
            text=c.index_text(),
            embedding=vec.tolist(),
            metadata={
                "doc": c.doc,
                "section": c.section,
                "kind": c.kind,
                "first_line": c.first_line,
                "last_line": c.last_line,
                "url": c.url or "",
                "topics": ",".join(c.topics),
            },
        )
        for c, vec in zip(chunks, vectors)
    ]
    ChromaVectorStore(chroma_collection=collection).add(nodes)


# --- finding ------------------------------------------------------------------------------------


def small_collection(collection, folder: Path, manifest: dict) -> tuple:
    """(chunk ids, unit vectors) of a collection of up to EXACT_LIMIT passages, read from Chroma;
    () for a larger one. `collection` is a callable that opens it."""
    if manifest.get("counts", {}).get("total", EXACT_LIMIT + 1) > EXACT_LIMIT:
        return ()
    got = _guarded(collection, folder, manifest, lambda c: c.get(include=["embeddings"]))
    found = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), -1)
    norms = np.linalg.norm(found, axis=1, keepdims=True)
    return list(got["ids"]), found / np.where(norms == 0, 1.0, norms)


def exact_nearest(ids: list[str], unit: np.ndarray, vector, k: int) -> list[tuple[str, float]]:
    """The k nearest of `unit` (rows of length 1) to `vector`: (chunk id, cosine), best first."""
    if not ids:
        return []
    query = np.asarray(vector, dtype=np.float32)
    sims = unit @ (query / (np.linalg.norm(query) or 1.0))
    k = min(k, len(ids))
    top = np.argpartition(-sims, k - 1)[:k] if k < len(ids) else np.arange(len(ids))
    return [(ids[i], float(sims[i])) for i in sorted(top, key=lambda i: (-sims[i], i))]


def query(collection, folder: Path, manifest: dict, vector, k: int) -> list[tuple[str, float]]:
    """The k nearest by Chroma's own index: (chunk id, cosine), best first. Asks for distances
    only: documents, metadata and llama-index nodes (what `ChromaVectorStore.query` builds) took
    5.5 ms a query against 0.9 ms for this, and retrieval needs only the ids."""
    vector = [float(x) for x in vector]
    result = _guarded(
        lambda: collection,
        folder,
        manifest,
        lambda c: c.query(query_embeddings=[vector], n_results=k, include=["distances"]),
    )
    return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0])]


def _guarded(collection, folder: Path, manifest: dict, call):
    """`call(collection())`, with Chroma's failures as mentor's (unreachable, damaged)."""
    from chromadb.errors import ChromaError

    try:
        return call(collection())
    except stores.transport_errors() as exc:
        raise stores.unreachable(stores.recorded(folder, manifest), exc) from None
    except (ChromaError, OSError, ValueError) as exc:
        raise IndexDamaged(folder, f"Chroma: {exc}") from exc
