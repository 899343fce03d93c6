"""The index on a real Chroma server (MENTOR_CHROMA_URL): `chroma run` on a free loopback port
for this module. Ingest writes a collection per build there; searches match the embedded
store's; a rebuild swaps atomically and deletes the old collection once no reader holds it; a
build for one store is refused by another setting; a server that is down is a clear error;
two processes query one server at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from chroma_server import ChromaUnavailable, start_chroma
from conftest import ROOT, make_settings, run_cli

from mentor.config import load_settings
from mentor.errors import ConfigError, IndexMismatch, MentorError, StoreUnreachable
from mentor.search import builds, index, vectors
from mentor.search.freshness import freshness
from mentor.search.index import open_index
from mentor.search.retrieve import Retriever

QUERIES = ["how do I start with pandas dataframes", "gradient descent", "overfitting and regularization", "docker"]


@pytest.fixture(scope="module")
def chroma():
    try:
        server = start_chroma()
    except ChromaUnavailable as exc:
        pytest.skip(f"no Chroma server: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def server_settings(chroma, tmp_path_factory):
    """A real LSA index of the real corpus with its vectors on the module's server."""
    settings = make_settings(tmp_path_factory.mktemp("served"), chroma_url=chroma.url)
    index.build(settings, progress=False)
    return settings


def collections(url: str) -> set[str]:
    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=int(url.rsplit(":", 1)[1]))
    try:
        return {c.name for c in client.list_collections()}
    finally:
        client.close()


def test_a_bad_url_is_a_config_error_naming_the_variable(monkeypatch):
    for bad in ("localhost:8000", "http://localhost", "ftp://h:1", "http://h:1/path", "http://h:0"):
        monkeypatch.setenv("MENTOR_CHROMA_URL", bad)
        with pytest.raises(ConfigError, match="MENTOR_CHROMA_URL"):
            load_settings()
    monkeypatch.setenv("MENTOR_CHROMA_URL", "HTTP://Chroma:8000/")
    assert load_settings().chroma_url == "http://chroma:8000"
    monkeypatch.setenv("MENTOR_CHROMA_URL", "")
    assert load_settings().chroma_url is None


def test_ingest_writes_a_collection_of_its_own_on_the_server(server_settings, chroma):
    folder = builds.active_dir(server_settings.index_dir)
    manifest = builds.load_manifest(folder)
    name = f"mentor-{manifest['build_id']}"
    assert manifest["store"] == {"kind": "server", "url": chroma.url, "collection": name}
    assert name in collections(chroma.url)
    assert not (folder / "chroma").exists()  # no local store, and no damage claimed for its absence
    assert freshness(server_settings).state == "fresh"  # deep: the sampled digests and the size


def test_searches_match_the_embedded_store(server_settings, retriever):
    idx, _ = open_index(server_settings)
    served = Retriever(idx, server_settings)
    try:
        for query in QUERIES:
            for mode in ("dense", "hybrid"):
                got = [h.chunk.chunk_id for h in served.search(query, k=5, mode=mode).hits]
                want = [h.chunk.chunk_id for h in retriever.search(query, k=5, mode=mode).hits]
                assert got[:3] == want[:3], (query, mode)
    finally:
        served.close()


def test_a_rebuild_swaps_atomically_and_deletes_the_old_collection_once_released(chroma, tmp_path):
    settings = make_settings(tmp_path, chroma_url=chroma.url)
    first = index.build(settings, progress=False)
    old_name = first["store"]["collection"]
    reader, _ = open_index(settings)
    old = Retriever(reader, settings)
    before = [h.chunk.chunk_id for h in old.search("pandas", mode="dense").hits]

    second = index.build(settings, force=True, progress=False)
    assert second["left_in_use"] == [first["build_id"]]
    assert {old_name, second["store"]["collection"]} <= collections(chroma.url)
    assert [h.chunk.chunk_id for h in old.search("pandas", mode="dense").hits] == before  # still served

    fresh, _ = open_index(settings)
    assert fresh.collection.name == second["store"]["collection"]
    fresh.close()
    old.close()
    assert index.build(settings, progress=False)["left_in_use"] == []  # up to date: only tidies
    assert old_name not in collections(chroma.url)
    assert second["store"]["collection"] in collections(chroma.url)


