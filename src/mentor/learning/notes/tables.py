"""The notes table of the progress database (migration 006, run by `progress.py`): one row per
note, append-only like the event log, scoped to its learner.

Not here: reading and writing notes (`store.py`).
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text

_META = MetaData()
NOTES = Table(
    "topic_notes",
    _META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner", String(64), nullable=False),
    Column("topic", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
    Index("ix_notes_learner", "learner", "topic", "id"),
    sqlite_autoincrement=True,
)


def create_tables(conn) -> None:
    """Migration 006: the notes table."""
    NOTES.create(conn)
