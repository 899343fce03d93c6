"""Open answers, graded by the configured language model against the cited passage: with a
model, any quiz question may be answered in the learner's own words instead of by an option.
The model sees only the question, the roadmap's answer and the passage, and must reply CORRECT
or INCORRECT with a reason; anything else counts as not correct. Without a model, open answers
are refused (the options still work).

Not here: the multiple-choice grading and the proposals (`session.py`).
"""

from __future__ import annotations

from importlib import resources
from string import Template
from typing import TYPE_CHECKING

from mentor.errors import UsageError
from mentor.learning.quiz.session import Graded, _passage, record_answer
from mentor.learning.quiz.storage import QuizStore

if TYPE_CHECKING:
    from mentor.deps import Deps

MAX_REPLY = 2000
OPEN = -1  # the option recorded for an open answer


def answer_open(deps: Deps, learner: str, quiz_id: str, question_id: str, text: str) -> Graded:
    """Grade a free-text answer with the model, store it like an option, answer with the passage."""
    llm = deps.llm.llm
    if llm is None:
        raise UsageError("open answers need a language model (MENTOR_LLM); choose an option instead")
    if not text.strip() or len(text) > MAX_REPLY:
        raise UsageError(f"an open answer is 1 to {MAX_REPLY} characters")
    quiz = QuizStore(deps.progress).get(learner, quiz_id)
    question = quiz.question(question_id)
    correct, reason = grade(llm, question, _passage(deps, question.citation["chunk_id"]).text, text)
    return record_answer(deps, learner, quiz, question, OPEN, correct, reason)


def grade(llm, question, passage: str, reply: str) -> tuple[bool, str]:
    """(correct?, the model's reason) for `reply` to `question`, judged on `passage`."""
    from llama_index.core.llms import ChatMessage  # imported here: only open answers need it

    prompt = _prompt(
        question=question.question,
        answer=question.options[question.answer],
        passage=passage,
        reply=" ".join(reply.split()),
    )
    verdict = str(llm.chat([ChatMessage(role="user", content=prompt)]).message.content or "").strip()
    first, _, reason = verdict.partition("\n")
    return first.strip().upper().startswith("CORRECT"), (reason.strip() or first.strip())[:300]


def _prompt(**values: str) -> str:
    """The grading prompt from package data; a missing or unknown name fails loudly."""
    text = resources.files("mentor.learning.quiz").joinpath("prompts", "grade_open.txt").read_text(encoding="utf-8")
    return Template(text).substitute(**values)
