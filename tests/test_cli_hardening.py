"""Bad invocations of `mentor`: every one is refused with a one-line message naming the setting,
flag or file at fault, exit code 2, never a traceback and never a hang, and nothing already
stored is lost or corrupted.

Most cases call main() in this process (a few ms each); the ones that could block (a FIFO, a
device) or must prove a clean process exit run as real processes, side by side."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from mentor.cli.main import main
from mentor.learning.progress import ProgressStore


def call(capsys, argv: list[str]) -> tuple[int, str]:
    """main(argv) in-process: (exit code, stderr). An argparse refusal is a SystemExit."""
    code, _, err = call_out(capsys, argv)
    return code, err


def call_out(capsys, argv: list[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(code: int, err: str, names: str) -> None:
    assert "Traceback" not in err
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mentor: "), err
    assert names in lines[0], err


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> Path:
    """Files a person might hand the CLI by mistake."""
    d = tmp_path_factory.mktemp("bad")
    (d / "binary.dat").write_bytes(bytes(range(256)) * 64)
    (d / "latin1.txt").write_bytes("caf\xe9 numpy ---Done\n".encode("latin-1"))
    (d / "big.txt").write_bytes(b"x" * 3_000_000)
    (d / "a-file").write_text("i am a file, not a folder\n")
    (d / "a-folder").mkdir()
    (d / "not-a-db.txt").write_text("i am not a database\n")
    os.mkfifo(d / "fifo")
    shapes = {
        "topics-dict.json": {"topics": {"numpy": "done"}},
        "topics-null.json": {"topics": None},
        "topics-string.json": {"topics": "numpy"},
        "rows-numbers.json": {"topics": [1, 2]},
        "rows-lists.json": {"topics": [["numpy", "done"]]},
        "row-id-list.json": {"topics": [{"id": ["numpy"], "status": "done"}]},
        "row-status-list.json": {"topics": [{"id": "numpy", "status": ["done"]}]},
    }
    for name, data in shapes.items():
        (d / name).write_text(json.dumps(data))
    (d / "deep.json").write_text('{"topics": ' + "[" * 100_000 + "]" * 100_000 + "}")
    (d / "deep.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n")
    (d / "history-binary").mkdir()
    (d / "history-binary" / "eval-history.jsonl").write_bytes(bytes(range(256)) * 8)
    (d / "history-shapes").mkdir()
    (d / "history-shapes" / "eval-history.jsonl").write_text(
        '[1]\n{"suite": 3}\n"x"\n{"suite": "offline", "metrics": [], "created": "now"}\n'
    )
    return d


def _missing_driver_url() -> str:
    for url, module in (
        ("mysql+mysqldb://u@localhost/x", "MySQLdb"),
        ("postgresql+psycopg2://u@localhost/x", "psycopg2"),
        ("oracle+oracledb://u@localhost/x", "oracledb"),
    ):
        if importlib.util.find_spec(module) is None:
            return url
    pytest.skip("every database driver tried is installed")


# --- MENTOR_* settings ------------------------------------------------------------------------

SETTINGS = [  # (variable, value; {bad} is the folder of bad files, {tmp} a fresh one), text the message must hold
    ("MENTOR_PORT", "abc", "MENTOR_PORT: must be an integer between 1 and 65535 (got 'abc')"),
    ("MENTOR_PORT", "99999", "MENTOR_PORT: must be an integer between 1 and 65535"),
    ("MENTOR_PORT", "", "MENTOR_PORT"),
    ("MENTOR_CONCURRENCY", "-1", "MENTOR_CONCURRENCY: must be an integer between 0 and 256"),
    ("MENTOR_LLM_TIMEOUT", "abc", "MENTOR_LLM_TIMEOUT: must be a number of seconds"),
    ("MENTOR_LLM_TIMEOUT", "nan", "MENTOR_LLM_TIMEOUT"),
    ("MENTOR_LLM_TIMEOUT", "-5", "MENTOR_LLM_TIMEOUT"),
    ("MENTOR_DB", "not-a-url", "MENTOR_DB: not a database URL"),
    ("MENTOR_DB", "nosuchdialect://x", "MENTOR_DB"),
    ("MENTOR_DB", "postgresql://u@localhost:abc/x", "MENTOR_DB"),
    ("MENTOR_DB", "@missing-driver", "MENTOR_DB"),
    ("MENTOR_DB", "sqlite://", "MENTOR_DB"),
    ("MENTOR_DB", "sqlite:///file:x?mode=memory&uri=true", "MENTOR_DB"),
    ("MENTOR_DB", "sqlite:///{tmp}/new/folder/mentor.db", "MENTOR_DB"),
    ("MENTOR_DB", "sqlite:///{bad}/a-folder", "MENTOR_DB"),
    ("MENTOR_DB", "sqlite:///{bad}/not-a-db.txt", "MENTOR_DB"),
    ("MENTOR_HOME", "{bad}/a-file", "MENTOR_HOME"),
    ("MENTOR_HOME", "{bad}/a-file/home", "MENTOR_HOME"),
    ("MENTOR_CORPUS_DIR", "{bad}/a-file", "MENTOR_CORPUS_DIR"),
    ("MENTOR_INDEX_DIR", "{bad}/a-file", "MENTOR_INDEX_DIR"),
    ("MENTOR_USER", "", "MENTOR_USER"),
    ("MENTOR_USER", "../etc", "MENTOR_USER"),
]


@pytest.mark.parametrize("variable, value, message", SETTINGS, ids=[f"{v}={x}" for v, x, _ in SETTINGS])
def test_bad_setting_is_one_line_naming_it(variable, value, message, bad, tmp_path, monkeypatch, capsys):
    value = _missing_driver_url() if value == "@missing-driver" else value.format(bad=bad, tmp=tmp_path)
    monkeypatch.setenv(variable, value)
    if variable != "MENTOR_HOME":
        monkeypatch.setenv("MENTOR_HOME", str(tmp_path / "home"))
    before = (bad / "not-a-db.txt").read_bytes()
    code, err = call(capsys, ["progress", "show"])
    assert_refused(code, err, message)
    assert not (tmp_path / "new").exists()  # no folder made for a MENTOR_DB
    assert (bad / "not-a-db.txt").read_bytes() == before  # a file that is no database is left as it was


def test_a_flag_that_breaks_a_setting_names_the_flag(bad, capsys):
    code, err = call(capsys, ["progress", "show", "--home", str(bad / "a-file")])
    assert_refused(code, err, "--home")


def test_serve_opens_the_progress_database_before_serving(bad, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MENTOR_DB", f"sqlite:///{bad / 'not-a-db.txt'}")
    code, err = call(capsys, ["serve", "--index-dir", str(tmp_path / "no-index"), "--embed", "lsa"])
    assert_refused(code, err, "MENTOR_DB")


def test_serve_refuses_a_port_in_use_and_a_host_that_does_not_resolve(tmp_path, monkeypatch, capsys):
    import socket

    no_index = ["--index-dir", str(tmp_path / "no-index"), "--embed", "lsa"]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        code, err = call(capsys, ["serve", "--port", str(taken.getsockname()[1]), *no_index])
    assert_refused(code, err, "MENTOR_PORT: cannot listen on 127.0.0.1:")
    monkeypatch.setenv("MENTOR_HOST", "no-such-host.invalid")
    code, err = call(capsys, ["serve", *no_index])
    assert_refused(code, err, "MENTOR_HOST")


# --- flags ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["next", "--user", ""],
        ["plan", "--hours-per-week", "5", "--user", ""],
        ["prereqs", "numpy", "--user", ""],
        ["progress", "set", "numpy", "done", "--user", ""],
        ["progress", "show", "--user", ""],
        ["ask", "what next?", "--llm", "none", "--user", ""],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_empty_user_is_refused_not_the_default_learner(argv, tmp_path, capsys):
    home = tmp_path / "home"
    code, err = call(capsys, [*argv, "--home", str(home)])
    assert_refused(code, err, "--user")
    if (home / "mentor.db").exists():
        assert ProgressStore(f"sqlite:///{home / 'mentor.db'}").history("me") == []


@pytest.mark.parametrize(
    "argv, message",
    [
        (["search", "pandas", "--k", "0"], "argument --k: must be between 1 and 50"),
        (["search", "pandas", "--k", "100000"], "argument --k: must be between 1 and 50"),
        (["serve", "--port", "99999"], "argument --port: must be between 1 and 65535"),
        (["serve", "--port", "0"], "argument --port: must be between 1 and 65535"),
        (["progress", "import", ""], "argument file: the file name is empty"),
        (["search", "--queries", " "], "argument --queries: the file name is empty"),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else "",
)
def test_bad_flag_values_are_refused_by_argparse(argv, message, tmp_path, capsys):
    code, err = call(capsys, [*argv, "--index-dir", str(tmp_path / "no-index")])
    assert code == 2 and "Traceback" not in err
    assert message in err.strip().splitlines()[-1]


# --- files ----------------------------------------------------------------------------------

IMPORTS = [
    "topics-dict.json",
    "topics-null.json",
    "topics-string.json",
    "rows-numbers.json",
    "rows-lists.json",
    "row-id-list.json",
    "row-status-list.json",
    "deep.json",
    "binary.dat",
    "latin1.txt",
]


@pytest.mark.parametrize("name", IMPORTS)
def test_bad_import_is_refused_and_stores_nothing(name, bad, tmp_path, capsys):
    home = ["--home", str(tmp_path / "home")]
    assert call(capsys, ["progress", "set", "python", "done", *home])[0] == 0
    before = call_out(capsys, ["progress", "history", *home])
    code, err = call(capsys, ["progress", "import", str(bad / name), *home])
    assert_refused(code, err, name)
    assert call_out(capsys, ["progress", "history", *home]) == before


@pytest.mark.parametrize(
    "argv, names",
    [
        (["eval", "--dataset", "{bad}/binary.dat"], "binary.dat"),
        (["eval", "--dataset", "{bad}/latin1.txt"], "latin1.txt"),
        (["eval", "--dataset", "{bad}/deep.jsonl"], "deep.jsonl"),
        (["eval", "--thresholds", "{bad}/binary.dat"], "binary.dat"),
        (["eval", "--thresholds", "{bad}/a-folder"], "a-folder"),
        (["eval", "--report", "{bad}/a-file"], "a-file"),
        (["eval", "--history", "--home", "{bad}/history-binary"], "eval-history.jsonl"),
        (["search", "--queries", "{bad}/big.txt"], "big.txt"),
        (["ingest", "--index-dir", "{bad}/a-file/index"], "--index-dir: cannot create the folder"),
    ],
    ids=lambda a: " ".join(a[:2]) if isinstance(a, list) else a,
)
def test_bad_file_is_one_line_naming_it(argv, names, bad, tmp_path, capsys):
    argv = [a.format(bad=bad) for a in argv]
    if "--index-dir" not in argv:
        argv += ["--index-dir", str(tmp_path / "no-index"), "--embed", "lsa"]
    code, err = call(capsys, argv)
    assert_refused(code, err, names)


def test_history_with_foreign_lines_still_shows(bad, capsys):
    code = main(["eval", "--history", "--home", str(bad / "history-shapes")])
    assert code == 0 and "no evaluation runs recorded yet" in capsys.readouterr().out


# --- real processes: what could hang, and the entry points ----------------------------------


def test_no_hang_and_no_traceback_in_real_processes(bad, tmp_path):
    env = {**os.environ, "MENTOR_INDEX_DIR": str(tmp_path / "no-index")}
    cases = {  # argv -> (extra env, text the one line must hold)
        ("-m", "mentor.cli", "progress", "import", str(bad / "fifo")): ({}, "fifo"),
        ("-m", "mentor.cli", "progress", "import", "/dev/zero"): ({}, "/dev/zero"),
        ("-m", "mentor.cli", "search", "--queries", str(bad / "fifo")): ({}, "fifo"),
        ("app.py",): ({"MENTOR_PORT": "abc"}, "MENTOR_PORT"),
    }
    running = {
        argv: subprocess.Popen(
            [sys.executable, *argv],
            cwd=ROOT,
            text=True,
            env={**env, "MENTOR_HOME": str(tmp_path / f"home{n}"), **extra},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n, (argv, (extra, _)) in enumerate(cases.items())
    }
    try:
        for argv, proc in running.items():
            _, err = proc.communicate(timeout=60)
            assert_refused(proc.returncode, err, cases[argv][1])
    finally:
        for proc in running.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


# --- found by an independent attack on the first round of fixes -----------------------------


def test_a_folder_that_holds_no_model_is_a_setting_error(capsys, monkeypatch, tmp_path):
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    monkeypatch.setenv("MENTOR_LLM", f"transformers:{folder}")
    code, err = call(capsys, ["ask", "hi", "--home", str(tmp_path / "home")])
    assert_refused(code, err, "MENTOR_LLM")


def test_a_host_name_idna_refuses_is_named(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("MENTOR_HOST", "a..b")
    code, err = call(capsys, ["serve", "--home", str(tmp_path / "home")])
    assert_refused(code, err, "MENTOR_HOST")


@pytest.mark.parametrize("table", ["offline = 5", "[offline]\nhit_at_1 = { min = nan }"])
def test_thresholds_that_cannot_gate_are_refused(capsys, tmp_path, table):
    th = tmp_path / "th.toml"
    th.write_text(table + "\n")
    code, err = call(
        capsys,
        [
            "eval",
            "--thresholds",
            str(th),
            "--home",
            str(tmp_path / "home"),
            "--report",
            str(tmp_path / "r"),
            "--llm",
            "none",
            "--embed",
            "lsa",
            "--index-dir",
            str(tmp_path / "index"),
        ],
    )
    assert_refused(code, err, str(th))


def test_a_report_folder_under_a_file_is_refused_before_the_run(capsys, tmp_path):
    (tmp_path / "x.json").write_text("{}")
    code, err = call(capsys, ["eval", "--report", str(tmp_path / "x.json" / "sub"), "--home", str(tmp_path / "h")])
    assert_refused(code, err, "--report")


def test_ingest_force_repairs_a_lock_file_replaced_by_a_folder_or_link(capsys, tmp_path):
    settings = ["--index-dir", str(tmp_path / "index"), "--embed", "lsa"]
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / ".lock").mkdir()
    code, out, err = call_out(capsys, ["ingest", "--force", "--no-progress", *settings])
    assert code == 0 and "Traceback" not in err, err
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    (tmp_path / "index" / ".lock").unlink()
    (tmp_path / "index" / ".lock").symlink_to(target)
    code, out, err = call_out(capsys, ["ingest", "--force", "--no-progress", *settings])
    assert code == 0 and target.read_text() == "keep me", err  # the link is never written through


def test_a_manifest_nested_too_deep_is_damage_not_a_traceback(capsys, tmp_path):
    settings = ["--index-dir", str(tmp_path / "index"), "--embed", "lsa"]
    assert call_out(capsys, ["ingest", "--no-progress", *settings])[0] == 0
    manifest = next((tmp_path / "index" / "builds").glob("*/manifest.json"))
    manifest.write_text("[" * 200_000 + "]" * 200_000)
    code, out, err = call_out(capsys, ["search", "boosting", *settings])
    assert code == 3 and "mentor ingest --force" in err and "Traceback" not in err, err
