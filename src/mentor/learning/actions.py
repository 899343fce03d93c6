"""What a learner can ask of the curriculum and their progress, written once; the CLI, the API,
the page and the assistant's tools only translate arguments in and results out.

Each use case takes the `Deps` collaborator bag (it reads the curriculum, the corpus passages,
the linked resources and the progress store from it) and returns a typed result whose
`to_dict()` is the JSON the CLI (`--json`) and the API answer with.

Not here: the graph algorithms (`plan.py`), storage (`progress.py`), file formats
(`transfer.py`, `exports.py`), and anything about how a front end shows a result.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mentor.errors import PlanInvariantBroken
from mentor.learning import transfer
from mentor.learning.curriculum import Curriculum, Topic
from mentor.learning.notes.store import Note, Notes, import_notes, notes_to_import
from mentor.learning.order import implied_known, route
from mentor.learning.pace import Pace, pace_of
from mentor.learning.plan import Plan, check_plan, citations, make_plan, next_steps, prerequisite_chain, resources
from mentor.learning.plan_weeks import week_reasons
from mentor.learning.progress import Event, parse_status
from mentor.learning.proposals import Proposal

if TYPE_CHECKING:  # the collaborators' bag; importing it here would make a circle (deps builds the assistant)
    from mentor.deps import Deps


def _goal(cur: Curriculum, goal_text: str | None) -> Topic | None:
    return cur.resolve(goal_text) if goal_text else None


def _brief(topic: Topic | None) -> dict | None:
    return topic.brief() if topic else None


# --- what next ------------------------------------------------------------------------------


@dataclass
class Step:
    """One suggestion: a topic to learn now, the companions to learn with it, and why."""

    topic: Topic
    companions: list[Topic]
    why: str
    unlocks: list[str]
    resources: list[dict]
    citations: list[dict]

    def to_dict(self) -> dict:
        return {
            "id": self.topic.id,
            "title": self.topic.title,
            "why": self.why,
            "hours": self.topic.hours,
            "learn_with": [c.brief() for c in self.companions],
            "unlocks": self.unlocks,
            "resources": self.resources,
            "citations": self.citations,
        }


@dataclass
class NextSteps:
    learner: str
    goal: Topic | None
    steps: list[Step]
    route: list[Topic] = field(default_factory=list)  # the way still to go to the goal, in order

    def to_dict(self) -> dict:
        return {
            "user": self.learner,
            "goal": _brief(self.goal),
            "topics": [s.to_dict() for s in self.steps],
            "route": [{**t.brief(), "phase": t.phase} for t in self.route],
        }


def next_steps_for(
    deps: Deps,
    learner: str,
    goal_text: str | None = None,
    assuming_done: Collection[str] = (),
    not_done: Collection[str] = (),
) -> NextSteps:
    """What `learner` can learn now (towards `goal_text`, a topic in free text, when given);
    `assuming_done`: topic ids to count as finished besides those recorded ("after X?"); `not_done`:
    topic ids that what those imply does not cover ("maths PhD, never written code": not Python)."""
    cur = deps.curriculum
    goal = _goal(cur, goal_text)
    # Recorded statuses win over what is inferred.
    implied = {p: "done" for p in implied_known(cur, assuming_done) - set(not_done)}
    statuses = {**implied, **deps.progress.statuses(learner), **{tid: "done" for tid in assuming_done}}
    steps = []
    for s in next_steps(cur, statuses, goal):
        lead = s.topics[0]
        found = [r for t in s.topics for r in resources(t, deps.resource_index)]
        steps.append(Step(lead, s.topics[1:], s.why, s.unlocks, found, citations(lead, deps.passages)))
    way = [cur.topics[t] for t in route(cur, goal, statuses)] if goal is not None else []
    return NextSteps(learner, goal, steps, way)


# --- what a topic needs first ---------------------------------------------------------------


@dataclass
class Prerequisite:
    id: str
    title: str
    depth: int  # prerequisite hops back from the topic asked about
    sources: list[dict]  # where the requirement comes from

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "depth": self.depth, "sources": self.sources}


@dataclass
class Prerequisites:
    topic: Topic
    prerequisites: list[Prerequisite]  # in learning order
    missing: list[str]  # ids not finished by the learner (empty when no learner was given)
    learner: str | None = None
    # soft edges: better learned first, never required ({id, title, sources})
    recommended: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "topic": self.topic.brief(),
            "prerequisites": [p.to_dict() for p in self.prerequisites],
            "missing": self.missing,
            "recommended": self.recommended,
        }


def prerequisites_for(deps: Deps, topic_text: str, learner: str | None = None) -> Prerequisites:
    """Everything a topic needs first; with a learner, also which of it they have not finished."""
    cur = deps.curriculum
    topic = cur.resolve(topic_text)
    statuses = deps.progress.statuses(learner) if learner is not None else None
    chain = prerequisite_chain(cur, topic, statuses)
    prerequisites = [Prerequisite(**p) for p in chain["prerequisites"]]
    return Prerequisites(topic, prerequisites, chain["missing"], learner, chain["recommended"])


# --- recording progress ---------------------------------------------------------------------


@dataclass
class StatusChange:
    learner: str
    topic: Topic
    event: Event

    @property
    def status(self) -> str:
        return self.event.status

    def to_dict(self) -> dict:
        return {"topic": self.topic.brief(), "status": self.event.status, "updated_at": self.event.created_at}


def set_status(
    deps: Deps, learner: str, topic_text: str, status_text: str, origin: str = "typed", note: str | None = None
) -> StatusChange:
    """Record a topic's status (both in free text: "LR", "finished") for `learner`; `note` is
    kept with the change (e.g. the learner's own words, when the assistant records it)."""
    topic = deps.curriculum.resolve(topic_text)
    event = deps.progress.record(learner, topic.id, parse_status(status_text), origin=origin, note=note)
    return StatusChange(learner, topic, event)


@dataclass
class Undone:
    change: Event  # the change taken back
    revert: Event  # the event that restores the status before it
    title: str  # the topic's title (its id when the curriculum no longer has it)

    @property
    def topic(self) -> str:
        return self.change.topic

    @property
    def status(self) -> str:
        return self.revert.status

    def to_dict(self) -> dict:
        return {"topic": self.change.topic, "status": self.revert.status}


def undo_last(deps: Deps, learner: str) -> Undone | None:
    """Take back the learner's latest change still in force; None when there is none."""
    undone = deps.progress.undo(learner)
    if undone is None:
        return None
    change, revert = undone
    topic = deps.curriculum.topics.get(change.topic)
    return Undone(change, revert, topic.title if topic else change.topic)


# --- proposals: what chat proposed, applied only when the learner confirms -------------------


@dataclass
class ProposalResult:
    """A proposal the learner answered: applied (with the change made) or dismissed."""

    proposal: Proposal
    applied: bool
    event: Event | None = None
    profile: dict | None = None

    def to_dict(self) -> dict:
        data = {"proposal": self.proposal.to_dict(), "applied": self.applied}
        if self.event is not None:
            data["status"] = self.event.status
            data["updated_at"] = self.event.created_at
        if self.profile is not None:
            data["profile"] = self.profile
        return data

    def describe(self) -> str:
        if not self.applied:
            return f"Dismissed: {self.proposal.describe()}."
        if self.proposal.kind == "profile":
            return f"Remembered {self.proposal.title}."
        if self.proposal.kind == "undo":
            if self.proposal.each_back:
                return f"Undone: {self.proposal.title}."
            verb = "are" if self.proposal.several else "is"
            return f"Undone: {self.proposal.title} {verb} back to {self.event.status.replace('_', ' ')}."
        return f"Recorded: {self.proposal.title} is now {self.event.status.replace('_', ' ')}."


def pending_proposals(deps: Deps, learner: str) -> list[Proposal]:
    """The learner's proposals still waiting for an answer, oldest first."""
    return deps.proposals.pending(learner)


def apply_proposal(deps: Deps, learner: str, proposal_id: str) -> ProposalResult:
    """Carry out one of the learner's pending proposals (the learner's confirmation)."""
    applied = deps.proposals.apply(learner, proposal_id)
    return ProposalResult(applied.proposal, True, applied.event, applied.profile)


def dismiss_proposal(deps: Deps, learner: str, proposal_id: str) -> ProposalResult:
    """Answer one of the learner's pending proposals with no: nothing changes."""
    return ProposalResult(deps.proposals.dismiss(learner, proposal_id), False)


# --- study plans ----------------------------------------------------------------------------


@dataclass
class PlannedTopic:
    id: str
    title: str
    hours: float  # this week's share of the topic

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "hours": self.hours}


