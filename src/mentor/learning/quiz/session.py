"""The knowledge-check use cases every front end calls: make a quiz, grade an answer (with the
passage shown), and, when a topic's check is passed, propose it as done through the same
proposal-and-confirm path as chat (`Proposals`): a quiz never writes progress itself.

A topic's check is passed when all its questions in the quiz are answered, there are at least
PASS_MIN of them, and at least PASS_SHARE of them are right. Not here: the questions
(`kinds.py`), storage (`storage.py`), open answers graded by a model (`open.py`).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import and_, exists, update

from mentor.corpus.chunks import Chunk
from mentor.errors import UsageError
from mentor.learning.proposals import Proposal
from mentor.learning.quiz.kinds import question_bank
from mentor.learning.quiz.lines import corpus_lines
from mentor.learning.quiz.questions import Question
from mentor.learning.quiz.storage import Answer, Quiz, QuizStore
from mentor.learning.quiz.tables import QUIZ_ANSWERS

if TYPE_CHECKING:
    from mentor.deps import Deps

PASS_MIN = 2  # questions on a topic
PASS_SHARE = 0.8  # of them right
PER_TOPIC = 3  # questions per topic in a quiz over several topics
MAX_QUESTIONS = 20

_BANKS: dict[int, list[Question]] = {}


def bank(deps: Deps) -> list[Question]:
    """Every checked question the corpus supports, made once per passage list (a few seconds)."""
    passages = deps.passages
    if id(passages) not in _BANKS:
        _BANKS.clear()
        _BANKS[id(passages)] = question_bank(deps.curriculum, corpus_lines(passages))
    return _BANKS[id(passages)]


def _passage(deps: Deps, chunk_id: str) -> Chunk | None:
    return corpus_lines(deps.passages).by_id.get(chunk_id)


# --- making a quiz --------------------------------------------------------------------------


@dataclass
class QuizOut:
    quiz: Quiz

    def to_dict(self, reveal: bool = True) -> dict:
        """`mentor quiz --json` (reveal) and the API (answers and quotes withheld until answered)."""
        return {"quiz": self.quiz.id, "questions": [q.to_dict(reveal) for q in self.quiz.questions]}


def start_quiz(
    deps: Deps, learner: str, topic_text: str | None = None, n: int = 5, rng: random.Random | None = None
) -> QuizOut:
    """A quiz of `n` questions on a topic (free text), or on the learner's own topics first
    (learning, then done, then the rest), PER_TOPIC questions a topic."""
    if not 1 <= n <= MAX_QUESTIONS:
        raise UsageError(f"a quiz has 1 to {MAX_QUESTIONS} questions (got {n})")
    rng = rng or random.Random()
    questions = bank(deps)
    if topic_text:
        topic = deps.curriculum.resolve(topic_text)
        pool = [q for q in questions if q.topic == topic.id]
        if not pool:
            raise UsageError(f"the roadmaps give no checkable question about {topic.title} yet")
        chosen = rng.sample(pool, min(n, len(pool)))
    else:
        chosen = _across_topics(deps, learner, questions, n, rng)
    return QuizOut(QuizStore(deps.progress).create(learner, chosen))


def _across_topics(deps: Deps, learner: str, questions: list[Question], n: int, rng: random.Random) -> list[Question]:
    statuses = deps.progress.statuses(learner)
    by_topic: dict[str, list[Question]] = {}
    for q in questions:
        by_topic.setdefault(q.topic, []).append(q)
    topics = list(by_topic)
    rng.shuffle(topics)
    topics.sort(key=lambda t: {"learning": 0, "done": 1}.get(statuses.get(t, ""), 2))
    chosen: list[Question] = []
    for tid in topics:
        pool = by_topic[tid]
        chosen += rng.sample(pool, min(PER_TOPIC, len(pool), n - len(chosen)))
        if len(chosen) >= n:
            break
    return chosen


# --- grading --------------------------------------------------------------------------------


@dataclass
class TopicCheck:
    topic: str
    title: str
    asked: int  # questions on the topic in the quiz
    answered: int
    right: int

    @property
    def complete(self) -> bool:
        return self.answered == self.asked

    @property
    def passed(self) -> bool:
        return self.complete and self.asked >= PASS_MIN and self.right >= math.ceil(PASS_SHARE * self.asked)

    def to_dict(self) -> dict:
        return {
            "id": self.topic,
            "title": self.title,
            "asked": self.asked,
            "answered": self.answered,
            "right": self.right,
            "passed": self.passed,
        }


@dataclass
class Graded:
    quiz_id: str
    question: Question
    option: int | None
    correct: bool
    passage: str  # the cited passage's text, shown with the grade
    check: TopicCheck
    proposal: Proposal | None = None
    feedback: str = ""  # an open answer: the model's reason

    def to_dict(self) -> dict:
        return {
            "quiz": self.quiz_id,
            "question": self.question.id,
            "option": self.option,
            "correct": self.correct,
            "answer": self.question.answer,
            "right_option": self.question.options[self.question.answer],
            "citation": self.question.citation,
            "passage": self.passage,
            "feedback": self.feedback,
            "topic": self.check.to_dict(),
            "proposal": self.proposal.to_dict() if self.proposal else None,
        }


def answer_question(deps: Deps, learner: str, quiz_id: str, question_id: str, option: int) -> Graded:
    """Grade one answer (an option index) at once, store it, and propose the topic as done when
    this answer completes a passed check. A second answer to a question is QuizAnswered."""
    store = QuizStore(deps.progress)
    quiz = store.get(learner, quiz_id)
    question = quiz.question(question_id)
    if isinstance(option, bool) or not isinstance(option, int) or not 0 <= option < len(question.options):
        raise UsageError(f"option must be an index from 0 to {len(question.options) - 1} (got {option!r})")
    return record_answer(deps, learner, quiz, question, option, option == question.answer)


def record_answer(
    deps: Deps, learner: str, quiz: Quiz, question: Question, option: int, correct: bool, feedback: str = ""
) -> Graded:
    """Store a graded answer and answer with the passage and the topic's check (`open.py` too)."""
    store = QuizStore(deps.progress)
    now = deps.progress.clock().isoformat()
    answer = Answer(quiz.id, question.id, question.topic, option, correct, now)
    with deps.progress.engine.begin() as conn:
        store.record(learner, answer, conn)
        answers = store.answers(learner, quiz.id, conn)
    check = _check(deps, quiz, question.topic, answers)
    proposal = _propose(deps, learner, quiz, question, check) if check.passed else None
    chunk = _passage(deps, question.citation["chunk_id"])
    shown = None if option < 0 else option
    return Graded(quiz.id, question, shown, correct, chunk.text if chunk else "", check, proposal, feedback)


