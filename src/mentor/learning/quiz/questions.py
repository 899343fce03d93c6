"""A knowledge-check question: a multiple-choice item about one topic, citing the passage that
answers it, in the JSON shape of `mentor quiz --json` and the API.

Options are shuffled once, deterministically from the question's own id, so the same question
always shows the same order. Not here: making questions (`kinds.py`), checking them
(`checks.py`), quizzes and grading (`session.py`).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

from mentor.corpus.chunks import Chunk

KINDS = ("gap", "before", "library", "not_part_of")


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # gap | before | library | not_part_of
    topic: str  # the topic it checks (a passed check proposes this topic as done)
    question: str
    options: tuple[str, ...]
    answer: int  # index of the right option
    citation: dict  # chunk_id, title, section, lines, quote
    template: str = ""  # gap: the line with its gap; library: the purpose asked about
    topics: tuple[str, ...] = field(default=())  # the topic each option names ("" when none)

    def to_dict(self, reveal: bool = True) -> dict:
        """The public shape; without `reveal`, no answer and no quote (the quote gives it away)."""
        data = {
            "id": self.id,
            "topic": self.topic,
            "question": self.question,
            "options": list(self.options),
            "answer": self.answer,
            "citation": dict(self.citation),
        }
        if not reveal:
            del data["answer"]
            data["citation"].pop("quote")
        return data

    def to_record(self) -> dict:
        """Everything, for the quiz store."""
        return {**self.to_dict(), "kind": self.kind, "template": self.template, "topics": list(self.topics)}

    @classmethod
    def from_record(cls, data: dict) -> "Question":
        fields = {k: data[k] for k in ("id", "kind", "topic", "question", "answer", "citation", "template")}
        return cls(**fields, options=tuple(data["options"]), topics=tuple(data["topics"]))


def citation(chunk: Chunk, quote: str) -> dict:
    return {
        "chunk_id": chunk.chunk_id,
        "title": chunk.title,
        "section": chunk.section,
        "lines": [chunk.first_line, chunk.last_line],
        "quote": quote,
    }


def make_question(
    kind: str,
    topic: str,
    text: str,
    right: tuple[str, str],
    wrong: list[tuple[str, str]],
    chunk: Chunk,
    quote: str,
    template: str = "",
) -> Question:
    """A question from its right option and its distractors, each (text, topic id), shuffled
    by the question's id."""
    key = f"{kind}\0{chunk.chunk_id}\0{text}\0{right[0]}"
    qid = hashlib.sha1(key.encode()).hexdigest()[:12]
    pairs = [right, *wrong]
    random.Random(qid).shuffle(pairs)
    return Question(
        id=qid,
        kind=kind,
        topic=topic,
        question=text,
        options=tuple(p[0] for p in pairs),
        answer=pairs.index(right),
        citation=citation(chunk, quote),
        template=template,
        topics=tuple(p[1] for p in pairs),
    )
