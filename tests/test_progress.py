"""The progress store on a real SQLite file and a real PostgreSQL database (each test runs on
both): append-only log, undo, migrations, isolation, concurrent writers in several processes."""

import multiprocessing
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect

from mentor.errors import UsageError
from mentor.learning.progress import MIGRATIONS, ProgressStore, check_learner, parse_status


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = datetime(2026, 1, 1, tzinfo=timezone.utc)

    def __call__(self):
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def store(db_url):
    return ProgressStore(db_url, Clock())


def test_schema_is_exactly_the_migrations(store):
    insp = inspect(store.engine)
    assert set(insp.get_table_names()) == {
        "schema_migrations",
        "progress_events",
        "learner_profiles",
        "progress_proposals",
        "conversations",
        "quizzes",
        "quiz_answers",
        "topic_notes",
    }
    assert [c["name"] for c in insp.get_columns("progress_events")] == [
        "id",
        "learner",
        "topic",
        "status",
        "origin",
        "note",
        "undoes",
        "created_at",
    ]
    assert [c["name"] for c in insp.get_columns("learner_profiles")] == ["learner", "profile", "updated_at"]
    assert [c["name"] for c in insp.get_columns("conversations")] == ["learner", "state", "version", "updated_at"]
    assert [c["name"] for c in insp.get_columns("quizzes")] == ["id", "learner", "questions", "created_at"]
    assert [c["name"] for c in insp.get_columns("topic_notes")] == ["id", "learner", "topic", "text", "created_at"]
    assert [c["name"] for c in insp.get_columns("quiz_answers")] == [
        "quiz_id",
        "question_id",
        "learner",
        "topic",
        "option",
        "correct",
        "proposal_id",
        "answered_at",
    ]
    assert [c["name"] for c in insp.get_columns("progress_proposals")] == [
        "id",
        "learner",
        "kind",
        "topic",
        "status",
        "payload",
        "evidence",
        "undoes",
        "created_at",
        "expires_at",
        "resolved_at",
        "resolution",
    ]
    with store.engine.connect() as conn:
        from sqlalchemy import text

        names = [r[0] for r in conn.execute(text("SELECT name FROM schema_migrations ORDER BY name"))]
    assert names == [name for name, _ in MIGRATIONS]
    assert store.migrate() == []  # idempotent


def test_migrations_apply_on_an_older_database(db_url):
    url = db_url
    import mentor.learning.progress as progress

    original = list(progress.MIGRATIONS)
    progress.MIGRATIONS[:] = original[:1]
    try:
        old = ProgressStore(url)
        old.record("ana", "python-basics", "done")
    finally:
        progress.MIGRATIONS[:] = original
    upgraded = ProgressStore(url)
    assert "learner_profiles" in inspect(upgraded.engine).get_table_names()
    assert upgraded.statuses("ana") == {"python-basics": "done"}  # nothing lost


def test_status_is_derived_from_the_log(store):
    store.record("ana", "python-basics", "learning")
    store.record("ana", "python-basics", "done")
    store.record("ana", "sql-basics", "skipped", origin="agent")
    assert store.statuses("ana") == {"python-basics": "done", "sql-basics": "skipped"}
    state = store.state("ana")
    assert state["python-basics"][1] == store.history("ana")[1].created_at  # the time of the latest change
    assert [e.status for e in store.history("ana")] == ["learning", "done", "skipped"]


def test_undo_steps_back_through_changes(store):
    store.record("ana", "numpy", "learning")
    store.record("ana", "numpy", "done")
    store.record("ana", "pandas", "done")
    change, revert = store.undo("ana")
    assert change.topic == "pandas" and revert.status == "not_started" and revert.undoes == change.id
    change, revert = store.undo("ana")
    assert change.topic == "numpy" and revert.status == "learning"
    change, revert = store.undo("ana")
    assert change.topic == "numpy" and revert.status == "not_started"
    assert store.undo("ana") is None
    assert store.statuses("ana") == {}
    assert len(store.history("ana")) == 6  # nothing was deleted


def test_learners_are_isolated_and_validated(store):
    store.record("ana", "numpy", "done")
    store.record("bo", "pandas", "done")
    assert store.statuses("ana") == {"numpy": "done"}
    assert store.undo("bo")[0].topic == "pandas"
    assert store.statuses("ana") == {"numpy": "done"}
    for bad in ("", "../etc", "a/b", "x" * 65, "ana; DROP TABLE", " ana", "..", ".hidden", "ana\n"):
        with pytest.raises(UsageError):
            check_learner(bad)
    assert check_learner("ana.b-c_d@x") == "ana.b-c_d@x"


def test_status_words():
    assert parse_status("Finished") == "done"
    assert parse_status("in progress") == "learning"
    assert parse_status("not_started") == "not_started"
    with pytest.raises(UsageError):
        parse_status("maybe")


def test_import_is_all_or_nothing(store):
    with pytest.raises(UsageError):
        store.record_many("ana", {"numpy": "done", "pandas": "bogus"}, origin="imported")
    assert store.history("ana") == []


def test_profiles(store):
    assert store.profile("ana") == {}
    store.set_profile("ana", {"goal": "llm-basics", "hours_per_week": 8})
    store.set_profile("ana", {"goal": "rag", "hours_per_week": 8})
    assert store.profile("ana") == {"goal": "rag", "hours_per_week": 8}
    assert store.profile("bo") == {}


def _writer(args):
    url, learner, n = args
    s = ProgressStore(url)
    for i in range(n):
        s.record(learner, f"topic-{i}", "done")
    return n


def test_concurrent_writers_lose_nothing(db_url):
    url = db_url
    ProgressStore(url)  # create the schema first
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        pool.map(_writer, [(url, "ana", 40), (url, "ana", 40), (url, "bo", 40), (url, "cy", 40)])
    s = ProgressStore(url)
    assert len(s.history("ana")) == 80 and len(s.history("bo")) == 40 and len(s.history("cy")) == 40
    ids = [e.id for learner in ("ana", "bo", "cy") for e in s.history(learner)]
    assert len(set(ids)) == 160


def _opener(url):
    ProgressStore(url).record("ana", "numpy", "done")
    return True


def test_processes_opening_a_fresh_database_at_once_all_succeed(make_db_url):
    """Several processes creating the schema of one new database: one migrates, the others
    wait for its lock (without it, 'table ... already exists' in about one round of three)."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        for _ in range(4):
            url = make_db_url()
            assert pool.map(_opener, [url] * 4) == [True] * 4
            assert len(ProgressStore(url).history("ana")) == 4
