import json
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, make_settings

from mentor.errors import IndexMismatch, IndexMissing, MentorError
from mentor.search import builds, index, vectors


def test_manifest_records_what_was_built(lsa_settings):
    manifest = builds.read_manifest(lsa_settings.index_dir)
    assert manifest["embedding"]["spec"] == "lsa"
    assert manifest["embedding"]["dims"] > 50
    assert manifest["counts"]["documents"] == 5
    assert manifest["counts"]["resources"] == 20
    assert manifest["counts"]["passages"] > 100
    assert set(manifest["timings_s"]) >= {"load_and_chunk", "embed", "chroma", "bm25", "total"}
    assert len(manifest["corpus_fingerprint"]) == 16
    folder = builds.active_dir(lsa_settings.index_dir)
    assert (folder / "chroma").is_dir() and (folder / "bm25").is_dir()


def test_chroma_collection_holds_every_passage(lsa_settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    folder = builds.active_dir(lsa_settings.index_dir)
    client = chromadb.PersistentClient(str(folder / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_collection(builds.COLLECTION)
    passages = [json.loads(line) for line in open(folder / "passages.jsonl")]
    assert collection.count() == len(passages)
    got = collection.get(ids=[passages[0]["chunk_id"]], include=["metadatas"])
    assert got["metadatas"][0]["doc"] == passages[0]["doc"]


def test_rebuild_is_idempotent_and_force_swaps(tmp_path):
    settings = make_settings(tmp_path)
    first = index.build(settings, progress=False)
    again = index.build(settings, progress=False)
    assert again["skipped"] and again["build_id"] == first["build_id"]
    forced = index.build(settings, force=True, progress=False)
    assert forced["build_id"] != first["build_id"]
    builds = list((settings.index_dir / "builds").iterdir())
    assert [b.name for b in builds] == [forced["build_id"]]  # the old build is gone


def test_missing_index_names_ingest(tmp_path):
    with pytest.raises(IndexMissing, match="mentor ingest"):
        index.open_index(make_settings(tmp_path))


def test_other_backend_names_ingest(lsa_settings, tmp_path):
    settings = lsa_settings.with_overrides(embed="sentence-transformers:" + str(tmp_path))
    (tmp_path / "config.json").write_text("{}")  # looks like local weights; never loaded here
    with pytest.raises(IndexMismatch, match="mentor ingest"):
        index.open_index(settings)


def test_stale_index_is_reported_but_usable(tmp_path, corpus_copy):
    settings = make_settings(tmp_path, corpus_dir=corpus_copy)
    index.build(settings, progress=False)
    assert index.freshness(settings).state == "fresh"
    path = corpus_copy / "roadmaps" / "zero-to-llm-phases.txt"
    path.write_text(path.read_text() + "\nPhase 6 - Teaching\nExplain what you learned.\n")
    state = index.freshness(settings)
    assert state.state == "stale" and "mentor ingest" in state.message
    idx, opened_state = index.open_index(settings)
    assert opened_state.state == "stale" and idx.chunks
    rebuilt = index.build(settings, progress=False)
    assert not rebuilt.get("skipped") and index.freshness(settings).state == "fresh"


def test_failed_build_leaves_previous_index(tmp_path, monkeypatch):
    settings = make_settings(tmp_path)
    first = index.build(settings, progress=False)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(vectors, "write", explode)
    with pytest.raises(RuntimeError):
        index.build(settings, force=True, progress=False)
    assert builds.read_manifest(settings.index_dir)["build_id"] == first["build_id"]
    assert len(list((settings.index_dir / "builds").iterdir())) == 1


def test_killed_build_leaves_previous_index_usable(tmp_path):
    settings = make_settings(tmp_path)
    first = index.build(settings, progress=False)
    env = {**os.environ, "MENTOR_INDEX_DIR": str(settings.index_dir), "MENTOR_EMBED": "lsa"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mentor.cli", "ingest", "--force", "--no-progress"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    builds = settings.index_dir / "builds"
    deadline = time.time() + 60
    while time.time() < deadline and len(list(builds.iterdir())) < 2:
        time.sleep(0.01)
    time.sleep(0.3)  # let it write part of the new build
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the build finished before it could be killed"
    assert len(list(builds.iterdir())) == 2  # the half-written build is there...
    idx, state = index.open_index(settings)  # ...and the previous one still serves
    assert state.state == "fresh" and idx.manifest["build_id"] == first["build_id"]
    again = index.build(settings, progress=False)  # still fresh: nothing to do, but it tidies up
    assert again["skipped"] and len(list(builds.iterdir())) == 1
    forced = index.build(settings, force=True, progress=False)
    assert forced["left_in_use"] == [first["build_id"]]  # `idx` still reads the first build
    idx.close()
    index.build(settings, progress=False)
    assert len(list(builds.iterdir())) == 1


def test_concurrent_builds_are_refused(tmp_path):
    import fcntl

    settings = make_settings(tmp_path)
    settings.index_dir.mkdir(parents=True)
    with open(settings.index_dir / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(MentorError, match="another `mentor ingest`"):
            index.build(settings, progress=False)


def test_a_small_collection_is_searched_in_memory_with_chromas_own_results(lsa_settings, monkeypatch):
    """Up to EXACT_LIMIT passages the vectors are read from Chroma once and searched exactly;
    the ranking is the one Chroma's index gives (a larger collection is asked each time)."""
    from mentor.search.index import open_index

    exact, _ = open_index(lsa_settings)
    exact.nearest(exact.embedder.embed_query("python"), 1)  # reads the vectors, as the limit allows
    monkeypatch.setattr(vectors, "EXACT_LIMIT", 0)
    asked, _ = open_index(lsa_settings)
    try:
        for text in ("pandas dataframes", "how do I deploy a model", "gradient descent"):
            vector = exact.embedder.embed_query(text)
            mine, chromas = exact.nearest(vector, 10), asked.nearest(vector, 10)
            assert [i for i, _ in mine] == [i for i, _ in chromas]
            assert all(abs(a - b) < 1e-4 for (_, a), (_, b) in zip(mine, chromas))
        assert exact._exact and asked._exact == ()  # one read from Chroma; the other asks each time
    finally:
        exact.close()
        asked.close()
