"""The web app's pieces without a browser: the curriculum map (Graphviz SVG, every name whole,
coloured by status, the list when Graphviz is missing), topic cards and the neighbourhood, the
plan as week cards and as Markdown and iCalendar files, the page's temporary files in
MENTOR_HOME, and (over real HTTP, two accounts) a plan file served to its owner only."""

import contextlib
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from conftest import running

from mentor.learning import actions
from mentor.learning.actions import study_plan_for
from mentor.learning.topic_map import card_for, map_for
from mentor.web.downloads import plan_files
from mentor.web.graph import dot_path, label_lines, map_svg
from mentor.web.map_tab import MapHandlers, card_html, map_html

needs_dot = pytest.mark.skipif(dot_path() is None, reason="Graphviz's dot is not installed (make test installs it)")


def _topic_groups(svg: str) -> dict[str, tuple[str, str]]:
    """topic id -> (its classes, its words as drawn), read from the SVG's DOM."""
    from xml.etree import ElementTree

    ns = {"s": "http://www.w3.org/2000/svg"}
    root = ElementTree.fromstring(svg)
    found = {}
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        if g.get("id", "").startswith("topic-"):
            words = " ".join(t.text or "" for t in g.iterfind(".//s:text", ns))
            found[g.get("id").removeprefix("topic-")] = (g.get("class"), words)
    return found


@needs_dot
def test_the_map_draws_every_topic_by_its_whole_name_coloured_by_status(offline_deps):
    for topic in ("python-basics", "numpy"):
        offline_deps.progress.record("ada", topic, "done", origin="typed")
    offline_deps.progress.record("ada", "pandas", "learning", origin="typed")
    groups = _topic_groups(map_svg(map_for(offline_deps, "ada")))
    cur = offline_deps.curriculum
    assert set(groups) == set(cur.topics)
    for tid, (classes, words) in groups.items():
        assert words == " ".join(label_lines(cur.topics[tid].title)) == cur.topics[tid].title, tid  # uncut
    assert groups["numpy"][0].split() == ["node", "topic", "done"]
    assert "learning" in groups["pandas"][0].split()
    assert "ready" in groups["python-intermediate"][0].split()  # its prerequisite is done: start it now
    assert "ready" not in groups["transformers"][0].split()
    assert _topic_groups(map_svg(map_for(offline_deps, "bo")))["numpy"][0].split()[2] == "not-started"  # each their own


@needs_dot
def test_the_neighbourhood_shows_only_what_is_around_the_learners_work(offline_deps):
    offline_deps.progress.record("ada", "python-basics", "done", origin="typed")
    offline_deps.progress.record("ada", "pandas", "learning", origin="typed")
    around = map_for(offline_deps, "ada", around_me=True)
    cur = offline_deps.curriculum
    expected = {
        "pandas",
        *cur.topics["pandas"].prerequisites,
        *cur.successors("pandas"),
        *cur.topics["pandas"].parallel,
    }
    assert around.focus == ["pandas"] and {t.id for t in around.topics} == expected
    assert set(_topic_groups(map_svg(around))) == expected
    assert "Around what you are doing now: Pandas" in map_html(around)
    fresh = map_for(offline_deps, "new", around_me=True)  # nothing being learned: around the next steps
    assert "python-basics" in fresh.focus and len(fresh.topics) < len(cur.topics)


def test_without_graphviz_the_map_says_so_and_lists_the_topics(offline_deps, monkeypatch):
    monkeypatch.setattr("mentor.web.graph.dot_path", lambda: None)
    shown = map_html(map_for(offline_deps, "ada"))
    assert "needs Graphviz" in shown and 'id="map-fallback"' in shown
    assert all(f'data-topic="{tid}"' in shown for tid in offline_deps.curriculum.topics)  # the list, clickable


def test_a_topic_card_says_what_it_needs_unlocks_and_where_to_learn_it(offline_deps):
    offline_deps.progress.record("ada", "python-basics", "done", origin="typed")
    card = card_for(offline_deps, "ada", "scikit-learn")
    cur = offline_deps.curriculum
    assert [t.id for t in card.needs] == sorted(cur.topics["scikit-learn"].prerequisites, key=cur.sort_key)
    assert {t.id for t in card.unlocks} == set(cur.successors("scikit-learn"))
    shown = card_html(card)
    assert "Needs first" in shown and "Unlocks" in shown and card.citations and "In the roadmaps" in shown
    assert card_for(offline_deps, "ada", "numpy").topic.id == "numpy"  # by id or by name


