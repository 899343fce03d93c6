"""Learner progress: an append-only event log per learner (SQLAlchemy Core, SQLite by default,
any SQLAlchemy URL such as PostgreSQL through MENTOR_DB), from which current status is derived.

Nothing is ever updated in place: a change appends an event, and `undo` appends an event that
restores the status before the last change still in force. Schema changes are an ordered list
of named migrations recorded in `schema_migrations`. Learner names are validated, and every
query is scoped to one learner.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from mentor.errors import MentorError, UsageError

STATUSES = ("not_started", "learning", "done", "skipped")
ORIGINS = ("typed", "imported", "agent", "undo")
LEARNER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
STATUS_WORDS = {
    "done": "done", "finished": "done", "complete": "done", "completed": "done", "know": "done",
    "learning": "learning", "started": "learning", "in progress": "learning", "in-progress": "learning",
    "doing": "learning", "skip": "skipped", "skipped": "skipped", "not started": "not_started",
    "not_started": "not_started", "todo": "not_started", "reset": "not_started", "none": "not_started",
}


def check_learner(name: str) -> str:
    if not isinstance(name, str) or not LEARNER_RE.match(name) or ".." in name:
        raise UsageError(
            "learner names are 1-64 characters: letters, digits and . _ @ -, starting with a letter or digit"
        )
    return name


def parse_status(text: str) -> str:
    key = text.strip().lower().replace("_", " ")
    status = STATUS_WORDS.get(key) or STATUS_WORDS.get(key.replace(" ", "_"))
    if status is None:
        raise UsageError(f"unknown status {text!r}: use done, learning, skipped or not_started")
    return status


def _now() -> datetime:
    return datetime.now(timezone.utc)


# --- schema -------------------------------------------------------------------------------


def _m001_events(conn) -> None:
    from sqlalchemy import text

    conn.execute(text(
        "CREATE TABLE progress_events ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " learner VARCHAR(64) NOT NULL,"
        " topic VARCHAR(100) NOT NULL,"
        " status VARCHAR(16) NOT NULL,"
        " origin VARCHAR(16) NOT NULL,"
        " note TEXT,"
        " undoes INTEGER REFERENCES progress_events(id),"
        " created_at VARCHAR(40) NOT NULL)"
    ))
    conn.execute(text("CREATE INDEX ix_events_learner ON progress_events (learner, id)"))


def _m002_profiles(conn) -> None:
    from sqlalchemy import text

    conn.execute(text(
        "CREATE TABLE learner_profiles ("
        " learner VARCHAR(64) PRIMARY KEY,"
        " profile TEXT NOT NULL,"
        " updated_at VARCHAR(40) NOT NULL)"
    ))


MIGRATIONS: list[tuple[str, Callable]] = [
    ("001_progress_events", _m001_events),
    ("002_learner_profiles", _m002_profiles),
]


def _portable(sql_url: str, migration: Callable) -> Callable:
    """AUTOINCREMENT is SQLite's spelling; other databases get an identity column."""
    if sql_url.startswith("sqlite"):
        return migration

    def run(conn):
        from sqlalchemy import text

        original = conn.execute

        def execute(statement, *args, **kwargs):
            sql = str(statement).replace("INTEGER PRIMARY KEY AUTOINCREMENT", "SERIAL PRIMARY KEY")
            return original(text(sql), *args, **kwargs)

        conn.execute = execute
        try:
            migration(conn)
        finally:
            conn.execute = original

    return run


@dataclass
class Event:
    id: int
    learner: str
    topic: str
    status: str
    origin: str
    note: str | None
    undoes: int | None
    created_at: str

    def to_dict(self) -> dict:
        return self.__dict__.copy()


