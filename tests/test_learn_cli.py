"""The learning commands end to end: a real SQLite file under a temporary MENTOR_HOME,
real processes where exit codes and start-up matter."""

import json

import pytest
from conftest import CORPUS, run_cli

from mentor.cli.main import main
from mentor.learning import progress


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def cli(capsys, home, *args):
    code = main(
        [*args[:1], *args[1:], "--home", str(home)]
        if args[0] != "progress"
        else [args[0], args[1], *args[2:], "--home", str(home)]
    )
    out, err = capsys.readouterr()
    return code, out, err


def test_next_json_shape(capsys, home):
    code, out, _ = cli(capsys, home, "next", "--json")
    data = json.loads(out)
    assert code == 0 and data["user"] == "me" and 1 <= len(data["topics"]) <= 5
    first = data["topics"][0]
    assert set(first) >= {"id", "title", "why", "resources", "citations"}
    assert first["id"] == "python-basics" and first["resources"] and first["citations"]
    assert {"chunk_id", "doc", "section", "lines", "quote"} <= set(first["citations"][0])


def test_progress_round_trip_changes_next(capsys, home):
    assert cli(capsys, home, "progress", "set", "python", "done")[0] == 0
    code, out, _ = cli(capsys, home, "progress", "set", "numpy", "finished")
    assert code == 0 and "Undo with `mentor progress undo`" in out
    data = json.loads(cli(capsys, home, "progress", "show", "--json")[1])
    assert {t["id"]: t["status"] for t in data["topics"]} == {"python-basics": "done", "numpy": "done"}
    assert all(t["updated_at"] for t in data["topics"])
    nxt = [t["id"] for t in json.loads(cli(capsys, home, "next", "--json")[1])["topics"]]
    assert "python-basics" not in nxt and "pandas" in nxt
    code, out, _ = cli(capsys, home, "progress", "undo")
    assert "numpy is back to not_started" in out
    data = json.loads(cli(capsys, home, "progress", "show", "--json")[1])
    assert [t["id"] for t in data["topics"] if t["status"] == "done"] == ["python-basics"]


def test_learners_do_not_see_each_other(capsys, home):
    cli(capsys, home, "progress", "set", "sql", "done", "--user", "ana")
    data = json.loads(cli(capsys, home, "progress", "show", "--json", "--user", "bo")[1])
    assert data == {"user": "bo", "topics": []}


def test_prereqs_json_and_why_not_yet(capsys, home):
    cli(capsys, home, "progress", "set", "python", "done")
    code, out, _ = cli(capsys, home, "prereqs", "neural nets", "--json", "--user", "me")
    data = json.loads(out)
    assert code == 0 and data["topic"]["id"] == "neural-networks"
    assert {"id", "title", "depth", "sources"} <= set(data["prerequisites"][0])
    assert "python-basics" not in data["missing"] and "classical-ml-projects" in data["missing"]


def test_plan_formats(capsys, home):
    code, out, _ = cli(capsys, home, "plan", "--hours-per-week", "8", "--weeks", "12", "--json")
    data = json.loads(out)
    assert code == 0 and len(data["weeks"]) == 12 and data["unscheduled"]
    week = data["weeks"][0]
    assert week["week"] == 1 and {"id", "title", "hours"} <= set(week["topics"][0]) and "resources" in week
    assert data["total_hours"] == pytest.approx(sum(t["hours"] for w in data["weeks"] for t in w["topics"]), abs=0.1)
    code, out, _ = cli(capsys, home, "plan", "--hours-per-week", "8", "--goal", "sql", "--md")
    assert out.startswith("# Study plan for me: towards SQL") and "## Week 1" in out


def test_topics_listing_and_conflicts(capsys, home):
    rows = json.loads(cli(capsys, home, "topics", "--json")[1])
    assert len(rows) >= 60 and {"id", "title", "phase", "prerequisites", "parallel_with"} <= set(rows[0])
    code, out, _ = cli(capsys, home, "topics", "--conflicts")
    assert code == 0 and "learning-algorithm" in out and "master-curriculum" in out


def test_import_marked_roadmap_and_export(capsys, home, tmp_path):
    code, out, _ = cli(capsys, home, "progress", "import", str(CORPUS / "roadmaps" / "libraries-and-math.txt"))
    assert code == 0
    data = json.loads(cli(capsys, home, "progress", "export", "--format", "json")[1])
    done = {t["id"] for t in data["topics"] if t["status"] == "done"}
    assert {"python-basics", "numpy", "pandas", "data-visualisation", "basic-math"} <= done
    assert "portfolio" not in done  # "📘 Resource: Kaggle Python Course" is not a finished topic
    assert "linear-algebra" not in done  # not marked
    md = cli(capsys, home, "progress", "export", "--format", "md")[1]
    assert "- [x] Python fundamentals" in md and "- [ ] Linear regression" in md
    # the JSON export imports back into another learner
    export = tmp_path / "export.json"
    export.write_text(json.dumps(data))
    cli(capsys, home, "progress", "import", str(export), "--user", "ana")
    ana = json.loads(cli(capsys, home, "progress", "export", "--user", "ana")[1])
    assert {t["id"] for t in ana["topics"]} == done
    history = cli(capsys, home, "progress", "history", "--user", "ana")[1]
    assert "[imported]" in history


