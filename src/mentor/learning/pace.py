"""A learner's own pace, measured from their log: how long a topic took them from its "learning"
event to its "done" event, against what the roadmaps' hours give at their weekly hours.

The curriculum's hours assume about 10 hours of study a week (`corpus/curriculum.yaml`), so a
topic of h hours is expected to take h / W weeks at W hours a week (the learner's profile's
`hours_per_week`, else 10). A finished topic's ratio is the weeks it took over the weeks
expected; the pace is the median ratio (one topic left open for a month does not swamp the
rest), kept within MIN_FACTOR..MAX_FACTOR. It counts once MIN_TOPICS topics are measured;
before that, plans and "how long" answers use the roadmaps' estimates and say so.

What is measured: changes the learner made (typed, confirmed, from chat), never undone and not
undos; from a topic's "learning" to the "done" that follows it (set learning twice, the first
counts, until something else happens to it); spans under MIN_SPAN are records caught up in one
sitting, not study, and left out; imported statuses carry no study time and are left out too.

Not here: scaling a plan by the pace (`plan.make_plan`'s `pace`), the wording of answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import TYPE_CHECKING

from mentor.learning.curriculum import Curriculum

if TYPE_CHECKING:
    from mentor.deps import Deps
    from mentor.learning.progress import Event

MIN_TOPICS = 3
MIN_SPAN = timedelta(hours=1)
DEFAULT_WEEKLY_HOURS = 10.0  # what the curriculum's hours assume
MIN_FACTOR, MAX_FACTOR = 0.25, 4.0
MEASURED_ORIGINS = ("typed", "confirmed", "agent")


@dataclass(frozen=True)
class Pace:
    topics: int  # finished topics measured
    factor: float | None  # time taken / the roadmaps' estimate; None: fewer than MIN_TOPICS measured
    weekly_hours: float

    @property
    def measured(self) -> bool:
        return self.factor is not None

    def scale(self) -> float:
        """What to multiply the roadmaps' hours by (1 until the pace is measured)."""
        return self.factor if self.factor is not None else 1.0

    def describe(self) -> str:
        """One sentence for a person."""
        if self.factor is None:
            return (
                f"Times are the roadmaps' estimates: your own pace is used once {MIN_TOPICS} topics are "
                f"finished from 'learning' to 'done' ({self.topics} so far)."
            )
        return (
            f"At your pace so far ({self.topics} topics), topics take you about {self.factor:.1f}× "
            f"the roadmaps' estimates at {self.weekly_hours:g} h a week."
        )

    def how_long(self, hours: float) -> str:
        """What a "how long" answer adds about a topic of `hours` estimated hours."""
        if self.factor is None:
            return f"These are the roadmaps' estimates: your own pace is used after {MIN_TOPICS} finished topics."
        weeks = hours * self.factor / self.weekly_hours
        return (
            f"At your pace so far ({self.topics} topics), about {hours * self.factor:.0f} hours, "
            f"{weeks:.1f} weeks at {self.weekly_hours:g} h a week."
        )

    def to_dict(self) -> dict:
        return {
            "measured": self.measured,
            "topics": self.topics,
            "factor": None if self.factor is None else round(self.factor, 2),
            "hours_per_week": self.weekly_hours,
            "message": self.describe(),
        }


def spans(events: list[Event]) -> dict[str, timedelta]:
    """Topic -> the time from its "learning" to its "done", for each topic finished that way
    (the latest such span when there are several), from the changes still in force."""
    undone = {e.undoes for e in events if e.undoes is not None}
    started: dict[str, datetime] = {}
    out: dict[str, timedelta] = {}
    for e in events:
        if e.origin not in MEASURED_ORIGINS or e.id in undone:
            continue
        when = datetime.fromisoformat(e.created_at)
        if e.status == "learning":
            started.setdefault(e.topic, when)
            continue
        begun = started.pop(e.topic, None)
        if e.status == "done" and begun is not None and when - begun >= MIN_SPAN:
            out[e.topic] = when - begun
    return out


def measure(cur: Curriculum, events: list[Event], weekly_hours: float | None = None) -> Pace:
    """The learner's pace from their event log (see the module's docstring)."""
    weekly = float(weekly_hours) if weekly_hours and 0.5 <= float(weekly_hours) <= 100 else DEFAULT_WEEKLY_HOURS
    ratios = []
    for topic, took in spans(events).items():
        if topic in cur.topics and cur.topics[topic].hours > 0:
            expected = timedelta(weeks=cur.topics[topic].hours / weekly)
            ratios.append(took / expected)
    if len(ratios) < MIN_TOPICS:
        return Pace(len(ratios), None, weekly)
    return Pace(len(ratios), min(MAX_FACTOR, max(MIN_FACTOR, median(ratios))), weekly)


def pace_of(deps: Deps, learner: str) -> Pace:
    """The learner's measured pace, at the weekly hours of their profile."""
    profile = deps.progress.profile(learner)
    hours = profile.get("hours_per_week") if isinstance(profile.get("hours_per_week"), (int, float)) else None
    return measure(deps.curriculum, deps.progress.history(learner), hours)
