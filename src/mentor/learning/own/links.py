"""A learner's own roadmap read against the curriculum: which topic each of its items names,
which topics its "Done" marks finish, and where its order disagrees with the graph.

Linking is strict, never a guess: an item (or heading) names a topic when, with its marks taken
off (`outline.item_name`), it is exactly one of the topic's names (id, title, title without its
bracketed examples, an alias), or else when it holds a distinctive name of the topic as a whole
word (the curriculum's own passage linking, `Curriculum.topics_in_text`). No fuzzy matching:
an item that names no topic that way is listed as unmatched. Headings that name no topic are
structure ("Week 2 — Data"), not items, and are not listed.

A heading marked done finishes every topic of its section (as `transfer` does for a marked-up
built-in roadmap); an item marked done finishes the topics it names.

Not here: reading the lines (`mentor.corpus.outline`), storing the roadmap and the proposals
(`roadmaps.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mentor.corpus.chunks import Chunk
from mentor.corpus.outline import Line, read_lines
from mentor.learning.curriculum import Curriculum, normalise

MAX_DISAGREEMENTS = 20


@dataclass
class ItemLink:
    line: int
    text: str  # the line as written, trimmed
    heading: bool
    done: bool
    topics: list[str] = field(default_factory=list)


def _names(cur: Curriculum) -> dict[str, str]:
    names: dict[str, str] = {}
    for t in cur.topics.values():
        for name in [t.id, t.title, re.split(r"\s*\(", t.title, maxsplit=1)[0], *t.aliases]:
            names.setdefault(normalise(name), t.id)
    return names


def topics_named(cur: Curriculum, name: str, names: dict[str, str] | None = None) -> list[str]:
    """The topics an item's name names: an exact name first, else distinctive names in it."""
    names = names if names is not None else _names(cur)
    key = normalise(name)
    if not key:
        return []
    for candidate in (key, re.split(r"\s*\(", key, maxsplit=1)[0]):
        if candidate in names:
            return [names[candidate]]
    return cur.topics_in_text(name)


def link_items(cur: Curriculum, lines: list[Line]) -> list[ItemLink]:
    """Every heading and item of the roadmap, in order, with the topics it names."""
    names = _names(cur)
    return [
        ItemLink(ln.number, ln.text.strip(), ln.kind == "heading", ln.done, topics_named(cur, ln.name, names))
        for ln in lines
        if ln.kind in ("heading", "item")
    ]


def tag_passages(cur: Curriculum | None, chunks: list[Chunk]) -> None:
    """Add to each passage of an added roadmap the topics its items and headings name (strictly,
    as above), beside those the index's own linking found in it."""
    if cur is None:
        return
    names = _names(cur)
    for chunk in chunks:
        named = [t for ln in read_lines(chunk.text) if ln.kind != "blank" for t in topics_named(cur, ln.name, names)]
        chunk.topics = list(dict.fromkeys(chunk.topics + named))


def linked_topics(cur: Curriculum, links: list[ItemLink]) -> list[dict]:
    """Each topic named, once, in roadmap order, with the lines naming it."""
    found: dict[str, list[int]] = {}
    for link in links:
        for tid in link.topics:
            found.setdefault(tid, []).append(link.line)
    return [{"id": tid, "title": cur.topics[tid].title, "lines": lines} for tid, lines in found.items()]


def unmatched(links: list[ItemLink]) -> list[dict]:
    """Items (not headings) naming no topic."""
    return [{"line": link.line, "text": link.text} for link in links if not link.heading and not link.topics]


def done_topics(lines: list[Line], links: list[ItemLink]) -> dict[str, ItemLink]:
    """Topics the roadmap marks done -> the marked line (the first that finishes it)."""
    levels = {ln.number: ln.level for ln in lines if ln.kind == "heading"}
    done: dict[str, ItemLink] = {}
    open_heading: tuple[int, ItemLink] | None = None  # (level, link) of a heading marked done
    for link in links:
        if link.heading:
            level = levels[link.line]
            if open_heading is not None and level <= open_heading[0]:
                open_heading = None
            if link.done and open_heading is None:
                open_heading = (level, link)
        marker = link if link.done else (open_heading[1] if open_heading else None)
        for tid in link.topics if marker else []:
            done.setdefault(tid, marker)
    return done


def disagreements(cur: Curriculum, links: list[ItemLink]) -> list[dict]:
    """Pairs the roadmap puts in another order than the graph: a topic before one of its hard
    prerequisites (followed transitively), or before a topic the roadmaps softly put first."""
    first: dict[str, int] = {}
    for link in links:
        for tid in link.topics:
            first.setdefault(tid, link.line)
    found = []
    for tid, line in first.items():
        hard = cur.ancestors(tid)
        for before in sorted(hard | set(cur.topics[tid].after), key=lambda t: first.get(t, 0)):
            if first.get(before, 0) <= line:
                continue
            found.append(_disagreement(cur, tid, line, before, first[before], before in hard))
    return found[:MAX_DISAGREEMENTS]


def _disagreement(cur: Curriculum, tid: str, line: int, before: str, before_line: int, hard: bool) -> dict:
    a, b = cur.topics[tid], cur.topics[before]
    edge = cur.edge(before, tid) if hard else cur.soft_edge(before, tid)
    if hard:
        why = f"{b.title} is a prerequisite of {a.title}" + ("" if edge else " (through other topics)")
    else:
        why = f"the roadmaps suggest learning {b.title} before {a.title}"
    return {
        "topic": tid,
        "title": a.title,
        "line": line,
        "before": before,
        "before_title": b.title,
        "before_line": before_line,
        "kind": "prerequisite" if hard else "suggested",
        "message": f"Your roadmap has {a.title} (line {line}) before {b.title} (line {before_line}), but {why}.",
        "source": edge.to_dict() if edge else None,
    }
