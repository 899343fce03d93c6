"""A learner's job or degree (`corpus/roles.yaml`, `background.roles_said`): "backend dev here" says they work
with git and SQL, "data scientist here" with Python, pandas and scikit-learn. Read for one answer, shown in it,
never recorded; what the learner says they lack wins over it, and it implies nothing further."""

from __future__ import annotations

import pytest

from mentor.errors import CorpusError
from mentor.learning.curriculum import load_curriculum


def roles(message, cur):
    from mentor.assistant.background import roles_said

    return [name for name, _ in roles_said(message, cur)]


@pytest.mark.parametrize(
    "message, expected",
    [
        ("backend dev here, 5 yrs of python. where do i start?", ["backend dev"]),
        ("I'm a data scientist and want to deploy models", ["data scientist"]),
        ("Java backend dev for 8 years: OOP, SQL all daily stuff", ["backend dev"]),
        ("been a software engineer for years, which part can i skim?", ["software engineer"]),
        ("i work as a data engineer, spark all day", ["data engineer"]),
        ("high school maths teacher here", ["maths teacher"]),
        ("physics grad, comfortable with calc", ["physics grad"]),
        ("as a devops eng, k8s is my job", ["devops eng"]),
        ("I work in BI - lots of SQL reports", ["work in bi"]),
        ("i already know python thru oop and use pandas daily as a data analyst", ["data analyst"]),
    ],
)
def test_a_role_is_read_where_the_learner_says_it_of_themselves(cur, message, expected):
    assert roles(message, cur) == expected


@pytest.mark.parametrize(
    "message",
    [
        "I want to become a data scientist, where do i start?",  # where they are heading
        "i'd really like to work as a data scientist one day",
        "I'm a wannabe data scientist",
        "i'm interviewing as a data engineer next week",
        "my brother is a data engineer, what should I learn?",  # someone else
        "my cousin is a data engineer",
        "I'm hiring a data scientist",
        "I'm talking to a data engineer next week",
        "i'm a math teacher's kid",
        "is a data scientist the same as an ml engineer?",  # a question
        "i'm not a developer, where do I start?",  # negated
        "i'm far from a developer",
        "what does a devops engineer need from the mlops part?",
        "the backend dev team asked me to learn docker",  # not what they are
        "developer tools confuse me. where do i start?",
        "Data scientist salaries are high, should I switch?",
        "every data scientist needs statistics",
        "data scientist or data analyst: where should I start?",
        "How do I get a job as a data scientist? What should I learn next?",  # where they want to be
        "Need to land a job as a data scientist. Where do I start?",
        "What's the salary as a data scientist?",
        "Do I need as much math as a data scientist?",
        "I'm training as a data scientist",
        "I follow data scientist blogs. what should I learn next?",
        "I met data scientist John yesterday",
    ],
)
def test_a_role_merely_named_is_no_background(cur, message):
    assert roles(message, cur) == []


def test_what_the_learner_says_they_lack_wins_over_their_role(cur):
    from mentor.assistant.background import role_topics

    assert {t.id for t in role_topics("data scientist here", cur)} >= {"python-basics", "pandas", "scikit-learn"}
    engineer = {t.id for t in role_topics("data engineer, but no python at all", cur)}
    assert "python-basics" not in engineer and {"sql", "big-data-spark"} <= engineer  # Spark stands without Python
    assert "python-basics" not in {t.id for t in role_topics("data engineer, i have never written code", cur)}
    # nor the code that needs Python: a data scientist who never used it knows no pandas either
    assert {t.id for t in role_topics("data scientist here, never used python", cur)} & {
        "pandas",
        "scikit-learn",
    } == set()
    assert {t.id for t in role_topics("physics grad, never coded", cur)} == {"basic-math", "linear-algebra", "calculus"}
    for lacks in [
        "I'm a data scientist who uses R, not python.",
        "I'm a data scientist but I don't use python, only R.",
    ]:
        assert {t.id for t in role_topics(lacks, cur)} & {"python-basics", "pandas"} == set(), lacks


def test_knowing_how_computers_work_implies_no_python(cur):
    from mentor.learning.order import implied_known

    assert implied_known(cur, {"cs-principles", "git"}) == set()  # an iOS developer writes Swift
    assert "python-basics" in implied_known(cur, {"pandas"})  # a roadmap's text pairs these
    assert "python-basics" not in implied_known(cur, {"statistics", "calculus"})  # maths is no code


