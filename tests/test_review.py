"""Spaced review from the learner's history, on a real SQLite store with an injected clock:
"done" is the first review, quizzes rate later ones (fsrs schedules them), only topics done now
are listed, the most depended-on first."""

from datetime import datetime, timedelta, timezone

import pytest
from fsrs import Rating
from test_quiz import share_corpus

from mentor.deps import Deps
from mentor.learning import review
from mentor.learning.quiz import session

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self):
        return self.now

    def advance(self, **kwargs):
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def study(deps, tmp_path, clock):
    return share_corpus(Deps(deps.settings.with_overrides(home=tmp_path / "home"), clock=clock), deps)


def test_a_done_topic_comes_back_days_later(study, clock):
    study.progress.record("ana", "numpy", "done")
    assert review.due_reviews(study, "ana").to_dict() == {"due": []}
    clock.advance(days=30)
    due = review.due_reviews(study, "ana").to_dict()["due"]
    assert [d["topic"] for d in due] == ["numpy"]
    assert set(due[0]) == {"topic", "title", "due", "dependents"}
    assert START < datetime.fromisoformat(due[0]["due"]) < clock.now
    assert review.due_reviews(study, "ana", until=START + timedelta(hours=1)).due == []  # the iCal feed's window


def test_topics_many_depend_on_come_first(study, clock):
    for topic in ("numpy", "python-basics", "decision-trees"):
        study.progress.record("bo", topic, "done")
    clock.advance(days=30)
    due = review.due_reviews(study, "bo").due
    assert [d.topic for d in due] == ["python-basics", "decision-trees", "numpy"]
    assert due[0].dependents == len(study.curriculum.descendants("python-basics")) > due[1].dependents


def test_only_topics_done_now_are_reviewed(study, clock):
    study.progress.record("cy", "numpy", "done")
    study.progress.record("cy", "numpy", "not_started")
    clock.advance(days=30)
    assert review.due_reviews(study, "cy").due == []


def test_quiz_results_move_the_next_review(study, clock):
    """A topic answered wrongly comes back sooner than one answered rightly."""
    for learner, right in (("good", True), ("poor", False)):
        clock.now = START
        study.progress.record(learner, "numpy", "done")
        clock.advance(days=3)
        made = session.start_quiz(study, learner, "numpy", n=20)
        for q in made.quiz.questions:
            session.answer_question(study, learner, made.quiz.id, q.id, q.answer if right else (q.answer + 1) % 3)
    good, poor = (review.schedule(study, learner)[0].due for learner in ("good", "poor"))
    assert poor < good


def test_ratings_from_the_share_right():
    assert [review.rating(r, 4) for r in (4, 3, 2, 1)] == [Rating.Good, Rating.Hard, Rating.Hard, Rating.Again]
