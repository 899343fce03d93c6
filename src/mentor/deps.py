"""The collaborators every front end needs, built once from Settings and handed down: the
curriculum graph, the chunked corpus, linked resources, the progress store, the retriever and
the clock. The CLI, the app and the test fixtures each build one `Deps`; nothing else creates
clients. Each part is loaded on first use, so a command pays only for what it touches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from typing import Callable

from mentor.config import Settings
from mentor.corpus.chunks import chunk_corpus
from mentor.corpus.documents import load_documents
from mentor.corpus.resources import extract_resources
from mentor.errors import IndexDamaged, IndexMismatch, IndexMissing
from mentor.learning.curriculum import load_curriculum
from mentor.learning.progress import ProgressStore
from mentor.learning.proposals import Proposals
from mentor.search.freshness import freshness
from mentor.search.retrieve import LiveRetriever, make_reranker


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Deps:
    settings: Settings
    clock: Callable[[], datetime] = field(default=utc_now)

    @cached_property
    def documents(self):
        return load_documents(self.settings.corpus_dir)

    @cached_property
    def passages(self):
        return chunk_corpus(self.documents)

    @cached_property
    def resource_index(self) -> dict[str, dict]:
        records = extract_resources(self.passages, {d.id: d.lines for d in self.documents})
        index: dict[str, dict] = {}
        for r in records:
            index.setdefault(r.url, r.to_dict())
        return index

    @cached_property
    def curriculum(self):
        return load_curriculum(self.settings.corpus_dir)

    @cached_property
    def progress(self):
        return ProgressStore.for_settings(self.settings, self.clock)

    @cached_property
    def proposals(self):
        """Changes chat proposed, waiting for each learner's confirmation (in the progress database)."""
        return Proposals(self.progress)

    @cached_property
    def llm(self):
        """The LLM backend chosen from MENTOR_LLM (offline mode when there is none)."""
        # imported here: only commands that answer need the assistant (about 0.3 s at start-up)
        from mentor.assistant.agent import choose_llm

        return choose_llm(self.settings)

    @cached_property
    def conversations(self):
        """The conversation of each learner, kept in memory for follow-ups (bounded, LRU)."""
        from mentor.assistant.conversation import Conversations  # imported here: see `llm`

        return Conversations(self)

    @cached_property
    def retriever(self):
        """The index, followed to each new build `mentor ingest` activates (no restart)."""
        live = LiveRetriever(self.settings, make_reranker(self.settings))
        self.index_state = live.state
        return live

    def index_freshness(self):
        """What a health check reports: the build this process serves (after following a newer
        active build) and its freshness, or, when no build can be opened, why not."""
        try:
            live = self.retriever
        except (IndexMissing, IndexMismatch, IndexDamaged):
            return freshness(self.settings)
        return live.freshness()
