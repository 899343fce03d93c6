"""Spaced review: when each finished topic comes back, scheduled by FSRS (the `fsrs` package,
its default parameters), fed by the learner's own history.

A topic's card is replayed from the log every time, so nothing is stored twice: the first
"done" event is its first review (rated Good), and each quiz that asked about it afterwards is a
review rated by the share of right answers (all right: Good, at least half: Hard, less: Again),
at the time of the quiz's last answer on it. Only topics whose status is "done" now are listed.
Learning steps are turned off: a topic is reviewed in days, not in minutes, and fuzzing is off
so that a schedule is repeatable with an injected clock.

Topics many others depend on come first: `dependents` counts every topic that needs it,
directly or through others (its descendants by hard prerequisite edges); ties go to the
earliest due. Not here: the quizzes (`mentor.learning.quiz`), calendars (`exports.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from fsrs import Card, Rating, Scheduler

from mentor.learning.quiz.storage import Answer, QuizStore

if TYPE_CHECKING:
    from mentor.deps import Deps
    from mentor.learning.progress import Event


@dataclass(frozen=True)
class Review:
    topic: str
    title: str
    due: datetime
    dependents: int

    def to_dict(self) -> dict:
        return {"topic": self.topic, "title": self.title, "due": self.due.isoformat(), "dependents": self.dependents}


@dataclass
class DueReviews:
    learner: str
    due: list[Review]

    def to_dict(self) -> dict:
        """The JSON of `mentor review --json` and `GET /api/review`."""
        return {"due": [r.to_dict() for r in self.due]}


def scheduler() -> Scheduler:
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def rating(right: int, asked: int) -> Rating:
    if right == asked:
        return Rating.Good
    return Rating.Hard if right * 2 >= asked else Rating.Again


def reviews_of(events: list[Event], answers: list[Answer]) -> dict[str, list[tuple[datetime, Rating]]]:
    """(when, rating) per topic, in time order: the first "done" event, then each quiz on it."""
    first_done: dict[str, datetime] = {}
    for e in events:
        if e.status == "done":
            first_done.setdefault(e.topic, datetime.fromisoformat(e.created_at))
    per_quiz: dict[tuple[str, str], list[Answer]] = {}
    for a in answers:
        per_quiz.setdefault((a.topic, a.quiz_id), []).append(a)
    out: dict[str, list[tuple[datetime, Rating]]] = {t: [(when, Rating.Good)] for t, when in first_done.items()}
    for (topic, _), given in per_quiz.items():
        when = max(datetime.fromisoformat(a.answered_at) for a in given)
        if topic in first_done and when > first_done[topic]:
            out[topic].append((when, rating(sum(a.correct for a in given), len(given))))
    return {t: sorted(r) for t, r in out.items()}


def card_for(reviews: list[tuple[datetime, Rating]], sched: Scheduler | None = None) -> Card:
    sched = sched or scheduler()
    card = Card(card_id=1, due=reviews[0][0])
    for when, given in reviews:
        card, _ = sched.review_card(card, given, when)
    return card


def schedule(deps: Deps, learner: str) -> list[Review]:
    """Every topic the learner has done, with its next review, most depended-on first."""
    cur = deps.curriculum
    statuses = deps.progress.statuses(learner)
    reviews = reviews_of(deps.progress.history(learner), QuizStore(deps.progress).answers(learner))
    sched = scheduler()
    out = []
    for topic, given in reviews.items():
        if statuses.get(topic) != "done" or topic not in cur.topics:
            continue
        card = card_for(given, sched)
        out.append(Review(topic, cur.topics[topic].title, card.due, len(cur.descendants(topic))))
    return sorted(out, key=lambda r: (-r.dependents, r.due, r.topic))


def due_reviews(deps: Deps, learner: str, until: datetime | None = None) -> DueReviews:
    """The topics due for review by `until` (default: now, by the store's clock), most
    depended-on first; each item's `to_dict()` is {"topic", "title", "due", "dependents"}."""
    until = until or deps.progress.clock()
    return DueReviews(learner, [r for r in schedule(deps, learner) if r.due <= until])
