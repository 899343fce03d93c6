"""A damaged index: each file of a build truncated or garbled, a broken manifest, a dangling
`active` link, a file where a folder should be. Every case is a one-line message naming
`mentor ingest --force` with exit 3 (from `mentor search`, `mentor ask` and the API), never a
traceback; `mentor ingest` sees the damage (no "up to date") and `ingest --force` repairs it.

Each test damages its own copy of the session's LSA index (the shared one is read-only)."""

import json
import shutil

import httpx
import pytest
from conftest import make_settings, run_cli, running

from mentor.cli.main import main
from mentor.errors import IndexDamaged
from mentor.search import builds, index


def copy_index(settings, tmp_path):
    target = tmp_path / "index"
    shutil.copytree(settings.index_dir, target, symlinks=True, ignore=shutil.ignore_patterns(".lock"))
    return settings.with_overrides(index_dir=target, home=tmp_path / "home", llm="none")


def args(settings):
    return ["--index-dir", str(settings.index_dir), "--corpus-dir", str(settings.corpus_dir), "--embed", "lsa"]


def cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def garble(path):
    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    data[mid : mid + 64] = bytes(b ^ 0xA5 for b in data[mid : mid + 64])
    path.write_bytes(bytes(data))


def garble_start(path):
    data = bytearray(path.read_bytes())
    data[:32] = bytes(b ^ 0xA5 for b in data[:32])
    path.write_bytes(bytes(data))


def drop_last_line(path):
    path.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:-1]))


def empty(path):
    path.write_bytes(b"")


def not_a_manifest(path):
    path.write_text(json.dumps({"format": builds.FORMAT, "build_id": "x"}))


def alter_a_vector(path):
    """Silent damage: one number of a passage's vector flipped inside Chroma's database, every
    page still well-formed (SQLite's own check finds nothing)."""
    import chromadb
    import numpy as np

    client = chromadb.PersistentClient(str(path.parent))
    got = client.get_collection(builds.COLLECTION).get(include=["embeddings"], limit=3)
    client.close()
    data = path.read_bytes()
    vector = next(v for v in (np.asarray(e, dtype="<f4").tobytes() for e in got["embeddings"]) if v in data)
    altered = vector[:43] + bytes([vector[43] ^ 0x80]) + vector[44:]  # the sign of the 11th number
    path.write_bytes(data.replace(vector, altered))


def alter_a_passage(path):
    """Silent damage where queries never look: a word of a passage's text changed inside Chroma's
    database (Chroma keeps the texts; mentor reads them from passages.jsonl)."""
    import chromadb

    client = chromadb.PersistentClient(str(path.parent))
    text = client.get_collection(builds.COLLECTION).get(include=["documents"], limit=1)["documents"][0]
    client.close()
    word = next(w for w in text.split() if len(w) >= 6 and w.isascii() and w.isalpha()).encode()
    data = path.read_bytes()
    assert word in data
    path.write_bytes(data.replace(word, word.swapcase()))


def folder_to_file(path):
    shutil.rmtree(path)
    path.write_text("not a folder")


def delete(path):
    path.unlink()


DAMAGE = [
    ("manifest.json", truncate),
    ("manifest.json", garble_start),
    ("manifest.json", not_a_manifest),
    ("passages.jsonl", truncate),
    ("passages.jsonl", garble),
    ("passages.jsonl", drop_last_line),
    ("resources.jsonl", garble),
    ("vocabulary.json", truncate),
    ("vocabulary.json", garble),
    ("topics.json", truncate),
    ("topics.json", garble_start),
    ("lsa.pkl", truncate),
    ("lsa.pkl", garble_start),
    ("lsa.pkl", garble),
    ("bm25/data.csc.index.npy", truncate),
    ("bm25/vocab.index.json", garble),
    ("bm25/mentor.json", garble_start),
    ("bm25", folder_to_file),
    ("chroma/chroma.sqlite3", truncate),
    ("chroma/chroma.sqlite3", garble_start),
    ("chroma/chroma.sqlite3", empty),
    ("chroma/chroma.sqlite3", alter_a_vector),
    ("chroma/chroma.sqlite3", delete),
    ("chroma", folder_to_file),
    ("readers.lock", delete),
]


def one_line_naming_force(err):
    return err.count("\n") == 1 and "mentor ingest --force" in err and "Traceback" not in err


