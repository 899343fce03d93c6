"""Knowledge checks over the real corpus and graph: the question bank, its checks (the
generator's and the evaluation's own), quizzes graded from a real SQLite store, a passed check
proposed through the proposal path, a second worker grading a quiz the first made, and open
answers graded by a scripted model."""

import dataclasses
import random

import pytest
from test_agent import ScriptedLLM, with_llm

from mentor.deps import Deps
from mentor.errors import ProposalGone, QuizAnswered, QuizNotFound, UnknownTopic, UsageError
from mentor.learning import actions
from mentor.learning.quiz import checks, session
from mentor.learning.quiz.lines import corpus_lines, fold
from mentor.learning.quiz.open import answer_open
from mentor.learning.quiz.questions import KINDS


@pytest.fixture
def fresh(deps, tmp_path):
    """Deps over the real corpus with a progress database of the test's own (the corpus, and so
    the question bank, shared with the session's)."""
    return share_corpus(Deps(deps.settings.with_overrides(home=tmp_path / "home")), deps)


def share_corpus(new, old):
    new.__dict__.update(passages=old.passages, curriculum=old.curriculum)
    return new


def test_the_bank_has_200_checked_questions_of_every_kind(deps):
    bank = session.bank(deps)
    lines = corpus_lines(deps.passages)
    assert len(bank) >= 200 and {q.kind for q in bank} == set(KINDS)
    assert len({q.id for q in bank}) == len(bank)
    for q in bank:
        assert 3 <= len(q.options) <= 4 and 0 <= q.answer < len(q.options) and q.topic in deps.curriculum.topics
        assert q.citation["quote"] in lines.by_id[q.citation["chunk_id"]].text
        assert checks.one_correct(q, deps.curriculum, lines)
        assert set(q.to_dict()) == {"id", "topic", "question", "options", "answer", "citation"}
        assert set(q.citation) == {"chunk_id", "title", "section", "lines", "quote"}


def _first(deps, kind, **where):
    return next(q for q in session.bank(deps) if q.kind == kind and all(getattr(q, k) == v for k, v in where.items()))


def _with_option(q, index, text, topic=None):
    options, topics = list(q.options), list(q.topics)
    options[index] = text
    topics[index] = topic or topics[index]
    return dataclasses.replace(q, options=tuple(options), topics=tuple(topics))


def test_a_distractor_that_also_fits_the_gap_is_refused(deps):
    q = _first(deps, "gap", topic="numpy")
    wrong = next(i for i in range(len(q.options)) if i != q.answer)
    # another name of the right topic is no distractor: it fits the gap too
    other_name = next(a for a in deps.curriculum.topics["numpy"].aliases if fold(a) != fold(q.options[q.answer]))
    assert not checks.one_correct(
        _with_option(q, wrong, other_name, "numpy"), deps.curriculum, corpus_lines(deps.passages)
    )


def test_a_prerequisite_as_distractor_is_refused(deps):
    q = _first(deps, "before", topic="random-forests")
    wrong = next(i for i in range(len(q.options)) if i != q.answer)
    ancestor = next(a for a in deps.curriculum.ancestors("random-forests") if a != q.topics[q.answer])
    bad = _with_option(q, wrong, deps.curriculum.topics[ancestor].title, ancestor)
    assert not checks.one_correct(bad, deps.curriculum, corpus_lines(deps.passages))


def test_the_evaluation_checker_is_independent_and_can_fail(offline_deps):
    from mentor.evaluation.quizcheck import Checker, case_metrics

    scores = case_metrics(offline_deps)
    assert len(scores) >= 200 and all(m == {"quiz_one_correct": 1.0, "quiz_cites_answer": 1.0} for _, m in scores)
    checker = Checker(offline_deps)
    for kind in KINDS:
        q = _first(offline_deps, kind).to_record()
        assert checker.one_correct(q) and checker.cites_answer(q)
        swapped = {**q, "answer": (q["answer"] + 1) % len(q["options"])}
        assert not checker.one_correct(swapped), kind
        elsewhere = {**q, "citation": {**q["citation"], "chunk_id": "0" * 16}}
        assert not checker.cites_answer(elsewhere), kind