@needs_dot
def test_setting_a_status_from_the_map_redraws_it(offline_deps):
    handlers = MapHandlers(offline_deps, lambda name, request=None: name)
    note, picture, card = handlers.set_from_map("ada", "numpy@123", "all", "done", None)
    assert note == "NumPy arrays & vectorised numerics is now done."
    assert offline_deps.progress.statuses("ada") == {"numpy": "done"}
    assert _topic_groups(picture.split(">", 1)[1].rsplit("</div>", 1)[0])["numpy"][0] == "node topic done"
    assert "✓" in card
    assert handlers.set_from_map("ada", "", "all", "done", None)[0] == "⚠️ click a topic on the map first"


def test_the_plan_reads_in_whole_hours_names_and_reasons(offline_deps):
    from mentor.learning.exports import plan_markdown
    from mentor.web.plan_tab import plan_html

    plan = study_plan_for(offline_deps, "ada", 7, 3, None)
    shown, text = plan_html(plan), plan_markdown(plan)
    assert plan.unscheduled and all(w.why for w in plan.weeks)
    assert plan.weeks[0].why.startswith("Starts ") and "step 0.1 of ML Engineer Learning Algorithm" in plan.weeks[0].why
    for out in (shown, text):
        assert "Not within these weeks" in out and plan.unscheduled_titles[0] in out
        assert not any(f", {slug}," in out or f" {slug}." in out for slug in plan.unscheduled if "-" in slug)
        assert "Starts " in out
    hours = [float(h) for h in __import__("re").findall(r"— ([\d.]+) h", text)]
    assert hours and all(h == int(h) for h in hours)
    assert sum(hours) == 3 * 7


def test_plan_downloads_markdown_and_calendar(offline_deps, tmp_path):
    plan = study_plan_for(offline_deps, "ada", 8, 6, None)
    data = plan.to_dict()
    md, ics = plan_files(plan, tmp_path)
    assert Path(md).parent == Path(ics).parent and Path(md).parent.parent == tmp_path / "ada"  # the learner's folder
    assert plan_files(plan, tmp_path)[0] != md  # a new folder each time: nothing overwritten, nothing guessable
    text = open(md, encoding="utf-8").read()
    assert "Week 1" in text and data["weeks"][0]["topics"][0]["title"] in text
    raw = open(ics, "rb").read().decode("utf-8")
    lines = raw.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "\n" not in raw.replace("\r\n", "")  # RFC 5545 line ends only
    starts = [
        date.fromisoformat(f"{v[:4]}-{v[4:6]}-{v[6:8]}")
        for v in (line.split(":")[1] for line in lines if line.startswith("DTSTART"))
    ]
    assert len(starts) == len(data["weeks"]) == lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT")
    assert starts[0].weekday() == 0 and starts[0] > date.today()
    assert all(b - a == timedelta(weeks=1) for a, b in zip(starts, starts[1:]))
    assert all(len(line.encode()) <= 998 for line in lines)


@pytest.mark.parametrize("title", ["Week 1: A, B; C\\D"])
def test_calendar_text_is_escaped(title):
    from mentor.learning.exports import ics_escape as _ics_escape

    assert _ics_escape(title) == "Week 1: A\\, B\\; C\\\\D"


# --- MENTOR_AUTH: a plan file is served to the learner it was made for, and to nobody else ---


@contextlib.contextmanager
def _signed_in(url: str, name: str, password: str):
    """An HTTP client signed in through the page's login form (Gradio's session cookie)."""
    with httpx.Client(base_url=url, timeout=30) as client:
        assert client.post("/login", data={"username": name, "password": password}).json()["success"] is True
        yield client


def _plan_links(url: str, name: str, password: str) -> list[str]:
    """The download links of a plan made on the page by a signed-in learner (Gradio's client)."""
    from gradio_client import Client

    page = Client(url + "/", auth=(name, password), download_files=False, verbose=False, analytics_enabled=False)
    _, files = page.predict("bob", 8, 4, "", api_name="/make_plan")  # the name box is ignored when signed in
    return [f["url"].removeprefix(url) for f in files]


