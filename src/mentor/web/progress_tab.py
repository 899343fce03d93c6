"""The Progress tab: totals, a progress bar per phase, every topic as a chip that shows its status at
a glance (✓ done, ◐ learning, ↷ skipped, blue outline: you can start it now), phases folded
except those under way; a topic picker that searches as you type; the next steps.

Not here: what a status or a next step is (`mentor.learning`), the handlers (`ui.Page`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import gradio as gr

from mentor.deps import Deps
from mentor.learning import actions
from mentor.learning.topic_map import CurriculumMap, MapPhase
from mentor.web.look import STATUS_MARKS, STATUS_WORDS, chip

STATUS_CHOICES = [
    ("✓ done", "done"),
    ("◐ learning", "learning"),
    ("↷ skipped", "skipped"),
    ("○ not started", "not_started"),
]


def progress_html(data: CurriculumMap) -> str:
    topics = data.topics
    counts = {s: sum(1 for t in topics if t.status == s) for s in STATUS_WORDS}
    ready = sum(1 for t in topics if t.ready and t.status == "not_started")
    totals = " · ".join(f"{STATUS_MARKS[s]} {counts[s]} {STATUS_WORDS[s]}" for s in ("done", "learning", "skipped"))
    head = (
        f'<div class="totals"><b>{html.escape(data.learner)}</b>: {totals} of {len(topics)} topics · '
        f'<span class="chip not-started ready">{ready} you can start now</span></div>'
    )
    return head + "".join(_phase_html(p) for p in data.phases)


def _phase_html(phase: MapPhase) -> str:
    total = len(phase.topics)
    under_way = 0 < phase.finished + phase.count("learning") < total
    bar = "".join(
        f'<span class="{s}" style="width:{100 * phase.count(s) / total:.1f}%"></span>'
        for s in ("done", "skipped", "learning")
    )
    chips = "".join(chip(t.title, t.status, t.ready, t.id) for t in phase.topics)
    return (
        f'<details class="mentor-card phase-card" id="phase-{html.escape(phase.id)}"{" open" if under_way else ""}>'
        f'<summary><div class="phase-head"><span>{phase.number}. {html.escape(phase.title)}</span>'
        f"<span>{phase.finished}/{total} done</span></div>"
        f'<div class="bar" role="progressbar" aria-valuenow="{phase.finished}" aria-valuemax="{total}">{bar}</div>'
        f"</summary><div>{chips}</div></details>"
    )


def next_markdown(result: actions.NextSteps) -> str:
    if not result.steps:
        return "Nothing left: everything is done or skipped."
    lines = ["### What to learn next"]
    for i, step in enumerate(result.steps, 1):
        together = f" (with {', '.join(c.title for c in step.companions)})" if step.companions else ""
        lines.append(f"{i}. **{step.topic.title}**{together}: {step.why}")
    return "\n".join(lines)


@dataclass
class Progress:
    topic: gr.Dropdown
    status: gr.Radio
    save: gr.Button
    undo: gr.Button
    note: gr.Markdown
    panels: list[gr.components.Component]  # progress, next steps: what `Page.refresh` fills


def progress_tab(deps: Deps) -> Progress:
    choices = [(t.title, t.id) for t in deps.curriculum.topics.values()]
    with gr.Tab("Progress", id="progress-tab"):
        with gr.Row(equal_height=True):
            topic = gr.Dropdown(
                choices,
                label="Topic (type to search)",
                filterable=True,
                elem_id="topic-choice",
                elem_classes=["mentor-picker"],
                scale=3,
            )
            status = gr.Radio(STATUS_CHOICES, value="done", label="Status", elem_id="status-choice", scale=3)
            with gr.Column(scale=1, min_width=160):
                save = gr.Button("Save", variant="primary", elem_id="save-status")
                undo = gr.Button("Undo last change", size="sm", elem_id="undo")
        note = gr.Markdown(elem_id="progress-note")
        with gr.Row():
            with gr.Column(scale=3):
                progress = gr.HTML(elem_id="progress")
            with gr.Column(scale=2):
                next_steps = gr.Markdown(elem_id="next-steps", elem_classes=["mentor-card"])
    return Progress(topic, status, save, undo, note, [progress, next_steps])
