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

from mentor.cli.learn import plan_payload
from mentor.web.ui import graph_image, plan_files

DONE_GREEN = (0x2E, 0x7D, 0x32)


def _pixels_of(path: str, rgb: tuple[int, int, int]) -> int:
    image = Image.open(path).convert("RGB")
    return sum(1 for pixel in image.getdata() if all(abs(a - b) <= 3 for a, b in zip(pixel, rgb)))


def test_graph_picture_is_coloured_by_the_learners_status(offline_deps):
    before = graph_image(offline_deps, "ada")
    assert open(before, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert _pixels_of(before, DONE_GREEN) == 0
    for topic in ("python-basics", "git", "numpy"):
        offline_deps.progress.record("ada", topic, "done", origin="typed")
    after = graph_image(offline_deps, "ada")
    green = _pixels_of(after, DONE_GREEN)
    assert green > 300  # three filled boxes
    assert _pixels_of(graph_image(offline_deps, "someone-else"), DONE_GREEN) == 0  # each learner sees their own


def test_plan_downloads_markdown_and_calendar(offline_deps, tmp_path):
    data = plan_payload(offline_deps, "ada", 8, 6, None)
    md, ics = plan_files(data, tmp_path)
    assert Path(md).parent == Path(ics).parent and Path(md).parent.parent == tmp_path / "ada"  # the learner's folder
    assert plan_files(data, tmp_path)[0] != md  # a new folder each time: nothing overwritten, nothing guessable
    text = open(md, encoding="utf-8").read()
    assert "Week 1" in text and data["weeks"][0]["topics"][0]["title"] in text
    raw = open(ics, "rb").read().decode("utf-8")
    lines = raw.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "\n" not in raw.replace("\r\n", "")  # RFC 5545 line ends only
    starts = [date.fromisoformat(f"{v[:4]}-{v[4:6]}-{v[6:8]}")
              for v in (line.split(":")[1] for line in lines if line.startswith("DTSTART"))]
    assert len(starts) == len(data["weeks"]) == lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT")
    assert starts[0].weekday() == 0 and starts[0] > date.today()
    assert all(b - a == timedelta(weeks=1) for a, b in zip(starts, starts[1:]))
    assert all(len(line.encode()) <= 998 for line in lines)


@pytest.mark.parametrize("title", ["Week 1: A, B; C\\D"])
def test_calendar_text_is_escaped(title):
    from mentor.web.ui import _ics_escape

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
    return [f"{prefix}={path.replace('/mentor-plans/ada/', '/mentor-plans/bob/../ada/')}",
            f"{prefix}={path.replace('/', '%2F')}", f"/gradio_api/file/{path}"]


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
        with _signed_in(url, "ada", "pw-ada") as ada, _signed_in(url, "bob", "pw-bob") as bob, \
                httpx.Client(base_url=url, timeout=30) as nobody:
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
