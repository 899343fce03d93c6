"""The progress database's schema: its tables, declared with SQLAlchemy Core so that the same
migrations run on SQLite and PostgreSQL, and the ordered list of named migrations that
`ProgressStore.migrate` applies (recorded in `schema_migrations`). The quiz and notes tables
are declared with their features and created by their migrations here.

Not here: reading and writing (`progress.py`, `proposals.py`, the features' stores).
"""

from __future__ import annotations

from typing import Callable

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, String, Table, Text

from mentor.learning.notes.tables import create_tables as create_notes_tables
from mentor.learning.quiz.tables import create_tables as create_quiz_tables


def _tables():
    meta = MetaData()
    events = Table(
        "progress_events",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("learner", String(64), nullable=False),
        Column("topic", String(100), nullable=False),
        Column("status", String(16), nullable=False),
        Column("origin", String(16), nullable=False),
        Column("note", Text),
        Column("undoes", Integer, ForeignKey("progress_events.id")),
        Column("created_at", String(40), nullable=False),
        Index("ix_events_learner", "learner", "id"),
        sqlite_autoincrement=True,
    )
    profiles = Table(
        "learner_profiles",
        meta,
        Column("learner", String(64), primary_key=True),
        Column("profile", Text, nullable=False),
        Column("updated_at", String(40), nullable=False),
    )
    proposals = Table(
        "progress_proposals",
        meta,
        Column("id", String(40), primary_key=True),
        Column("learner", String(64), nullable=False),
        Column("kind", String(16), nullable=False),
        Column("topic", String(100)),
        Column("status", String(16)),
        Column("payload", Text),
        Column("evidence", Text, nullable=False),
        Column("undoes", Integer),
        Column("created_at", String(40), nullable=False),
        Column("expires_at", String(40), nullable=False),
        Column("resolved_at", String(40)),
        Column("resolution", String(16)),
        Index("ix_proposals_learner", "learner", "created_at"),
    )
    conversations = Table(  # what follow-ups refer to, so that any API worker can answer the next turn
        "conversations",
        meta,
        Column("learner", String(64), primary_key=True),
        Column("state", Text, nullable=False),
        Column("version", Integer, nullable=False),
        Column("updated_at", String(40), nullable=False),
    )
    migrations = Table(
        "schema_migrations",
        meta,
        Column("name", String(100), primary_key=True),
        Column("applied_at", String(40), nullable=False),
    )
    return events, profiles, proposals, conversations, migrations


EVENTS, PROFILES, PROPOSALS, CONVERSATIONS, SCHEMA_MIGRATIONS = _tables()


def _m001_events(conn) -> None:
    EVENTS.create(conn)


def _m002_profiles(conn) -> None:
    PROFILES.create(conn)


def _m003_proposals(conn) -> None:
    PROPOSALS.create(conn)


def _m004_conversations(conn) -> None:
    CONVERSATIONS.create(conn)


def _m005_quizzes(conn) -> None:
    create_quiz_tables(conn)  # declared with the quizzes


def _m006_notes(conn) -> None:
    create_notes_tables(conn)  # declared with the notes


MIGRATIONS: list[tuple[str, Callable]] = [
    ("001_progress_events", _m001_events),
    ("002_learner_profiles", _m002_profiles),
    ("003_progress_proposals", _m003_proposals),
    ("004_conversations", _m004_conversations),
    ("005_quizzes", _m005_quizzes),
    ("006_topic_notes", _m006_notes),
]