def test_a_statistician_is_sent_to_python_first(ask):
    answer = ask("I'm a statistician. what next?")
    head, first = answer.answer.splitlines()[:2]
    assert head.startswith("Counting Basic maths, Probability, Statistics (what a statistician works with) as known")
    assert first.startswith("1. Python fundamentals")


def test_a_verdict_never_rests_on_a_role(ask):
    """A skip or readiness verdict says "you have finished …": what a job implies is no such thing."""
    assert ask("data analyst here, no python. can I skip straight to machine learning?").answer.startswith("No")
    assert ask("I'm a data analyst. can I skip straight to machine learning?").answer.startswith("No")


def test_the_roles_file_names_only_curriculum_topics(corpus_copy):
    assert load_curriculum(corpus_copy).role("Backend Dev").knows  # read, case aside
    (corpus_copy / "roles.yaml").write_text("roles:\n  - says: [wizard]\n    knows: [spells]\n")
    with pytest.raises(CorpusError, match="roles.yaml.*'wizard'.*spells"):
        load_curriculum(corpus_copy)
    for damaged in [
        "roles: [{says: [x]}]\n",  # no knows
        "roles: [{says: dev, knows: [git]}]\n",  # a word, not a list of them
        "roles: [{says: [dev], knows: git}]\n",
        "roles: [{says: [dev, 3], knows: [git]}]\n",
        "roles: [{says: [], knows: [git]}]\n",
        "roles: [{says: [dev], knows: [git], note: x}]\n",
        "rolez: []\n",  # a typo would turn the feature off unseen
        "roles: {dev: git}\n",
        "- dev\n",
    ]:
        (corpus_copy / "roles.yaml").write_text(damaged)
        with pytest.raises(CorpusError, match="roles.yaml.*(not a roles file|role 1 must have)"):
            load_curriculum(corpus_copy)
    (corpus_copy / "roles.yaml").write_text(
        "roles:\n  - {says: [dev], knows: [git]}\n  - {says: [Dev], knows: [sql]}\n"
    )
    with pytest.raises(CorpusError, match="role 2 \\('dev'\\) has the name 'dev' that another role, or this one"):
        load_curriculum(corpus_copy)
    (corpus_copy / "roles.yaml").write_text("roles:\n  - {says: [dev, dev], knows: [git]}\n")
    with pytest.raises(CorpusError, match="role 1 .* has the name 'dev'"):
        load_curriculum(corpus_copy)
    (corpus_copy / "roles.yaml").write_text("roles:\n  - {says: [a], knows: [git]}\n")
    with pytest.raises(CorpusError, match="too short"):
        load_curriculum(corpus_copy)
    (corpus_copy / "roles.yaml").write_bytes(b"\xff\xfe roles")  # damaged
    with pytest.raises(CorpusError, match="not a roles file"):
        load_curriculum(corpus_copy)
    (corpus_copy / "roles.yaml").unlink()  # none: no roles, the rest as before
    cur = load_curriculum(corpus_copy)
    assert cur.roles == [] and cur.role_names is None


def test_a_data_scientist_who_never_deployed_is_sent_to_serving_not_python(ask):
    answer = ask(
        "data scientist here - i train models in jupyter notebooks but have never deployed one. how do i level up?"
    )
    head, *items = answer.answer.splitlines()
    assert head.startswith("Counting Python fundamentals, NumPy") and "as known from what you said" in head
    assert not any(line.split(". ", 1)[-1].startswith("Python fundamentals") for line in items)  # not suggested
    assert any(line.startswith(("1. Model persistence", "2. Serving models via a REST API")) for line in items)


def test_a_maths_graduate_who_never_coded_starts_with_python(ask):
    answer = ask("physics grad here, good with calculus and linear algebra but i've never coded. what first?")
    head, first = answer.answer.splitlines()[:2]
    assert head.startswith(
        "Counting Basic maths, Linear algebra for ML, Calculus (what a physics grad works with) as known"
    )
    assert first.startswith("1. Python fundamentals")


def test_a_backend_developer_picks_the_weekly_plan_up_past_what_they_know(ask):
    answer = ask(
        "backend dev here, 5 yrs of python and i write sql every day. where should i start in the 6 month plan?"
    )
    assert answer.answer.startswith("Pick up six-month-weekly at Week 9, 10, 11, 12: Numpy, Pandas")


