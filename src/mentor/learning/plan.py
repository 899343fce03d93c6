"""What to learn next, what a topic needs first, and week-by-week study plans, all computed
from the curriculum graph and a learner's statuses (never guessed by a model).

- `study_order`: the one order both of the others follow. The dependency-correct roadmap's path
  steps come first, in its order, each preceded by the topics it softly comes after when those
  can start too ("prefer a topic's soft predecessors first"); the roadmap's anytime ([I]) and
  parallel tracks and the topics it does not name form a side lane that runs alongside the path.
  Hard prerequisites gate; soft edges only order.
- `next_steps`: the frontier (topics not done or skipped whose hard prerequisites all are), in
  study order, with parallel companions grouped and one slot kept for the side lane; a goal
  narrows it to what the roadmaps put before the goal (hard or soft).
- `prerequisite_chain`: every ancestor of a topic with its depth and sources, which are still
  missing for a learner, and the soft predecessors recommended first.
- `make_plan`: packs estimated hours into weeks in study order, companions side by side, the side
  lane taking a quarter of each week once the roadmap's "required first" block is done;
  `check_plan` verifies a plan never schedules a topic before its (hard) prerequisites.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mentor.corpus.chunks import Chunk
from mentor.errors import UsageError
from mentor.learning.curriculum import Curriculum, Topic
from mentor.learning.order import MAIN, SIDE, SIDE_SHARE, study_order
from mentor.learning.order import finished as _finished

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
    lane: str = MAIN


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
        wanted = cur.ancestors(goal.id, soft=True) | {goal.id}
        ready = [t for t in ready if t in wanted]
    groups: dict[str, list[list[str]]] = {MAIN: [], SIDE: []}
    placed: set[str] = set()
    for tid, lane in study_order(cur, statuses, ready, startable_now=True):
        if tid not in placed:
            group = [tid] + [c for c in cur.topics[tid].parallel if c in ready and c not in placed]
            placed.update(group)
            groups[lane].append(group)
    side = min(len(groups[SIDE]), int(limit * SIDE_SHARE)) if groups[MAIN] else limit
    main = min(len(groups[MAIN]), limit - side)
    chosen = [(MAIN, g) for g in groups[MAIN][:main]] + [(SIDE, g) for g in groups[SIDE][: limit - main]]
    earlier: set[str] = set()
    suggestions = []
    for lane, group in chosen:
        suggestions.append(_explain(cur, [cur.topics[g] for g in group], statuses, goal, lane, earlier))
        earlier.update(group)
    return suggestions


def _explain(
    cur: Curriculum, group: list[Topic], statuses: dict[str, str], goal: Topic | None, lane: str, earlier: set[str]
) -> Suggestion:
    lead = group[0]
    parts = []
    if statuses.get(lead.id) == "learning":
        parts.append("you are already learning it")
    parts += _why_backbone(cur, lead)
    paired = [cur.topics[c].title for c in lead.parallel if statuses.get(c) in ("done", "learning")]
    if paired:
        parts.append("the roadmaps pair it with " + ", ".join(paired) + ", which you have started")
    met = [cur.topics[p].title for p in lead.prerequisites]
    parts.append(f"its prerequisites are done ({', '.join(met)})" if met else "it has no prerequisites")
    parts += _why_soft(cur, lead, statuses, earlier)
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
    return Suggestion(group, why[0].upper() + why[1:] + ".", unlocks, lane)


def _why_backbone(cur: Curriculum, topic: Topic) -> list[str]:
    step = cur.step(topic.id)
    if step is None:
        return []
    if step.track == "anytime":
        return [f'the dependency-correct roadmap marks it independent, to learn any time alongside ("{step.quote}")']
    if step.track == "parallel":
        return [f'the dependency-correct roadmap runs it alongside everything else ("{step.quote}")']
    return [f'it is next on the dependency-correct roadmap ("{step.quote}")']


def _why_soft(cur: Curriculum, topic: Topic, statuses: dict[str, str], earlier: set[str]) -> list[str]:
    parts = []
    first = [p for p in topic.after if p in earlier]
    if first:
        parts.append("learn it after " + ", ".join(cur.topics[p].title for p in first) + " (suggested above)")
    wanting = [s for s in cur.topics if topic.id in cur.topics[s].after and not _finished(statuses, s)]
    if wanting:
        titles = [cur.topics[s].title for s in sorted(wanting, key=cur.sort_key)[:3]]
        parts.append("the roadmaps put it before " + ", ".join(titles))
    return parts


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
    recommended = [  # soft edges: what the roadmaps put first without requiring it
        {"id": p, "title": cur.topics[p].title, "sources": [cur.soft_edge(p, topic.id).to_dict()]} for p in topic.after
    ]
    return {"topic": topic.brief(), "prerequisites": chain, "missing": missing, "recommended": recommended}


# --- plans ----------------------------------------------------------------------------------


@dataclass
class Plan:
    weeks: list[list[tuple[str, float]]]  # per week: (topic id, hours), in study order
    unscheduled: list[str]
    hours_per_week: float

    @property
    def total_hours(self) -> float:
        return round(sum(h for week in self.weeks for _, h in week), 2)


def _blocks(cur: Curriculum, order: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """Consecutive groups to study side by side, each in its lead's lane: a topic with the
    companions the roadmaps pair it with (followed transitively), each of which must already have
    its prerequisites placed before the group starts."""
    due = {t for t, _ in order}
    blocks: list[tuple[str, list[str]]] = []
    placed: set[str] = set()
    for tid, lane in order:
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
        blocks.append((lane, block))
    return blocks


def make_plan(
    cur: Curriculum,
    statuses: dict[str, str],
    hours_per_week: float,
    weeks: int | None = None,
    goal: Topic | None = None,
    pace: float = 1.0,
) -> Plan:
    """`pace`: the learner's measured pace (`pace.py`), multiplying every topic's hours."""
    if not 0.5 <= hours_per_week <= 100:
        raise UsageError("hours per week must be between 0.5 and 100")
    if weeks is not None and not 1 <= weeks <= 520:
        raise UsageError("weeks must be between 1 and 520")
    wanted = cur.ancestors(goal.id, soft=True) | {goal.id} if goal is not None else set(cur.topics)
    todo = _with_companions(cur, wanted, statuses) if goal is not None else wanted
    order = study_order(cur, statuses, {t for t in todo if not _finished(statuses, t)})
    schedule = _Packer(cur, statuses, hours_per_week, pace).pack(_blocks(cur, order))
    unscheduled: list[str] = []
    if weeks is not None and len(schedule) > weeks:
        beyond = {t for w in schedule[weeks:] for t, _ in w}  # not finished within the weeks asked
        unscheduled = [t for t, _ in order if t in beyond]
        schedule = schedule[:weeks]
    return Plan(schedule, unscheduled, hours_per_week)


class _Packer:
    """Fills weeks from two lanes of blocks at once: the main lane (the roadmap's path) and the
    side lane (its anytime and parallel tracks, and the rest). Until the path's start is finished
    (its topics that need nothing: Python, "REQUIRED FIRST", and the data libraries learned with it)
    the main lane gets every hour; after that the side lane gets SIDE_SHARE of each week while it
    has a block that can start, and a lane with nothing to do lends its hours to the other. Within
    a block, a topic waits for its soft predecessors in the block. A block starts only when every
    hard prerequisite outside it is finished, earlier in the plan or earlier in the same week (the
    main lane fills each week first), so the plan passes `check_plan`."""

    def __init__(self, cur: Curriculum, statuses: dict[str, str], hours_per_week: float, pace: float = 1.0):
        self.cur, self.hours, self.pace = cur, hours_per_week, pace
        self.finished = {t for t in cur.topics if _finished(statuses, t)}
        self.left: dict[str, float] = {}
        self.queues: dict[str, list[list[str]]] = {MAIN: [], SIDE: []}
        self.active: dict[str, list[str] | None] = {MAIN: None, SIDE: None}

    def pack(self, blocks: list[tuple[str, list[str]]]) -> list[list[tuple[str, float]]]:
        for which, block in blocks:
            self.queues[which].append(block)
            self.left.update({t: self.cur.topics[t].hours * self.pace for t in block})
        start = [t for t in self.left if self._starts_the_path(t)]
        schedule = []
        while any(self.queues.values()) or any(self.active.values()):
            week = self._week(opened=all(t in self.finished for t in start))
            if not week:
                raise RuntimeError("plan packing stalled: a block waits on a topic no lane schedules")
            schedule.append(week)
        return schedule

    def _starts_the_path(self, topic_id: str) -> bool:
        step = self.cur.step(topic_id)
        return bool(step and step.track == "path" and not self.cur.topics[topic_id].prerequisites)

    def _week(self, opened: bool) -> list[tuple[str, float]]:
        week: list[tuple[str, float]] = []
        side = self.hours * SIDE_SHARE if opened and self._next(SIDE, peek=True) else 0.0
        spent = self._fill(week, MAIN, self.hours - side) + self._fill(week, SIDE, side)
        while spent < self.hours - 1e-9:  # a lane ran dry: the other may use what is left
            more = self._fill(week, MAIN, self.hours - spent)
            more += self._fill(week, SIDE, self.hours - spent - more)
            if more <= 1e-9:
                break
            spent += more
        return week

    def _fill(self, week: list[tuple[str, float]], lane: str, room: float) -> float:
        spent = 0.0
        while room - spent > 1e-9 and (block := self._next(lane)):
            active = self._active(block)
            share = (room - spent) / len(active)
            for t in active:  # side by side: the lane's room is shared between companions
                hours = min(share, self.left[t])
                _add(week, t, hours)
                self.left[t] -= hours
                spent += hours
                if self.left[t] <= 1e-9:
                    self.finished.add(t)
            if all(self.left[t] <= 1e-9 for t in block):
                self.active[lane] = None
        return spent

    def _active(self, block: list[str]) -> list[str]:
        """The block's unfinished topics, less those waiting for a soft predecessor in the block."""
        active = [t for t in block if self.left[t] > 1e-9]
        free = [t for t in active if not set(self.cur.topics[t].after) & set(active)]
        return free or active

    def _next(self, lane: str, peek: bool = False) -> list[str] | None:
        """The lane's block in progress, else the first queued block that can start now."""
        if self.active[lane]:
            return self.active[lane]
        for i, block in enumerate(self.queues[lane]):
            outside = {p for t in block for p in self.cur.topics[t].prerequisites} - set(block)
            if outside <= self.finished:
                if not peek:
                    self.active[lane] = self.queues[lane].pop(i)
                return block
        return None


def _with_companions(cur: Curriculum, needed: set[str], statuses: dict[str, str]) -> set[str]:
    """What the roadmaps put before a goal plus the companions the roadmaps say to learn alongside them
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
