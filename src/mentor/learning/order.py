"""The order in which to learn topics, shared by next steps and study plans.

The dependency-correct roadmap (learning-algorithm) is the backbone: its path steps come first, in
its order, each preceded by the topics it softly comes after when those can start too ("prefer a
topic's soft predecessors first when both are available"). Its anytime steps ([I]: learn any
time), its parallel track ("Learn continuously in parallel") and the topics it does not name form
a side lane that runs alongside the path and never holds it up. Hard prerequisites gate; soft
edges only order.

`route` is the way still to go to a goal in that order, one topic per step, for an answer to name;
`implied_known` what knowing some topics implies for that ranking (never recorded).

Not here: what a front end shows (`plan.next_steps`), packing hours into weeks (`plan.make_plan`).
"""

from __future__ import annotations

from collections.abc import Collection

from mentor.learning.curriculum import Curriculum, Topic

FINISHED = ("done", "skipped")


def finished(statuses: dict[str, str], topic_id: str) -> bool:
    return statuses.get(topic_id) in FINISHED


MAIN, SIDE = "main", "side"  # the roadmap's path (and what it pulls in) / everything alongside it
SIDE_SHARE = 0.25  # of a week's hours, and of the next-step slots, kept for the side lane


def rank(cur: Curriculum, topic_id: str, statuses: dict[str, str]) -> tuple:
    """Lower is sooner: topics in progress, then the learning-algorithm's path steps in order (and
    within a step, in the order it lists them), then its anytime and parallel tracks, then topics
    it does not name; phase and roadmap order break ties."""
    step = cur.step(topic_id)
    tier = 0 if step and step.track == "path" else 1 if step else 2
    where = (step.index, step.topics.index(topic_id)) if step else (0, 0)
    return (statuses.get(topic_id) != "learning", tier, *where, *cur.sort_key(topic_id))


def lane(cur: Curriculum, topic_id: str, statuses: dict[str, str]) -> str:
    return MAIN if rank(cur, topic_id, statuses)[:2] < (True, 1) else SIDE


def study_order(cur: Curriculum, statuses: dict[str, str], todo, startable_now: bool = False) -> list[tuple[str, str]]:
    """`todo` in the order to learn it, each with its lane. Each round takes the best-ranked topic
    that can start (hard prerequisites finished, or placed earlier unless `startable_now`), but
    first, recursively, any soft predecessor of it that can start too. A topic pulled in ahead of
    a path topic joins the main lane. In the side lane, topics whose soft predecessors are all
    done or placed go first. Topics that can never start here are left out."""
    done = {t for t in cur.topics if finished(statuses, t)}
    remaining = set(todo) - done
    placed: set[str] = set()
    order: list[tuple[str, str]] = []

    def can_start(tid: str) -> bool:
        return all(p in done or (p in placed and not startable_now) for p in cur.topics[tid].prerequisites)

    def key(tid: str) -> tuple:
        # the path keeps the roadmap's order; the side lane has none of its own, so there a topic
        # whose soft predecessors are all behind the learner goes first
        learning, tier, *rest = rank(cur, tid, statuses)
        waiting = tier > 0 and any(p not in done and p not in placed for p in cur.topics[tid].after)
        return (learning, tier > 0, waiting, tier, *rest)

    while remaining:
        ready = {t for t in remaining if can_start(t)}
        if not ready:
            break
        tid = lead = min(ready, key=key)
        while pulled := [p for p in cur.topics[tid].after if p in ready]:
            tid = min(pulled, key=key)
        order.append((tid, lane(cur, lead, statuses)))
        placed.add(tid)
        remaining.discard(tid)
    return order


def route(cur: Curriculum, goal: Topic, statuses: dict[str, str]) -> list[str]:
    """The way still to go to `goal`, as the roadmaps order it: from the goal back through the
    unfinished topic before it (hard or soft) with the most still to do before it, and so on to
    one that can start now; returned in learning order, the goal last ([] when it is done)."""
    if finished(statuses, goal.id):
        return []
    path, node = [goal.id], goal.id
    while True:
        topic = cur.topics[node]
        before = [
            p for p in dict.fromkeys(topic.prerequisites + topic.after) if p not in path and not finished(statuses, p)
        ]
        if not before:
            return path[::-1]
        node = max(
            before,
            key=lambda p: (sum(not finished(statuses, a) for a in cur.ancestors(p, soft=True)), -cur.topics[p].order),
        )
        path.append(node)


FOUNDATIONS = "foundations"  # the curriculum's phase of programming, tools and data libraries


# the phases of model building itself: knowing a topic there means knowing what it needs (unlike an
# engineering tool a web developer or a DevOps engineer uses daily, or an LLM app built on an API)
ML_PHASES = frozenset({"classical-ml", "ml-practice", "deep-learning"})


def implied_known(cur: Curriculum, topic_ids: Collection[str]) -> set[str]:
    """What knowing `topic_ids` implies, for ranking what comes next (never recorded): the
    foundations each needs ("I use scikit-learn": Python and pandas too) and the companions the
    roadmaps learn with it, in its own phase and earlier in their order (pandas is learned with
    Python, scikit-learn in one loop with ML fundamentals), where a roadmap's text pairs them: the
    six-month plan's weeks of computer science principles and first Python (a judgement of ours) say
    nothing of a developer who knows how computers work but writes Swift. A topic of model building itself
    (`ML_PHASES`: classical ML to deep learning) implies everything before it: who has built
    classical ML projects knows Python. Nothing further: "I use docker" (an engineering tool) says
    nothing of ML projects, "I build RAG apps" nothing of backpropagation, knowing Python nothing of
    pandas (a later companion), and knowing linear algebra (maths) nothing of the ML it supports, nor of
    the Python the graph has learners take first: a statistician may never have written code."""
    known = set(topic_ids)
    for tid in topic_ids:
        if cur.topics[tid].phase != "maths":  # maths is no code: the graph learns it after Python, needs none of it
            known |= _foundations_needed(cur, tid)
        if cur.topics[tid].phase in ML_PHASES:
            known |= cur.ancestors(tid, soft=True)
    for tid in topic_ids:  # a companion counts only once what it needs does (Docker's FastAPI needs ML projects)
        topic = cur.topics[tid]
        known |= {
            c
            for c in topic.parallel
            if cur.topics[c].phase == topic.phase
            and _paired_by_text(cur, c, tid)
            and cur.topics[c].order < topic.order
            and all(p in known for p in cur.topics[c].prerequisites)
        }
    return known - set(topic_ids)


def _paired_by_text(cur: Curriculum, a: str, b: str) -> bool:
    """Whether a roadmap's text (not a judgement of ours) pairs two companions."""
    return any(e.kind != "judgement" for e in cur.parallel_edges if {e.source, e.target} == {a, b})


def _foundations_needed(cur: Curriculum, topic_id: str) -> set[str]:
    """The foundations-phase topics `topic_id` needs directly, and what they need in turn."""
    found, stack = set(), [topic_id]
    while stack:
        for p in cur.topics[stack.pop()].prerequisites:
            if cur.topics[p].phase == FOUNDATIONS and p not in found:
                found.add(p)
                stack.append(p)
    return found
