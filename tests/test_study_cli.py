"""`mentor quiz` and `mentor review`, the real command in a fresh process."""

import json

from conftest import CORPUS, run_cli


def _env(tmp_path):
    return {"MENTOR_HOME": str(tmp_path / "home"), "MENTOR_CORPUS_DIR": str(CORPUS)}


def test_quiz_json_has_the_issue_shape(tmp_path):
    r = run_cli("quiz", "--topic", "numpy", "--n", "2", "--json", env=_env(tmp_path))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) == {"quiz", "questions"} and len(data["questions"]) == 2
    for q in data["questions"]:
        assert set(q) == {"id", "topic", "question", "options", "answer", "citation"} and q["topic"] == "numpy"
        assert set(q["citation"]) == {"chunk_id", "title", "section", "lines", "quote"}
        assert 0 <= q["answer"] < len(q["options"])


def test_quiz_asks_on_the_terminal_and_grades_each_answer(tmp_path):
    env = _env(tmp_path)
    made = json.loads(run_cli("quiz", "--topic", "sql", "--n", "20", "--json", env=env).stdout)
    assert made["questions"]  # --json asks nothing
    # the interactive quiz draws its own questions: answer every one with its first option,
    # then check that what was said matches the grades shown
    r = run_cli("quiz", "--topic", "sql", "--n", "20", env=env, input="9\n1\n" * 20)
    assert r.returncode == 0, r.stderr
    assert "Type a number from 1 to" in r.stdout and "Source:" in r.stdout
    assert "answer" not in r.stdout.split("Your answer")[0].lower()  # the right option is not shown before
    assert " right." in r.stdout


def test_quiz_stops_at_the_end_of_input(tmp_path):
    r = run_cli("quiz", "--topic", "numpy", "--n", "3", env=_env(tmp_path), input="")
    assert r.returncode == 0 and "Stopped" in r.stdout and "0 of 3 right" in r.stdout


def test_quiz_refuses_bad_arguments(tmp_path):
    assert run_cli("quiz", "--n", "0", env=_env(tmp_path)).returncode == 2
    r = run_cli("quiz", "--topic", "the capital of france", "--json", env=_env(tmp_path))
    assert r.returncode == 2 and "no topic matches" in r.stderr and "Traceback" not in r.stderr


def test_review_lists_what_is_due(tmp_path):
    env = _env(tmp_path)
    assert json.loads(run_cli("review", "--json", env=env).stdout) == {"due": []}
    assert run_cli("progress", "set", "numpy", "done", env=env).returncode == 0
    r = run_cli("review", env=env)
    assert r.returncode == 0 and "Nothing is due" in r.stdout and "Next: " in r.stdout  # done just now: due in days
