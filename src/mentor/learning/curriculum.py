"""The curriculum graph: topics reconciled across the five roadmaps (`corpus/curriculum.yaml`),
hard prerequisite edges (gates), soft edges (ordering hints, never gates) and parallel companions,
each edge with the source it comes from; and the backbone: which step of the dependency-correct
learning-algorithm roadmap each topic belongs to, and on which track (path, anytime, parallel).

Also here: the roles learners name themselves by (`corpus/roles.yaml`: a job or degree and the
topics anyone in it works with), free-text topic lookup (aliases, then fuzzy matching, never a silent guess), and
linking corpus passages to the topics they cover. Checking the graph against the roadmaps is in
`validation.py`.

Scheduling and next steps are in `plan.py`; learner state in `progress.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from mentor.corpus.documents import named_in, names_pattern, roadmap_names
from mentor.errors import CorpusError
from mentor.learning.names import TopicNames, normalise

EDGE_KINDS = ("tag", "summary", "order", "judgement")
HARD_KINDS = ("tag", "summary", "order")  # a hard prerequisite must cite roadmap text
TRACKS = ("path", "anytime", "parallel")
ROLES = "roles.yaml"  # in the corpus folder


@dataclass(frozen=True)
class Edge:
    source: str  # the prerequisite (or soft predecessor, or companion)
    target: str  # the topic that needs it (or comes after it)
    kind: str  # tag | summary | order | judgement
    doc: str | None
    quote: str | None
    note: str | None = None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "doc": self.doc, "quote": self.quote, "note": self.note}


@dataclass
class Topic:
    id: str
    title: str
    phase: str
    hours: float
    hours_source: str
    aliases: list[str] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)  # hard: finish these first
    after: list[str] = field(default_factory=list)  # soft: better learned after these, never blocked by them
    parallel: list[str] = field(default_factory=list)  # both directions, filled in on load
    sources: list[dict] = field(default_factory=list)  # {doc, quote}
    resources: list[str] = field(default_factory=list)
    order: int = 0  # position in the YAML: the roadmaps' reconciled learning order

    def brief(self) -> dict:
        return {"id": self.id, "title": self.title}


@dataclass(frozen=True)
class Role:
    """A job or degree a learner may name themselves by (`corpus/roles.yaml`), and the topics anyone in
    it works with: read for one answer, never recorded (`mentor.assistant.background`)."""

    says: tuple[str, ...]  # what learners call it, lower case
    knows: tuple[str, ...]  # topic ids


@dataclass(frozen=True)
class BackboneStep:
    """One step of the learning-algorithm roadmap and the topics it covers."""

    name: str  # "0.1", "1.x" (the algorithm loop), "parallel"
    quote: str  # the step's heading, verbatim
    topics: tuple[str, ...]
    track: str = "path"  # path: in order | anytime: [I], learn any time | parallel: alongside everything
    index: int = 0  # position in the roadmap


class Curriculum(TopicNames):
    def __init__(
        self,
        phases: list[dict],
        topics: list[Topic],
        edges: list[Edge],
        parallel_edges: list[Edge],
        conflicts: list[dict],
        soft_edges: list[Edge] | None = None,
        backbone: list[BackboneStep] | None = None,
        backbone_doc: str | None = None,
        roadmap_aliases: dict[str, tuple[str, ...]] | None = None,
        roles: list[Role] | None = None,
    ):
        self.phases = phases
        self.phase_index = {p["id"]: i for i, p in enumerate(phases)}
        self.phase_titles = {p["id"]: p["title"] for p in phases}
        self.topics = {t.id: t for t in topics}
        self.edges = edges
        self.soft_edges = soft_edges or []
        self.parallel_edges = parallel_edges
        self.conflicts = conflicts
        self.backbone = backbone or []
        self.backbone_doc = backbone_doc
        # what learners call the roadmaps ("the zero to llm roadmap"): no topic is named inside them
        aliases = roadmap_aliases or {}
        self._roadmap_names = names_pattern(
            normalise(n) for ns in aliases.values() for n in ns if len(normalise(n)) >= 3
        )
        self._roadmap_aliases = tuple((d, tuple(ns)) for d, ns in aliases.items())
        self.roadmap_ids = [d for d, ns in self._roadmap_aliases if ns]
        self.roles = roles or []
        self._role_by_name = {name: role for role in self.roles for name in role.says}
        self.role_names = names_pattern(self._role_by_name)  # None without roles

    def role(self, name: str) -> Role | None:
        """The role a learner's words for it name ("Data Scientist"), or None."""
        return self._role_by_name.get(" ".join(name.lower().split()))

    def roadmaps_in(self, text: str) -> list[str]:
        """The roadmaps a learner's text names ("the dependency roadmap … the libraries doc"), as
        `corpus.documents.roadmaps_named` reads them: the router has the curriculum, not the documents."""
        return named_in(self._roadmap_aliases, text)

    # --- structure ------------------------------------------------------------------------

    @cached_property
    def _successors(self) -> dict[str, list[str]]:
        succ: dict[str, list[str]] = {t: [] for t in self.topics}
        for e in self.edges:
            succ.setdefault(e.source, []).append(e.target)
        return succ

    @cached_property
    def graph(self):
        """The prerequisite graph as a networkx DiGraph (validation and analysis only: the
        hot paths below walk plain dicts, so commands need not import networkx)."""
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(self.topics)
        g.add_edges_from((e.source, e.target) for e in self.edges)
        return g

    def successors(self, topic_id: str) -> list[str]:
        return self._successors.get(topic_id, [])

    @cached_property
    def _soft_successors(self) -> dict[str, list[str]]:
        succ: dict[str, list[str]] = {t: [] for t in self.topics}
        for e in self.soft_edges:
            succ.setdefault(e.source, []).append(e.target)
        return succ

    def neighbours(self, topic_id: str) -> list[str]:
        """The topics one edge away in either direction, hard, soft or parallel: what a topic sits
        among ("transformers": RNNs, NLP basics, pretrained models)."""
        t = self.topics[topic_id]
        near = t.prerequisites + t.after + t.parallel + self.successors(topic_id)
        return list(dict.fromkeys(near + self._soft_successors.get(topic_id, [])))

    def edge(self, source: str, target: str) -> Edge | None:
        return next((e for e in self.edges if e.source == source and e.target == target), None)

    def soft_edge(self, source: str, target: str) -> Edge | None:
        return next((e for e in self.soft_edges if e.source == source and e.target == target), None)

    @cached_property
    def _steps(self) -> dict[str, BackboneStep]:
        return {tid: s for s in self.backbone for tid in s.topics}

    def step(self, topic_id: str) -> BackboneStep | None:
        """The learning-algorithm step a topic belongs to (None: the roadmap does not name it)."""
        return self._steps.get(topic_id)

    @staticmethod
    def _walk(start: str, step) -> set[str]:
        seen: set[str] = set()
        stack = list(step(start))
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(step(node))
        return seen

    def ancestors(self, topic_id: str, soft: bool = False) -> set[str]:
        """Every hard prerequisite, transitively; with `soft`, also what the roadmaps put before
        it (hard and soft edges followed together)."""
        if soft:
            return self._walk(topic_id, lambda t: self._before(t) if t in self.topics else [])
        return self._walk(topic_id, lambda t: self.topics[t].prerequisites if t in self.topics else [])

    def _before(self, topic_id: str) -> list[str]:
        t = self.topics[topic_id]
        return t.prerequisites + t.after

    def descendants(self, topic_id: str) -> set[str]:
        return self._walk(topic_id, self.successors)

    def depths(self, topic_id: str) -> dict[str, int]:
        """Fewest prerequisite hops from `topic_id` back to each ancestor."""
        depth, frontier = {}, [topic_id]
        level = 0
        while frontier:
            level += 1
            nxt = []
            for node in frontier:
                for pre in self.topics[node].prerequisites:
                    if pre not in depth:
                        depth[pre] = level
                        nxt.append(pre)
            frontier = nxt
        return depth

    def sort_key(self, topic_id: str) -> tuple:
        t = self.topics[topic_id]
        return (self.phase_index.get(t.phase, 99), t.order)

    def topological(self, ids) -> list[str]:
        """`ids` in an order that respects every prerequisite among them, and every soft edge
        too (the two together are acyclic), roadmap order breaking ties (Kahn's algorithm with a
        heap)."""
        import heapq

        ids = set(ids)
        waiting = {t: sum(1 for p in self._before(t) if p in ids) for t in ids}
        heap = [(self.sort_key(t), t) for t, n in waiting.items() if n == 0]
        heapq.heapify(heap)
        order = []
        while heap:
            _, tid = heapq.heappop(heap)
            order.append(tid)
            for succ in self.successors(tid) + self._soft_successors.get(tid, []):
                if succ in waiting:
                    waiting[succ] -= 1
                    if waiting[succ] == 0:
                        heapq.heappush(heap, (self.sort_key(succ), succ))
        if len(order) != len(ids):
            raise CorpusError("the prerequisite graph has a cycle: run the curriculum validation")
        return order