def test_a_quiz_is_graded_at_once_and_a_passed_check_is_proposed(fresh):
    made = session.start_quiz(fresh, "ana", "numpy", n=20, rng=random.Random(1))
    questions = made.quiz.questions
    assert len(questions) >= 2 and {q.topic for q in questions} == {"numpy"}
    hidden = made.to_dict(reveal=False)["questions"][0]
    assert "answer" not in hidden and "quote" not in hidden["citation"]
    graded = [session.answer_question(fresh, "ana", made.quiz.id, q.id, q.answer) for q in questions]
    assert all(g.correct for g in graded)
    assert graded[0].passage and graded[0].question.citation["quote"] in graded[0].passage
    assert [g.proposal is not None for g in graded] == [False] * (len(graded) - 1) + [True]
    proposal = graded[-1].proposal
    assert (proposal.topic, proposal.status, proposal.kind) == ("numpy", "done", "status")
    assert fresh.progress.statuses("ana") == {}  # a quiz never writes progress itself
    actions.apply_proposal(fresh, "ana", proposal.id)
    assert fresh.progress.statuses("ana") == {"numpy": "done"}
    assert fresh.progress.history("ana")[-1].origin == "confirmed"
    with pytest.raises(ProposalGone):
        actions.apply_proposal(fresh, "ana", proposal.id)


def test_a_failed_check_proposes_nothing(fresh):
    made = session.start_quiz(fresh, "bo", "numpy", n=20, rng=random.Random(2))
    graded = [session.answer_question(fresh, "bo", made.quiz.id, q.id, (q.answer + 1) % 3) for q in made.quiz.questions]
    assert not any(g.correct for g in graded) and all(g.proposal is None for g in graded)
    assert graded[-1].check.to_dict()["passed"] is False and graded[-1].to_dict()["right_option"]


def test_bad_answers_are_refused(fresh):
    made = session.start_quiz(fresh, "cy", "sql", n=2, rng=random.Random(3))
    q = made.quiz.questions[0]
    for option in (-1, len(q.options), True, "1"):
        with pytest.raises(UsageError):
            session.answer_question(fresh, "cy", made.quiz.id, q.id, option)
    session.answer_question(fresh, "cy", made.quiz.id, q.id, 0)
    with pytest.raises(QuizAnswered):
        session.answer_question(fresh, "cy", made.quiz.id, q.id, 1)
    for learner, quiz_id, question in (("dee", made.quiz.id, q.id), ("cy", "nope", q.id), ("cy", "../x", q.id)):
        with pytest.raises(QuizNotFound):
            session.answer_question(fresh, learner, quiz_id, question, 0)
    with pytest.raises(QuizNotFound):
        session.answer_question(fresh, "cy", made.quiz.id, "no-such-question", 0)
    with pytest.raises(UnknownTopic):
        session.start_quiz(fresh, "cy", "the capital of france")
    with pytest.raises(UsageError):
        session.start_quiz(fresh, "cy", None, n=0)


def test_a_second_worker_grades_a_quiz_the_first_made(fresh):
    made = session.start_quiz(fresh, "eli", None, n=6, rng=random.Random(4))
    assert len(made.quiz.questions) == 6
    other = share_corpus(Deps(fresh.settings), fresh)  # another worker's collaborators, the same database
    q = made.quiz.questions[0]
    assert session.answer_question(other, "eli", made.quiz.id, q.id, q.answer).correct
    with pytest.raises(QuizAnswered):
        session.answer_question(fresh, "eli", made.quiz.id, q.id, q.answer)


def test_without_a_topic_the_learners_own_topics_come_first(fresh):
    fresh.progress.record("fay", "pandas", "learning")
    made = session.start_quiz(fresh, "fay", None, n=3, rng=random.Random(5))
    assert made.quiz.questions[0].topic == "pandas"


def test_open_answers_are_graded_by_the_model_against_the_passage(fresh):
    llm = ScriptedLLM([("text", "CORRECT\nThe passage lists it."), ("text", "I think so")])
    with_llm(fresh, llm)
    made = session.start_quiz(fresh, "gus", "numpy", n=2, rng=random.Random(6))
    first, second = made.quiz.questions[:2]
    graded = answer_open(fresh, "gus", made.quiz.id, first.id, "numpy, for arrays")
    assert graded.correct and graded.feedback == "The passage lists it." and graded.option is None
    shown = llm._seen[0][-1].content
    assert first.citation["quote"].splitlines()[0].strip() in shown and "numpy, for arrays" in shown
    assert not answer_open(fresh, "gus", made.quiz.id, second.id, "no idea").correct  # no verdict: not correct


def test_open_answers_need_a_model(offline_deps):
    made = session.start_quiz(offline_deps, "hal", "numpy", n=1)
    with pytest.raises(UsageError, match="language model"):
        answer_open(offline_deps, "hal", made.quiz.id, made.quiz.questions[0].id, "numpy")
