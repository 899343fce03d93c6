"""MENTOR_DB=postgresql+psycopg://… end to end, against a real PostgreSQL server the session
starts (`postgres_server.py`; skipped with the reason where none can start): the `mentor`
command in fresh processes sharing one database, a server that is down, refuses or never
answers (a ConfigError naming MENTOR_DB, never a traceback), and values PostgreSQL refuses
to store (a UsageError, never a server error).

Not here: the store's behaviour on both backends (`test_progress.py`,
`test_store_concurrency.py`, `test_actions.py`)."""

import json
import socket

import pytest
from conftest import run_cli
from postgres_server import free_port
from sqlalchemy import insert, text

from mentor.config import Settings
from mentor.errors import ConfigError, UsageError
from mentor.learning import database
from mentor.learning.progress import ProgressStore
from mentor.learning.schema import PROFILES, PROPOSALS


def _cli(home, url, *args):
    done = run_cli(*args, env={"MENTOR_DB": url, "MENTOR_HOME": str(home)})
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_the_cli_keeps_progress_in_postgresql(postgres_url, tmp_path):
    home = tmp_path / "home"
    assert _cli(home, postgres_url, "progress", "set", "python", "done").returncode == 0
    assert _cli(home, postgres_url, "progress", "set", "numpy", "learning", "--user", "ana").returncode == 0
    shown = json.loads(_cli(home, postgres_url, "progress", "show", "--json").stdout)
    assert [(t["id"], t["status"]) for t in shown["topics"]] == [("python-basics", "done")]
    undo = _cli(home, postgres_url, "progress", "undo", "--user", "ana")
    assert undo.returncode == 0 and "numpy" in undo.stdout.lower()
    history = _cli(home, postgres_url, "progress", "history", "--user", "ana")
    assert history.returncode == 0 and history.stdout.count("\n") >= 2
    ana = json.loads(_cli(home, postgres_url, "progress", "show", "--json", "--user", "ana").stdout)["topics"]
    assert [(t["id"], t["status"]) for t in ana] == [("numpy", "not_started")]
    assert not (home / "mentor.db").exists()  # nothing went to the SQLite default
    assert ProgressStore(postgres_url).statuses("me") == {"python-basics": "done"}


def _settings(url: str) -> Settings:
    return Settings(db=url)


def _silent_server():
    """A socket that accepts connections and never says a word (a hung server, a firewall)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    return listener


def test_a_server_that_is_down_is_a_config_error_naming_mentor_db(tmp_path):
    url = f"postgresql+psycopg://mentor@127.0.0.1:{free_port()}/mentor"  # nothing listens there
    with pytest.raises(ConfigError, match=r"^MENTOR_DB: cannot open the progress database .*refused"):
        ProgressStore.for_settings(_settings(url))
    done = run_cli("progress", "show", env={"MENTOR_DB": url, "MENTOR_HOME": str(tmp_path / "home")})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0 and "MENTOR_DB" in done.stderr


def test_a_server_that_never_answers_is_a_config_error_not_a_hang(monkeypatch):
    monkeypatch.setattr(database, "PG_CONNECT_TIMEOUT", 2)  # libpq's smallest
    with _silent_server() as listener:
        url = f"postgresql+psycopg://mentor@127.0.0.1:{listener.getsockname()[1]}/mentor"
        with pytest.raises(ConfigError, match="MENTOR_DB.*timeout"):
            ProgressStore.for_settings(_settings(url))


def test_a_server_that_refuses_us_is_a_config_error_naming_mentor_db(postgres_server, tmp_path):
    password = "s3cret-pw"
    for url, why in [
        (postgres_server.replace("/postgres", "/no_such_db"), 'database "no_such_db" does not exist'),
        (postgres_server.replace("mentor@", f"stranger:{password}@"), 'role "stranger" does not exist'),
    ]:
        with pytest.raises(ConfigError, match="MENTOR_DB") as refused:
            ProgressStore.for_settings(_settings(url))
        assert why in str(refused.value) and password not in str(refused.value)
        done = run_cli("progress", "show", env={"MENTOR_DB": url, "MENTOR_HOME": str(tmp_path / "home")})
        assert done.returncode == 2 and why in done.stderr and "Traceback" not in done.stderr
        assert password not in done.stderr


def test_values_postgresql_refuses_are_a_usage_error(postgres_url):
    store = ProgressStore(postgres_url)
    row = {"learner": "ana", "profile": "{}", "updated_at": "now"}
    with pytest.raises(UsageError, match="NUL character"), store.engine.begin() as conn:
        conn.execute(insert(PROFILES).values(**{**row, "profile": "a\x00b"}))
    proposal = {"id": "x" * 41, "learner": "ana", "kind": "status", "evidence": "", "created_at": "", "expires_at": ""}
    with pytest.raises(UsageError, match="too long"), store.engine.begin() as conn:
        conn.execute(insert(PROPOSALS).values(**proposal))
    store.set_profile("ana", {"goal": "a\x00b"})  # JSON spells it \\u0000: stored, and read back as it was
    assert store.profile("ana") == {"goal": "a\x00b"}


def test_connections_the_server_closed_are_replaced_not_failed_on(postgres_url):
    """A restart or an idle timeout ends the sessions a worker keeps in its pool: the next
    request must get a fresh one, not an error."""
    store = ProgressStore(postgres_url)
    store.record("ana", "numpy", "done")
    admin = ProgressStore(postgres_url).engine
    with admin.connect() as conn:
        ended = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    assert ended >= 1
    store.record("ana", "pandas", "done")
    assert store.statuses("ana") == {"numpy": "done", "pandas": "done"}


def test_the_api_on_postgresql_takes_a_nul_in_a_message_without_a_server_error(lsa_settings, tmp_path, postgres_url):
    import httpx
    from conftest import running

    from mentor.deps import Deps
    from mentor.web.api import create_api

    deps = Deps(lsa_settings.with_overrides(home=tmp_path / "home", llm="none", db=postgres_url))
    with running(create_api(deps)) as url, httpx.Client(base_url=url, timeout=30) as client:
        asked = client.post("/api/ask", json={"message": "I finished git\u0000", "user": "fay"})
        assert asked.status_code == 200, asked.text
        proposal = asked.json()["proposals"][0]
        assert "\x00" not in proposal["evidence"]
        assert client.post(f"/api/proposals/{proposal['id']}/apply", json={"user": "fay"}).status_code == 200
        again = client.post("/api/ask", json={"message": "and what\u0000 next?", "user": "fay"})
        assert again.status_code == 200, again.text
    assert ProgressStore(postgres_url).statuses("fay") == {"git": "done"}
