"""The index under concurrent use, with real processes and real Chroma: searches in another
process and in server threads keep working while `ingest --force` replaces the build twice; a
build stays on disk while a reader has it open; the server's retriever (a Deps) moves to a new
build without a restart and health says which build it serves."""

import json
import subprocess
import sys
import threading

from conftest import CORPUS, ROOT, TESTS, make_settings

from mentor.deps import Deps
from mentor.search import index
from mentor.search.retrieve import Retriever


def start_searcher(settings, stop):
    proc = subprocess.Popen(
        [sys.executable, str(TESTS / "index_searcher.py"), str(settings.index_dir), str(CORPUS), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    return proc


def search_in_threads(deps, n_threads, done):
    """Server-like threads searching through one Deps until `done`; returns (counts, errors)."""
    counts, errors = [0] * n_threads, []

    def serve(i):
        while not done.is_set():
            try:
                deps.retriever.search("gradient boosting with xgboost", k=3)
                counts[i] += 1
                done.wait(0.005)  # a busy server, not a busy loop: the builder gets the GIL too
            except Exception as exc:  # noqa: BLE001 - recorded: the test asserts there are none
                errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=serve, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    return threads, counts, errors


def test_searches_survive_forced_rebuilds(tmp_path):
    settings = make_settings(tmp_path, llm="none")
    index.build(settings, progress=False)
    stop = tmp_path / "stop"
    proc = start_searcher(settings, stop)
    deps = Deps(settings)
    done = threading.Event()
    threads, counts, thread_errors = search_in_threads(deps, 2, done)
    try:
        builds = [index.build(settings, force=True, progress=False)["build_id"] for _ in range(2)]
    finally:
        done.set()
        for t in threads:
            t.join(timeout=60)
        stop.touch()
        out, err = proc.communicate(timeout=120)
    report = json.loads(out.strip().splitlines()[-1])
    assert report["errors"] == [], report
    assert thread_errors == [], thread_errors[:3]
    assert report["searches"] >= 6 and min(counts) >= 3, (report, counts)
    deps.retriever.search("pandas", k=1)
    assert deps.retriever.index.manifest["build_id"] == builds[-1]


def test_a_build_in_use_stays_until_its_reader_closes(tmp_path):
    settings = make_settings(tmp_path)
    first = index.build(settings, progress=False)
    idx, _ = index.open_index(settings)
    second = index.build(settings, force=True, progress=False)
    builds = settings.index_dir / "builds"
    assert sorted(p.name for p in builds.iterdir()) == sorted([first["build_id"], second["build_id"]])
    assert second["left_in_use"] == [first["build_id"]]
    assert Retriever(idx, settings).search("docker for ml", k=3, mode="dense").hits  # Chroma still there
    idx.close()
    assert index.build(settings, progress=False)["skipped"]  # up to date, and it tidies up
    assert [p.name for p in builds.iterdir()] == [second["build_id"]]


def test_server_retriever_switches_to_a_new_build_without_restart(tmp_path):
    settings = make_settings(tmp_path, llm="none")
    first = index.build(settings, progress=False)
    deps = Deps(settings)
    assert deps.retriever.search("pandas", k=2).hits
    health = deps.index_freshness()
    assert health.state == "fresh" and health.build_id == first["build_id"]
    second = index.build(settings, force=True, progress=False)
    assert (settings.index_dir / "builds" / first["build_id"]).is_dir()  # still served: left in place
    health = deps.index_freshness()  # health looks at `active` too, and switches
    assert health.state == "fresh" and health.build_id == second["build_id"]
    assert second["build_id"] in health.message
    assert deps.retriever.search("pandas", k=2).hits
    assert deps.retriever.index.manifest["build_id"] == second["build_id"]
    assert index.build(settings, progress=False)["skipped"]  # nobody reads the first build any more
    assert [p.name for p in (settings.index_dir / "builds").iterdir()] == [second["build_id"]]


def test_server_keeps_serving_when_the_new_build_cannot_be_opened(tmp_path):
    settings = make_settings(tmp_path, llm="none")
    first = index.build(settings, progress=False)
    deps = Deps(settings)
    assert deps.retriever.search("pandas", k=2).hits
    second = index.build(settings, force=True, progress=False)
    passages = settings.index_dir / "builds" / second["build_id"] / "passages.jsonl"
    passages.write_bytes(passages.read_bytes()[:1000])
    assert deps.retriever.search("pandas", k=2).hits
    health = deps.index_freshness()
    assert health.build_id == first["build_id"] and health.state == "fresh"
    assert second["build_id"] in health.message and "mentor ingest --force" in health.message


def test_a_killed_reader_does_not_pin_its_build(tmp_path):
    """The lock is the kernel's: a reader killed with SIGKILL releases it, and the next ingest
    removes the build it was reading."""
    import os
    import signal

    settings = make_settings(tmp_path)
    first = index.build(settings, progress=False)
    code = (
        "import sys, time\nfrom mentor.config import Settings\nfrom mentor.search.index import open_index\n"
        f"idx, _ = open_index(Settings(index_dir={str(settings.index_dir)!r}, "
        f"corpus_dir={str(CORPUS)!r}, embed='lsa'))\n"
        "print('ready', flush=True)\ntime.sleep(600)\n"
    )
    reader = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert reader.stdout.readline().strip() == "ready"
        second = index.build(settings, force=True, progress=False)
        assert second["left_in_use"] == [first["build_id"]]
    finally:
        os.kill(reader.pid, signal.SIGKILL)
        reader.wait()
    assert index.build(settings, progress=False)["left_in_use"] == []
    assert [p.name for p in (settings.index_dir / "builds").iterdir()] == [second["build_id"]]
