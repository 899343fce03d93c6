"""Bring your own roadmap (issue 15), measured: a roadmap written for this test, in a layout the
built-in chunker has not seen (numbered "Week N —" label lines with `- [x]` checkbox items, and
an org-mode outline), comes out searchable, topic-linked, with its Done marks proposed, and its
order checked against the graph. Its own index and MENTOR_HOME: the shared test index is never
rebuilt under other tests."""

from __future__ import annotations

import json
import os

import httpx
import pytest
from conftest import make_settings, run_cli, running

from mentor.corpus import own
from mentor.corpus.chunks import chunk_document
from mentor.corpus.documents import Document
from mentor.corpus.outline import chunk_own, is_done, read_lines
from mentor.deps import Deps
from mentor.errors import UsageError
from mentor.learning import actions
from mentor.learning.own import roadmaps
from mentor.search.freshness import freshness
from mentor.search.index import open_index
from mentor.search.retrieve import Retriever

WEEKS = """\
Summer of ML — my own plan

Week 1 — Warm-up ✅
- [x] Python fundamentals
- [x] Git (done)
- [ ] Build a birdhouse for the garden

Week 2 — Data wrangling
- [x] Pandas
- [ ] SQL
    - [ ] joins and window functions
- [x] Quaternion origami for beginners

Week 3 — Straight to the deep end
- [ ] Neural networks
- [ ] Docker
"""

ORG = """\
#+TITLE: Evenings plan
* Foundations
** DONE Linear algebra
** Maths
   - [X] Probability
   - [ ] Calculus
* Models
** TODO Linear regression
   - [ ] Logistic regression (not done)
"""


@pytest.fixture(scope="module")
def added(tmp_path_factory):
    """The week-layout roadmap added through the real CLI (a rebuild of a fresh index)."""
    tmp = tmp_path_factory.mktemp("own")
    settings = make_settings(tmp)
    path = tmp / "summer.md"
    path.write_text(WEEKS, encoding="utf-8")
    flags = ["--home", str(settings.home), "--index-dir", str(settings.index_dir), "--embed", "lsa"]
    result = run_cli("corpus", "add", str(path), "--title", "Summer of ML", "--user", "ana", "--json", *flags)
    assert result.returncode == 0, result.stderr
    return settings, json.loads(result.stdout), flags


def test_the_new_layout_is_cut_by_its_own_weeks(tmp_path):
    doc = Document("summer", "Summer", "", tmp_path / "s.md", WEEKS)
    assert {c.section for c in chunk_document(doc)} == {"Introduction"}  # the built-in chunker sees no weeks
    sections = [c.section for c in chunk_own(doc)]
    assert sections == [
        "Introduction",
        "Week 1 — Warm-up",
        "Week 2 — Data wrangling",
        "Week 3 — Straight to the deep end",
    ]
    for c in chunk_own(doc):
        assert c.text == "\n".join(doc.lines[c.first_line - 1 : c.last_line])  # verbatim slices


def test_added_roadmap_json_shape_links_and_unmatched(added):
    _, data, _ = added
    assert set(data) >= {"id", "title", "passages", "linked_topics", "unmatched", "proposals", "disagreements"}
    assert data["id"] == "summer-of-ml" and data["title"] == "Summer of ML" and data["passages"] == 4
    linked = {t["id"] for t in data["linked_topics"]}
    assert linked == {"python-basics", "git", "pandas", "sql", "neural-networks", "docker"}
    assert {u["text"] for u in data["unmatched"]} == {
        "- [ ] Build a birdhouse for the garden",
        "- [ ] joins and window functions",
        "- [x] Quaternion origami for beginners",
    }


def test_done_marks_are_proposed_not_recorded(added):
    settings, data, _ = added
    proposed = {p["topic"]: p for p in data["proposals"]}
    assert set(proposed) == {"python-basics", "git", "pandas"}  # the unmatched [x] item proposes nothing
    assert all(p["status"] == "done" and p["kind"] == "status" for p in proposed.values())
    assert proposed["pandas"]["evidence"] == "Summer of ML, line 9: - [x] Pandas"
    deps = Deps(settings)
    assert deps.progress.statuses("ana") == {}  # nothing recorded until the learner confirms
    applied = actions.apply_proposal(deps, "ana", proposed["git"]["id"])
    assert applied.applied and deps.progress.statuses("ana") == {"git": "done"}


def test_its_order_against_the_graph_is_shown(added):
    _, data, _ = added
    found = {(d["topic"], d["before"]): d for d in data["disagreements"]}
    # neural networks (week 3) before nothing it needs is listed later; docker comes after linux softly: no
    assert all(d["kind"] in ("prerequisite", "suggested") for d in found.values())
    assert ("neural-networks", "python-basics") not in found  # python is in week 1: the same order


