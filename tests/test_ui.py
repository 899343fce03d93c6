"""The web app's pictures and downloads, without a browser: the curriculum graph coloured by
status, the plan as Markdown and iCalendar files, and (over real HTTP, two accounts) a plan
file served to its owner only."""

import contextlib
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from conftest import running
from PIL import Image

from mentor.learning import actions
from mentor.learning.actions import study_plan_for
from mentor.web.downloads import plan_files
from mentor.web.graph import graph_image

DONE_GREEN = (0x2E, 0x7D, 0x32)


def _pixels_of(path: str, rgb: tuple[int, int, int]) -> int:
    image = Image.open(path).convert("RGB")
    return sum(1 for pixel in image.getdata() if all(abs(a - b) <= 3 for a, b in zip(pixel, rgb)))


def test_graph_picture_is_coloured_by_the_learners_status(offline_deps, tmp_path):
    before = graph_image(offline_deps, "ada", tmp_path)
    assert open(before, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert _pixels_of(before, DONE_GREEN) == 0
    for topic in ("python-basics", "git", "numpy"):
        offline_deps.progress.record("ada", topic, "done", origin="typed")
    after = graph_image(offline_deps, "ada", tmp_path)
    green = _pixels_of(after, DONE_GREEN)
    assert green > 300  # three filled boxes
    assert (
        _pixels_of(graph_image(offline_deps, "someone-else", tmp_path), DONE_GREEN) == 0
    )  # each learner sees their own


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


def test_the_graph_picture_is_served_to_its_owner_only(offline_deps, tmp_path, monkeypatch):
    from gradio_client import Client

    from mentor.deps import Deps
    from mentor.web.server import create_app

    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    deps = Deps(offline_deps.settings.with_overrides(auth="ada:pw-ada,bob:pw-bob"))
    with running(create_app(deps)) as url:
        page = Client(url + "/", auth=("ada", "pw-ada"), download_files=False, verbose=False, analytics_enabled=False)
        picture, note = page.predict("bob", api_name="/draw")  # the name box is ignored when signed in
        link = picture["url"].removeprefix(url)
        assert note == "" and "/mentor-plans/ada/" in link and link.endswith("/curriculum.png")
        with (
            _signed_in(url, "ada", "pw-ada") as ada,
            _signed_in(url, "bob", "pw-bob") as bob,
            httpx.Client(base_url=url, timeout=30) as nobody,
        ):
            mine = ada.get(link)
            assert mine.status_code == 200 and mine.content[:8] == b"\x89PNG\r\n\x1a\n"
            assert bob.get(link).status_code == 403 and nobody.get(link).status_code == 401


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
    picture, note = page.draw(name, None)
    assert picture is None and note.startswith("⚠️ ") and "learner names" in note
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
    assert note.endswith("is now done.") and progress.startswith("### Progress: ana\n\n## ")
    assert "(1/" in progress and next_steps.startswith("### Next steps\n1. **")
    note, progress, _ = page.undo("ana", None)
    assert note == "Undid: python-basics is back to not_started." and "(0/" in progress
    plan, files = page.make_plan("ana", 8, 2, "", None)
    assert plan.startswith("# Study plan for ana") and [Path(f).name for f in files] == [
        "study-plan.md",
        "study-plan.ics",
    ]


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
    assert note == "Recorded: NumPy arrays & vectorised numerics is now done." and "(1/" in progress
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
