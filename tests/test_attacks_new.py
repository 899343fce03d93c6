"""From an independent attack on the new surfaces (quiz and review, a learner's own roadmaps,
notes, the CSV and iCalendar exports): each test is a defect that attack found, against the
real CLI, a real SQLite file and a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import json

import httpx
import pytest
from conftest import CORPUS, run_cli, running

from mentor.cli.main import main
from mentor.config import Settings
from mentor.corpus.outline import is_done
from mentor.deps import Deps
from mentor.learning.notes import store as notes
from mentor.web.api import create_api

HUGE_ID = 10**23  # past a 64-bit integer: SQLite's driver raised OverflowError on it


@pytest.fixture
def note_deps(tmp_path):
    return Deps(Settings(corpus_dir=CORPUS, home=tmp_path / "home", llm="none"))


def test_deleting_a_note_id_past_64_bits_is_no_such_note(note_deps, tmp_path, capsys):
    kept = notes.add_note(note_deps, "ana", "numpy", "views share memory")[1]
    with pytest.raises(notes.UsageError, match="no note"):
        notes.delete_note(note_deps, "ana", HUGE_ID)
    home = str(tmp_path / "home")
    assert main(["note", "--delete", str(HUGE_ID), "--user", "ana", "--home", home]) == 2
    assert "no note" in capsys.readouterr().err
    assert [n.id for n in notes.Notes(note_deps.progress).of("ana")] == [kept.id]


def test_the_api_answers_a_note_id_past_64_bits_with_a_4xx(note_deps):
    with running(create_api(note_deps)) as url, httpx.Client(base_url=url, timeout=30) as client:
        kept = client.post("/api/notes", json={"user": "ana", "topic": "numpy", "text": "keep me"}).json()
        reply = client.delete(f"/api/notes/{HUGE_ID}", params={"user": "ana"})
        assert reply.status_code == 400 and "no note" in reply.json()["error"]
        assert client.get("/api/notes", params={"user": "ana"}).json()["notes"] == [kept["note"]]


@pytest.mark.parametrize("option", [True, False, "1", 1.0])
def test_an_answer_whose_option_is_no_integer_is_422_and_leaves_the_question_open(note_deps, option):
    with running(create_api(note_deps)) as url, httpx.Client(base_url=url, timeout=60) as client:
        quiz = client.post("/api/quiz", json={"user": "ana", "topic": "git", "n": 1}).json()
        question = quiz["questions"][0]["id"]
        path = f"/api/quiz/{quiz['quiz']}/answer"
        reply = client.post(path, json={"user": "ana", "question": question, "option": option})
        assert reply.status_code == 422 and "option" in reply.json()["error"]
        assert client.post(path, json={"user": "ana", "question": question, "option": 0}).status_code == 200


def test_an_import_with_too_many_notes_on_a_topic_records_nothing(note_deps, tmp_path, capsys):
    export = {
        "topics": [{"id": "git", "status": "done"}],
        "notes": [{"topic": "git", "text": f"note {i}"} for i in range(notes.MAX_NOTES_PER_TOPIC + 50)],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    home = str(tmp_path / "home")
    assert main(["progress", "import", str(path), "--user", "ana", "--home", home]) == 2
    assert f"more than {notes.MAX_NOTES_PER_TOPIC} notes" in capsys.readouterr().err
    assert note_deps.progress.statuses("ana") == {}
    assert notes.Notes(note_deps.progress).of("ana") == []


@pytest.mark.parametrize("reply", ["²", "9" * 5000, "１"])
def test_the_quiz_asks_again_when_a_reply_is_digits_int_cannot_read(tmp_path, reply):
    env = {"MENTOR_HOME": str(tmp_path / "home"), "MENTOR_CORPUS_DIR": str(CORPUS)}
    r = run_cli("quiz", "--topic", "git", "--n", "1", env=env, input=f"{reply}\n1\n")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "Type a number from 1 to" in r.stdout and "of 1 right" in r.stdout


@pytest.mark.parametrize("line", ["- [ ] Git ✅", "- [ ] NumPy — done", "* [-] pandas (completed)", "1. [ ] SQL ✔"])
def test_an_open_checkbox_is_not_done_whatever_follows_it(line):
    assert is_done(line) is False


def test_output_to_a_full_disk_is_one_line_not_a_traceback(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = {**os.environ, "MENTOR_HOME": str(tmp_path / "home"), "MENTOR_CORPUS_DIR": str(CORPUS)}
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "mentor.cli", "topics"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
    assert done.returncode == 1
    assert done.stderr.strip() == "mentor: cannot write the output (No space left on device)"