@pytest.mark.parametrize("rel,damage", DAMAGE, ids=[f"{rel}-{fn.__name__}" for rel, fn in DAMAGE])
def test_damage_is_one_line_exit_3_and_ingest_sees_it(lsa_settings, tmp_path, capsys, rel, damage):
    settings = copy_index(lsa_settings, tmp_path)
    damage(builds.active_dir(settings.index_dir) / rel)
    code, _, err = cli(capsys, "search", "pandas", *args(settings))
    assert code == 3 and one_line_naming_force(err), err
    assert index.freshness(settings).state == "damaged"  # what `ingest` checks: no "up to date"
    code, out, _ = cli(capsys, "doctor", *args(settings))
    assert code == 1 and "index: damaged" in out and "mentor ingest --force" in out


@pytest.mark.parametrize(
    "rel,damage,flags",
    [
        ("passages.jsonl", drop_last_line, []),
        ("chroma/chroma.sqlite3", alter_a_vector, []),
        ("manifest.json", garble_start, ["--force"]),
        ("lsa.pkl", truncate, ["--force"]),
    ],
    ids=["passages-plain", "chroma-plain", "manifest-force", "lsa-force"],
)
def test_ingest_repairs_damage(lsa_settings, tmp_path, capsys, rel, damage, flags):
    settings = copy_index(lsa_settings, tmp_path)
    damage(builds.active_dir(settings.index_dir) / rel)
    code, out, err = cli(capsys, "ingest", "--no-progress", *flags, *args(settings))
    assert code == 0 and "up to date" not in out and "indexed" in out, out + err
    code, out, err = cli(capsys, "search", "pandas", *args(settings))
    assert code == 0 and "[1]" in out, err
    assert len(list((settings.index_dir / "builds").iterdir())) == 1  # the damaged build is gone


def dangling_active(index_dir):
    shutil.rmtree(builds.active_dir(index_dir))


def active_is_a_folder(index_dir):
    (index_dir / "active").unlink()
    (index_dir / "active").mkdir()


def active_is_a_file(index_dir):
    (index_dir / "active").unlink()
    (index_dir / "active").write_text("builds/nothing")


def active_loops(index_dir):
    (index_dir / "active").unlink()
    (index_dir / "active").symlink_to("active")


def builds_is_a_file(index_dir):
    shutil.rmtree(index_dir / "builds")
    (index_dir / "builds").write_text("not a folder")


def manifest_is_a_folder(index_dir):
    manifest = builds.active_dir(index_dir) / "manifest.json"
    manifest.unlink()
    manifest.mkdir()


LAYOUT = [dangling_active, active_is_a_folder, active_is_a_file, active_loops, builds_is_a_file, manifest_is_a_folder]


@pytest.mark.parametrize("damage", LAYOUT, ids=[f.__name__ for f in LAYOUT])
def test_broken_layout_is_a_message_and_force_repairs_it(lsa_settings, tmp_path, capsys, damage):
    settings = copy_index(lsa_settings, tmp_path)
    damage(settings.index_dir)
    code, _, err = cli(capsys, "search", "pandas", *args(settings))
    assert code == 3 and err.count("\n") == 1 and "mentor ingest" in err, err
    code, out, _ = cli(capsys, "doctor", *args(settings))
    assert code == 1 and "index: " in out
    code, out, err = cli(capsys, "ingest", "--force", "--no-progress", *args(settings))
    assert code == 0 and "indexed" in out, err
    code, out, err = cli(capsys, "search", "pandas", *args(settings))
    assert code == 0 and "[1]" in out, err


def test_damage_where_queries_never_look_is_still_repaired(lsa_settings, tmp_path, capsys):
    """Searches are right and go on (they read only ids and vectors from Chroma), but `doctor`
    reports the damage and `ingest` rebuilds instead of saying "up to date"."""
    settings = copy_index(lsa_settings, tmp_path)
    alter_a_passage(builds.active_dir(settings.index_dir) / "chroma" / "chroma.sqlite3")
    code, out, err = cli(capsys, "search", "pandas", *args(settings))
    assert code == 0 and "[1]" in out, err
    code, out, _ = cli(capsys, "doctor", *args(settings))
    assert code == 1 and "index: damaged" in out and "mentor ingest --force" in out
    code, out, err = cli(capsys, "ingest", "--no-progress", *args(settings))
    assert code == 0 and "indexed" in out, out + err


