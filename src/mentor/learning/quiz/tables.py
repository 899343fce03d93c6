"""The quiz tables of the progress database (migration 005, run by `progress.py`): quizzes with
their questions as JSON, and one answer row per question (its primary key refuses a second).

Not here: reading and writing them (`storage.py`).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, Text

_META = MetaData()
QUIZZES = Table(
    "quizzes",
    _META,
    Column("id", String(40), primary_key=True),
    Column("learner", String(64), nullable=False),
    Column("questions", Text, nullable=False),  # JSON: Question.to_record() each
    Column("created_at", String(40), nullable=False),
    Index("ix_quizzes_learner", "learner", "created_at"),
)
QUIZ_ANSWERS = Table(
    "quiz_answers",
    _META,
    Column("quiz_id", String(40), primary_key=True),
    Column("question_id", String(40), primary_key=True),
    Column("learner", String(64), nullable=False),
    Column("topic", String(100), nullable=False),
    Column("option", Integer, nullable=False),  # -1: an open answer
    Column("correct", Boolean, nullable=False),
    Column("proposal_id", String(40)),
    Column("answered_at", String(40), nullable=False),
    Index("ix_quiz_answers_learner", "learner", "answered_at"),
)


def create_tables(conn) -> None:
    """Migration 005: the quiz tables."""
    QUIZZES.create(conn)
    QUIZ_ANSWERS.create(conn)
