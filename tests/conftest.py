"""Shared fixtures. Real components throughout: the project's corpus, Chroma and bm25s in
temporary folders, the real CLI. The network guard makes any outside connection fail, in this
process and in every Python process a test starts."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))

from netguard_impl import install  # noqa: E402

from mentor.config import Settings, apply_offline_env  # noqa: E402

install()
apply_offline_env()
os.environ.setdefault("GRADIO_TEMP_DIR", tempfile.mkdtemp(prefix="mentor-tests-gradio-"))  # a server's own: MENTOR_HOME
os.environ["MENTOR_TEST_NETGUARD"] = "1"
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(TESTS / "netguard"), os.environ.get("PYTHONPATH", "")) if p)
for _name in list(os.environ):
    if _name.startswith("MENTOR_") and _name != "MENTOR_TEST_NETGUARD":
        del os.environ[_name]  # a developer's own settings must not leak into tests

CORPUS = ROOT / "corpus"


def make_settings(tmp: Path, **overrides) -> Settings:
    values = dict(index_dir=tmp / "index", home=tmp / "home", corpus_dir=CORPUS, embed="lsa")
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def lsa_settings(tmp_path_factory) -> Settings:
    """A real LSA index of the real corpus, built once for the session. Read-only for tests."""
    from mentor.search import index

    settings = make_settings(tmp_path_factory.mktemp("lsa"))
    index.build(settings, progress=False)
    return settings


@pytest.fixture(scope="session")
def retriever(lsa_settings):
    from mentor.search.index import open_index
    from mentor.search.retrieve import Retriever

    idx, _ = open_index(lsa_settings)
    return Retriever(idx, lsa_settings)


@pytest.fixture(scope="session")
def deps():
    """Deps over the real corpus and curriculum (no index, no progress writes)."""
    from mentor.deps import Deps

    return Deps(Settings(corpus_dir=CORPUS))


@pytest.fixture(scope="session")
def cur(deps):
    return deps.curriculum


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the corpus, for tests that change it."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target, ignore=shutil.ignore_patterns("cache"))
    return target


@pytest.fixture(scope="session")
def corpus_texts() -> list[str]:
    from mentor.corpus.chunks import chunk_corpus
    from mentor.corpus.documents import load_documents

    return [c.text for c in chunk_corpus(load_documents(CORPUS))]


@pytest.fixture
def offline_deps(lsa_settings, tmp_path):
    """Deps for one learner's conversation: the shared LSA index, a fresh progress database,
    and no LLM (the offline mode)."""
    from mentor.deps import Deps

    return Deps(lsa_settings.with_overrides(home=tmp_path / "home", llm="none"))


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of one throwaway PostgreSQL server for the whole session (`postgres_server.py`),
    stopped and deleted at its end; where none can start, the tests that need it are skipped
    with the reason."""
    from postgres_server import PostgresUnavailable, start_postgres

    pytest.importorskip("psycopg", reason="PostgreSQL unavailable: the psycopg driver is not installed")
    try:
        url, stop = start_postgres()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    yield url
    stop()


@pytest.fixture
def postgres_databases(postgres_server):
    """Makes fresh, empty databases on the session's PostgreSQL server (returns each one's URL),
    dropped when the test ends."""
    import uuid

    from postgres_server import create_database, drop_database

    made = []

    def make() -> str:
        made.append(f"t_{uuid.uuid4().hex[:12]}")
        return create_database(postgres_server, made[-1])

    yield make
    for name in made:
        drop_database(postgres_server, name)


@pytest.fixture
def postgres_url(postgres_databases) -> str:
    """A fresh, empty PostgreSQL database for one test."""
    return postgres_databases()


@pytest.fixture(params=["sqlite", "postgresql"])
def make_db_url(request, tmp_path):
    """Makes fresh, empty progress databases: SQLite files, then (the same test again)
    PostgreSQL databases."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_databases")
    import itertools

    files = itertools.count()
    return lambda: f"sqlite:///{tmp_path / f'progress-{next(files)}.db'}"


@pytest.fixture
def db_url(make_db_url) -> str:
    """A fresh, empty progress database, on each backend in turn."""
    return make_db_url()


def run_cli(*args: str, env: dict | None = None, input: str | None = None, timeout: int = 120):
    """The real `mentor` command in a fresh process (network guard included)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mentor.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=input,
        timeout=timeout,
        cwd=ROOT,
    )


@contextlib.contextmanager
def running(app):
    """A real uvicorn server for `app` on a free 127.0.0.1 port; yields its base URL (no slash)."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def send_json(handler, data) -> None:
    """Reply 200 with `data` as JSON from a BaseHTTPRequestHandler (the stand-in servers)."""
    raw = json.dumps(data).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(raw)))
    handler.end_headers()
    handler.wfile.write(raw)


@pytest.fixture
def ask(offline_deps):
    """Ask the offline mentor as a learner; no answer quotes a heading or runs past 150 words."""
    from mentor.assistant.conversation import Conversation
    from mentor.assistant.evidence import is_title
    from mentor.evaluation import answering

    def run(question, learner="ana"):
        answer = Conversation(offline_deps, learner).ask(question)
        chunks = {c.chunk_id: c for c in answer.sources}
        headings = [c.quote for c in answer.citations if is_title(c.quote, chunks[c.chunk_id])]
        assert headings == [], f"quoted a heading: {headings}"
        assert answering.words(answer.answer) <= 150
        return answer

    return run