def test_it_is_searchable_and_topic_linked_in_the_index(added):
    settings, _, flags = added
    assert freshness(settings).state == "fresh"
    idx, _ = open_index(settings)
    try:
        mine = [c for c in idx.chunks if c.doc == "summer-of-ml"]
        assert {c.section for c in mine} >= {"Week 2 — Data wrangling"}
        week2 = next(c for c in mine if c.section == "Week 2 — Data wrangling")
        assert {"pandas", "sql"} <= set(week2.topics)
        hits = Retriever(idx, settings).search("quaternion origami", k=3).hits
        assert hits and hits[0].chunk.chunk_id == week2.chunk_id
    finally:
        idx.close()
    result = run_cli("search", "birdhouse garden", "--json", "--k", "1", *flags)
    assert json.loads(result.stdout)["hits"][0]["title"] == "Summer of ML"


def test_list_remove_and_builtins_are_read_only(added):
    settings, _, flags = added
    listed = json.loads(run_cli("corpus", "list", "--json", *flags).stdout)["roadmaps"]
    assert [r["id"] for r in listed if r["builtin"]] == [
        "learning-algorithm",
        "master-curriculum",
        "six-month-weekly",
        "zero-to-llm-phases",
        "libraries-and-math",
    ]
    assert [r["id"] for r in listed if not r["builtin"]] == ["summer-of-ml"]
    refused = run_cli("corpus", "remove", "six-month-weekly", *flags)
    assert refused.returncode == 2 and "read-only" in refused.stderr
    traversal = run_cli("corpus", "remove", "../../index", *flags)
    assert traversal.returncode == 2 and "no added roadmap" in traversal.stderr


def test_an_org_outline_links_and_proposes_without_guessing(tmp_path):
    deps = Deps(make_settings(tmp_path))
    result = roadmaps.add_roadmap(deps, "bo", ORG, "Evenings", "plan.org", rebuild=False)
    assert not result.indexed and freshness(deps.settings).state == "missing"
    proposed = {p.topic for p in result.proposals}
    assert proposed == {"linear-algebra", "probability"}
    assert {t["id"] for t in result.linked} >= {"linear-algebra", "probability", "calculus", "linear-regression"}
    order = {(d["topic"], d["before"]) for d in result.disagreements}
    assert ("linear-regression", "logistic-regression") not in order


def test_a_topic_before_its_prerequisite_is_a_disagreement(tmp_path):
    deps = Deps(make_settings(tmp_path))
    text = "# Crash course\n- Neural networks\n- Python fundamentals\n"
    result = roadmaps.add_roadmap(deps, "cy", text, "Crash", rebuild=False)
    found = [d for d in result.disagreements if (d["topic"], d["before"]) == ("neural-networks", "python-basics")]
    assert found and found[0]["kind"] == "prerequisite" and "line 2" in found[0]["message"]


@pytest.mark.parametrize(
    "line,done",
    [
        ("- [x] NumPy", True),
        ("- [X] NumPy", True),
        ("** DONE NumPy", True),
        ("NumPy ✅", True),
        ("NumPy — done", True),
        ("NumPy (completed)", True),
        ("NumPy: DONE", True),
        ("- [ ] NumPy", False),
        ("- [-] NumPy", False),
        ("- ~~NumPy~~", False),
        ("Getting things done", False),
        ("NumPy (not done)", False),
    ],
)
def test_which_marks_count_as_done(line, done):
    assert is_done(line) is done


def test_an_indented_outline_is_read_by_its_indentation():
    lines = read_lines("Month 1\n    Python fundamentals  ✅\n    Git\nMonth 2\n    Linear regression\n")
    kinds = [(ln.kind, ln.name, ln.done) for ln in lines if ln.kind != "blank"]
    assert kinds[:3] == [("heading", "Month 1", False), ("item", "Python fundamentals", True), ("item", "Git", False)]


# --- hostile input: clear refusals, nothing stored ----------------------------------------------


@pytest.fixture
def fresh(tmp_path):
    return Deps(make_settings(tmp_path)), tmp_path


def _nothing_stored(deps) -> bool:
    return own.registry(deps.settings.home) == [] and not list(own.folder(deps.settings.home).glob("*.md"))


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"just one line of prose about learning.\n", "no structure"),
        (b"# Caf\xe9\n- numpy\n", "not UTF-8"),
        (b"# Plan\n- numpy\0\n", "binary"),
        (b"- " + b"a" * 5_000_000 + b"\n", "larger than"),
        (b"# Plan\n- " + b"a" * 3000 + b"\n", "over 2000 characters"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(fresh, content, message):
    deps, tmp = fresh
    path = tmp / "bad.md"
    path.write_bytes(content)
    with pytest.raises(UsageError, match=message):
        roadmaps.add_roadmap_file(deps, "me", path, rebuild=False)
    assert _nothing_stored(deps)


def test_a_fifo_a_folder_a_pathlike_title_and_builtin_ids_are_refused(fresh):
    deps, tmp = fresh
    fifo = tmp / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="not a regular file"):
        roadmaps.add_roadmap_file(deps, "me", fifo, rebuild=False)
    with pytest.raises(UsageError, match="is a folder"):
        roadmaps.add_roadmap_file(deps, "me", tmp, rebuild=False)
    for title, message in [
        ("../../etc/passwd", "looks like a path"),
        ("/etc/passwd", "looks like a path"),
        ("Learning algorithm", "built-in roadmap's id"),
        ("!!!", "no letters or digits"),
        ("x" * 101, "longer than"),
        ("tab\there\x07", "control characters"),
    ]:
        with pytest.raises(UsageError, match=message):
            roadmaps.add_roadmap(deps, "me", WEEKS, title, rebuild=False)
    assert _nothing_stored(deps)


