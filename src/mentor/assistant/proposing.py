"""The tools that propose changes to a learner's data: `propose_progress`, `propose_undo` and
`propose_profile`. None of them writes: each stores a proposal (`mentor.learning.proposals`)
that the learner confirms in a front end, and only when the learner's own message this turn
states that change (`statements.py`, `safety.py`); passages, pages and model text cannot create
one. Their docstrings are what a model reads.

`ProposalTools` is a part of `Toolbox` (`tools.py`), which provides `deps`, `learner`,
`user_message`, `context`, `proposals` and `_topic`. Not here: reading tools, calling a tool.
"""

from __future__ import annotations

from mentor.assistant.results import ToolResult
from mentor.assistant.safety import profile_statement_allows
from mentor.assistant.statements import asks_undo, read_statements
from mentor.assistant.topics import mentioned_topic
from mentor.errors import MentorError
from mentor.learning.progress import parse_status
from mentor.learning.proposals import Proposal


class ProposalTools:
    def propose_progress(self, topic: str, status: str) -> ToolResult:
        """Propose recording that the learner finished ('done'), started ('learning'), skipped
        ('skipped') or reset ('not_started') one topic, when they have just said so about
        themselves. Nothing is recorded until the learner confirms the proposal; tell them it
        is waiting for their confirmation."""
        t = self._topic(topic)
        if isinstance(t, ToolResult):
            return t
        try:
            status = parse_status(status)
        except MentorError as exc:
            return ToolResult(f"Not proposed: {exc}")
        said = {s.topic.id: s for s in read_statements(self.user_message, self.deps.curriculum, self.context)}
        if t.id not in said:
            why = f"the learner's message does not state their progress on {t.title}"
            return ToolResult(f"Not proposed: {why}", {"refused": why})
        proposal = self._propose("status", said[t.id].evidence, topic=t.id, status=status, title=t.title)
        return ToolResult(
            f"Proposed: {t.title} as {status}. It is recorded only when the learner confirms it.",
            {"topic": t, "status": status, "proposal": proposal},
        )

    def propose_undo(self) -> ToolResult:
        """Propose taking back the learner's last progress change (the topic returns to its
        status before it), when they have just asked for it ("undo", "take that back"). Nothing
        changes until the learner confirms."""
        if not asks_undo(self.user_message):
            why = 'the learner has not asked to undo anything (they can say "undo")'
            return ToolResult(f"Not proposed: {why}", {"refused": why})
        group = self.deps.progress.latest_statement(self.learner)  # all of "I finished numpy and pandas"
        if not group:
            return ToolResult("There is nothing to undo.", {"undo": None})
        cur = self.deps.curriculum
        titles = [cur.topics[e.topic].title if e.topic in cur.topics else e.topic for e, _ in group]
        change, previous = group[0]
        each_back = len({p for _, p in group}) > 1  # topics going back to different statuses
        title = _each_back(titles, group) if each_back else " and ".join(titles)
        proposal = self._propose(
            "undo",
            self.user_message,
            topic=change.topic,
            status=previous,
            title=title,
            undoes=change.id,
            payload={"undoes": [e.id for e, _ in group], "each_back": each_back} if len(group) > 1 else None,
        )
        text = f"Proposed: undo {title}, back to {previous}. It happens when the learner confirms."
        return ToolResult(text, {"undo": proposal, "proposal": proposal})

    def propose_profile(self, goal: str = "", hours_per_week: float = 0, background: str = "") -> ToolResult:
        """Propose remembering what the learner has just said about themselves: their `goal` (a
        topic or a role, e.g. 'transformers'), the `hours_per_week` they can study, or their
        `background`. Give only what they said and leave the rest empty; once the learner
        confirms, next steps and plans use the goal and the hours."""
        given = {
            name: value
            for name, value in (
                ("goal", goal.strip()),
                ("background", background.strip()),
                ("hours_per_week", hours_per_week),
            )
            if value
        }
        if not given:
            return ToolResult("Nothing to propose: give a goal, hours_per_week or background.")
        if hours_per_week and not 0.5 <= hours_per_week <= 100:  # what plans accept
            return ToolResult("Not proposed: hours_per_week must be between 0.5 and 100.")
        allowed, why = profile_statement_allows(self.user_message, given)
        if not allowed:
            return ToolResult(f"Not proposed: {why}", {"refused": why})
        if given.get("goal"):
            found = mentioned_topic(given["goal"], self.deps.curriculum)
            given["goal_topic"] = found.id if found else None
        proposal = self._propose("profile", self.user_message, title=_profile_title(given), payload=given)
        return ToolResult(
            f"Proposed: remember {proposal.title}. It is saved when the learner confirms.",
            {"profile": given, "proposal": proposal},
        )

    def _propose(self, kind: str, evidence: str, **fields) -> Proposal:
        proposal = self.deps.proposals.propose(self.learner, kind, evidence, **fields)
        self.proposals.append(proposal)
        return proposal


def _profile_title(given: dict) -> str:
    parts = []
    if given.get("goal"):
        parts.append(f"your goal: {given['goal']}")
    if given.get("hours_per_week"):
        parts.append(f"{given['hours_per_week']:g} hours a week")
    if given.get("background"):
        parts.append(f"your background: {given['background']}")
    return ", ".join(parts)


def _each_back(titles: list[str], group) -> str:
    """'NumPy (back to learning) and Pandas (back to not started)'."""
    return " and ".join(f"{t} (back to {p.replace('_', ' ')})" for t, (_, p) in zip(titles, group))