def test_chroma_garbled_anywhere_is_never_a_traceback(lsa_settings, tmp_path, capsys):
    """Chroma's database has no fixed checksum: garble it at offsets all through the file; each
    search either answers or gives the one-line message, and `ingest` never says "up to date"
    when a search could not answer."""
    settings = copy_index(lsa_settings, tmp_path)
    db = builds.active_dir(settings.index_dir) / "chroma" / "chroma.sqlite3"
    original = db.read_bytes()
    for eighth in range(8):
        data = bytearray(original)
        at = len(data) * eighth // 8 + 100
        data[at : at + 64] = bytes(b ^ 0xA5 for b in data[at : at + 64])
        db.write_bytes(bytes(data))
        code, out, err = cli(capsys, "search", "pandas", *args(settings))
        assert (code == 0 and "[1]" in out) or (code == 3 and one_line_naming_force(err)), (at, code, err)
        if code == 3:
            assert index.freshness(settings).state == "damaged", at
    db.write_bytes(original)


def test_an_index_built_by_an_older_version_asks_for_ingest(lsa_settings, tmp_path, capsys):
    settings = copy_index(lsa_settings, tmp_path)
    folder = builds.active_dir(settings.index_dir)
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "format": 1}))
    (folder / "readers.lock").unlink(missing_ok=True)
    code, _, err = cli(capsys, "search", "pandas", *args(settings))
    assert code == 3 and "another version of mentor" in err and "mentor ingest" in err, err
    code, out, err = cli(capsys, "ingest", "--no-progress", *args(settings))
    assert code == 0 and "indexed" in out, err


def test_damage_found_while_opening_chroma_is_index_damaged(lsa_settings, tmp_path):
    from mentor.search.retrieve import Retriever

    settings = copy_index(lsa_settings, tmp_path)
    idx, _ = index.open_index(settings)  # checked and loaded; Chroma is opened on the first dense search
    truncate(idx.folder / "chroma" / "chroma.sqlite3")
    with pytest.raises(IndexDamaged, match="mentor ingest --force"):
        Retriever(idx, settings).search("pandas", mode="dense")
    idx.close()


def test_search_and_ask_processes_print_one_line(lsa_settings, tmp_path):
    settings = copy_index(lsa_settings, tmp_path)
    truncate(builds.active_dir(settings.index_dir) / "passages.jsonl")
    for argv in (["search", "pandas"], ["ask", "where can I learn pandas?", "--llm", "none"]):
        result = run_cli(*argv, *args(settings), "--home", str(tmp_path / "home"))
        assert result.returncode == 3 and one_line_naming_force(result.stderr), result.stderr


def test_api_reports_damage_without_a_traceback(lsa_settings, tmp_path):
    from mentor.deps import Deps
    from mentor.web.api import create_api

    settings = copy_index(lsa_settings, tmp_path)
    garble(builds.active_dir(settings.index_dir) / "passages.jsonl")
    with running(create_api(Deps(settings))) as url, httpx.Client(base_url=url, timeout=30) as client:
        health = client.get("/api/health").json()
        assert health["index"] == "damaged" and "mentor ingest --force" in health["index_message"]
        for r in (
            client.get("/api/search", params={"q": "pandas"}),
            client.post("/api/ask", json={"message": "where can I learn pandas?"}),
        ):
            assert r.status_code in (400, 503) and "mentor ingest --force" in r.json()["error"], r.text


def test_up_to_date_check_cost(lsa_settings):
    """The checksum check behind "up to date" and every open stays cheap (measured: ~35 ms)."""
    import time

    index.freshness(lsa_settings)
    started = time.perf_counter()
    state = index.freshness(lsa_settings)
    assert state.state == "fresh" and state.manifest["files"] and time.perf_counter() - started < 1.0


def test_a_fresh_build_records_checksums(tmp_path):
    manifest = index.build(make_settings(tmp_path), progress=False)
    files = manifest["files"]
    written = {"passages.jsonl", "resources.jsonl", "vocabulary.json", "topics.json", "lsa.pkl", "bm25/mentor.json"}
    assert written <= set(files)
    assert all(len(f["sha256"]) == 64 and f["size"] > 0 for f in files.values())
