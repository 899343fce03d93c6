"""Quizzes and their answers in the progress database (tables in `tables.py`), so that any API worker
can grade a quiz another one made, and spaced review can read every answer a learner gave.

A quiz keeps its questions (with their answers) as JSON; an answer row is written once per
question (its primary key refuses a second), with the proposal a passed check made, if any.
Every query is scoped to one learner: another learner's quiz id is "no such quiz".

Not here: making questions (`kinds.py`), grading and passing (`session.py`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from mentor.errors import QuizAnswered, QuizNotFound
from mentor.learning.progress import ProgressStore, check_learner, new_id
from mentor.learning.quiz.questions import Question
from mentor.learning.quiz.tables import QUIZ_ANSWERS, QUIZZES

ID = re.compile(r"[A-Za-z0-9_-]{1,40}")


@dataclass
class Quiz:
    id: str
    learner: str
    questions: list[Question]
    created_at: str

    def question(self, question_id: str) -> Question:
        found = next((q for q in self.questions if q.id == question_id), None)
        if found is None:
            raise QuizNotFound(self.id, f"no question {ascii(str(question_id)[:40])[1:-1]!r} in it")
        return found


@dataclass
class Answer:
    quiz_id: str
    question_id: str
    topic: str
    option: int
    correct: bool
    answered_at: str
    proposal_id: str | None = None


class QuizStore:
    def __init__(self, store: ProgressStore):
        self.store = store

    def create(self, learner: str, questions: list[Question]) -> Quiz:
        check_learner(learner)
        quiz = Quiz(new_id(), learner, questions, self.store.clock().isoformat())
        record = json.dumps([q.to_record() for q in questions], ensure_ascii=False)
        with self.store.engine.begin() as conn:
            conn.execute(
                insert(QUIZZES).values(id=quiz.id, learner=learner, questions=record, created_at=quiz.created_at)
            )
        return quiz

    def get(self, learner: str, quiz_id: str) -> Quiz:
        check_learner(learner)
        if not isinstance(quiz_id, str) or not ID.fullmatch(quiz_id):  # never sent to the database
            raise QuizNotFound(ascii(str(quiz_id)[:40])[1:-1])
        with self.store.engine.connect() as conn:
            row = conn.execute(select(QUIZZES).where(QUIZZES.c.id == quiz_id, QUIZZES.c.learner == learner)).first()
        if row is None:  # unknown, or another learner's: the same answer
            raise QuizNotFound(quiz_id)
        questions = [Question.from_record(q) for q in json.loads(row.questions)]
        return Quiz(row.id, row.learner, questions, row.created_at)

    def record(self, learner: str, answer: Answer, conn) -> None:
        """Store one answer inside the caller's transaction; QuizAnswered when it was answered."""
        values = {**answer.__dict__, "learner": learner}
        try:
            with conn.begin_nested():
                conn.execute(insert(QUIZ_ANSWERS).values(**values))
        except IntegrityError:
            raise QuizAnswered(answer.quiz_id, answer.question_id) from None

    def answers(self, learner: str, quiz_id: str | None = None, conn=None) -> list[Answer]:
        """The learner's answers (of one quiz, when given), oldest first."""
        check_learner(learner)
        query = select(QUIZ_ANSWERS).where(QUIZ_ANSWERS.c.learner == learner)
        if quiz_id is not None:
            query = query.where(QUIZ_ANSWERS.c.quiz_id == quiz_id)
        query = query.order_by(QUIZ_ANSWERS.c.answered_at, QUIZ_ANSWERS.c.question_id)
        if conn is not None:
            return [_answer(r._mapping) for r in conn.execute(query)]
        with self.store.engine.connect() as own:
            return [_answer(r._mapping) for r in own.execute(query)]


def _answer(row) -> Answer:
    fields = ("quiz_id", "question_id", "topic", "option", "correct", "answered_at", "proposal_id")
    data = {k: row[k] for k in fields}
    data["correct"] = bool(data["correct"])
    return Answer(**data)