def _yaml_loader():
    """libyaml's safe loader when PyYAML was built with it (10x faster), else the pure one."""
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _edge(source: str, target: str, raw: dict, where: str) -> Edge:
    src = raw.get("source") or {}
    kind = src.get("kind")
    if kind not in EDGE_KINDS:
        raise CorpusError(f"{where}: edge {source} -> {target} needs source.kind in {EDGE_KINDS}")
    return Edge(source, target, kind, src.get("doc"), src.get("quote"), src.get("note") or raw.get("note"))


def load_curriculum(corpus_dir: Path) -> Curriculum:
    path = corpus_dir / "curriculum.yaml"
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_yaml_loader())
        raw_topics = data["topics"]
        phases = data["phases"]
    except FileNotFoundError:
        raise CorpusError(f"no curriculum graph at {path}")
    except (yaml.YAMLError, KeyError, TypeError) as exc:
        raise CorpusError(f"{path} is malformed: {exc}") from exc
    topics, edges, soft_edges, parallel_edges = [], [], [], []
    for order, raw in enumerate(raw_topics):
        topic = _topic(raw, order, path)
        for pre in raw.get("prerequisites") or []:
            edges.append(_edge(pre["id"], topic.id, pre, str(path)))
            topic.prerequisites.append(pre["id"])
        for pre in raw.get("after") or []:
            soft_edges.append(_edge(pre["id"], topic.id, pre, str(path)))
            topic.after.append(pre["id"])
        for comp in raw.get("parallel") or []:
            parallel_edges.append(_edge(comp["id"], topic.id, comp, str(path)))
        topics.append(topic)
    by_id = {t.id: t for t in topics}
    for e in parallel_edges:
        for a, b in ((e.source, e.target), (e.target, e.source)):
            if a in by_id and b not in by_id[a].parallel:
                by_id[a].parallel.append(b)
    doc, steps = _backbone(data.get("backbone") or {}, path)
    conflicts = list(data.get("conflicts") or [])
    roles = _roles(corpus_dir / ROLES, set(by_id))
    return Curriculum(
        phases, topics, edges, parallel_edges, conflicts, soft_edges, steps, doc, roadmap_names(corpus_dir), roles
    )