class ProgressStore:
    def __init__(self, url: str, clock: Callable[[], datetime] = _now):
        from sqlalchemy import create_engine, event

        self.url = url
        self.clock = clock
        kwargs = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {}
        self.engine = create_engine(url, future=True, **kwargs)
        if url.startswith("sqlite"):
            @event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_conn, _record):  # WAL: readers never block the one writer
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA busy_timeout=30000")
                cur.close()
        self.migrate()

    @classmethod
    def for_settings(cls, settings, clock: Callable[[], datetime] = _now) -> "ProgressStore":
        url = settings.db or f"sqlite:///{Path(settings.home) / 'mentor.db'}"
        if url.startswith("sqlite:///"):
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        return cls(url, clock)

    def migrate(self) -> list[str]:
        """Apply pending migrations in order; returns the names applied."""
        from sqlalchemy import text

        applied = []
        with self.engine.begin() as conn:
            conn.execute(text(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR(100) PRIMARY KEY, applied_at VARCHAR(40) NOT NULL)"
            ))
            done = {row[0] for row in conn.execute(text("SELECT name FROM schema_migrations"))}
            for name, migration in MIGRATIONS:
                if name in done:
                    continue
                _portable(self.url, migration)(conn)
                conn.execute(text("INSERT INTO schema_migrations (name, applied_at) VALUES (:n, :t)"),
                             {"n": name, "t": self.clock().isoformat()})
                applied.append(name)
        return applied

    # --- writing --------------------------------------------------------------------------

    def record(self, learner: str, topic: str, status: str, origin: str = "typed", note: str | None = None,
               undoes: int | None = None) -> Event:
        from sqlalchemy import text

        check_learner(learner)
        if status not in STATUSES:
            raise UsageError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
        if origin not in ORIGINS:
            raise MentorError(f"unknown origin {origin!r}")
        created = self.clock().isoformat()
        with self.engine.begin() as conn:
            result = conn.execute(
                text("INSERT INTO progress_events (learner, topic, status, origin, note, undoes, created_at) "
                     "VALUES (:l, :t, :s, :o, :n, :u, :c)"),
                {"l": learner, "t": topic, "s": status, "o": origin, "n": note, "u": undoes, "c": created},
            )
            event_id = result.lastrowid if result.lastrowid is not None else result.inserted_primary_key[0]
        return Event(event_id, learner, topic, status, origin, note, undoes, created)

    def record_many(self, learner: str, changes: dict[str, str], origin: str, note: str | None = None) -> list[Event]:
        """Several changes in one transaction (an import): all or nothing."""
        from sqlalchemy import text

        check_learner(learner)
        created = self.clock().isoformat()
        with self.engine.begin() as conn:
            for topic, status in changes.items():
                if status not in STATUSES:
                    raise UsageError(f"unknown status {status!r} for {topic}")
                conn.execute(
                    text("INSERT INTO progress_events (learner, topic, status, origin, note, undoes, created_at) "
                         "VALUES (:l, :t, :s, :o, :n, NULL, :c)"),
                    {"l": learner, "t": topic, "s": status, "o": origin, "n": note, "c": created},
                )
        return [e for e in self.history(learner) if e.created_at == created and e.origin == origin]

    def undo(self, learner: str) -> tuple[Event, Event] | None:
        """Revert the latest change still in force: (the change, the undo event), or None."""
        events = self.history(learner)
        undone = {e.undoes for e in events if e.undoes is not None}
        for i in range(len(events) - 1, -1, -1):
            e = events[i]
            if e.origin == "undo" or e.id in undone:
                continue
            previous = "not_started"  # the status the log gave this topic just before e
            for earlier in events[:i]:
                if earlier.topic == e.topic:
                    previous = earlier.status
            return e, self.record(learner, e.topic, previous, origin="undo", undoes=e.id,
                                  note=f"undo of #{e.id}")
        return None

    def set_profile(self, learner: str, profile: dict) -> None:
        from sqlalchemy import text

        check_learner(learner)
        payload = {"l": learner, "p": json.dumps(profile), "t": self.clock().isoformat()}
        with self.engine.begin() as conn:
            updated = conn.execute(text("UPDATE learner_profiles SET profile = :p, updated_at = :t WHERE learner = :l"),
                                   payload)
            if updated.rowcount == 0:
                conn.execute(text("INSERT INTO learner_profiles (learner, profile, updated_at) VALUES (:l, :p, :t)"),
                             payload)

    def profile(self, learner: str) -> dict:
        from sqlalchemy import text

        check_learner(learner)
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT profile FROM learner_profiles WHERE learner = :l"), {"l": learner}).first()
        return json.loads(row[0]) if row else {}

    # --- reading --------------------------------------------------------------------------

    def history(self, learner: str) -> list[Event]:
        from sqlalchemy import text

        check_learner(learner)
        with self.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, learner, topic, status, origin, note, undoes, created_at FROM progress_events "
                     "WHERE learner = :l ORDER BY id"), {"l": learner},
            )
            return [Event(*row) for row in rows]

    def state(self, learner: str) -> dict[str, tuple[str, str]]:
        """topic -> (status, updated_at), from the log."""
        current: dict[str, tuple[str, str]] = {}
        for e in self.history(learner):
            current[e.topic] = (e.status, e.created_at)
        return current

    def statuses(self, learner: str) -> dict[str, str]:
        return {t: s for t, (s, _) in self.state(learner).items() if s != "not_started"}
