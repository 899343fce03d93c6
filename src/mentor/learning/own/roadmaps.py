"""The use cases of a learner's own roadmaps: `mentor corpus add/list/remove`, the API and the
page call these.

Adding, in order: the title makes the id (refused: a built-in roadmap's id, one already added,
a title shaped like a path); the text is repaired and checked (empty, over-long lines, no
structure: refused); it is read by its own structure, its items linked to the curriculum and its
order compared with the graph; then it is stored and the index rebuilt (atomically: readers keep
the previous build until the new one is active). When the rebuild fails the roadmap is removed
again, so nothing half-added stays. Only then are its Done marks offered as proposals, through
the same proposal-and-confirm path as chat: nothing is recorded until the learner applies one
(topics already done or skipped are not proposed again).

Removing an added roadmap rebuilds the index without it; a built-in one is refused (they are
read-only), and so is another learner's when `owner` is given (the API with MENTOR_AUTH).

Not here: the reading and the linking (`mentor.corpus.outline`, `links.py`), the files
(`mentor.corpus.own`), the build (`mentor.search.index`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mentor.config import ensure_folder, read_text_file
from mentor.corpus import own
from mentor.corpus.documents import Document, load_sources
from mentor.corpus.outline import chunk_own, read_lines
from mentor.errors import UsageError
from mentor.learning.order import FINISHED
from mentor.learning.own.links import disagreements, done_topics, link_items, linked_topics, unmatched
from mentor.learning.proposals import Proposal
from mentor.search import index

if TYPE_CHECKING:
    from mentor.deps import Deps


@dataclass
class AddedRoadmap:
    """What adding a roadmap found and did; `to_dict()` is `mentor corpus add --json`."""

    roadmap: own.OwnRoadmap
    passages: int
    linked: list[dict]  # {"id", "title", "lines"}: topics its items name, in its order
    unmatched: list[dict]  # {"line", "text"}: items naming no topic
    proposals: list[Proposal]  # its Done marks, waiting for the learner's confirmation
    disagreements: list[dict] = field(default_factory=list)  # where its order differs from the graph
    indexed: bool = True  # False: stored with --no-ingest, searchable after `mentor ingest`

    def to_dict(self) -> dict:
        return {
            "id": self.roadmap.id,
            "title": self.roadmap.title,
            "passages": self.passages,
            "linked_topics": self.linked,
            "unmatched": self.unmatched,
            "proposals": [p.to_dict() for p in self.proposals],
            "disagreements": self.disagreements,
            "indexed": self.indexed,
        }


def builtin_roadmaps(deps: Deps) -> list[dict]:
    return [{"id": e["id"], "title": e["title"], "builtin": True} for e in load_sources(deps.settings.corpus_dir)]


def list_roadmaps(deps: Deps) -> list[dict]:
    """Every roadmap of the corpus: the five built-in ones (read-only), then those added."""
    return builtin_roadmaps(deps) + [e.to_dict() for e in own.registry(deps.settings.home)]


def add_roadmap_file(deps: Deps, learner: str, path: Path, title: str | None = None, rebuild: bool = True):
    """Add the roadmap in a text or Markdown file (its name is the title unless one is given)."""
    text = read_text_file(path, own.MAX_ROADMAP_BYTES, "roadmap")
    return add_roadmap(deps, learner, text, title or Path(path).stem, Path(path).name, rebuild)


def add_roadmap(
    deps: Deps, learner: str, text: str, title: str, source: str = "", rebuild: bool = True
) -> AddedRoadmap:
    """Add a roadmap given as text (see the module's docstring for what happens, in order)."""
    title = own.check_title(title)
    entry_id = own.make_id(title)
    builtin = {e["id"] for e in builtin_roadmaps(deps)}
    text = own.check_text(text, source or "the roadmap")
    entry = own.OwnRoadmap(
        id=entry_id,
        title=title,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        added_by=learner,
        added_at=deps.clock().isoformat(),
        source=source[:200],
    )
    own.refuse_duplicate(entry, own.registry(deps.settings.home), builtin)  # before any work
    cur = deps.curriculum
    doc = Document(entry.id, entry.title, "", own.folder(deps.settings.home) / f"{entry.id}.md", text)
    lines = read_lines(text)
    links = link_items(cur, lines)
    passages = len(chunk_own(doc))
    own.store(deps.settings.home, entry, text, builtin)
    if rebuild:
        try:
            _rebuild(deps)
        except BaseException:
            own.delete(deps.settings.home, entry.id)
            raise
    proposals = _propose_done(deps, learner, entry, done_topics(lines, links))
    return AddedRoadmap(
        entry, passages, linked_topics(cur, links), unmatched(links), proposals, disagreements(cur, links), rebuild
    )


def _propose_done(deps: Deps, learner: str, entry: own.OwnRoadmap, done: dict) -> list[Proposal]:
    statuses = deps.progress.statuses(learner)
    out = []
    for tid, marked in done.items():
        if statuses.get(tid) in FINISHED:
            continue
        evidence = f"{entry.title}, line {marked.line}: {marked.text}"
        title = deps.curriculum.topics[tid].title
        out.append(deps.proposals.propose(learner, "status", evidence, topic=tid, status="done", title=title))
    return out


@dataclass
class RemovedRoadmap:
    roadmap: own.OwnRoadmap
    indexed: bool = True

    def to_dict(self) -> dict:
        return {"removed": self.roadmap.to_dict(), "indexed": self.indexed}


def remove_roadmap(deps: Deps, roadmap_id: str, owner: str | None = None, rebuild: bool = True) -> RemovedRoadmap:
    """Remove an added roadmap and rebuild the index without it; a built-in id is refused, and
    another learner's roadmap when `owner` is given. If the rebuild fails it is put back."""
    home = deps.settings.home
    if roadmap_id in {e["id"] for e in builtin_roadmaps(deps)}:
        raise UsageError(f"{roadmap_id!r} is one of the five built-in roadmaps, which are read-only")
    own.check_id(roadmap_id)
    entry = next((e for e in own.registry(home) if e.id == roadmap_id), None)
    if entry is not None and owner is not None and entry.added_by != owner:
        raise UsageError(f"the roadmap {roadmap_id!r} was added by another learner: only they can remove it")
    entry, text = own.delete(home, roadmap_id)
    if rebuild:
        try:
            _rebuild(deps)
        except BaseException:
            if text is not None:
                own.store(home, entry, text, set())
            raise
    return RemovedRoadmap(entry, rebuild)


def _rebuild(deps: Deps) -> dict:
    """The index, rebuilt for the changed corpus (`index.build` swaps it in atomically)."""
    settings = deps.settings
    ensure_folder(settings.index_dir, "MENTOR_INDEX_DIR")
    return index.build(settings, progress=False)
