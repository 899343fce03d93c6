"""A conversation's memory kept in the progress database, so that any API worker can answer a
learner's next turn: the last turns of the chat history and what follow-ups refer to (the last
topic, the last intent, the last suggestions), one row per learner in `conversations`.

Saving is optimistic: a row carries a version, and a save whose version another process has
moved on re-reads the row and appends its turn to what is there, so two workers answering one
learner at the same moment lose neither turn. A conversation idle for longer than `IDLE` starts
afresh, as a new chat would. A row that cannot be read back (damaged, or written by a later
version) is treated as no memory rather than an error: it only costs a follow-up its context.

Not here: answering (`conversation.py`), or what the memory means (`offline/draft.py`).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from mentor.assistant.offline.draft import Memory
from mentor.assistant.router import Intent
from mentor.learning.schema import CONVERSATIONS

IDLE = timedelta(hours=6)  # a learner back after this long starts a new conversation
KEPT_TURNS = 24  # messages kept (user and assistant): what the model is shown, with room to spare
SAVE_TRIES = 5


@dataclass
class Saved:
    history: list[tuple[str, str]] = field(default_factory=list)
    memory: Memory = field(default_factory=Memory)
    version: int = 0  # 0: no row yet


class ConversationStore:
    def __init__(self, progress, curriculum):
        self.engine = progress.engine
        self.clock = progress.clock
        self.curriculum = curriculum

    def load(self, learner: str) -> Saved:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(CONVERSATIONS.c.state, CONVERSATIONS.c.version, CONVERSATIONS.c.updated_at).where(
                    CONVERSATIONS.c.learner == learner
                )
            ).first()
        if row is None:
            return Saved()
        if self._idle(row.updated_at):
            return Saved(version=row.version)
        history, memory = self._decode(row.state)
        return Saved(history, memory, row.version)

    def save(self, learner: str, saved: Saved, turn: list[tuple[str, str]]) -> None:
        """Store the memory after `turn` (the messages this turn added to `saved.history`)."""
        memory, base = saved.memory, saved
        for _ in range(SAVE_TRIES):
            state = self._encode((base.history + turn)[-KEPT_TURNS:], memory)
            if self._write(learner, state, base.version):
                return
            base = self.load(learner)  # another worker answered a turn meanwhile: add ours after it
        raise RuntimeError(f"could not save the conversation of {learner} after {SAVE_TRIES} tries")

    def forget(self, learner: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(CONVERSATIONS.delete().where(CONVERSATIONS.c.learner == learner))

    def _write(self, learner: str, state: str, version: int) -> bool:
        now = self.clock().isoformat()
        try:
            with self.engine.begin() as conn:
                if version == 0:
                    values = {"learner": learner, "state": state, "version": 1, "updated_at": now}
                    conn.execute(insert(CONVERSATIONS).values(**values))
                    return True
                done = conn.execute(
                    update(CONVERSATIONS)
                    .where(CONVERSATIONS.c.learner == learner, CONVERSATIONS.c.version == version)
                    .values(state=state, version=version + 1, updated_at=now)
                )
                return done.rowcount == 1
        except IntegrityError:  # another worker inserted the first row first
            return False

    def _idle(self, updated_at: str) -> bool:
        try:
            return self.clock() - datetime.fromisoformat(updated_at) > IDLE
        except (TypeError, ValueError):
            return True

    # --- the row's JSON ---------------------------------------------------------------------

    def _encode(self, history: list[tuple[str, str]], memory: Memory) -> str:
        topic = getattr(memory.last_topic, "id", None)
        intent = dataclasses.asdict(memory.last_intent) if memory.last_intent is not None else None
        return json.dumps(
            {
                "history": [list(item) for item in history],
                "topic": topic,
                "intent": intent,
                "suggested": list(memory.suggested),
                "known": list(memory.known),
                "lacking": list(memory.lacking),
            }
        )

    def _decode(self, state: str) -> tuple[list[tuple[str, str]], Memory]:
        try:
            data = json.loads(state)
            history = [(str(role), str(text)) for role, text in data.get("history", [])]
            topics = self.curriculum.topics
            memory = Memory(
                last_topic=topics.get(data.get("topic")) if isinstance(data.get("topic"), str) else None,
                last_intent=_intent(data.get("intent")),
                suggested=[t for t in data.get("suggested") or [] if isinstance(t, str) and t in topics],
                known=[t for t in data.get("known") or [] if isinstance(t, str) and t in topics],
                lacking=[t for t in data.get("lacking") or [] if isinstance(t, str) and t in topics],
            )
        except (ValueError, TypeError, AttributeError):
            return [], Memory()
        return history, memory


def _intent(data) -> Intent | None:
    if not isinstance(data, dict):
        return None
    known = {f.name for f in dataclasses.fields(Intent)}
    values = {k: v for k, v in data.items() if k in known}
    if "name" not in values:
        return None
    values["question"] = _intent(values.get("question"))
    return Intent(**values)
