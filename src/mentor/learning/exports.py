"""A study plan written out for other programs: a Markdown document and an iCalendar file
(RFC 5545, one all-week event per week).

Not here: where files are written or who may download them (`mentor.web.downloads`), and
progress exports (`transfer.py`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from mentor.learning.actions import StudyPlan


def plan_markdown(plan: StudyPlan) -> str:
    title = f"Study plan for {plan.learner}" + (f": towards {plan.goal.title}" if plan.goal else "")
    out = [f"# {title}", "", f"{plan.hours_per_week:g} hours a week, {plan.total_hours:g} hours in all.", ""]
    for week in plan.weeks:
        out.append(f"## Week {week.number}")
        out += [f"- {t.title} — {t.hours:g} h" for t in week.topics]
        out += [f"  - resource: [{r['anchor']}]({r['url']})" for r in week.resources]
        out.append("")
    if plan.unscheduled:
        out.append(f"Not within these weeks: {', '.join(plan.unscheduled)}.")
    return "\n".join(out)


def next_monday(today: date) -> date:
    """The Monday after `today` (a week on when today is a Monday): when a plan starts."""
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def plan_icalendar(plan: StudyPlan, start: date) -> str:
    """The plan as an iCalendar file, week 1 starting on `start`; CRLF line ends."""
    events = []
    for week in plan.weeks:
        day = start + timedelta(weeks=week.number - 1)
        summary = "; ".join(f"{t.title} ({t.hours:g} h)" for t in week.topics)
        events += [
            "BEGIN:VEVENT",
            f"UID:mentor-{plan.learner}-week-{week.number}@mentor",
            f"DTSTAMP:{start:%Y%m%d}T000000Z",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=7):%Y%m%d}",
            f"SUMMARY:{ics_escape('Week ' + str(week.number) + ': ' + summary)}",
            "END:VEVENT",
        ]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//mentor//plan//EN", *events, "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"


def ics_escape(text: str) -> str:
    """iCalendar TEXT escaping of , ; and \\, cut to keep the line under RFC 5545's limit."""
    return re.sub(r"([,;\\])", r"\\\1", text)[:900]
