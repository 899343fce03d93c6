"""Notes per topic and the learner's own pace (issue 15): a real SQLite file under a temporary
MENTOR_HOME, the real curriculum, an injected clock."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from conftest import CORPUS

from mentor.cli.main import main
from mentor.config import Settings
from mentor.deps import Deps
from mentor.errors import UnknownTopic, UsageError
from mentor.learning import actions
from mentor.learning.notes import store as notes
from mentor.learning.pace import MIN_TOPICS, measure, pace_of
from mentor.learning.plan import make_plan


class Clock:
    def __init__(self):
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def deps(tmp_path, clock):
    return Deps(Settings(corpus_dir=CORPUS, home=tmp_path / "home", llm="none"), clock=clock)


# --- notes ------------------------------------------------------------------------------------


def test_notes_are_kept_per_topic_and_per_learner(deps):
    topic, first = notes.add_note(deps, "ana", "numpy", "broadcasting: shapes align from the right")
    assert topic.id == "numpy" and first.text.startswith("broadcasting")
    notes.add_note(deps, "ana", "pandas", "groupby then agg\nnot apply")
    notes.add_note(deps, "bo", "numpy", "bo's own")
    assert [n.text for n in notes.notes_of(deps, "ana", "NumPy").notes] == [first.text]
    assert [n.topic for n in notes.notes_of(deps, "ana").notes] == ["numpy", "pandas"]
    assert notes.notes_of(deps, "ana", "pandas").notes[0].text == "groupby then agg\nnot apply"
    with pytest.raises(UsageError, match="no note"):
        notes.delete_note(deps, "ana", 3)  # bo's: the same answer as an unknown id
    notes.delete_note(deps, "ana", first.id)
    assert [n.topic for n in notes.notes_of(deps, "ana").notes] == ["pandas"]


@pytest.mark.parametrize(
    "text,message", [("   ", "empty"), ("x" * 2001, "at most"), ("bell\x07", "control"), ("nul\0", "control")]
)
def test_bad_notes_are_refused(deps, text, message):
    with pytest.raises(UsageError, match=message):
        notes.add_note(deps, "ana", "numpy", text)
    assert notes.notes_of(deps, "ana").notes == []


def test_a_note_on_no_topic_is_an_unknown_topic(deps):
    with pytest.raises(UnknownTopic):
        notes.add_note(deps, "ana", "quantum basket weaving", "hm")


def test_notes_go_in_the_exports_and_come_back_with_the_import(deps, tmp_path):
    actions.set_status(deps, "ana", "numpy", "done")
    notes.add_note(deps, "ana", "numpy", "=SUM(A1) is just text")
    report = actions.progress_of(deps, "ana")
    data = report.to_dict()
    assert data["notes"] == [
        {"topic": "numpy", "title": deps.curriculum.topics["numpy"].title, "text": "=SUM(A1) is just text"}
        | {"created_at": data["notes"][0]["created_at"]}
    ]
    assert "## Notes" in report.to_markdown() and "=SUM(A1) is just text" in report.to_markdown()
    assert actions.progress_of(deps, "nobody").to_dict() == {"user": "nobody", "topics": []}  # no notes: no key
    export = tmp_path / "export.json"
    export.write_text(json.dumps(data), encoding="utf-8")
    imported = actions.import_progress(deps, "cy", export)
    assert imported.notes == 1 and [n.text for n in notes.notes_of(deps, "cy").notes] == ["=SUM(A1) is just text"]
    assert actions.import_progress(deps, "cy", export).notes == 0  # the same notes again: not duplicated


def test_an_export_with_a_bad_note_imports_nothing(deps, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"topics": [{"id": "numpy", "status": "done"}], "notes": [{"topic": "numpy"}]}))
    with pytest.raises(UsageError, match="notes"):
        actions.import_progress(deps, "di", bad)
    assert deps.progress.statuses("di") == {}


def test_the_note_command(capsys, tmp_path):
    home = str(tmp_path / "home")
    assert main(["note", "numpy", "views", "share", "memory", "--home", home]) == 0
    assert "Noted on NumPy" in capsys.readouterr().out
    assert main(["note", "numpy", "--json", "--home", home]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["topic"]["id"] == "numpy" and shown["notes"][0]["text"] == "views share memory"
    assert main(["note", "--home", home]) == 0
    assert "views share memory" in capsys.readouterr().out
    assert main(["note", "numpy", "   ", "--home", home]) == 2
    assert "empty" in capsys.readouterr().err


# --- pace ---------------------------------------------------------------------------------------


def _study(deps, clock, topic: str, weeks: float, learner: str = "ana") -> None:
    actions.set_status(deps, learner, topic, "learning")
    clock.advance(weeks=weeks)
    actions.set_status(deps, learner, topic, "done")
    clock.advance(hours=1)


def test_without_enough_history_the_roadmaps_estimates_are_used_and_said(deps, clock):
    _study(deps, clock, "python-basics", 4)
    pace = pace_of(deps, "ana")
    assert not pace.measured and pace.topics == 1 and pace.scale() == 1.0
    assert "roadmaps' estimates" in pace.describe() and str(MIN_TOPICS) in pace.describe()
    plan = actions.study_plan_for(deps, "ana", 10, None, "numpy")
    assert plan.to_dict()["pace"]["measured"] is False


def test_measured_pace_scales_plans_and_how_long(deps, clock):
    cur = deps.curriculum
    for topic in ("python-basics", "numpy", "git"):  # each takes twice the roadmaps' time at 10 h a week
        _study(deps, clock, topic, 2 * cur.topics[topic].hours / 10)
    pace = pace_of(deps, "ana")
    assert pace.measured and pace.topics == 3 and pace.factor == pytest.approx(2.0, rel=0.01)
    assert pace.describe().startswith("At your pace so far (3 topics)")
    statuses = deps.progress.statuses("ana")
    plain = make_plan(cur, statuses, 10, goal=cur.topics["pandas"])
    paced = make_plan(cur, statuses, 10, goal=cur.topics["pandas"], pace=pace.factor)
    assert paced.total_hours == pytest.approx(2 * plain.total_hours, rel=0.01)
    shown = actions.study_plan_for(deps, "ana", 10, None, "pandas")
    assert shown.total_hours == pytest.approx(paced.total_hours) and shown.to_dict()["pace"]["topics"] == 3
    assert "At your pace so far (3 topics), about" in pace.how_long(10)


def test_undone_imported_and_instant_changes_are_not_measured(deps, clock):
    cur = deps.curriculum
    _study(deps, clock, "python-basics", 1)
    _study(deps, clock, "numpy", 1)
    actions.set_status(deps, "ana", "git", "learning")
    clock.advance(weeks=1)
    actions.set_status(deps, "ana", "git", "done")
    actions.undo_last(deps, "ana")  # taken back: not a finished topic
    actions.set_status(deps, "ana", "sql", "learning")
    actions.set_status(deps, "ana", "sql", "done")  # the same minute: catching up, not study
    assert pace_of(deps, "ana").topics == 2
    assert measure(cur, deps.progress.history("ana")).factor is None


def test_the_weekly_hours_of_the_profile_set_the_expectation(deps, clock):
    cur = deps.curriculum
    deps.progress.set_profile("ana", {"hours_per_week": 5})
    for topic in ("python-basics", "numpy", "git"):  # at 5 h a week, exactly the expected time
        _study(deps, clock, topic, cur.topics[topic].hours / 5)
    assert pace_of(deps, "ana").factor == pytest.approx(1.0, rel=0.01)


def test_how_long_answers_say_which_times_they_use(tmp_path, lsa_settings, clock):
    from mentor.assistant.conversation import Conversation

    deps = Deps(lsa_settings.with_overrides(home=tmp_path / "home", llm="none"), clock=clock)
    before = Conversation(deps, "ana").ask("how long does numpy take?").answer
    assert "roadmaps' estimates" in before
    for topic in ("python-basics", "git", "sql"):
        _study(deps, clock, topic, 3 * deps.curriculum.topics[topic].hours / 10)
    after = Conversation(deps, "ana").ask("how long does numpy take?").answer
    assert "At your pace so far (3 topics)" in after
