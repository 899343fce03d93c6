"""What a chat follow-up refers to, as learners tried it on the page: "Why is that first?" after
a plan is about the plan's first topic, and "undo" after a statement naming two topics takes
back both changes, as one confirmation."""

from __future__ import annotations

import pytest

from mentor.assistant.conversation import Conversation
from mentor.errors import ProposalGone
from mentor.learning import actions


def _apply_all(deps, learner, answer):
    return [actions.apply_proposal(deps, learner, p.id) for p in answer.proposals]


def test_why_is_that_first_after_a_plan_is_about_the_plan_s_first_topic(offline_deps):
    chat = Conversation(offline_deps, "ana")
    chat.ask("Make me a plan at 8 hours a week over 12 weeks")
    plan = actions.study_plan_for(offline_deps, "ana", 8, 12, None)
    first = plan.weeks[0].topics[0]
    answer = chat.ask("Why is that first?").answer
    short = first.title.split(" (")[0]
    assert answer.startswith(short)
    assert "prerequisites" in answer and "build on it" in answer
    assert answer.count("[1]") == 1  # the roadmap passage that places it, cited


def test_why_does_a_named_topic_come_where_it_does(offline_deps):
    cur = offline_deps.curriculum
    actions.set_status(offline_deps, "ana", "python-basics", "done")
    topic = next(t for t in cur.topics.values() if t.prerequisites == ["python-basics"])
    answer = Conversation(offline_deps, "ana").ask(
        f"Why does {topic.aliases[0] if topic.aliases else topic.title} come so early?"
    )
    assert "Python fundamentals" in answer.answer and "you have done them" in answer.answer


def test_undo_after_a_two_topic_statement_takes_back_both(offline_deps):
    chat = Conversation(offline_deps, "ana")
    actions.set_status(offline_deps, "ana", "numpy", "learning")
    said = chat.ask("I finished numpy and pandas")
    assert len(_apply_all(offline_deps, "ana", said)) == 2
    assert offline_deps.progress.statuses("ana") == {"numpy": "done", "pandas": "done"}
    undo = chat.ask("undo that")
    assert len(undo.proposals) == 1  # one confirmation for the whole statement
    assert "NumPy" in undo.answer and "Pandas" in undo.answer
    result = _apply_all(offline_deps, "ana", undo)[0]
    assert offline_deps.progress.statuses("ana") == {"numpy": "learning"}  # each back to its own status
    assert "back to learning" in result.describe() and "back to not started" in result.describe()


def test_undo_after_a_single_change_leaves_the_earlier_statement(offline_deps):
    chat = Conversation(offline_deps, "ana")
    _apply_all(offline_deps, "ana", chat.ask("I finished numpy and pandas"))
    _apply_all(offline_deps, "ana", chat.ask("I'm learning git"))
    _apply_all(offline_deps, "ana", chat.ask("undo"))
    assert offline_deps.progress.statuses("ana") == {"numpy": "done", "pandas": "done"}


def test_a_statement_undo_is_all_or_nothing(offline_deps):
    chat = Conversation(offline_deps, "ana")
    _apply_all(offline_deps, "ana", chat.ask("I finished numpy and pandas"))
    undo = chat.ask("undo").proposals[0]
    actions.set_status(offline_deps, "ana", "git", "learning")  # a change after the proposal
    with pytest.raises(ProposalGone):
        actions.apply_proposal(offline_deps, "ana", undo.id)
    assert offline_deps.progress.statuses("ana") == {"numpy": "done", "pandas": "done", "git": "learning"}