def _check(deps: Deps, quiz: Quiz, topic: str, answers: list[Answer]) -> TopicCheck:
    ids = {q.id for q in quiz.questions if q.topic == topic}
    mine = [a for a in answers if a.question_id in ids]
    title = deps.curriculum.topics[topic].title if topic in deps.curriculum.topics else topic
    return TopicCheck(topic, title, len(ids), len(mine), sum(a.correct for a in mine))


def _propose(deps: Deps, learner: str, quiz: Quiz, question: Question, check: TopicCheck) -> Proposal | None:
    """Propose the topic as done, once per quiz and topic, unless it is done already."""
    if deps.progress.statuses(learner).get(check.topic) == "done" or not _claim(deps, quiz.id, question):
        return None
    evidence = f"quiz {quiz.id}: {check.right} of {check.asked} right on {check.title}"
    proposal = deps.proposals.propose(learner, "status", evidence, topic=check.topic, status="done", title=check.title)
    with deps.progress.engine.begin() as conn:
        conn.execute(
            update(QUIZ_ANSWERS)
            .where(QUIZ_ANSWERS.c.quiz_id == quiz.id, QUIZ_ANSWERS.c.question_id == question.id)
            .values(proposal_id=proposal.id)
        )
    return proposal


def _claim(deps: Deps, quiz_id: str, question: Question) -> bool:
    """Mark this answer as the one that proposes its topic: false when another answer of the
    same quiz and topic already did (two workers grading the last two answers at once)."""
    other = QUIZ_ANSWERS.alias("other")
    taken = exists().where(
        and_(other.c.quiz_id == quiz_id, other.c.topic == question.topic, other.c.proposal_id.is_not(None))
    )
    with deps.progress.engine.begin() as conn:
        claimed = conn.execute(
            update(QUIZ_ANSWERS)
            .where(QUIZ_ANSWERS.c.quiz_id == quiz_id, QUIZ_ANSWERS.c.question_id == question.id, ~taken)
            .values(proposal_id="claimed")
        ).rowcount
    return claimed == 1