def test_a_role_says_what_to_skim_when_nothing_is_named(ask):
    answer = ask("I'm a data analyst. what can I skip?")
    assert answer.answer.startswith("You can skim what you already work with:")
    assert "SQL & relational databases" in answer.answer.splitlines()[0]


def test_a_role_places_what_the_job_uses_furthest_along_first(ask):
    answer = ask("i'm a devops engineer. when does that become relevant in the master curriculum?")
    assert answer.answer.startswith("What you already work with comes up here: Docker & containerisation")


def test_next_steps_leave_out_what_the_learner_lacks(offline_deps):
    from mentor.assistant.citations import SourceBook
    from mentor.assistant.tools import Toolbox

    tb = Toolbox(offline_deps, "ana", SourceBook())
    implied = tb.next_steps(assuming_done=["pandas"]).data["topics"]
    lacking = tb.next_steps(assuming_done=["pandas"], not_done=["python-basics"]).data["topics"]
    assert "python-basics" not in [t["id"] for t in implied]  # pandas is Python code: taken as known
    assert lacking[0]["id"] == "python-basics"
    refused = tb.next_steps(assuming_done=["calculus"], not_done=["no such thing"])
    assert refused.data["unknown"] == "no such thing" and "No topic in the curriculum matches" in refused.text
    assert tb.next_steps(not_done=["no such thing"]).data["unknown"] == "no such thing"  # checked alone too


def test_a_developer_who_never_said_python_starts_the_weekly_plan_at_its_python(ask):
    answer = ask("ios developer here, where should i start in the 6 month plan?")
    assert answer.answer.startswith("Pick up six-month-weekly at Week 1, 2, 3, 4: Level 1 Coding Tutorials")
    assert "Python fundamentals" in answer.answer.splitlines()[0]


def test_what_to_skip_asked_with_nothing_known_asks_what_they_know(ask, offline_deps):
    answer = ask("what can I skip?")
    assert answer.answer.startswith("What you can skip depends on what you already know, and you haven't said yet")
    assert answer.citations == [] and offline_deps.progress.statuses("ana") == {}
    assert ask("where should i start and what can i skip in the 6 month plan?").citations  # the start is answered


def test_what_a_role_counts_stays_counted_for_and_after_that(offline_deps):
    """The follow-up reads the conversation's memory back from the database: what the job counted as known
    is not suggested one turn later."""
    first = offline_deps.conversations.get("ana").ask("I'm a data scientist. what next?").answer
    then = offline_deps.conversations.get("ana").ask("and after that?").answer
    assert first.startswith("Counting Python fundamentals") and then.startswith("Once you have finished")
    items = [line.split(". ", 1)[1] for line in then.splitlines() if line[:1].isdigit()]
    assert items and not any(i.startswith(("NumPy", "Pandas", "Python fundamentals", "scikit-learn")) for i in items)
    assert offline_deps.progress.statuses("ana") == {}


def test_what_is_still_new_in_a_part_quotes_a_line_new_to_the_learner(ask):
    answer = ask(
        "devops person here - ci/cd and kubernetes are my day job. "
        "what in the master curriculum's mlops part is new for me?"
    )
    quoted = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    # of Model Deployment, the first line naming a topic they have not said they know (serving, not Kubernetes)
    assert '- "16.2.1. REST APIs (Building simple services with Flask/FastAPI)" [2]' in quoted


def test_a_role_from_an_earlier_answer_does_not_count_after_another(offline_deps):
    conversation = offline_deps.conversations.get("ana")
    conversation.ask("data scientist here, what should I learn next?")
    conversation.ask("oops, this is my sister: I'm a nurse and have never written code. what should I learn next?")
    then = offline_deps.conversations.get("ana").ask("and after that?").answer
    items = [line.split(". ", 1)[1] for line in then.splitlines() if line[:1].isdigit()]
    assert any(i.startswith(("NumPy", "Pandas")) for i in items)  # the data scientist's topics are not known now


def test_what_to_skip_after_saying_what_they_know_is_no_question_back(offline_deps):
    conversation = offline_deps.conversations.get("ana")
    conversation.ask("I know python, sql and git. what should I learn next?")
    answer = offline_deps.conversations.get("ana").ask("what can I skip?").answer
    assert answer.startswith("You can skim what you already work with:") and "Python fundamentals" in answer


def test_the_answer_names_a_role_by_its_usual_name(ask):
    assert "(what a data analyst works with)" in ask("I work in BI. what should I learn next?").answer