def _roles(path: Path, topic_ids: set[str]) -> list[Role]:
    """The roles of `corpus/roles.yaml` (none without the file); CorpusError naming the file when it is
    not a roles file or names a topic the curriculum does not have."""
    if not path.is_file():
        return []
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_yaml_loader())
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: not a roles file ({type(exc).__name__}: {' '.join(str(exc).split())})") from exc
    if not isinstance(raw, dict) or set(raw) != {"roles"} or not isinstance(raw["roles"], list):
        raise CorpusError(f"{path}: not a roles file (it must hold `roles:`, a list, and nothing else)")
    roles, seen = [], set()
    for i, entry in enumerate(raw["roles"], 1):
        says, knows = (entry.get("says"), entry.get("knows")) if isinstance(entry, dict) else (None, None)
        if not _words(says) or not _words(knows) or set(entry) != {"says", "knows"}:
            raise CorpusError(f"{path}: role {i} must have `says` and `knows`, each a list of words, and nothing else")
        role = Role(tuple(" ".join(s.lower().split()) for s in says), tuple(knows))
        unknown = sorted(set(role.knows) - topic_ids)
        twice = sorted(seen & set(role.says)) or [n for n in role.says if role.says.count(n) > 1]
        short = [n for n in role.says if len(n) < 2]  # "a" would name everyone
        if unknown or twice or short:
            why = (
                f"topics the curriculum does not have: {', '.join(unknown)}"
                if unknown
                else f"the name {twice[0]!r} that another role, or this one, has already"
                if twice
                else f"the name {short[0]!r}, too short to tell"
            )
            raise CorpusError(f"{path}: role {i} ({role.says[0]!r}) has {why}")
        seen |= set(role.says)
        roles.append(role)
    return roles


def _words(value) -> bool:
    """A non-empty list of non-empty strings."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v.strip() for v in value)


def _topic(raw: dict, order: int, path: Path) -> Topic:
    try:
        return Topic(
            id=raw["id"],
            title=raw["title"],
            phase=raw["phase"],
            hours=float(raw["hours"]),
            hours_source=raw.get("hours_source", "estimate"),
            aliases=list(raw.get("aliases") or []),
            sources=list(raw.get("sources") or []),
            resources=list(raw.get("resources") or []),
            order=order,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CorpusError(f"{path}: topic {raw.get('id', order)!r} is malformed: {exc}") from exc


def _backbone(raw: dict, path: Path) -> tuple[str | None, list[BackboneStep]]:
    try:
        steps = [
            BackboneStep(str(s["step"]), s["quote"], tuple(s["topics"]), s.get("track", "path"), i)
            for i, s in enumerate(raw.get("steps") or [])
        ]
    except (KeyError, TypeError) as exc:
        raise CorpusError(f"{path}: a backbone step is malformed: {exc}") from exc
    return raw.get("doc"), steps
