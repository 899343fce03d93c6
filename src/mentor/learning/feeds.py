"""Progress for other tools: a CSV export (RFC 4180) and an iCalendar feed of due reviews
(RFC 5545), written by hand so that nothing beyond the standard library is needed.

CSV: one row per curriculum topic in roadmap order (never recorded: "not_started"), with its
phase, status, when it was set, the roadmaps' hours and the learner's notes on it (joined by
new lines, inside the quoted cell). Lines end in CRLF. A note that starts with = + - @ or a tab
is prefixed with ' so that a spreadsheet shows it as text and never runs it as a formula.

iCalendar: one all-day VEVENT per review on its due date (overdue ones on the day the feed is
made, so they show up), with a UID stable per learner and topic (a calendar that polls the feed
updates the event rather than adding one), DTSTAMP from the injected clock, text escaped
(\\ ; , and new lines) and every line folded at 75 octets without splitting a UTF-8 character.

Not here: the schedule itself (`review.py`), the JSON and Markdown exports (`transfer.py`), a
study plan's calendar (`exports.py`).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from mentor.learning.curriculum import Curriculum
from mentor.learning.notes.store import Notes
from mentor.learning.review import due_reviews

if TYPE_CHECKING:
    from mentor.deps import Deps

CSV_COLUMNS = ("topic", "title", "phase", "status", "updated_at", "hours", "notes")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FOLD_OCTETS = 75
HORIZON = timedelta(days=90)  # how far ahead the feed lists reviews


def csv_export(deps: Deps, learner: str) -> str:
    """The learner's progress and notes as CSV."""
    return progress_csv(deps.curriculum, deps.progress.state(learner), Notes(deps.progress).of(learner))


def review_feed(deps: Deps, learner: str) -> str:
    """The learner's reviews due now or within HORIZON, as an iCalendar feed."""
    now = deps.progress.clock()
    reviews = due_reviews(deps, learner, until=now + HORIZON)
    return reviews_icalendar(learner, [r.to_dict() for r in reviews.due], now)


def _cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def progress_csv(cur: Curriculum, state: dict[str, tuple[str, str]], notes) -> str:
    """Every topic with the learner's status and notes (`notes.store.Note`s), as CSV."""
    by_topic: dict[str, list[str]] = {}
    for n in notes:
        by_topic.setdefault(n.topic, []).append(_cell(n.text))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for tid in sorted(cur.topics, key=cur.sort_key):
        t = cur.topics[tid]
        status, updated = state.get(tid, ("not_started", ""))
        writer.writerow([tid, t.title, t.phase, status, updated, f"{t.hours:g}", "\n".join(by_topic.get(tid, []))])
    return out.getvalue()


# --- iCalendar ---------------------------------------------------------------------------------


def ics_text(text: str) -> str:
    """A TEXT value escaped per RFC 5545 3.3.11."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return re.sub(r"\r\n|\r|\n", "\\\\n", text)


def fold(line: str) -> str:
    """A content line folded at FOLD_OCTETS octets (CRLF and one space before each piece that
    follows), never inside a UTF-8 character."""
    pieces, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        limit = FOLD_OCTETS if not pieces else FOLD_OCTETS - 1  # the leading space counts
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += ch
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _uid_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "-", text)


def reviews_icalendar(learner: str, reviews: list[dict], now: datetime) -> str:
    """The learner's reviews ({"topic", "title", "due", "dependents"}, `due` an ISO date-time)
    as an iCalendar feed made at `now`."""
    today = now.astimezone(timezone.utc).date()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//mentor//reviews//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{ics_text('mentor reviews: ' + learner)}",
    ]
    for review in reviews:
        lines += _event(learner, review, today, now)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _event(learner: str, review: dict, today: date, now: datetime) -> list[str]:
    due = datetime.fromisoformat(review["due"]).astimezone(timezone.utc).date()
    day = max(due, today)
    needed = int(review.get("dependents") or 0)
    about = f"Review {review['title']}" + (f": {needed} topics build on it." if needed else ".")
    if due < today:
        about += f" Due since {due.isoformat()}."
    return [
        "BEGIN:VEVENT",
        f"UID:review-{_uid_part(learner)}-{_uid_part(review['topic'])}@mentor",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{ics_text('Review: ' + review['title'])}",
        f"DESCRIPTION:{ics_text(about)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