def test_bad_inputs_are_messages(home, tmp_path):
    env = {"MENTOR_HOME": str(home)}
    for args, code, text in [
        (["progress", "set", "quantum basket weaving", "done"], 2, "no topic matches"),
        (["progress", "set", "python", "maybe"], 2, "unknown status"),
        (["next", "--user", "../../etc/passwd"], 2, "learner names"),
        (["plan", "--hours-per-week", "0"], 2, "hours per week"),
        (["prereqs", "zzzz"], 2, "no topic matches"),
        (["progress", "import", str(tmp_path / "missing.md")], 2, "cannot read"),
        (["next", "--goal", "underwater welding"], 2, "no topic matches"),
    ]:
        result = run_cli(*args, env=env)
        assert result.returncode == code, (args, result.stderr)
        assert text in result.stderr and "Traceback" not in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = run_cli("progress", "import", str(broken), env=env)
    assert result.returncode == 2 and "not a mentor progress export" in result.stderr


def test_learning_commands_need_no_heavy_imports(home):
    code = (
        "import sys, mentor.cli.main as c\n"
        "rc = c.main(['next', '--json'])\n"
        "heavy = ('torch', 'transformers', 'sentence_transformers', 'gradio', 'ragas', 'chromadb', 'llama_index.core', 'sklearn')\n"  # noqa: E501
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "MENTOR_HOME": str(home)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_ask_json_shape_and_mode(home, lsa_settings):
    env = {"MENTOR_HOME": str(home), "MENTOR_INDEX_DIR": str(lsa_settings.index_dir), "MENTOR_EMBED": "lsa"}
    result = run_cli("ask", "What do I need before transformers?", "--json", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"answer", "citations", "tool_calls", "mode"} and data["mode"] == "offline"
    assert "offline mode" in result.stderr  # the mode in use is always said
    cite = data["citations"][0]
    assert set(cite) >= {"n", "chunk_id", "doc", "title", "section", "lines", "url", "quote"}
    assert data["tool_calls"][0] == {"name": "prerequisites", "args": {"topic": "transformers"}}
    bad = run_cli("ask", "  ", env=env)
    assert bad.returncode == 2 and "empty" in bad.stderr and "Traceback" not in bad.stderr


def test_chat_session_remembers(home, lsa_settings):
    env = {"MENTOR_HOME": str(home), "MENTOR_INDEX_DIR": str(lsa_settings.index_dir), "MENTOR_EMBED": "lsa"}
    talk = "I finished python\nmaybe\nyes\nwhat next?\nundo\nyes\nI finished git\nno\nquit\n"
    result = run_cli("chat", env=env, input=talk)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "offline mode" in out and "Record Python fundamentals as done? (yes/no)" in out
    assert "Please answer yes or no." in out and "Recorded: Python fundamentals is now done" in out
    assert "Here is what I'd learn next" in out and "Undone: Python fundamentals is back to not started" in out
    assert "Dismissed: Version control with Git & GitHub as done." in out
    shown = run_cli("progress", "show", "--json", env=env)
    assert [t["id"] for t in json.loads(shown.stdout)["topics"] if t["status"] != "not_started"] == []


def test_ask_proposes_and_progress_apply_confirms(home, lsa_settings):
    env = {"MENTOR_HOME": str(home), "MENTOR_INDEX_DIR": str(lsa_settings.index_dir), "MENTOR_EMBED": "lsa"}
    asked = json.loads(run_cli("ask", "just wrapped up statistics!", "--json", env=env).stdout)
    [proposal] = asked["proposals"]
    assert (proposal["topic"], proposal["status"], proposal["evidence"]) == (
        "statistics",
        "done",
        "just wrapped up statistics!",
    )
    text = run_cli("ask", "I'm done with pandas", env=env).stdout
    assert "mentor progress apply " in text
    pending = json.loads(run_cli("progress", "pending", "--json", env=env).stdout)["proposals"]
    assert [p["topic"] for p in pending] == ["statistics", "pandas"]
    other = run_cli("progress", "apply", proposal["id"], "--user", "bo", env=env)
    assert other.returncode == 2 and "no proposal" in other.stderr and "Traceback" not in other.stderr
    applied = run_cli("progress", "apply", proposal["id"], env=env)
    assert applied.returncode == 0 and "Recorded: Statistics" in applied.stdout
    again = run_cli("progress", "apply", proposal["id"], env=env)
    assert again.returncode == 2 and "already applied" in again.stderr
    assert run_cli("progress", "dismiss", pending[1]["id"], env=env).returncode == 0
    odd = run_cli("progress", "apply", "\udcff", env=env)  # a byte that is no UTF-8, as argv gives it
    assert odd.returncode == 2 and "no proposal" in odd.stderr and "Traceback" not in odd.stderr
    history = run_cli("progress", "history", env=env).stdout
    assert history.count("[confirmed]") == 1 and "statistics -> done" in history


def test_an_id_a_learner_types_never_starts_with_a_dash(monkeypatch):
    """`mentor progress apply -abc…` reads the id as an option: one token in 64 started with "-"."""
    made = iter(["-mpaENNI8DdhdI-V", "--x", "ok-token_1"])
    monkeypatch.setattr(progress.secrets, "token_urlsafe", lambda n: next(made))
    assert progress.new_id() == "ok-token_1"
    monkeypatch.undo()
    assert not any(progress.new_id().startswith("-") for _ in range(2000))