@dataclass
class PlanWeek:
    number: int  # from 1
    topics: list[PlannedTopic]
    resources: list[dict]
    why: str = ""  # what the week starts, where the roadmaps put it, what it opens up

    def to_dict(self) -> dict:
        topics = [t.to_dict() for t in self.topics]
        return {"week": self.number, "topics": topics, "resources": self.resources, "why": self.why}


@dataclass
class StudyPlan:
    learner: str
    goal: Topic | None
    hours_per_week: float
    weeks: list[PlanWeek]
    total_hours: float
    unscheduled: list[str] = field(default_factory=list)  # topic ids that do not fit the weeks asked
    schedule: Plan | None = None  # the graph-level plan these weeks show (what `check_plan` reads)
    unscheduled_titles: list[str] = field(default_factory=list)  # the same topics, by name
    pace: Pace | None = None  # the learner's measured pace the hours are scaled by (`pace.py`)

    def to_dict(self) -> dict:
        return {
            "user": self.learner,
            "goal": _brief(self.goal),
            "hours_per_week": self.hours_per_week,
            "weeks": [w.to_dict() for w in self.weeks],
            "total_hours": self.total_hours,
            "unscheduled": self.unscheduled,
            "pace": self.pace.to_dict() if self.pace else None,
        }


def study_plan_for(deps: Deps, learner: str, hours: float, weeks: int | None, goal_text: str | None) -> StudyPlan:
    """A week-by-week plan at `hours` a week, for `weeks` weeks (None: until done), towards
    `goal_text` (None: the whole curriculum). Raises PlanInvariantBroken, a bug of ours, rather
    than show a plan that schedules a topic before its prerequisites."""
    cur = deps.curriculum
    goal = _goal(cur, goal_text)
    statuses = deps.progress.statuses(learner)
    pace = pace_of(deps, learner)
    plan = make_plan(cur, statuses, hours, weeks, goal, pace=pace.scale())
    problems = check_plan(cur, plan, statuses)
    if problems:
        raise PlanInvariantBroken("plan violates prerequisites: " + "; ".join(problems))
    titles = {d.id: d.title for d in deps.documents}
    reasons = week_reasons(cur, plan.weeks, statuses, titles)
    weeks_shown = [_plan_week(deps, n, week, why) for n, (week, why) in enumerate(zip(plan.weeks, reasons), 1)]
    names = [cur.topics[t].title for t in plan.unscheduled]
    return StudyPlan(learner, goal, hours, weeks_shown, plan.total_hours, plan.unscheduled, plan, names, pace)