def _other_spellings(link: str) -> list[str]:
    """The same file's URL written otherwise: through another learner's folder, with the path
    percent-encoded, through Gradio's deprecated file route."""
    prefix, path = link.split("=", 1)
    return [
        f"{prefix}={path.replace('/mentor-plans/ada/', '/mentor-plans/bob/../ada/')}",
        f"{prefix}={path.replace('/', '%2F')}",
        f"/gradio_api/file/{path}",
    ]


def test_a_plan_file_is_served_to_its_owner_only(offline_deps, tmp_path, monkeypatch):
    from mentor.deps import Deps
    from mentor.web.server import create_app

    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    deps = Deps(offline_deps.settings.with_overrides(auth="ada:pw-ada,bob:pw-bob"))
    with running(create_app(deps)) as url:
        for name, password in [("eve", "\0"), ("Ada", "pw-ada"), ("bob", "pw-ada"), ("ada", "")]:
            assert httpx.post(url + "/login", data={"username": name, "password": password}).status_code in (400, 422)
        links = _plan_links(url, "ada", "pw-ada")
        assert [link.rsplit("/", 1)[1] for link in links] == ["study-plan.md", "study-plan.ics"]
        with (
            _signed_in(url, "ada", "pw-ada") as ada,
            _signed_in(url, "bob", "pw-bob") as bob,
            httpx.Client(base_url=url, timeout=30) as nobody,
        ):
            for link in links:
                mine = ada.get(link)
                assert mine.status_code == 200 and "ada" in mine.text
                theirs = bob.get(link)
                assert theirs.status_code == 403 and theirs.json()["error"], link
                assert bob.head(link).status_code == 403 and nobody.get(link).status_code == 401
            for sneaky in _other_spellings(links[0]):
                assert ada.get(sneaky).status_code == 200 and bob.get(sneaky).status_code == 403, sneaky
            prefix, path = links[0].split("=", 1)
            assert bob.get(f"{prefix}=/{path}").status_code == 403  # Gradio refuses "//" to everyone
            loop = tmp_path / "loop"
            loop.symlink_to(loop)
            for unresolvable in ("/gradio_api/file=%00", f"/gradio_api/file={loop}/x"):  # not a 500
                assert ada.get(unresolvable).status_code == 403 and nobody.get(unresolvable).status_code == 401


# --- the page's handlers, called as Gradio calls them ---------------------------------------


@pytest.fixture
def page(offline_deps, tmp_path):
    from mentor.web.ui import Page

    return Page(offline_deps, tmp_path / "files")


def _chat(page, message: str, name: str) -> list[dict]:
    *_, (history, box) = page.respond(message, [], name, None)
    assert box == ""
    return history


def test_a_conversation_started_on_the_page_continues_through_the_api(page, offline_deps):
    from mentor.web.api import create_api

    history = _chat(page, "What do I need before transformers?", "ana")
    assert history[0]["content"] == "What do I need before transformers?" and "Sources" in history[-1]["content"]
    with running(create_api(offline_deps)) as url:
        follow = httpx.post(
            url + "/api/ask", json={"message": "and what about its prerequisites?", "user": "ana"}, timeout=60
        ).json()
    assert follow["tool_calls"][0]["args"] == {"topic": "transformers"}  # "its": the page's topic
    conversation = offline_deps.conversations.get("ana")
    assert [role for role, _ in conversation.history] == ["user", "assistant", "user", "assistant"]
    assert offline_deps.conversations.get("bo") is not conversation


BAD_NAMES = ["../etc", "a b", "x" * 65]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_every_handler_shows_a_refused_name_as_a_notice(page, name):
    for notes in (page.refresh(name, None), page.undo(name, None), page.set_status(name, "git", "done", None)):
        assert notes[0].startswith("⚠️ ") and "learner names" in notes[0]
    handlers = MapHandlers(page.deps, page.learner)
    assert "learner names" in handlers.show_map(name, "all", None) and "learner names" in handlers.pick_topic(
        name, "git", None
    )
    assert "learner names" in handlers.set_from_map(name, "git@1", "all", "done", None)[0]
    plan, files = page.make_plan(name, 8, 4, "", None)
    assert plan.startswith("⚠️ ") and files is None
    assert "learner names" in _chat(page, "what next?", name)[-1]["content"]


def test_handlers_show_what_the_mentor_refuses(page):
    assert page.set_status("ana", None, "done", None)[0] == "⚠️ choose a topic first"
    assert page.make_plan("ana", 0, 4, "", None)[0].startswith("⚠️ hours per week")
    assert "no topic matches" in page.make_plan("ana", 8, 4, "underwater welding", None)[0]
    assert page.undo("ana", None)[0] == "Nothing to undo."


