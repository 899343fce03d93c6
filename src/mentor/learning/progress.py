"""Learner progress: an append-only event log per learner (SQLAlchemy Core, SQLite by default,
any SQLAlchemy URL such as PostgreSQL through MENTOR_DB), from which current status is derived.

Nothing is ever updated in place: a change appends an event, and `undo` appends an event that
restores the status before the last change still in force (one "undo" takes back every change
of one confirmed statement). Learner names are validated, and every query is scoped to one
learner.

Not here: the tables and their migrations (`schema.py`).
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import (
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DatabaseError

from mentor.errors import ConfigError, MentorError, UsageError
from mentor.learning.database import database_url, first_line, make_engine, shown_url
from mentor.learning.schema import EVENTS, MIGRATIONS, PROFILES, SCHEMA_MIGRATIONS

STATUSES = ("not_started", "learning", "done", "skipped")
# "confirmed": a change the assistant proposed and the learner applied (see `proposals.py`)
ORIGINS = ("typed", "imported", "agent", "undo", "confirmed")
LEARNER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
STATUS_WORDS = {
    "done": "done",
    "finished": "done",
    "complete": "done",
    "completed": "done",
    "know": "done",
    "learning": "learning",
    "started": "learning",
    "in progress": "learning",
    "in-progress": "learning",
    "doing": "learning",
    "skip": "skipped",
    "skipped": "skipped",
    "not started": "not_started",
    "not_started": "not_started",
    "todo": "not_started",
    "reset": "not_started",
    "none": "not_started",
}


def new_id() -> str:
    """A random id for a proposal or a quiz, as `secrets.token_urlsafe` makes them, never starting with "-": a
    learner types it after `mentor progress apply`, where a leading "-" reads as an option (one id in 64 did)."""
    while True:
        made = secrets.token_urlsafe(12)
        if not made.startswith("-"):
            return made


def check_learner(name: str, setting: str | None = None) -> str:
    """The name itself, or a UsageError; `setting` (e.g. '--user', 'MENTOR_USER') is named in it."""
    if not isinstance(name, str) or not LEARNER_RE.fullmatch(name) or ".." in name:
        rule = "learner names are 1-64 characters: letters, digits and . _ @ -, starting with a letter or digit"
        raise UsageError(f"{setting}: {rule} (got {str(name)[:70]!r})" if setting else rule)
    return name


def parse_status(text: str) -> str:
    key = text.strip().lower().replace("_", " ")
    status = STATUS_WORDS.get(key) or STATUS_WORDS.get(key.replace(" ", "_"))
    if status is None:
        raise UsageError(f"unknown status {text!r}: use done, learning, skipped or not_started")
    return status


def _now() -> datetime:
    return datetime.now(timezone.utc)


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
        self.url = url
        self.clock = clock
        self.engine = make_engine(url)
        self.migrate()

    @classmethod
    def for_settings(cls, settings, clock: Callable[[], datetime] = _now) -> "ProgressStore":
        """The store MENTOR_DB names (checked first), or SQLite in MENTOR_HOME (created if need
        be). A database that refuses the connection itself (no server, not a database file) is a
        ConfigError naming the setting; an error in a statement of ours (a migration) is not."""

        url, setting = database_url(settings)
        try:
            return cls(url, clock)
        except DatabaseError as exc:
            if exc.statement is not None:
                raise
            shown = shown_url(url)
            raise ConfigError(
                f"{setting}: cannot open the progress database {shown} ({first_line(exc.orig)})"
            ) from None

    def migrate(self) -> list[str]:
        """Apply pending migrations in order; returns the names applied."""

        applied = []
        with self.engine.begin() as conn:
            self._lock_schema(conn)
            SCHEMA_MIGRATIONS.create(conn, checkfirst=True)
            done = set(conn.execute(select(SCHEMA_MIGRATIONS.c.name)).scalars())
            for name, migration in MIGRATIONS:
                if name in done:
                    continue
                migration(conn)
                conn.execute(insert(SCHEMA_MIGRATIONS).values(name=name, applied_at=self.clock().isoformat()))
                applied.append(name)
        return applied

    def _lock_schema(self, conn) -> None:
        """Several processes may open a fresh database at once: take the database's write lock
        before reading which migrations ran, so that only one of them creates the tables."""
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # pysqlite has not begun yet: no statement ran
        elif conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7263001)")  # released at commit

    @staticmethod
    def lock_learner(conn, learner: str) -> None:
        """Before a read-then-write of one learner's data (undo, a profile change): wait for any
        other such transaction of this learner to commit, so that two undos at once revert two
        changes, not one twice, and two profile changes at once both land. Appends need none."""
        if conn.dialect.name == "postgresql":  # READ COMMITTED: each later statement sees its commit
            conn.execute(text("SELECT pg_advisory_xact_lock(7263002, hashtext(:learner))"), {"learner": learner})
        elif conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock; once a write ran, it is held already

    # --- writing --------------------------------------------------------------------------

    def record(
        self,
        learner: str,
        topic: str,
        status: str,
        origin: str = "typed",
        note: str | None = None,
        undoes: int | None = None,
    ) -> Event:
        with self.engine.begin() as conn:
            return self.append(conn, learner, topic, status, origin, note, undoes)

    def append(
        self,
        conn,
        learner: str,
        topic: str,
        status: str,
        origin: str,
        note: str | None = None,
        undoes: int | None = None,
    ) -> Event:
        """Append one event inside the caller's transaction `conn`."""

        check_learner(learner)
        _check_topic(topic)
        if status not in STATUSES:
            raise UsageError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
        if origin not in ORIGINS:
            raise MentorError(f"unknown origin {origin!r}")
        row = {
            "learner": learner,
            "topic": topic,
            "status": status,
            "origin": origin,
            "note": note.replace("\0", "") if note else note,  # PostgreSQL stores no NUL; it means nothing
            "undoes": undoes,
            "created_at": self.clock().isoformat(),
        }
        event_id = conn.execute(insert(EVENTS).values(**row)).inserted_primary_key[0]
        return Event(id=event_id, **row)

    def record_many(self, learner: str, changes: dict[str, str], origin: str, note: str | None = None) -> list[Event]:
        """Several changes in one transaction (an import): all or nothing."""
        check_learner(learner)
        bad = {t: s for t, s in changes.items() if s not in STATUSES}
        if bad:
            raise UsageError(f"unknown statuses: {bad}")
        with self.engine.begin() as conn:
            return [self.append(conn, learner, topic, status, origin, note) for topic, status in changes.items()]

    def undo(self, learner: str) -> tuple[Event, Event] | None:
        """Revert the latest change still in force: (the change, the undo event), or None."""
        with self.engine.begin() as conn:
            return self.revert(conn, learner)

    def revert(self, conn, learner: str, expected: int | None = None) -> tuple[Event, Event] | None:
        """Inside the caller's transaction: revert the latest change still in force, but only
        when it is the event `expected` (when given); None when there is nothing to revert."""
        self.lock_learner(conn, learner)
        target = latest_in_force(self.events(conn, learner))
        if target is None or (expected is not None and target[0].id != expected):
            return None
        change, previous = target
        undo = self.append(conn, learner, change.topic, previous, "undo", f"undo of #{change.id}", change.id)
        return change, undo

    def latest_change(self, learner: str) -> tuple[Event, str] | None:
        """The change `undo` would revert and the status it would restore, or None."""
        with self.engine.connect() as conn:
            return latest_in_force(self.events(conn, learner))

    def latest_statement(self, learner: str) -> list[tuple[Event, str]]:
        """What one "undo" takes back: see `statement_in_force`."""
        with self.engine.connect() as conn:
            return statement_in_force(self.events(conn, learner))

    def set_profile(self, learner: str, profile: dict) -> None:
        with self.engine.begin() as conn:
            self.write_profile(conn, learner, profile)

    def write_profile(self, conn, learner: str, profile: dict) -> None:
        """Replace the learner's profile inside the caller's transaction `conn`."""

        check_learner(learner)
        self.lock_learner(conn, learner)
        values = {"profile": json.dumps(profile), "updated_at": self.clock().isoformat()}
        changed = conn.execute(update(PROFILES).where(PROFILES.c.learner == learner).values(**values)).rowcount
        if not changed:
            conn.execute(insert(PROFILES).values(learner=learner, **values))

    def profile(self, learner: str) -> dict:
        check_learner(learner)
        with self.engine.connect() as conn:
            raw = conn.execute(select(PROFILES.c.profile).where(PROFILES.c.learner == learner)).scalar()
        return json.loads(raw) if raw else {}

    # --- reading --------------------------------------------------------------------------

    def history(self, learner: str) -> list[Event]:
        with self.engine.connect() as conn:
            return self.events(conn, learner)

    def events(self, conn, learner: str) -> list[Event]:
        check_learner(learner)
        rows = conn.execute(select(EVENTS).where(EVENTS.c.learner == learner).order_by(EVENTS.c.id))
        return [Event(**row._mapping) for row in rows]

    def state(self, learner: str) -> dict[str, tuple[str, str]]:
        """topic -> (status, updated_at), from the log."""
        current: dict[str, tuple[str, str]] = {}
        for e in self.history(learner):
            current[e.topic] = (e.status, e.created_at)
        return current

    def statuses(self, learner: str) -> dict[str, str]:
        return {t: s for t, (s, _) in self.state(learner).items() if s != "not_started"}