def _plan_week(deps: Deps, number: int, week: list[tuple[str, float]], why: str = "") -> PlanWeek:
    cur = deps.curriculum
    found: list[dict] = []
    for tid, _ in week:
        found += [r for r in resources(cur.topics[tid], deps.resource_index) if r not in found]
    topics = [PlannedTopic(tid, cur.topics[tid].title, round(hours, 2)) for tid, hours in week]
    return PlanWeek(number, topics, found, why)


# --- progress in and out --------------------------------------------------------------------


@dataclass
class ProgressReport:
    """A learner's recorded statuses: `to_dict()` is the JSON export, `to_markdown()` the
    checklist export, `phases` the checklist for a front end to show its own way."""

    learner: str
    state: dict[str, tuple[str, str]]  # topic id -> (status, updated_at)
    curriculum: Curriculum = field(repr=False)
    notes: list[Note] = field(default_factory=list)  # the learner's notes per topic

    @property
    def phases(self) -> list[transfer.PhaseChecklist]:
        return transfer.phase_checklists(self.curriculum, self.state)

    def to_dict(self) -> dict:
        return transfer.export_dict(self.learner, self.curriculum, self.state, self.notes)

    def to_markdown(self) -> str:
        return transfer.export_markdown(self.learner, self.curriculum, self.state, self.notes)


def progress_of(deps: Deps, learner: str) -> ProgressReport:
    notes = Notes(deps.progress).of(learner)
    return ProgressReport(learner, deps.progress.state(learner), deps.curriculum, notes)


def history_of(deps: Deps, learner: str) -> list[Event]:
    """Every change the learner's log holds, oldest first."""
    return deps.progress.history(learner)


@dataclass
class Imported:
    learner: str
    result: transfer.ImportResult
    source: Path
    notes: int = 0  # notes brought in (a JSON export's, less those already kept)


def import_progress(deps: Deps, learner: str, path: Path) -> Imported:
    """Read a marked-up roadmap or a JSON export and record what it marks, all or nothing."""
    result = transfer.read_import(path, deps.curriculum)
    fresh = notes_to_import(deps.progress, learner, result.notes)  # refused before anything is recorded
    if result.changes:
        deps.progress.record_many(learner, result.changes, origin="imported", note=f"import of {path.name}")
    return Imported(learner, result, path, import_notes(deps.progress, learner, fresh))