def test_the_page_records_undoes_and_renders_its_own_panels(page):
    note, progress, next_steps = page.set_status("ana", "python-basics", "done", None)
    assert note == "Python fundamentals is now done." and "<b>ana</b>: ✓ 1 done" in progress
    assert 'class="chip done" data-topic="python-basics"' in progress and "1/13 done" in progress
    assert next_steps.startswith("### What to learn next\n1. **")
    note, progress, _ = page.undo("ana", None)
    assert note == "Undid: Python fundamentals is back to not started." and "✓ 0 done" in progress
    plan, files = page.make_plan("ana", 8, 2, "", None)
    assert (
        "Study plan for ana" in plan
        and "Week 2" in plan
        and [Path(f).name for f in files]
        == [
            "study-plan.md",
            "study-plan.ics",
        ]
    )


def test_chat_proposals_are_applied_only_by_the_learners_click(page, offline_deps):
    _chat(page, "done with numpy, and I'm learning pandas now", "ana")
    checklist, group = page.proposals("ana", None)
    assert group["visible"] is True and checklist["value"] == []
    labels = [label for label, _ in checklist["choices"]]
    assert labels[0].startswith("NumPy arrays & vectorised numerics as done — you said:")
    assert offline_deps.progress.statuses("ana") == {}
    note, *_ = page.apply_checked("ana", [], None)
    assert note == "⚠️ tick the changes you want first"
    first = checklist["choices"][0][1]
    note, checklist, group, progress, next_steps = page.apply_checked("ana", [first], None)
    assert note == "Recorded: NumPy arrays & vectorised numerics is now done." and "✓ 1 done" in progress
    assert len(checklist["choices"]) == 1 and group["visible"] is True
    note, checklist, group, *_ = page.dismiss_checked("ana", [checklist["choices"][0][1]], None)
    assert note.startswith("Dismissed: Pandas") and group["visible"] is False
    assert offline_deps.progress.statuses("ana") == {"numpy": "done"}
    _chat(page, "I finished git and sql", "ana")
    note, checklist, group, *_ = page.apply_all("ana", None)
    assert note.count("Recorded:") == 2 and group["visible"] is False
    assert set(offline_deps.progress.statuses("ana")) == {"numpy", "git", "sql"}
    assert page.apply_checked("../etc", ["x"], None)[0].startswith("⚠️ ")
    _chat(page, "I finished docker and linux", "ana")
    ids = [pid for _, pid in page.proposals("ana", None)[0]["choices"]]
    actions.apply_proposal(offline_deps, "ana", ids[0])  # answered elsewhere (the API) first
    note, *_ = page.apply_checked("ana", ids, None)
    assert "already applied" in note and "Recorded: Linux" in note  # one error hides nothing
    assert {"docker", "linux"} <= set(offline_deps.progress.statuses("ana"))


# --- the page's temporary files ------------------------------------------------------------


def test_the_page_writes_its_temporary_files_in_mentor_home(lsa_settings, tmp_path):
    """`mentor serve` with MENTOR_HOME elsewhere: a plan made on the page lands in that folder."""
    import os
    import socket
    import time

    from conftest import ROOT
    from gradio_client import Client

    from mentor.config import apply_temp_env

    env = {"GRADIO_TEMP_DIR": "/already/set"}
    assert apply_temp_env(lsa_settings.with_overrides(home=tmp_path), env) == Path(
        "/already/set"
    )  # an explicit value wins
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k != "GRADIO_TEMP_DIR"}
    env.update(
        MENTOR_HOME=str(home), MENTOR_INDEX_DIR=str(lsa_settings.index_dir), MENTOR_EMBED="lsa", MENTOR_LLM="none"
    )
    import subprocess
    import sys

    server = subprocess.Popen(
        [sys.executable, "-m", "mentor.cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.time() + 60
        while time.time() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            time.sleep(0.3)
        page = Client(url, download_files=False, verbose=False, analytics_enabled=False)
        _, files = page.predict("ada", 8, 2, None, api_name="/make_plan")
        written = [Path(f["path"]) for f in files]
        assert written and all(home.resolve() / "gradio-tmp" in p.resolve().parents for p in written), written
    finally:
        server.kill()
        server.wait(timeout=10)
