"""A study plan written out for other programs: a Markdown document and an iCalendar file
(RFC 5545, one all-week event per week).

Not here: where files are written or who may download them (`mentor.web.downloads`), and
progress exports (`transfer.py`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from mentor.learning.actions import PlanWeek, StudyPlan
from mentor.learning.plan_weeks import whole_hours


def plan_markdown(plan: StudyPlan) -> str:
    title = f"Study plan for {plan.learner}" + (f": towards {plan.goal.title}" if plan.goal else "")
    hours = f"{plan.hours_per_week:g} hours a week, about {round(plan.total_hours)} hours in all."
    out = [f"# {title}", "", hours, "", *([plan.pace.describe(), ""] if plan.pace else [])]
    listed: list[str] = []  # each resource once, in the week that first needs it
    for week in plan.weeks:
        out.append(f"## Week {week.number}")
        if week.why:
            out += [f"_{week.why}_", ""]
        out += [f"- {title} — {shown}" for title, shown in week_hours(week)]
        new = [r for r in week.resources if r["url"] not in listed]
        listed += [r["url"] for r in new]
        out += [f"  - resource: [{r['anchor']}]({r['url']})" for r in new]
        out.append("")
    if plan.unscheduled:
        names = plan.unscheduled_titles or plan.unscheduled
        out.append(f"Not within these weeks ({len(names)} topics): {', '.join(names)}.")
    return "\n".join(out)


def week_hours(week: PlanWeek) -> list[tuple[str, str]]:
    """(topic title, its hours this week in whole hours: "3 h", or "under 1 h")."""
    whole = whole_hours([t.hours for t in week.topics])
    return [(t.title, f"{h} h" if h else "under 1 h") for t, h in zip(week.topics, whole)]


def next_monday(today: date) -> date:
    """The Monday after `today` (a week on when today is a Monday): when a plan starts."""
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def plan_icalendar(plan: StudyPlan, start: date) -> str:
    """The plan as an iCalendar file, week 1 starting on `start`; CRLF line ends."""
    events = []
    for week in plan.weeks:
        day = start + timedelta(weeks=week.number - 1)
        summary = "; ".join(f"{title} ({shown})" for title, shown in week_hours(week))
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
