"""The welcome a learner sees first: what the mentor can do, three example questions to click, and
how it is answering right now in a learner's words, with the technical detail (model, index
state) one click away.

Not here: answering the questions (the chat in `ui.py`), choosing the model (`assistant.agent`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import gradio as gr

from mentor.deps import Deps

EXAMPLES = [
    "What should I learn next?",
    "Make me a 12-week plan at 8 hours a week",
    "What do I need before transformers?",
]

CAN_DO = [
    "tell you what to learn next, and why, from five ML roadmaps",
    "show what a topic needs first, and where to learn it",
    "make a week-by-week study plan for the hours you have",
    "remember what you have done (tell me “I finished NumPy”, or mark it on the map)",
]


def mode_words(deps: Deps) -> str:
    """How the mentor answers now, as a learner would say it."""
    if deps.llm.llm is None:
        return "I'm answering from the roadmaps without a language model: I quote, I don't explain."
    return "I'm answering with a language model, from the roadmaps: I explain, and I cite the passages I used."


def technical_detail(deps: Deps) -> str:
    state = deps.index_freshness()
    return (
        f"- Model: {deps.llm.describe()} ({deps.llm.reason})\n"
        f"- Search index: {state.state} — {state.message}\n"
        "- Set `MENTOR_LLM` to use a local model or an OpenAI-compatible server (see the README)."
    )


def welcome_html(deps: Deps) -> str:
    items = "".join(f"<li>{html.escape(c)}</li>" for c in CAN_DO)
    return (
        '<div class="mentor-card welcome"><h2>Hi! I’m your ML learning mentor.</h2>'
        f"<div>I can:</div><ul>{items}</ul>"
        f'<div class="mode-line">{html.escape(mode_words(deps))}</div></div>'
    )


@dataclass
class Welcome:
    examples: list[gr.Button]


def welcome(deps: Deps) -> Welcome:
    """The welcome card, the mode's technical detail (folded) and the example questions."""
    gr.HTML(welcome_html(deps), elem_id="mode-banner")
    with gr.Accordion("Technical details", open=False, elem_id="mode-detail"):
        gr.Markdown(technical_detail(deps))
    with gr.Row(elem_id="examples"):
        gr.Markdown("**Try:**", elem_classes=["mentor-note"])
        buttons = [gr.Button(q, size="sm", elem_classes=["example"]) for q in EXAMPLES]
    return Welcome(buttons)
