"""The HTTP routes of knowledge checks and spaced review, mounted by `api.create_api`:

    POST /api/quiz                    {"user", "topic"?, "n"?} -> {"quiz", "questions": [...]}
    POST /api/quiz/{id}/answer        {"user", "question", "option"} (or "text", with an LLM)
    GET  /api/review?user=            {"due": [{"topic", "title", "due", "dependents"}]}

A quiz from the API withholds each question's `answer` and its citation's `quote` (which would
give the answer away) until the question is answered: the answer's reply carries both, the
passage and the topic's check, and the proposal a passed check made (applied only through
`/api/proposals/{id}/apply`). Quizzes live in the database, so any worker grades any quiz.
404: an unknown quiz (or another learner's) or question; 409: a question answered already;
400: an option out of range, both or neither of option and text, text without a model.

Not here: any rule about questions or grading (`mentor.learning.quiz`), sign-in (`auth.py`).
"""

from typing import Annotated

from fastapi import FastAPI, Path
from pydantic import BaseModel, Field, StrictInt

from mentor.deps import Deps
from mentor.errors import UsageError
from mentor.learning import review
from mentor.learning.quiz import open as open_answers
from mentor.learning.quiz import session
from mentor.web.auth import learner_for
from mentor.web.fields import Text, User, learner_field

QuizId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]


class QuizIn(BaseModel):
    user: Text = learner_field()
    topic: Text | None = Field(default=None, max_length=200, description="a topic (free text); default: yours first")
    n: int = Field(default=5, ge=1, le=session.MAX_QUESTIONS)


class AnswerIn(BaseModel):
    user: Text = learner_field()
    question: Text = Field(min_length=1, max_length=40, description="the question's id")
    # strict: JSON true is no index (lax parsing made it option 1 and used up the question)
    option: StrictInt | None = Field(default=None, ge=0, le=50, description="the chosen option's index")
    text: Text | None = Field(default=None, max_length=2000, description="an open answer (needs an LLM)")


class StudyError(BaseModel):
    error: str


DOCS = {
    404: {"model": StudyError, "description": "no quiz of this learner has that id, or it has no such question"},
    409: {"model": StudyError, "description": "the question was already answered"},
}


def add_study_routes(api: FastAPI, deps: Deps, guard) -> None:
    @api.post("/api/quiz", responses=guard.errors(400, 404, 413, 422))
    def quiz(body: QuizIn, account: guard.Account):
        made = session.start_quiz(deps, learner_for(body.user, account), body.topic, body.n)
        return made.to_dict(reveal=False)

    @api.post("/api/quiz/{quiz_id}/answer", responses={**guard.errors(400, 413, 422), **DOCS})
    def answer(quiz_id: QuizId, body: AnswerIn, account: guard.Account):
        learner = learner_for(body.user, account)
        if (body.option is None) == (body.text is None):
            raise UsageError("give either an option (its index) or a text answer")
        if body.text is not None:
            return open_answers.answer_open(deps, learner, quiz_id, body.question, body.text).to_dict()
        return session.answer_question(deps, learner, quiz_id, body.question, body.option).to_dict()

    @api.get("/api/review", responses=guard.errors(400, 422))
    def due(account: guard.Account, user: User = "me"):
        return review.due_reviews(deps, learner_for(user, account)).to_dict()
