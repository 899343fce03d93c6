"""The web app's pictures and downloads, without a browser: the curriculum graph coloured by
status, and the plan as Markdown and iCalendar files."""

from datetime import date, timedelta

import pytest
from PIL import Image

from mentor.cli_learn import plan_payload
from mentor.ui import graph_image, plan_files

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


def test_plan_downloads_markdown_and_calendar(offline_deps):
    data = plan_payload(offline_deps, "ada", 8, 6, None)
    md, ics = plan_files(data)
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
    from mentor.ui import _ics_escape

    assert _ics_escape(title) == "Week 1: A\\, B\\; C\\\\D"
