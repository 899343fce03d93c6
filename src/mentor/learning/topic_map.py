"""The curriculum map's data for one learner: every topic with its status and whether the learner
can start it now (the frontier), by phase, with the prerequisite edges to draw; a topic's card
(what it needs, what it unlocks, its passages and resources); and the neighbourhood, the topics
around what the learner is doing now.

Not here: drawing (`mentor.web.graph`), the graph itself (`curriculum.py`), next steps and plans
(`plan.py`), storage (`progress.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mentor.learning.curriculum import Curriculum, Topic
from mentor.learning.order import finished
from mentor.learning.plan import citations, next_steps, resources

if TYPE_CHECKING:  # see actions.py: deps imports the assistant, which imports the learning modules
    from mentor.deps import Deps

NOT_STARTED = "not_started"


@dataclass(frozen=True)
class MapTopic:
    id: str
    title: str
    phase: str
    status: str  # done | learning | skipped | not_started
    ready: bool  # not finished, and every prerequisite is: the learner can start it now


@dataclass
class MapPhase:
    id: str
    title: str
    topics: list[MapTopic]
    number: int = 0  # its place in the curriculum, from 1

    def count(self, status: str) -> int:
        return sum(1 for t in self.topics if t.status == status)

    @property
    def finished(self) -> int:
        return self.count("done") + self.count("skipped")


@dataclass
class CurriculumMap:
    learner: str
    phases: list[MapPhase]  # in curriculum order; only phases with a topic shown
    edges: list[tuple[str, str]]  # (prerequisite, topic that needs it), both shown
    focus: list[str] = field(default_factory=list)  # what a neighbourhood is centred on

    @property
    def topics(self) -> list[MapTopic]:
        return [t for p in self.phases for t in p.topics]


def curriculum_map(
    cur: Curriculum, learner: str, statuses: dict[str, str], only: set[str] | None = None, focus: list[str] = ()
) -> CurriculumMap:
    """The whole map, or only the topics in `only` (and the edges between them)."""
    shown = set(cur.topics) if only is None else set(only) & set(cur.topics)
    phases = []
    for phase in cur.phases:
        topics = [_map_topic(cur, t, statuses) for t in cur.topics.values() if t.phase == phase["id"] and t.id in shown]
        if topics:
            phases.append(MapPhase(phase["id"], phase["title"], topics, cur.phase_index[phase["id"]] + 1))
    edges = [(e.source, e.target) for e in cur.edges if e.source in shown and e.target in shown]
    return CurriculumMap(learner, phases, edges, list(focus))


def _map_topic(cur: Curriculum, topic: Topic, statuses: dict[str, str]) -> MapTopic:
    ready = not finished(statuses, topic.id) and all(finished(statuses, p) for p in topic.prerequisites)
    return MapTopic(topic.id, topic.title, topic.phase, statuses.get(topic.id, NOT_STARTED), ready)


def neighbourhood(cur: Curriculum, statuses: dict[str, str], limit: int = 3) -> tuple[list[str], set[str]]:
    """(focus, around): the topics being learned (else the first next steps) and, with them,
    what each needs directly, what each leads to directly and what the roadmaps pair it with."""
    focus = sorted((t for t, s in statuses.items() if s == "learning" and t in cur.topics), key=cur.sort_key)
    if not focus:
        focus = [s.topics[0].id for s in next_steps(cur, statuses, limit=limit)]
    around = set(focus)
    for tid in focus:
        around.update(cur.topics[tid].prerequisites)
        around.update(cur.successors(tid))
        around.update(cur.topics[tid].parallel)
    return focus, around


# --- a topic's card -------------------------------------------------------------------------


@dataclass
class TopicCard:
    topic: Topic
    status: str
    ready: bool
    needs: list[MapTopic]  # direct prerequisites, with the learner's status
    unlocks: list[MapTopic]  # topics that directly need this one
    learn_with: list[MapTopic]  # companions the roadmaps pair it with
    citations: list[dict]  # roadmap passages that name it
    resources: list[dict]  # links the roadmaps give for it
    phase_title: str = ""


def topic_card(cur: Curriculum, topic: Topic, statuses: dict[str, str], passages, resource_index) -> TopicCard:
    def brief(ids) -> list[MapTopic]:
        return [_map_topic(cur, cur.topics[t], statuses) for t in sorted(ids, key=cur.sort_key) if t in cur.topics]

    me = _map_topic(cur, topic, statuses)
    phase = cur.phase_titles.get(topic.phase, topic.phase)
    return TopicCard(
        topic,
        me.status,
        me.ready,
        brief(topic.prerequisites),
        brief(cur.successors(topic.id)),
        brief(topic.parallel),
        citations(topic, passages),
        resources(topic, resource_index),
        phase,
    )


# --- for a learner, from the collaborators ---------------------------------------------------


def map_for(deps: Deps, learner: str, around_me: bool = False) -> CurriculumMap:
    """The learner's map: the whole curriculum, or (`around_me`) their neighbourhood."""
    cur, statuses = deps.curriculum, deps.progress.statuses(learner)
    if not around_me:
        return curriculum_map(cur, learner, statuses)
    focus, around = neighbourhood(cur, statuses)
    return curriculum_map(cur, learner, statuses, around, focus)


def card_for(deps: Deps, learner: str, topic_text: str) -> TopicCard:
    """The card of a topic (named in free text or by id) for a learner."""
    cur = deps.curriculum
    topic = cur.topics.get(topic_text) or cur.resolve(topic_text)
    statuses = deps.progress.statuses(learner)
    return topic_card(cur, topic, statuses, deps.passages, deps.resource_index)
