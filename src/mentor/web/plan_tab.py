"""The Plan tab: hours a week, weeks and an optional goal in; the plan out as week cards a person
reads (whole hours, topic names, one line on why the week holds what it holds, each resource
once), with the Markdown and iCalendar files to download.

Not here: making the plan or its reasons (`mentor.learning.plan`, `plan_weeks`), the files
(`downloads.py`, `mentor.learning.exports`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import gradio as gr

from mentor.learning.actions import StudyPlan
from mentor.learning.exports import week_hours


def plan_html(plan: StudyPlan) -> str:
    goal = f" towards {html.escape(plan.goal.title)}" if plan.goal else ""
    head = (
        f'<div class="totals"><b>Study plan for {html.escape(plan.learner)}</b>{goal}: '
        f"{plan.hours_per_week:g} hours a week, {len(plan.weeks)} weeks, about {round(plan.total_hours)} hours.</div>"
    )
    listed: set[str] = set()
    cards = [head]
    for week in plan.weeks:
        hours = round(sum(t.hours for t in week.topics))
        topics = "".join(f"<li>{html.escape(title)} — {shown}</li>" for title, shown in week_hours(week))
        new = [r for r in week.resources if r["url"] not in listed]
        listed.update(r["url"] for r in new)
        links = ", ".join(
            f'<a href="{html.escape(r["url"])}" target="_blank">{html.escape(r["anchor"])}</a>' for r in new[:4]
        )
        cards.append(
            f'<div class="mentor-card week-card"><b>Week {week.number}</b> · {hours} h'
            f'<div class="week-why">{html.escape(week.why)}</div><ul>{topics}</ul>'
            + (f'<div class="mentor-note">New resources: {links}</div>' if links else "")
            + "</div>"
        )
    if plan.unscheduled:
        names = ", ".join(html.escape(t) for t in plan.unscheduled_titles or plan.unscheduled)
        cards.append(
            f'<div class="mentor-card mentor-note" id="not-within"><b>Not within these weeks '
            f"({len(plan.unscheduled)} topics):</b> {names}.</div>"
        )
    return "".join(cards)


@dataclass
class Planner:
    inputs: list[gr.components.Component]  # hours, weeks, goal
    button: gr.Button
    plan: gr.HTML
    files: gr.File


def plan_tab(goal_choices: list[str]) -> Planner:
    with gr.Tab("Plan", id="plan-tab"):
        with gr.Row(equal_height=True):
            hours = gr.Number(value=8, label="Hours per week", minimum=0.5, maximum=100)
            weeks = gr.Number(value=12, label="Weeks (empty: until done)", precision=0)
            goal = gr.Dropdown(
                goal_choices,
                value=None,
                label="Goal topic (optional: type to search)",
                filterable=True,
                allow_custom_value=True,
                elem_id="plan-goal",
                elem_classes=["mentor-picker"],
            )
        button = gr.Button("Make my plan", variant="primary", elem_id="make-plan")
        plan = gr.HTML(elem_id="plan")
        files = gr.File(label="Download (Markdown, calendar)", file_count="multiple", elem_id="plan-files")
    return Planner([hours, weeks, goal], button, plan, files)
