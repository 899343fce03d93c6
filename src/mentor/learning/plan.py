"""What to learn next, what a topic needs first, and week-by-week study plans, all computed
from the curriculum graph and a learner's statuses (never guessed by a model).

- `next_steps`: the frontier (topics not done or skipped whose hard prerequisites all are),
  ranked by the learner's goal, what is already in progress, roadmap order and how much each
  unlocks; parallel companions are grouped.
- `prerequisite_chain`: every ancestor of a topic with its depth and sources, and which are
  still missing for a learner.
- `make_plan`: packs estimated hours into weeks in a prerequisite-respecting order, companions
  side by side; `check_plan` verifies a plan never schedules a topic before its prerequisites.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mentor.corpus.chunks import Chunk
from mentor.errors import UsageError
from mentor.learning.curriculum import Curriculum, Topic

FINISHED = ("done", "skipped")


def _finished(statuses: dict[str, str], topic_id: str) -> bool:
    return statuses.get(topic_id) in FINISHED


# --- citations and resources ---------------------------------------------------------------


def passage_for(doc: str | None, quote: str | None, passages: list[Chunk]) -> Chunk | None:
    """The roadmap passage of `doc` that contains `quote` verbatim."""
    if not (doc and quote):
        return None
    return next((c for c in passages if c.kind == "passage" and c.doc == doc and quote in c.text), None)


def topic_passages(topic: Topic, passages: list[Chunk], limit: int = 3) -> list[tuple[Chunk, str]]:
    """(passage, quote) for the sources a topic cites, in the order the curriculum lists them."""
    found = []
    for source in topic.sources:
        chunk = passage_for(source.get("doc"), source.get("quote"), passages)
        if chunk is not None:
            found.append((chunk, source["quote"]))
        if len(found) >= limit:
            break
    return found


def citations(topic: Topic, passages: list[Chunk], limit: int = 3) -> list[dict]:
    """The passages a topic cites, located in the chunked corpus (quote found verbatim)."""
    return [
        {
            "chunk_id": c.chunk_id,
            "doc": c.doc,
            "title": c.title,
            "section": c.section,
            "lines": [c.first_line, c.last_line],
            "quote": quote,
        }
        for c, quote in topic_passages(topic, passages, limit)
    ]


def resources(topic: Topic, resource_index: dict[str, dict]) -> list[dict]:
    out = []
    for url in topic.resources:
        r = resource_index.get(url, {})
        out.append({"url": url, "anchor": r.get("anchor", url), "kind": r.get("kind", "web page")})
    return out


# --- next steps -----------------------------------------------------------------------------


@dataclass
class Suggestion:
    topics: list[Topic]
    why: str
    unlocks: list[str] = field(default_factory=list)


def frontier(cur: Curriculum, statuses: dict[str, str]) -> list[str]:
    return [
        t.id
        for t in cur.topics.values()
        if not _finished(statuses, t.id) and all(_finished(statuses, p) for p in t.prerequisites)
    ]


def _unlocks(cur: Curriculum, topic_id: str, statuses: dict[str, str]) -> list[str]:
    """Topics whose only unfinished prerequisite is this one."""
    out = []
    for succ in cur.successors(topic_id):
        others = [p for p in cur.topics[succ].prerequisites if p != topic_id]
        if not _finished(statuses, succ) and all(_finished(statuses, p) for p in others):
            out.append(succ)
    return out


def next_steps(
    cur: Curriculum, statuses: dict[str, str], goal: Topic | None = None, limit: int = 5
) -> list[Suggestion]:
    ready = frontier(cur, statuses)
    if goal is not None:
        if _finished(statuses, goal.id):
            return []
        wanted = cur.ancestors(goal.id) | {goal.id}
        ready = [t for t in ready if t in wanted]

    started = {t for t, s in statuses.items() if s in ("done", "learning")}

    def rank(tid: str) -> tuple:
        learning = statuses.get(tid) == "learning"
        # a companion of something already started is overdue: the roadmaps pair them
        behind = bool(started & set(cur.topics[tid].parallel))
        return (not learning, not behind, *cur.sort_key(tid), -len(cur.descendants(tid)))

    suggestions: list[Suggestion] = []
    placed: set[str] = set()
    for tid in sorted(ready, key=rank):
        if tid in placed:
            continue
        group = [tid] + [c for c in cur.topics[tid].parallel if c in ready and c not in placed]
        placed.update(group)
        suggestions.append(_explain(cur, [cur.topics[g] for g in group], statuses, goal))
        if len(suggestions) >= limit:
            break
    return suggestions


def _explain(cur: Curriculum, group: list[Topic], statuses: dict[str, str], goal: Topic | None) -> Suggestion:
    lead = group[0]
    parts = []
    if statuses.get(lead.id) == "learning":
        parts.append("you are already learning it")
    paired = [cur.topics[c].title for c in lead.parallel if statuses.get(c) in ("done", "learning")]
    if paired:
        parts.append("the roadmaps pair it with " + ", ".join(paired) + ", which you have started")
    met = [cur.topics[p].title for p in lead.prerequisites]
    parts.append(f"its prerequisites are done ({', '.join(met)})" if met else "it has no prerequisites")
    unlocks = sorted(_unlocks(cur, lead.id, statuses), key=cur.sort_key)
    if unlocks:
        parts.append(
            "it unlocks "
            + ", ".join(cur.topics[u].title for u in unlocks[:4])
            + (f" and {len(unlocks) - 4} more" if len(unlocks) > 4 else "")
        )
    if len(group) > 1:
        parts.append("the roadmaps pair it with " + " and ".join(t.title for t in group[1:]))
    if goal is not None and goal.id != lead.id:
        parts.append(f"it is on the way to {goal.title}")
    why = "; ".join(parts)
    return Suggestion(group, why[0].upper() + why[1:] + ".", unlocks)


# --- prerequisites --------------------------------------------------------------------------


def prerequisite_chain(cur: Curriculum, topic: Topic, statuses: dict[str, str] | None = None) -> dict:
    depth = cur.depths(topic.id)
    chain = []
    for tid in cur.topological(cur.ancestors(topic.id)):
        t = cur.topics[tid]
        direct = cur.edge(tid, topic.id)
        sources = (
            [direct.to_dict()]
            if direct
            else [{"kind": "topic", "doc": s.get("doc"), "quote": s.get("quote")} for s in t.sources[:2]]
        )
        chain.append({"id": tid, "title": t.title, "depth": depth[tid], "sources": sources})
    missing = []
    if statuses is not None:
        missing = [c["id"] for c in chain if not _finished(statuses, c["id"])]
    return {"topic": topic.brief(), "prerequisites": chain, "missing": missing}


# --- plans ----------------------------------------------------------------------------------


@dataclass
class Plan:
    weeks: list[list[tuple[str, float]]]  # per week: (topic id, hours), in study order
    unscheduled: list[str]
    hours_per_week: float

    @property
    def total_hours(self) -> float:
        return round(sum(h for week in self.weeks for _, h in week), 2)


def _blocks(cur: Curriculum, order: list[str]) -> list[list[str]]:
    """Consecutive groups to study side by side: a topic with the companions the roadmaps pair
    it with (followed transitively), each of which must already have its prerequisites
    finished before the group starts."""
    due = set(order)
    blocks: list[list[str]] = []
    placed: set[str] = set()
    for tid in order:
        if tid in placed:
            continue
        block, frontier = [tid], [tid]
        while frontier:
            for comp in cur.topics[frontier.pop()].parallel:
                ready = all(p in placed or p not in due for p in cur.topics[comp].prerequisites)
                if comp in due and comp not in placed and comp not in block and ready:
                    block.append(comp)
                    frontier.append(comp)
        placed.update(block)
        blocks.append(block)
    return blocks


def make_plan(
    cur: Curriculum,
    statuses: dict[str, str],
    hours_per_week: float,
    weeks: int | None = None,
    goal: Topic | None = None,
) -> Plan:
    if not 0.5 <= hours_per_week <= 100:
        raise UsageError("hours per week must be between 0.5 and 100")
    if weeks is not None and not 1 <= weeks <= 520:
        raise UsageError("weeks must be between 1 and 520")
    todo = set(cur.topics) if goal is None else _with_companions(cur, cur.ancestors(goal.id) | {goal.id}, statuses)
    todo = {t for t in todo if not _finished(statuses, t)}
    order = cur.topological(todo)
    schedule: list[list[tuple[str, float]]] = [[]]
    room = hours_per_week
    for block in _blocks(cur, order):
        remaining = {t: cur.topics[t].hours for t in block}
        while any(h > 1e-9 for h in remaining.values()):
            if room <= 1e-9:
                schedule.append([])
                room = hours_per_week
            active = [t for t in block if remaining[t] > 1e-9]
            share = room / len(active)
            for t in active:  # side by side: the week's room is shared between companions
                spend = min(share, remaining[t])
                _add(schedule[-1], t, spend)
                remaining[t] -= spend
                room -= spend
    schedule = [w for w in schedule if w]
    unscheduled: list[str] = []
    if weeks is not None and len(schedule) > weeks:
        beyond = {t for w in schedule[weeks:] for t, _ in w}  # not finished within the weeks asked
        unscheduled = [t for t in order if t in beyond]
        schedule = schedule[:weeks]
    return Plan(schedule, unscheduled, hours_per_week)


def _with_companions(cur: Curriculum, needed: set[str], statuses: dict[str, str]) -> set[str]:
    """A goal's prerequisites plus the companions the roadmaps say to learn alongside them
    ("theory and scikit-learn together"), when those need nothing outside the plan."""
    todo = set(needed)
    changed = True
    while changed:
        changed = False
        for tid in [t for t in todo if not _finished(statuses, t)]:
            for comp in cur.topics[tid].parallel:
                pre = cur.topics[comp].prerequisites
                if comp not in todo and all(p in todo or _finished(statuses, p) for p in pre):
                    todo.add(comp)
                    changed = True
    return todo


def _add(week: list[tuple[str, float]], topic: str, hours: float) -> None:
    for i, (t, h) in enumerate(week):
        if t == topic:
            week[i] = (t, h + hours)
            return
    week.append((topic, hours))


def check_plan(cur: Curriculum, plan: Plan, statuses: dict[str, str]) -> list[str]:
    """Precedence violations: a topic that starts before one of its prerequisites is finished
    (done before the plan, or fully scheduled earlier in the plan)."""
    first_week: dict[str, int] = {}
    last_week: dict[str, int] = {}
    position: dict[str, int] = {}
    pos = 0
    for w, week in enumerate(plan.weeks):
        for t, _ in week:
            first_week.setdefault(t, w)
            last_week[t] = w
            position.setdefault(t, pos)
            pos += 1
    problems = []
    for t in first_week:
        for p in cur.topics[t].prerequisites:
            if _finished(statuses, p):
                continue
            if p not in last_week:
                problems.append(f"{t} is scheduled but its prerequisite {p} is neither done nor planned")
            elif last_week[p] > first_week[t] or (last_week[p] == first_week[t] and position[p] > position[t]):
                problems.append(
                    f"{t} starts in week {first_week[t] + 1} before {p} is finished (week {last_week[p] + 1})"
                )
    return problems
