"""The offline mode's answers about resources: what the roadmaps link or name for a topic, and
a request for a kind of resource (a book, a course, a video, a dataset, docs) answered with that
kind, from the lines that name one (or stand under a "Resources:" label) and the links of that
kind. Everything comes through the tools (`lookup_topic`, `search_curriculum`, `find_lines`).

Not here: other answers about the roadmaps (`knowledge.py`), the dispatch (`compose.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.citations import content_words
from mentor.assistant.evidence import passage_lines, select
from mentor.assistant.offline.draft import Draft, Memory, resolve_topic
from mentor.assistant.offline.knowledge import answer_search
from mentor.assistant.offline.shapes import gather
from mentor.assistant.tools import Toolbox, ToolResult

GENERIC = frozenset(
    "where learn study find resource resources course courses video videos playlist tutorial "
    "tutorials book books link links good best any practice".split()
)
RESOURCES_LINE = re.compile(r"resources?:", re.IGNORECASE)
LIST_LABEL = re.compile(r"\b(?:use )?resources?\b[^:]{0,12}:", re.IGNORECASE)  # "📘 Resources:", "Use resource like:"


KIND_CUES = {
    "book": r"\bbooks?\b|grokking|\bislr\b|hands-on|handbook|practical statistics|o'reilly",
    "course": r"\bcourses?\b|kaggle:|fast\.ai|coursera|udemy|specialization|khan academy",
    "video": r"\bvideos?\b|youtube|playlist|3blue1brown|lectures?|statquest|codebasics",
    "dataset": r"datasets?|\biris\b|titanic|mnist|housing|torchvision|\buci\b",
    "docs": r"\bdocs?\b|documentation",
}
PLURALS = {"book": "books", "course": "courses", "video": "videos", "dataset": "datasets", "docs": "docs"}
KIND_SHOWN = 4  # lines quoted for a kind of resource
LINK_KINDS = {"video": ("video", "video playlist"), "course": ("course",), "docs": ("docs",), "dataset": ("datasets",)}


def answer_resources(intent, message, tb, memory, mode_note) -> Draft:
    if intent.kind:
        kinded = _resources_of_kind(intent, message, tb, memory)
        if kinded is not None:
            return kinded
        other = _any_resources(intent, message, tb, memory, mode_note)  # no book for it: say so, then what there is
        topic = resolve_topic(intent, message, memory, tb.deps.curriculum)
        about = f" for {topic.title}" if topic else ""
        return Draft(f"The roadmaps name no {intent.kind}{about}. " + other.text, other.quotes, other.topic)
    return _any_resources(intent, message, tb, memory, mode_note)


def _any_resources(intent, message, tb, memory, mode_note) -> Draft:
    topic = resolve_topic(intent, message, memory, tb.deps.curriculum)
    lines = _linked_resources(tb, topic, memory) if topic is not None else []
    search = tb.run("search_curriculum", query=message)
    found = [(n, h) for n, h in zip(search.sources, search.data.hits) if h.chunk.kind == "resource"]
    extra = [
        (n, h)
        for n, h in found
        if not any(h.chunk.url in line for line in lines)
        and (topic.id in h.chunk.topics if topic is not None else _overlaps(message, h.chunk))
    ]
    if extra:
        lines.append("Linked resources that match:" if not lines else "Also linked:")
        lines += [f"- {h.chunk.heading}: {h.chunk.url} [{n}]" for n, h in extra[:3]]
    if not lines:
        grounded = answer_search(intent, message, tb, memory, mode_note)
        return Draft("The roadmaps don't link a specific resource for that. " + grounded.text, grounded.quotes, topic)
    named = _named_resources(tb, topic, search)
    if named:
        lines.append(named.text)
    return Draft("\n".join(lines), named.quotes if named else {}, topic)


def _resources_of_kind(intent, message, tb, memory) -> Draft | None:
    """A request for a kind of resource (a book, a course, a video, a dataset, docs): the lines
    of the roadmaps that name one, and the links of that kind, for the topic asked about."""
    topic = resolve_topic(intent, message, memory, tb.deps.curriculum)
    cue = re.compile(KIND_CUES[intent.kind], re.IGNORECASE)
    lines = gather(tb, [message], [topic] if topic else [])
    tb.run("find_lines", query=f"{message} {intent.kind} resource")
    lines = [line for n, chunk in enumerate(tb.book.chunks, 1) for line in passage_lines(n, chunk)]
    named = [ln for ln in lines if cue.search(f"{ln.text} {ln.context}")]
    if topic is not None:  # the lines of the passages about the topic, where there are any
        named = [ln for ln in named if topic.id in ln.chunk.topics] or named
    about_words = f"{message} {topic.title} {' '.join(topic.aliases)}" if topic else message
    best = select(named, about_words, 2 * KIND_SHOWN)
    named = [ln for i, ln in enumerate(best) if ln.text not in {b.text for b in best[:i]}][:KIND_SHOWN]
    info = next((c.result.data for c in reversed(tb.calls) if c.name == "lookup_topic"), None) or {}
    links = [r for r in info.get("resources", []) if r["kind"] in LINK_KINDS.get(intent.kind, ())][:2]
    if not named and not links:
        return None
    about = f" for {topic.title}" if topic else ""
    several = len(named) + len(links) > 1
    kind = PLURALS[intent.kind] if several else intent.kind
    head = f"The roadmaps point to {'these' if several or kind == 'docs' else 'this'} {kind}{about}:"
    quotes: dict[int, str] = {}
    body = [f'- "{ln.text}" [{ln.n}]' for ln in named]
    for ln in named:
        quotes.setdefault(ln.n, ln.text)
    body += [f"- {r['anchor']} ({r['kind']}): {r['url']}" for r in links]
    body += _listed_with(named)
    if topic is not None:
        memory.last_topic = topic
    return Draft("\n".join([head, *body]), quotes, topic)


def _listed_with(named: list) -> list[str]:
    """The other resources of the "Resources:" list a quoted line stands in ("fast.ai course" with
    "TensorFlow Tutorials" and "PyTorch Tutorials"): what the roadmap gives beside it, of any kind."""
    shown = {ln.text for ln in named}
    for line in named:
        if not LIST_LABEL.search(line.context):
            continue
        beside = [ln for ln in passage_lines(line.n, line.chunk) if ln.context == line.context and not ln.title]
        others = [ln.text for ln in beside if ln.text not in shown and not LIST_LABEL.search(ln.text)]
        if others:
            label = LIST_LABEL.findall(line.context)[-1].rstrip(":").strip()
            return [f'Listed with it under "{label}" in {line.chunk.doc}: {", ".join(others[:3])} [{line.n}]']
    return []


def _linked_resources(tb: Toolbox, topic, memory: Memory) -> list[str]:
    """The resources the roadmaps link for a topic, each cited when the index describes it."""
    memory.last_topic = topic
    info = tb.run("lookup_topic", topic=topic.id).data
    if not info.get("resources"):
        return []
    lines = [f"For {topic.title} the roadmaps link:"]
    for r in info["resources"]:
        n = tb.cite_resource(r["url"])
        lines.append(f"- {r['anchor']} ({r['kind']}): {r['url']}" + (f" [{n}]" if n else ""))
    return lines


def _named_resources(tb: Toolbox, topic, search: ToolResult) -> Draft | None:
    """Resources the roadmaps name without a link ("📘 Resources: Kaggle: Intro to ML")."""
    for n, hit in zip(search.sources, search.data.hits):
        if hit.chunk.kind == "passage" and RESOURCES_LINE.search(hit.chunk.text):
            sentence = next((s for s in hit.chunk.text.split("\n") if RESOURCES_LINE.search(s)), None)
            if sentence and topic is not None and topic.id in tb.deps.curriculum.topics_in_text(hit.chunk.text):
                return Draft(f"The roadmaps also name, without links: {_resource_list(hit.chunk.text)} [{n}]")
    return None


def _resource_list(text: str) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if RESOURCES_LINE.search(line):
            inline = line.split(":", 1)[1].strip()
            items = [inline] if inline else []
            items += [
                re.sub(r"^[\s•*\-o]+", "", x).strip() for x in lines[i + 1 : i + 5] if re.match(r"^\s*[•*\-o]\s*\S", x)
            ]
            return "; ".join(items[:4])
    return ""


def _overlaps(message: str, chunk) -> bool:
    wanted = content_words(message) - GENERIC
    return bool(wanted & content_words(f"{chunk.heading} {chunk.text}"))


RESOURCE_HANDLERS = {"resources": answer_resources}