def test_a_build_whose_collection_comes_up_short_is_never_activated(chroma, tmp_path, monkeypatch):
    settings = make_settings(tmp_path, chroma_url=chroma.url)
    first = index.build(settings, progress=False)
    before = collections(chroma.url)
    write = vectors._add_nodes
    monkeypatch.setattr(vectors, "_add_nodes", lambda coll, chunks, vecs: write(coll, chunks[:-5], vecs[:-5]))
    with pytest.raises(MentorError, match="of the"):
        index.build(settings, force=True, progress=False)
    assert builds.active_dir(settings.index_dir).name == first["build_id"]
    assert [p.name for p in (settings.index_dir / "builds").iterdir()] == [first["build_id"]]
    assert collections(chroma.url) == before  # the half-written collection went with its build


def test_a_build_for_one_store_is_refused_by_another_setting(server_settings, lsa_settings):
    embedded = server_settings.with_overrides(chroma_url="")
    assert embedded.chroma_url is None
    state = freshness(embedded)
    assert state.state == "other-store" and "run `mentor ingest`" in state.message
    with pytest.raises(IndexMismatch, match="another store"):
        open_index(embedded)
    served = lsa_settings.with_overrides(chroma_url="http://127.0.0.1:9")
    assert freshness(served).state == "other-store"


def test_a_server_that_is_down_is_a_clear_error(tmp_path):
    server = start_chroma()
    settings = make_settings(tmp_path, chroma_url=server.url)
    try:
        index.build(settings, progress=False)
        held, _ = open_index(settings)
        held.collection  # opened while the server was up
    finally:
        server.stop()
    with pytest.raises(StoreUnreachable, match="MENTOR_CHROMA_URL"):
        Retriever(held, settings).search("pandas", mode="dense")
    held.close()
    reader, _ = open_index(settings)  # the build files are all here: only the vectors are out of reach
    with pytest.raises(StoreUnreachable, match="MENTOR_CHROMA_URL"):
        reader.collection
    reader.close()
    with pytest.raises(StoreUnreachable, match="MENTOR_CHROMA_URL"):
        index.build(settings, force=True, progress=False)
    env = {"MENTOR_INDEX_DIR": str(settings.index_dir), "MENTOR_EMBED": "lsa", "MENTOR_CHROMA_URL": server.url}
    for args in (("search", "--mode", "dense", "pandas"), ("ingest", "--force")):
        done = run_cli(*args, env={**env, "MENTOR_CORPUS_DIR": str(settings.corpus_dir)})
        assert done.returncode != 0 and "MENTOR_CHROMA_URL" in done.stderr, args
        assert "Traceback" not in done.stderr


def test_two_processes_query_one_server_at_once(server_settings, tmp_path):
    queries = tmp_path / "queries.txt"
    queries.write_text("\n".join(QUERIES * 8))
    env = {
        "MENTOR_INDEX_DIR": str(server_settings.index_dir),
        "MENTOR_CORPUS_DIR": str(server_settings.corpus_dir),
        "MENTOR_EMBED": "lsa",
        "MENTOR_CHROMA_URL": server_settings.chroma_url,
    }
    command = [sys.executable, "-m", "mentor.cli", "search", "--mode", "hybrid", "--queries", str(queries)]
    procs = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, **env}
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err[-500:] for _, err in outputs]
    rows = [[json.loads(line) for line in out.splitlines()] for out, _ in outputs]
    assert len(rows[0]) == len(QUERIES) * 8 and rows[0] == rows[1]
    assert all(row["hits"] for row in rows[0])
