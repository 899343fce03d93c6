"""Stateless API workers: a conversation's memory is in the database, so a follow-up sent to a
second process continues the conversation begun on the first; `mentor serve --workers N`
serves the API from N processes. Real processes and a real database (SQLite, and PostgreSQL
where one can start)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from conftest import ROOT

from mentor.assistant.recall import IDLE, ConversationStore, Saved
from mentor.deps import Deps
from mentor.learning.progress import ProgressStore
from mentor.learning.schema import CONVERSATIONS


class Clock:
    def __init__(self):
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture
def conv_store(tmp_path, cur):
    return ConversationStore(ProgressStore(f"sqlite:///{tmp_path / 'c.db'}", Clock()), cur)


def test_memory_round_trip(conv_store, cur):
    saved = conv_store.load("ana")
    assert saved.version == 0 and saved.history == []
    saved.memory.last_topic = cur.topics["numpy"]
    saved.memory.suggested = ["pandas", "no-such-topic"]
    conv_store.save("ana", saved, [("user", "what is numpy?"), ("assistant", "NumPy is …")])
    again = conv_store.load("ana")
    assert again.history == [("user", "what is numpy?"), ("assistant", "NumPy is …")]
    assert again.memory.last_topic is cur.topics["numpy"]
    assert again.memory.suggested == ["pandas"]  # an id the graph no longer has is dropped
    assert conv_store.load("bob").history == []  # scoped to the learner


def test_two_workers_saving_at_once_keep_both_turns(conv_store):
    first, second = conv_store.load("ana"), conv_store.load("ana")  # both read version 0
    conv_store.save("ana", first, [("user", "one"), ("assistant", "1")])
    conv_store.save("ana", second, [("user", "two"), ("assistant", "2")])
    assert [text for role, text in conv_store.load("ana").history if role == "user"] == ["one", "two"]
    third = conv_store.load("ana")
    conv_store.save("ana", conv_store.load("ana"), [("user", "three"), ("assistant", "3")])
    conv_store.save("ana", third, [("user", "four"), ("assistant", "4")])  # stale version: merged
    assert [t for r, t in conv_store.load("ana").history if r == "user"] == ["one", "two", "three", "four"]


def test_an_idle_conversation_starts_afresh(conv_store, cur):
    saved = Saved()
    saved.memory.last_topic = cur.topics["numpy"]
    conv_store.save("ana", saved, [("user", "numpy?"), ("assistant", "…")])
    conv_store.clock.now += IDLE + timedelta(minutes=1)
    later = conv_store.load("ana")
    assert later.history == [] and later.memory.last_topic is None
    conv_store.save("ana", later, [("user", "hello"), ("assistant", "hi")])  # the old row is replaced
    assert conv_store.load("ana").history == [("user", "hello"), ("assistant", "hi")]


@pytest.mark.parametrize("state", ["not json", "[1, 2]", '{"history": [[1]], "intent": {"x": 1}}', '{"topic": 5}'])
def test_a_damaged_row_is_no_memory_not_an_error(conv_store, state):
    conv_store.save("ana", Saved(), [("user", "hi"), ("assistant", "hello")])
    with conv_store.engine.begin() as conn:
        conn.execute(CONVERSATIONS.update().values(state=state))
    saved = conv_store.load("ana")
    assert saved.memory.last_topic is None
    conv_store.save("ana", saved, [("user", "again"), ("assistant", "ok")])  # and it can be written over
    assert conv_store.load("ana").history[-1] == ("assistant", "ok")


def test_a_follow_up_continues_in_another_process_s_deps(lsa_settings, tmp_path):
    settings = lsa_settings.with_overrides(home=tmp_path / "home", llm="none")
    first, second = Deps(settings), Deps(settings)  # two workers: nothing shared but the database
    first.conversations.get("ana").ask("What is NumPy for?")
    follow_up = second.conversations.get("ana").ask("What does it unlock?").answer
    alone = Deps(settings).conversations.get("bob").ask("What does it unlock?").answer
    assert "NumPy" in follow_up
    assert "NumPy" not in alone  # without the first turn "it" means nothing


# --- real server processes --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(env: dict, *args: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mentor.cli", "serve", "--port", str(port), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited {proc.returncode}: {proc.stdout.read()[-2000:]}")
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise AssertionError("server did not start within 90 s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(params=["sqlite", "postgresql"])
def server_env(request, lsa_settings, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_") or k == "MENTOR_TEST_NETGUARD"}
    env.update(
        MENTOR_INDEX_DIR=str(lsa_settings.index_dir),
        MENTOR_CORPUS_DIR=str(lsa_settings.corpus_dir),
        MENTOR_EMBED="lsa",
        MENTOR_LLM="none",
        MENTOR_HOME=str(tmp_path / "home"),
    )
    if request.param == "postgresql":
        env["MENTOR_DB"] = request.getfixturevalue("postgres_url")
    return env


def test_two_servers_answer_one_learner_interchangeably(server_env):
    a, base_a = _serve(server_env, "--api-only")
    try:
        b, base_b = _serve(server_env, "--api-only")
        try:
            first = httpx.post(base_a + "/api/ask", json={"message": "What is NumPy for?", "user": "ana"}, timeout=60)
            follow = httpx.post(
                base_b + "/api/ask", json={"message": "What does it unlock?", "user": "ana"}, timeout=60
            )
            other = httpx.post(base_b + "/api/ask", json={"message": "What does it unlock?", "user": "bob"}, timeout=60)
            assert first.status_code == follow.status_code == other.status_code == 200
            assert "NumPy" in follow.json()["answer"]
            assert "NumPy" not in other.json()["answer"]
            set_on_a = httpx.post(base_a + "/api/progress", json={"user": "ana", "topic": "numpy", "status": "done"})
            assert set_on_a.status_code == 200
            seen_on_b = httpx.get(base_b + "/api/progress", params={"user": "ana"}).json()
            assert "numpy" in str(seen_on_b)
        finally:
            _stop(b)
    finally:
        _stop(a)


def test_serve_with_two_workers_loses_no_progress_under_concurrent_writers(server_env):
    proc, base = _serve(server_env, "--workers", "2")
    try:
        topics = ["numpy", "pandas", "git", "linear-algebra", "statistics", "python-basics"]
        errors: list[str] = []

        def writer(i: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as client:
                for n, topic in enumerate(topics):
                    status = "done" if (i + n) % 2 else "learning"
                    r = client.post("/api/progress", json={"user": f"w{i % 3}", "topic": topic, "status": status})
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {r.text[:200]}")

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        settings_db = server_env.get("MENTOR_DB") or f"sqlite:///{server_env['MENTOR_HOME']}/mentor.db"
        store = ProgressStore(settings_db)
        counted = sum(len(store.history(f"w{k}")) for k in range(3))
        assert counted == 12 * len(topics)  # every write became one event: none lost
        assert "worker process" in proc.stdout.readline() + proc.stdout.readline()
    finally:
        _stop(proc)


def test_a_database_gone_after_start_up_is_a_503_in_one_line(lsa_settings, tmp_path, postgres_server, postgres_url):
    from conftest import running
    from postgres_server import drop_database
    from sqlalchemy.engine import make_url

    from mentor.web.api import create_api

    deps = Deps(lsa_settings.with_overrides(home=tmp_path / "home", llm="none", db=postgres_url))
    with running(create_api(deps)) as base:
        assert httpx.get(base + "/api/progress", params={"user": "ana"}).status_code == 200
        drop_database(postgres_server, make_url(postgres_url).database)
        gone = httpx.get(base + "/api/progress", params={"user": "ana"})
    assert gone.status_code == 503
    assert gone.json()["error"].startswith("the progress database is not reachable (")
    assert "Traceback" not in gone.text
