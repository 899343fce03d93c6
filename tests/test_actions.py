"""The learner's use cases (`mentor.learning.actions`) on the real curriculum and a real
progress database (each test on an SQLite file, then on PostgreSQL): typed results, the JSON
every front end answers with, undo, and a broken plan treated as our bug. Also the plan exports
(`mentor.learning.exports`)."""

from datetime import date

import pytest

from mentor.errors import MentorError, PlanInvariantBroken, UnknownTopic, UsageError
from mentor.learning import actions
from mentor.learning.exports import next_monday, plan_icalendar, plan_markdown


@pytest.fixture
def offline_deps(lsa_settings, tmp_path, db_url):
    """conftest's offline Deps, with the progress database on each backend in turn."""
    from mentor.deps import Deps

    return Deps(lsa_settings.with_overrides(home=tmp_path / "home", llm="none", db=db_url))


def test_next_steps_are_typed_and_their_json_is_the_cli_shape(offline_deps):
    result = actions.next_steps_for(offline_deps, "ada")
    first = result.steps[0]
    assert result.learner == "ada" and result.goal is None and first.topic.id == "python-basics"
    assert [c.id for c in first.companions] == [c["id"] for c in first.to_dict()["learn_with"]]
    data = result.to_dict()
    assert set(data) == {"user", "goal", "topics", "route"} and data["user"] == "ada" and data["goal"] is None
    assert data["route"] == []  # no goal, no way to it
    assert set(data["topics"][0]) == {"id", "title", "why", "hours", "learn_with", "unlocks", "resources", "citations"}
    towards = actions.next_steps_for(offline_deps, "ada", "transformers")
    assert towards.goal.id == "transformers" and towards.to_dict()["goal"] == {
        "id": "transformers",
        "title": towards.goal.title,
    }
    way = [t.id for t in towards.route]  # from what can start now to the goal, each before the next
    cur = offline_deps.curriculum
    assert way[-1] == "transformers" and "neural-networks" in way and len(way) == len(set(way))
    assert all(a in cur.ancestors(b, soft=True) for a, b in zip(way, way[1:]))
    assert cur.topics[way[0]].prerequisites == []  # a fresh learner can start the first step now
    with pytest.raises(UnknownTopic):
        actions.next_steps_for(offline_deps, "ada", "underwater welding")


def test_set_status_then_undo_last(offline_deps):
    change = actions.set_status(offline_deps, "ada", "python", "finished")
    assert change.topic.id == "python-basics" and change.status == "done" and change.event.origin == "typed"
    assert change.to_dict() == {
        "topic": {"id": "python-basics", "title": change.topic.title},
        "status": "done",
        "updated_at": change.event.created_at,
    }
    assert actions.set_status(offline_deps, "ada", "sql", "skip", origin="agent").event.origin == "agent"
    undone = actions.undo_last(offline_deps, "ada")
    assert (undone.topic, undone.status, undone.title) == (
        "sql",
        "not_started",
        offline_deps.curriculum.topics["sql"].title,
    )
    assert undone.to_dict() == {"topic": "sql", "status": "not_started"}
    assert actions.undo_last(offline_deps, "ada").topic == "python-basics"
    assert actions.undo_last(offline_deps, "ada") is None
    with pytest.raises(UsageError):
        actions.set_status(offline_deps, "ada", "python", "maybe")
    with pytest.raises(UsageError):
        actions.set_status(offline_deps, "../ada", "python", "done")


def test_prerequisites_with_and_without_a_learner(offline_deps):
    actions.set_status(offline_deps, "ada", "python", "done")
    plain = actions.prerequisites_for(offline_deps, "neural nets")
    mine = actions.prerequisites_for(offline_deps, "neural nets", "ada")
    assert plain.topic.id == mine.topic.id == "neural-networks" and plain.missing == []
    assert "python-basics" not in mine.missing and "classical-ml-projects" in mine.missing
    assert [p.id for p in plain.prerequisites] == [p["id"] for p in plain.to_dict()["prerequisites"]]
    assert set(mine.to_dict()) == {"topic", "prerequisites", "missing", "recommended"}
    soft = actions.prerequisites_for(offline_deps, "linear regression")
    assert [p.id for p in soft.prerequisites] == ["python-basics"]  # maths and theory are not gates
    assert [r["id"] for r in soft.recommended] == ["ml-fundamentals"] and soft.recommended[0]["sources"][0]["quote"]


def test_study_plan_and_its_exports(offline_deps):
    plan = actions.study_plan_for(offline_deps, "ada", 8, 3, "sql")
    data = plan.to_dict()
    assert set(data) == {"user", "goal", "hours_per_week", "weeks", "total_hours", "unscheduled", "pace"}
    assert data["pace"]["measured"] is False  # no history: the roadmaps' estimates, and it says so
    assert data["weeks"][0]["week"] == 1 and data["goal"]["id"] == "sql" and len(plan.weeks) <= 3
    text = plan_markdown(plan)
    assert text.startswith(f"# Study plan for ada: towards {plan.goal.title}") and "## Week 1" in text
    monday = next_monday(date(2026, 3, 2))  # a Monday: the plan starts a week later
    assert monday == date(2026, 3, 9) and next_monday(date(2026, 3, 4)) == monday
    calendar = plan_icalendar(plan, monday)
    assert calendar.count("BEGIN:VEVENT") == len(plan.weeks) and "DTSTART;VALUE=DATE:20260309" in calendar


def test_a_plan_that_breaks_prerequisites_is_our_bug_not_the_learners(offline_deps, monkeypatch):
    monkeypatch.setattr(actions, "check_plan", lambda cur, plan, statuses: ["numpy starts before python-basics"])
    with pytest.raises(PlanInvariantBroken, match="numpy starts before python-basics"):
        actions.study_plan_for(offline_deps, "ada", 8, None, None)
    assert not issubclass(PlanInvariantBroken, MentorError)  # no front end dresses it up as a message


def test_progress_report_json_markdown_and_phases(offline_deps):
    actions.set_status(offline_deps, "ada", "numpy", "done")
    actions.set_status(offline_deps, "ada", "python", "learning")
    report = actions.progress_of(offline_deps, "ada")
    assert [(t["id"], t["status"]) for t in report.to_dict()["topics"]] == [
        ("python-basics", "learning"),
        ("numpy", "done"),
    ]
    assert report.to_markdown().startswith("# Learning progress: ada\n\n## ")
    first, titles = report.phases[0], offline_deps.curriculum.topics
    assert first.finished == 1 and dict(first.items)[titles["numpy"].title] == "done"
    assert dict(first.items)[titles["python-basics"].title] == "learning"
    assert actions.progress_of(offline_deps, "bo").to_dict() == {"user": "bo", "topics": []}
    assert [e.topic for e in actions.history_of(offline_deps, "ada")] == ["numpy", "python-basics"]


def test_next_steps_assuming_topics_done_and_a_note_kept_with_a_change(offline_deps):
    after = actions.next_steps_for(offline_deps, "ada", assuming_done=["python-basics", "numpy"])
    assert "python-basics" not in [s.topic.id for s in after.steps]
    assert offline_deps.progress.statuses("ada") == {}  # only assumed, nothing recorded
    change = actions.set_status(offline_deps, "ada", "git", "done", origin="agent", note="I finished git")
    assert change.event.note == "I finished git" and actions.history_of(offline_deps, "ada")[0].note == "I finished git"
