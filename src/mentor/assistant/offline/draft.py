"""What an offline answer is made of and what the next turn may refer to: the `Draft` a handler
returns, the conversation's `Memory` (last topic, last intent, last suggestions), and finding
the topic a message is about, pronouns ("its prerequisites") included.

Not here: the handlers that write drafts (`knowledge.py`, `learner.py`), the dispatch
(`compose.py`), or how a message is classified (`mentor.assistant.router`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mentor.assistant.router import Intent
from mentor.assistant.topics import mentioned_topic
from mentor.learning.curriculum import Curriculum, Topic


@dataclass
class Draft:
    text: str
    quotes: dict[int, str] = field(default_factory=dict)  # proposed quote per source number
    topic: object = None  # the topic the answer was about, for follow-ups
    suggested: list[str] = field(default_factory=list)  # topic ids suggested as next steps


@dataclass
class Memory:
    """What follow-up questions may refer to."""

    last_topic: object = None
    last_intent: Intent | None = None
    suggested: list[str] = field(default_factory=list)
    # what the learner said they work with, or their job says, and what they lack: counted by "and after that?"
    known: list[str] = field(default_factory=list)
    lacking: list[str] = field(default_factory=list)

    def suggest(self, topic_ids, known=(), lacking=()) -> None:
        """What an answer suggests, and what it counted as known and lacking: a new answer's, not an earlier one's."""
        self.suggested, self.known, self.lacking = list(topic_ids), list(known), list(lacking)


def resolve_topic(intent: Intent, message: str, memory: Memory, cur: Curriculum) -> Topic | None:
    """The topic a message is about: the one it names, else (for a follow-up, or a message that
    names nothing) the conversation's last topic."""
    topic = mentioned_topic(intent.topic_text or "", cur) or mentioned_topic(message, cur)
    if topic is None and (intent.follow_up or not intent.topic_text):
        topic = memory.last_topic
    return topic


def markers(numbers: list[int]) -> str:
    """Citation markers for source numbers: " [1] [2]"."""
    return "".join(f" [{n}]" for n in numbers)


def short_title(title: str) -> str:
    """A title without its parenthesised details: 'Machine learning fundamentals (what ML is, …)'
    becomes 'Machine learning fundamentals'."""
    return re.sub(r"\s*\(.*\)\s*$", "", title)
