"""A conversation with the mentor: one learner, the chat history, what follow-ups refer to,
and the engine that answers: the LLM agent when a model is configured, the deterministic
offline mode otherwise. Both use the same tools and the same citation checks.

`ask` returns a finished `Answer`; `stream` yields the answer's text as it is produced and the
finished `Answer` last. `Conversations` keeps one conversation per learner for the front ends
that serve many learners (`Deps.conversations`), its memory in the database (`recall.py`).

Not here: the tools (`tools.py`), the offline answers (`offline/`), the agent and its backends
(`agent.py`), or how a front end shows an answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterator

from mentor.assistant.agent import Final, Notice, run_agent
from mentor.assistant.citations import Citation, SourceBook, finalize
from mentor.assistant.offline.compose import compose
from mentor.assistant.offline.draft import Memory
from mentor.assistant.recall import ConversationStore
from mentor.assistant.router import classify
from mentor.assistant.safety import clean_message
from mentor.assistant.tools import Toolbox
from mentor.errors import AgentFailed
from mentor.learning.progress import check_learner
from mentor.learning.proposals import Proposal

HISTORY_TURNS = 12
MAX_CONVERSATIONS = 500  # learners whose conversation is kept in memory by a `Conversations`


@dataclass
class Answer:
    answer: str
    citations: list[Citation]
    tool_calls: list[dict]
    mode: str
    notices: list[str] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)  # changes waiting for the learner's yes
    # what the turn did, for evaluation (not part of the JSON): the tool calls with their
    # results, and every passage the turn was shown, in the order first shown
    trace: list = field(default_factory=list, repr=False)
    sources: list = field(default_factory=list, repr=False)

    def to_dict(self) -> dict:
        return {
            "answer": self.answer,
            "citations": [c.to_dict() for c in self.citations],
            "tool_calls": self.tool_calls,
            "mode": self.mode,
            "notices": self.notices,
            "proposals": [p.to_dict() for p in self.proposals],
        }


class Conversation:
    """One learner's chat. With a `store`, the memory lives in the database and is read at the
    start of every turn and written at its end, so another process can answer the next turn;
    without one (evaluation cases, tests) it lives in this object only."""

    def __init__(self, deps, learner: str, store: ConversationStore | None = None):
        self.deps = deps
        self.learner = check_learner(learner)
        self.store = store
        self.history: list[tuple[str, str]] = []  # (role, text)
        self.lock = threading.Lock()  # front ends serving many requests answer one learner's turns in order
        self.memory = Memory()

    @property
    def mode(self) -> str:
        return self.deps.llm.mode

    def ask(self, message: str) -> Answer:
        final = None
        for piece in self.stream(message):
            if isinstance(piece, Answer):
                final = piece
        return final

    def stream(self, message: str) -> Iterator[str | Answer]:
        text, notices = clean_message(message)
        saved = self._recall()
        book = SourceBook()
        toolbox = self._toolbox(book, text)
        mode = self.mode
        answer_text = citations = None
        if self.deps.llm.llm is not None:
            try:
                for piece in run_agent(self.deps.llm, toolbox, self.history[-HISTORY_TURNS:], text):
                    if isinstance(piece, Final):
                        answer_text, citations = finalize(piece.text, book)
                    elif isinstance(piece, Notice):
                        notices.append(piece.text)
                    else:
                        yield piece
            except AgentFailed as exc:
                notices.append(f"the language model failed ({exc}); answered in offline mode instead")
                mode, answer_text = "offline", None
                book = SourceBook()
                self._withdraw(toolbox)
                toolbox = self._toolbox(book, text)
        if answer_text is None:
            raw, quotes = self._offline(text, toolbox)
            answer_text, citations = finalize(raw, book, {**toolbox.quotes, **quotes})
            for word in _pieces(answer_text):
                yield word
        turn = [("user", text), ("assistant", answer_text)]
        self.history += turn
        if saved is not None:
            self.store.save(self.learner, saved, turn)
        calls = [{"name": c.name, "args": c.args} for c in toolbox.calls]
        yield Answer(
            answer_text,
            citations,
            calls,
            mode,
            notices,
            list(toolbox.proposals),
            trace=list(toolbox.calls),
            sources=list(book.chunks),
        )

    def _recall(self):
        """The memory as the database has it now (None without a store)."""
        if self.store is None:
            return None
        saved = self.store.load(self.learner)
        self.history, self.memory = list(saved.history), saved.memory
        saved.memory = self.memory  # the turn updates it in place; that is what gets saved
        return saved

    def _toolbox(self, book: SourceBook, text: str) -> Toolbox:
        return Toolbox(self.deps, self.learner, book, user_message=text, context=self.memory.last_topic)

    def _withdraw(self, toolbox: Toolbox) -> None:
        """A failed model's proposals are not shown, so they are dismissed: the offline answer
        that replaces the turn proposes afresh."""
        for proposal in toolbox.proposals:
            self.deps.proposals.dismiss(self.learner, proposal.id)

    def _offline(self, text: str, toolbox: Toolbox) -> tuple[str, dict]:
        intent = classify(text, self.memory.last_intent, self.deps.curriculum, self.memory.last_topic)
        draft = compose(intent, text, toolbox, self.memory, self.deps.llm.describe())
        if draft.topic is not None:
            self.memory.last_topic = draft.topic
        self.memory.last_intent = intent
        return draft.text, draft.quotes


class Conversations:
    """One conversation per learner, its memory in the database (so any worker process can
    answer its next turn); the objects, with their per-learner locks, are kept for the least
    recently used `limit` learners. Safe to share between threads (the page and the API each
    ask `deps.conversations`)."""

    def __init__(self, deps, limit: int = MAX_CONVERSATIONS):
        self.deps = deps
        self.limit = limit
        self.store = ConversationStore(deps.progress, deps.curriculum)
        self._items: OrderedDict[str, Conversation] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, learner: str) -> Conversation:
        with self._lock:
            if learner not in self._items:
                self._items[learner] = Conversation(self.deps, learner, self.store)
                while len(self._items) > self.limit:
                    self._items.popitem(last=False)
            self._items.move_to_end(learner)
            return self._items[learner]


def _pieces(text: str) -> Iterator[str]:
    """Offline answers are produced at once; stream them word by word for the UI."""
    start = 0
    for i, ch in enumerate(text):
        if ch == " " and i - start >= 12:
            yield text[start : i + 1]
            start = i + 1
    if start < len(text):
        yield text[start:]
