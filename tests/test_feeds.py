"""The CSV export and the iCalendar feed of due reviews (issue 15), parsed back: the CSV with the
standard library's reader, the feed with a strict RFC 5545 reader written here (no icalendar
package is installed): CRLF only, lines of at most 75 octets, folding undone, properties
unescaped, components nested and closed, each event with its required properties."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from conftest import CORPUS, running

from mentor.cli.main import main
from mentor.config import Settings
from mentor.deps import Deps
from mentor.learning import actions
from mentor.learning.feeds import CSV_COLUMNS, fold, progress_csv, review_feed, reviews_icalendar
from mentor.learning.notes import store as notes

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock(NOW - timedelta(days=30))


@pytest.fixture
def deps(tmp_path, clock):
    return Deps(Settings(corpus_dir=CORPUS, home=tmp_path / "home", llm="none"), clock=clock)


def parse_ics(data: bytes) -> list[dict]:
    """A strict reader: the calendar's components as {"name", "props": {name: (params, value)}, "children"}."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), "lines must end in CRLF only"
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, f"line over 75 octets: {line!r}"
    logical: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            assert logical, "a continuation line cannot come first"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack: list[dict] = [{"name": "ROOT", "props": {}, "children": []}]
    for line in logical:
        match = re.fullmatch(r"([A-Z0-9-]+)((?:;[A-Z0-9-]+=[^;:]*)*):(.*)", line)
        assert match, f"not a content line: {line!r}"
        name, params, value = match.groups()
        if name == "BEGIN":
            component = {"name": value, "props": {}, "children": []}
            stack[-1]["children"].append(component)
            stack.append(component)
        elif name == "END":
            assert stack[-1]["name"] == value, f"END:{value} closes {stack[-1]['name']}"
            stack.pop()
        else:
            assert name not in stack[-1]["props"], f"{name} twice"
            stack[-1]["props"][name] = (params, _unescape(value))
    assert len(stack) == 1, "a component was left open"
    (calendar,) = stack[0]["children"]
    assert calendar["name"] == "VCALENDAR" and calendar["props"]["VERSION"][1] == "2.0"
    assert "PRODID" in calendar["props"]
    for event in calendar["children"]:
        assert event["name"] == "VEVENT" and {"UID", "DTSTAMP", "DTSTART"} <= set(event["props"])
        assert re.fullmatch(r"\d{8}T\d{6}Z", event["props"]["DTSTAMP"][1])
    return calendar["children"]


def _unescape(value: str) -> str:
    """A TEXT value unescaped; an unescaped ; or , (a list separator in TEXT) fails."""
    out, chars = [], iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars)
            assert nxt in "\\;,nN", f"bad escape \\{nxt} in {value!r}"
            out.append("\n" if nxt in "nN" else nxt)
        else:
            assert ch not in ";,", f"unescaped {ch!r} in {value!r}"
            out.append(ch)
    return "".join(out)


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "é" * 100 + "🦜" * 30
    folded = fold(line)
    assert all(len(piece.encode("utf-8")) <= 75 for piece in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_the_feed_escapes_and_folds_what_a_title_holds():
    reviews = [
        {
            "topic": "x",
            "title": "Commas, semicolons; back\\slash\nand a new line — ünïcödé " * 3,
            "due": NOW.isoformat(),
        },
        {"topic": "late", "title": "Overdue", "due": (NOW - timedelta(days=3)).isoformat(), "dependents": 4},
    ]
    events = parse_ics(reviews_icalendar("ana", reviews, NOW).encode("utf-8"))
    assert events[0]["props"]["SUMMARY"][1] == "Review: " + reviews[0]["title"]
    assert events[1]["props"]["DTSTART"] == (";VALUE=DATE", NOW.strftime("%Y%m%d"))  # overdue: shown today
    assert "4 topics build on it" in events[1]["props"]["DESCRIPTION"][1]
    assert events[0]["props"]["UID"][1] != events[1]["props"]["UID"][1]


def test_the_review_feed_lists_the_done_topics_as_scheduled(deps, clock):
    actions.set_status(deps, "ana", "python", "done")
    actions.set_status(deps, "ana", "numpy", "done")
    actions.set_status(deps, "ana", "pandas", "learning")
    clock.now = NOW
    events = parse_ics(review_feed(deps, "ana").encode("utf-8"))
    titles = [e["props"]["SUMMARY"][1] for e in events]
    assert titles == ["Review: " + deps.curriculum.topics[t].title for t in ("python-basics", "numpy")]
    assert events[0]["props"]["DTSTAMP"][1] == "20260504T120000Z"
    assert parse_ics(review_feed(deps, "nobody").encode("utf-8")) == []  # an empty feed is still a calendar


def test_the_csv_has_every_topic_its_status_and_notes(deps):
    actions.set_status(deps, "ana", "numpy", "done")
    notes.add_note(deps, "ana", "numpy", "views, not copies\nsecond line")
    notes.add_note(deps, "ana", "numpy", '=HYPERLINK("x")')
    text = progress_csv(deps.curriculum, deps.progress.state("ana"), notes.Notes(deps.progress).of("ana"))
    assert text.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == len(deps.curriculum.topics)
    numpy = next(r for r in rows if r["topic"] == "numpy")
    assert numpy["status"] == "done" and numpy["notes"] == 'views, not copies\nsecond line\n\'=HYPERLINK("x")'
    assert {r["status"] for r in rows if r["topic"] != "numpy"} == {"not_started"}


def test_the_export_command_writes_csv_and_ics(capsys, tmp_path):
    home = str(tmp_path / "home")
    assert main(["progress", "set", "git", "done", "--home", home]) == 0
    capsys.readouterr()
    assert main(["progress", "export", "--format", "csv", "--home", home]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert next(r for r in rows if r["topic"] == "git")["status"] == "done"
    assert main(["progress", "export", "--format", "ics", "--home", home]) == 0
    assert [e["props"]["SUMMARY"][1] for e in parse_ics(capsys.readouterr().out.encode())] == [
        "Review: Version control with Git & GitHub"
    ]


def test_the_api_serves_text_csv_and_text_calendar_and_notes(offline_deps):
    from mentor.web.api import create_api

    with running(create_api(offline_deps)) as url, httpx.Client(base_url=url, timeout=30) as client:
        note = client.post("/api/notes", json={"user": "eve", "topic": "sql", "text": "joins: inner, left"})
        assert note.status_code == 200 and note.json()["topic"]["id"] == "sql"
        assert client.post("/api/notes", json={"user": "eve", "topic": "sql", "text": "  "}).status_code == 400
        assert (
            client.post("/api/notes", json={"user": "eve", "topic": "basket weaving", "text": "x"}).status_code == 404
        )
        listed = client.get("/api/notes", params={"user": "eve", "topic": "sql"}).json()
        assert [n["text"] for n in listed["notes"]] == ["joins: inner, left"]
        client.post("/api/progress", json={"user": "eve", "topic": "sql", "status": "done"})
        r = client.get("/api/progress.csv", params={"user": "eve"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        sql = next(row for row in csv.DictReader(io.StringIO(r.text, newline="")) if row["topic"] == "sql")
        assert sql["status"] == "done" and sql["notes"] == "joins: inner, left"
        r = client.get("/api/reviews.ics", params={"user": "eve"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
        assert len(parse_ics(r.content)) == 1
        gone = client.delete(f"/api/notes/{note.json()['note']['id']}", params={"user": "eve"})
        assert gone.status_code == 200 and client.get("/api/notes", params={"user": "eve"}).json()["notes"] == []
        assert client.delete("/api/notes/999", params={"user": "eve"}).status_code == 400