def _check_topic(topic: str) -> None:
    """Topic ids come from the curriculum: one that does not fit its column is our bug."""
    if not isinstance(topic, str) or not 0 < len(topic) <= EVENTS.c.topic.type.length or "\0" in topic:
        raise ValueError(f"not a topic id: {str(topic)[:120]!r}")


def _statement(event: Event) -> str | None:
    """The learner's words a confirmed change came from ("confirmed proposal <id>: <words>")."""
    if event.origin != "confirmed" or not event.note or ": " not in event.note:
        return None
    return event.note.split(": ", 1)[1]


def statement_in_force(events: list[Event]) -> list[tuple[Event, str]]:
    """The latest change still in force and, when it was confirmed from a statement naming
    several topics ("I finished numpy and pandas"), that statement's other changes still in
    force just before it: latest first, each with the status the log gave its topic before it."""
    undone = {e.undoes for e in events if e.undoes is not None}
    group: list[Event] = []
    for e in reversed([e for e in events if e.origin != "undo" and e.id not in undone]):
        if group and (
            _statement(e) is None or _statement(e) != _statement(group[0]) or e.topic in {g.topic for g in group}
        ):
            break
        group.append(e)
        if _statement(e) is None:
            break
    before = lambda e: next((x.status for x in reversed(events) if x.id < e.id and x.topic == e.topic), "not_started")  # noqa: E731
    return [(e, before(e)) for e in group]


def latest_in_force(events: list[Event]) -> tuple[Event, str] | None:
    """The latest change not undone (and not an undo itself), with the status the log gave its
    topic just before it; None when every change has been taken back."""
    group = statement_in_force(events)
    return group[0] if group else None