def test_a_duplicate_is_refused_and_the_first_stays_intact(fresh):
    deps, _ = fresh
    first = roadmaps.add_roadmap(deps, "me", WEEKS, "Summer", rebuild=False).roadmap
    with pytest.raises(UsageError, match="already added as 'summer'"):
        roadmaps.add_roadmap(deps, "me", WEEKS, "Another name", rebuild=False)
    with pytest.raises(UsageError, match="already added"):
        roadmaps.add_roadmap(deps, "me", ORG, "Summer", rebuild=False)
    assert own.registry(deps.settings.home) == [first]
    assert own.text_of(deps.settings.home, first).startswith("Summer of ML")


def test_a_failed_rebuild_takes_the_roadmap_back_out(fresh, monkeypatch):
    deps, _ = fresh

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(roadmaps.index, "build", broken)
    with pytest.raises(OSError):
        roadmaps.add_roadmap(deps, "me", WEEKS, "Summer")
    assert _nothing_stored(deps) and deps.proposals.pending("me") == []


def test_adding_and_removing_changes_freshness(fresh):
    deps, _ = fresh
    base = own.fingerprint(deps.settings)
    roadmaps.add_roadmap(deps, "me", WEEKS, "Summer", rebuild=False)
    assert own.fingerprint(deps.settings) != base
    roadmaps.remove_roadmap(deps, "summer", rebuild=False)
    assert own.fingerprint(deps.settings) == base and _nothing_stored(deps)
    with pytest.raises(UsageError, match="no added roadmap 'summer'"):
        roadmaps.remove_roadmap(deps, "summer", rebuild=False)


def test_a_changed_file_is_named_at_ingest_and_can_still_be_removed(fresh):
    deps, _ = fresh
    entry = roadmaps.add_roadmap(deps, "me", WEEKS, "Summer", rebuild=False).roadmap
    (own.folder(deps.settings.home) / f"{entry.id}.md").write_text("tampered", encoding="utf-8")
    with pytest.raises(Exception, match="changed outside mentor"):
        own.passages(deps.settings.home)
    roadmaps.remove_roadmap(deps, "summer", rebuild=False)
    assert _nothing_stored(deps)


# --- the API --------------------------------------------------------------------------------------


def test_api_upload_list_and_delete(added):
    settings, _, _ = added
    from mentor.web.api import create_api

    deps = Deps(settings.with_overrides(llm="none"))
    with running(create_api(deps)) as url, httpx.Client(base_url=url, timeout=120) as client:
        r = client.post("/api/corpus", json={"user": "di", "title": "Evenings", "text": ORG})
        assert r.status_code == 200, r.text
        assert r.json()["id"] == "evenings" and {p["topic"] for p in r.json()["proposals"]} == {
            "linear-algebra",
            "probability",
        }
        assert "evenings" in [x["id"] for x in client.get("/api/corpus").json()["roadmaps"]]
        assert client.post("/api/corpus", json={"user": "di", "title": "Evenings", "text": ORG}).status_code == 400
        assert client.post("/api/corpus", json={"title": "x", "text": "prose only."}).status_code == 400
        assert client.post("/api/corpus", json={"title": "x", "text": ""}).status_code == 422
        assert client.delete("/api/corpus/learning-algorithm").status_code == 400
        assert client.delete("/api/corpus/..%2F..%2Fetc").status_code in (404, 422)
        gone = client.delete("/api/corpus/evenings", params={"user": "di"})
        assert gone.status_code == 200 and gone.json()["removed"]["id"] == "evenings"
    assert [e.id for e in own.registry(settings.home)] == ["summer-of-ml"]


def test_the_page_tab_mounts_and_its_handlers_translate(fresh):
    import gradio as gr

    from mentor.web.own import own_tab

    deps, tmp = fresh
    with gr.Blocks():
        name = gr.Textbox(value="me")
        tab = own_tab(deps, lambda n, request=None: n or "me", name)
    empty = tmp / "empty.md"
    empty.write_text("")
    assert tab.upload("ana", str(empty), "", None).startswith("⚠️") and _nothing_stored(deps)
    shown, box = tab.save_note("ana", "numpy", "strides!", None)
    assert "strides!" in shown and box == ""
    assert tab.save_note("ana", "numpy", "  ", None)[0].startswith("⚠️")
