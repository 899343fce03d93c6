"""Checking the curriculum graph against the roadmaps: every problem as a sentence.

The graph is acyclic, and stays acyclic when the soft edges are added; every reference resolves;
every quote (topic sources, hard and soft edges, backbone steps) is found verbatim in the cleaned
roadmap text; a hard prerequisite cites roadmap text (a tag, a dependency-summary line or a plan
whose wording makes the order a dependency), never only our judgement, which may order but not gate.
"""

from __future__ import annotations

from mentor.learning.curriculum import HARD_KINDS, TRACKS, Curriculum, Topic, normalise


def validate(cur: Curriculum, doc_texts: dict[str, str], resource_urls: set[str]) -> list[str]:
    """Every problem with the graph, as sentences; empty when it is sound."""
    problems = []
    for t in cur.topics.values():
        problems += _topic_problems(cur, t, doc_texts, resource_urls)
    problems += _edge_problems(cur, doc_texts)
    problems += _backbone_problems(cur, doc_texts)
    seen_alias: dict[str, str] = {}
    for t in cur.topics.values():
        for a in t.aliases:
            other = seen_alias.setdefault(normalise(a), t.id)
            if other != t.id:
                problems.append(f"alias {a!r} is used by both {other} and {t.id}")
    return problems + _cycle_problems(cur)


def _topic_problems(cur: Curriculum, t: Topic, doc_texts: dict[str, str], resource_urls: set[str]) -> list[str]:
    problems = []
    if t.phase not in cur.phase_index:
        problems.append(f"{t.id}: unknown phase {t.phase!r}")
    if t.hours <= 0:
        problems.append(f"{t.id}: hours must be positive")
    if not t.sources:
        problems.append(f"{t.id}: cites no passage")
    for s in t.sources:
        if not _quote_in(s.get("doc"), s.get("quote"), doc_texts):
            problems.append(f"{t.id}: source quote not found in {s.get('doc')}: {s.get('quote')!r}")
    for url in t.resources:
        if url not in resource_urls:
            problems.append(f"{t.id}: resource {url} is not linked from any roadmap")
    for a, b, what in (
        (t.prerequisites, t.parallel, "both prerequisite and parallel companion"),
        (t.prerequisites, t.after, "both a hard and a soft prerequisite"),
        (t.after, t.parallel, "both a soft prerequisite and a parallel companion"),
    ):
        if set(a) & set(b):
            problems.append(f"{t.id}: a topic is {what}")
    return problems


def _edge_problems(cur: Curriculum, doc_texts: dict[str, str]) -> list[str]:
    problems = []
    for e in cur.edges + cur.soft_edges + cur.parallel_edges:
        for end in (e.source, e.target):
            if end not in cur.topics:
                problems.append(f"edge {e.source} -> {e.target}: unknown topic {end!r}")
        if e.source == e.target:
            problems.append(f"{e.source}: edge to itself")
        if (e.kind != "judgement" or e.quote) and not _quote_in(e.doc, e.quote, doc_texts):
            problems.append(f"edge {e.source} -> {e.target}: source quote not found in {e.doc}: {e.quote!r}")
        if e.kind == "judgement" and not (e.note or e.quote):
            problems.append(f"edge {e.source} -> {e.target}: a judgement edge needs a note saying why")
    for e in cur.edges:
        if e.kind not in HARD_KINDS:
            problems.append(
                f"edge {e.source} -> {e.target}: a hard prerequisite must cite roadmap text ({', '.join(HARD_KINDS)}),"
                f" not {e.kind}; make it a soft edge (`after`) instead"
            )
    return problems


def _backbone_problems(cur: Curriculum, doc_texts: dict[str, str]) -> list[str]:
    problems, seen = [], set()
    for s in cur.backbone:
        if not _quote_in(cur.backbone_doc, s.quote, doc_texts):
            problems.append(f"backbone step {s.name}: quote not found in {cur.backbone_doc}: {s.quote!r}")
        if s.track not in TRACKS:
            problems.append(f"backbone step {s.name}: unknown track {s.track!r} (one of {TRACKS})")
        for tid in s.topics:
            if tid not in cur.topics:
                problems.append(f"backbone step {s.name}: unknown topic {tid!r}")
            elif tid in seen:
                problems.append(f"backbone: {tid} is in more than one step")
            seen.add(tid)
    return problems


def _cycle_problems(cur: Curriculum) -> list[str]:
    """The hard graph must be acyclic, and so must hard and soft edges together (a soft edge
    may order two topics, never contradict a prerequisite or another hint)."""
    import networkx as nx

    if not nx.is_directed_acyclic_graph(cur.graph):
        return ["the prerequisite graph has a cycle: " + " -> ".join(a for a, _ in nx.find_cycle(cur.graph))]
    both = cur.graph.copy()
    both.add_edges_from((e.source, e.target) for e in cur.soft_edges)
    if not nx.is_directed_acyclic_graph(both):
        return ["soft edges make a cycle with the prerequisites: " + " -> ".join(a for a, _ in nx.find_cycle(both))]
    return []


def _quote_in(doc: str | None, quote: str | None, doc_texts: dict[str, str]) -> bool:
    return bool(doc and quote and doc in doc_texts and quote in doc_texts[doc])
