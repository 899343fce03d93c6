"""The `mentor` command as a person uses it: real processes for exit codes and start-up,
in-process calls of main() for the rest."""

import json

from conftest import make_settings, run_cli

from mentor.cli.main import main

HEAVY = ("torch", "transformers", "sentence_transformers", "gradio", "ragas")


def cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def idx_args(settings):
    return ["--index-dir", str(settings.index_dir), "--embed", "lsa"]


def test_search_json(lsa_settings, capsys):
    code, out, err = cli(capsys, "search", "sql joins", "--k", "3", "--json", *idx_args(lsa_settings))
    assert code == 0, err
    data = json.loads(out)
    assert data["query"] == "sql joins" and len(data["hits"]) == 3
    for hit in data["hits"]:
        assert set(hit) >= {"rank", "score", "text", "chunk_id", "doc", "title", "section", "lines", "url"}
    assert [h["rank"] for h in data["hits"]] == [1, 2, 3]


def test_search_text_output_cites(lsa_settings, capsys):
    code, out, _ = cli(capsys, "search", "pandas", "playlist", *idx_args(lsa_settings))
    assert code == 0
    assert "[1] " in out and "lines " in out and "link: https://www.youtube.com/playlist" in out


def test_queries_file(lsa_settings, tmp_path, capsys):
    qfile = tmp_path / "q.txt"
    qfile.write_text("where to learn sql\n\ndocker for ml\n")
    code, out, _ = cli(capsys, "search", "--queries", str(qfile), "--k", "2", *idx_args(lsa_settings))
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [line["query"] for line in lines] == ["where to learn sql", "docker for ml"]
    assert all(len(line["hits"]) == 2 for line in lines)
    code, _, err = cli(capsys, "search", "--queries", str(tmp_path / "nope.txt"), *idx_args(lsa_settings))
    assert code == 2 and "cannot read queries" in err


def test_long_query_is_truncated_with_notice(lsa_settings, capsys):
    code, out, err = cli(capsys, "search", "neural networks " * 100, "--json", *idx_args(lsa_settings))
    assert code == 0 and "truncated" in err and json.loads(out)["hits"]


def test_empty_query_exits_2(lsa_settings):
    result = run_cli("search", "  ", *idx_args(lsa_settings))
    assert result.returncode == 2 and "empty" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("search", *idx_args(lsa_settings), input="")
    assert result.returncode == 2 and "empty" in result.stderr


def test_missing_index_names_ingest(tmp_path):
    result = run_cli("search", "pandas", "--index-dir", str(tmp_path / "none"), "--embed", "lsa")
    assert result.returncode == 3
    assert "mentor ingest" in result.stderr and "Traceback" not in result.stderr


def test_bad_settings_are_messages_not_tracebacks(lsa_settings, tmp_path):
    result = run_cli("search", "pandas", "--index-dir", str(lsa_settings.index_dir), env={"MENTOR_EMBED": "word2vec"})
    assert result.returncode == 2 and "unknown embedding backend" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_cli("search", "pandas", *idx_args(lsa_settings), "--k", "many")
    assert result.returncode == 2 and "invalid int value" in result.stderr


def test_search_does_not_import_heavy_libraries(lsa_settings):
    code = (
        "import sys, mentor.cli.main as c\n"
        f"rc = c.main(['search', 'pandas', '--index-dir', {str(lsa_settings.index_dir)!r}, '--embed', 'lsa'])\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
        "sys.exit(rc)\n"
    )
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_base_package_works_with_heavy_libraries_missing(lsa_settings):
    """Block the heavy imports outright: ingest-free search must still work."""
    code = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        f"    def find_spec(self, name, path, target=None):\n"
        f"        if name.split('.')[0] in {HEAVY!r}: raise ImportError('blocked ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import mentor, mentor.config, mentor.corpus.documents, mentor.corpus.chunks, mentor.corpus.resources, mentor.search.lexical\n"  # noqa: E501
        "import mentor.search.embed, mentor.search.index, mentor.search.retrieve, mentor.corpus.fetch, mentor.evaluation.retrieval, mentor.cli.main\n"  # noqa: E501
        f"sys.exit(mentor.cli.main.main(['search', 'boosting', '--index-dir', {str(lsa_settings.index_dir)!r}, '--embed', 'lsa']))\n"  # noqa: E501
    )
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "[1]" in result.stdout


def test_interactive_prompt(lsa_settings):
    result = run_cli("search", "-i", *idx_args(lsa_settings), input="docker\n\n")
    assert result.returncode == 0
    assert "embedding backend: lsa" in result.stdout and "[1]" in result.stdout


def test_doctor_reports_configuration_and_index_state(lsa_settings, tmp_path, capsys):
    code, out, _ = cli(capsys, "doctor", *idx_args(lsa_settings))
    assert code == 0
    assert "MENTOR_INDEX_DIR" in out and "MENTOR_EMBED" in out and "embedding: lsa" in out
    assert "index: fresh" in out
    code, out, _ = cli(capsys, "doctor", "--index-dir", str(tmp_path / "none"), "--embed", "lsa")
    assert code == 1 and "index: missing" in out and "mentor ingest" in out


def test_ingest_reports_and_is_idempotent(tmp_path, capsys):
    settings = make_settings(tmp_path)
    code, out, _ = cli(capsys, "ingest", "--no-progress", *idx_args(settings))
    assert code == 0 and "embedding backend: lsa" in out and "20 linked resources" in out
    code, out, _ = cli(capsys, "ingest", "--no-progress", *idx_args(settings))
    assert code == 0 and "up to date" in out


def test_models_pull_offline_is_a_clear_error(tmp_path):
    result = run_cli("models", "pull", "BAAI/bge-small-en-v1.5", "--home", str(tmp_path))
    assert result.returncode == 1
    assert "could not download" in result.stderr and "Traceback" not in result.stderr
