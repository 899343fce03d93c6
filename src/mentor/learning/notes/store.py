"""A learner's notes per topic: added, listed (all, or one topic's), deleted, and brought in
from a JSON export; and the use cases `mentor note`, the API and the page call.

A note is plain text of at most MAX_NOTE_CHARS (new lines kept, other control characters
refused), about one curriculum topic (named in free text, resolved as `mentor progress set`
does), of one learner: every query is scoped to the learner, and another learner's note id is
"no such note".

Not here: the table (`tables.py`), where notes appear in exports (`transfer.py`, `feeds.py`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select

from mentor.errors import UsageError
from mentor.learning.curriculum import Topic
from mentor.learning.notes.tables import NOTES
from mentor.learning.progress import ProgressStore, check_learner

if TYPE_CHECKING:
    from mentor.deps import Deps

MAX_NOTE_CHARS = 2_000
MAX_NOTES_PER_TOPIC = 200
MAX_NOTE_ID = 2**63 - 1  # the largest integer a database column holds; a larger id is no note


@dataclass(frozen=True)
class Note:
    id: int
    learner: str
    topic: str
    text: str
    created_at: str

    def to_dict(self) -> dict:
        return {"id": self.id, "topic": self.topic, "text": self.text, "created_at": self.created_at}


def check_note(text: str) -> str:
    """The note's text, trimmed, with Windows line ends made plain; UsageError when it is empty,
    too long, or holds control characters other than new lines and tabs."""
    if not isinstance(text, str):
        raise UsageError("a note is text")
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise UsageError("the note is empty")
    if len(text) > MAX_NOTE_CHARS:
        raise UsageError(f"a note is at most {MAX_NOTE_CHARS} characters (this one has {len(text)})")
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\t" for ch in text):
        raise UsageError("the note holds control characters")
    return text


class Notes:
    """Every learner's notes, in the progress database."""

    def __init__(self, store: ProgressStore):
        self.store = store

    def add(self, learner: str, topic: str, text: str, created_at: str | None = None) -> Note:
        check_learner(learner)
        row = {
            "learner": learner,
            "topic": topic,
            "text": check_note(text),
            "created_at": created_at or self.store.clock().isoformat(),
        }
        with self.store.engine.begin() as conn:
            count = conn.execute(
                select(func.count()).select_from(NOTES).where(NOTES.c.learner == learner, NOTES.c.topic == topic)
            ).scalar()
            if count >= MAX_NOTES_PER_TOPIC:
                raise UsageError(f"a topic holds at most {MAX_NOTES_PER_TOPIC} notes: delete some first")
            note_id = conn.execute(insert(NOTES).values(**row)).inserted_primary_key[0]
        return Note(id=note_id, **row)

    def of(self, learner: str, topic: str | None = None) -> list[Note]:
        """The learner's notes (on one topic, when given), oldest first."""
        check_learner(learner)
        query = select(NOTES).where(NOTES.c.learner == learner)
        if topic is not None:
            query = query.where(NOTES.c.topic == topic)
        with self.store.engine.connect() as conn:
            return [Note(**row._mapping) for row in conn.execute(query.order_by(NOTES.c.id))]

    def delete(self, learner: str, note_id: int) -> Note:
        check_learner(learner)
        if isinstance(note_id, bool) or not isinstance(note_id, int) or not 1 <= note_id <= MAX_NOTE_ID:
            raise UsageError(f"no note {str(note_id)[:30]} of {learner}")  # never sent to the database
        with self.store.engine.begin() as conn:
            row = conn.execute(select(NOTES).where(NOTES.c.id == note_id, NOTES.c.learner == learner)).first()
            if row is None:  # unknown, or another learner's: the same answer
                raise UsageError(f"no note {note_id} of {learner}")
            conn.execute(delete(NOTES).where(NOTES.c.id == note_id))
        return Note(**row._mapping)


# --- the use cases ------------------------------------------------------------------------


@dataclass
class TopicNotes:
    learner: str
    topic: Topic | None  # None: every topic's notes
    notes: list[Note]

    def to_dict(self) -> dict:
        return {
            "user": self.learner,
            "topic": self.topic.brief() if self.topic else None,
            "notes": [n.to_dict() for n in self.notes],
        }


def add_note(deps: Deps, learner: str, topic_text: str, text: str) -> tuple[Topic, Note]:
    """Keep a note on a topic (named in free text: "LR", "numpy")."""
    topic = deps.curriculum.resolve(topic_text)
    return topic, Notes(deps.progress).add(learner, topic.id, text)


def notes_of(deps: Deps, learner: str, topic_text: str | None = None) -> TopicNotes:
    """The learner's notes on one topic, or on every topic (None)."""
    topic = deps.curriculum.resolve(topic_text) if topic_text else None
    return TopicNotes(learner, topic, Notes(deps.progress).of(learner, topic.id if topic else None))


def delete_note(deps: Deps, learner: str, note_id: int) -> Note:
    return Notes(deps.progress).delete(learner, note_id)


def notes_to_import(store: ProgressStore, learner: str, rows: list[tuple[str, str, str]]) -> list[tuple]:
    """The notes (topic, text, created_at) of an export the learner does not already have word
    for word; UsageError, before anything is written, when one is bad or a topic would hold
    more than MAX_NOTES_PER_TOPIC."""
    have = {(n.topic, n.text) for n in Notes(store).of(learner)}
    count: dict[str, int] = {}
    for topic, _ in have:
        count[topic] = count.get(topic, 0) + 1
    fresh = []
    for topic, text, created_at in rows:
        text = check_note(text)
        if (topic, text) not in have:
            fresh.append((topic, text, _iso_or_none(created_at)))
            have.add((topic, text))
            count[topic] = count.get(topic, 0) + 1
    full = sorted(t for t, n in count.items() if n > MAX_NOTES_PER_TOPIC)
    if full:
        raise UsageError(f"the import would leave more than {MAX_NOTES_PER_TOPIC} notes on {', '.join(full[:5])}")
    return fresh


def import_notes(store: ProgressStore, learner: str, fresh: list[tuple]) -> int:
    """Add the notes `notes_to_import` chose; returns how many were added."""
    notes = Notes(store)
    for topic, text, created_at in fresh:
        notes.add(learner, topic, text, created_at)
    return len(fresh)


def _iso_or_none(value) -> str | None:
    try:
        return datetime.fromisoformat(value).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None
