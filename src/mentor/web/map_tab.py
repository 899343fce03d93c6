"""The Curriculum map tab: the whole curriculum or "my neighbourhood" drawn by Graphviz (`graph.py`)
with a legend; clicking a topic opens its card (what it needs, what it unlocks, its roadmap
passages and resources) with buttons that set its status. Without Graphviz the tab says so and
shows the topics as a list by phase, still clickable.

Not here: which topics a view holds or what a card says (`mentor.learning.topic_map`), the
drawing (`graph.py`), the page's other tabs.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Callable

import gradio as gr

from mentor.deps import Deps
from mentor.errors import MentorError, UsageError
from mentor.learning import actions
from mentor.learning.topic_map import CurriculumMap, TopicCard, card_for, map_for
from mentor.web.graph import DotMissing, map_svg
from mentor.web.look import STATUS_WORDS, chip
from mentor.web.progress_tab import progress_html

VIEWS = [("Whole curriculum", "all"), ("My neighbourhood", "around")]
STATUS_BUTTONS = [
    ("✓ Done", "done"),
    ("◐ Learning", "learning"),
    ("↷ Skip", "skipped"),
    ("○ Not started", "not_started"),
]
CARD_HINT = '<div class="mentor-card mentor-note">Click a topic on the map to see what it needs and unlocks.</div>'


def legend_html() -> str:
    chips = [chip(STATUS_WORDS[s], s) for s in ("done", "learning", "skipped")]
    chips.append(chip("you can start these now", "not_started", ready=True))
    chips.append(chip("not yet (needs something first)", "not_started"))
    return (
        f'<div class="map-legend">{"".join(chips)}<span class="mentor-note">Arrows: what a topic needs first '
        "(between phases, open a topic to see them).</span></div>"
    )


def map_html(data: CurriculumMap) -> str:
    """The map's SVG in its scrolling frame, or, without Graphviz, a notice and the list view."""
    header = ""
    if data.focus:
        focus = [t for t in data.topics if t.id in data.focus]
        names = ", ".join(f"{t.title} ({STATUS_WORDS[t.status]})" for t in focus)
        header = f'<div class="mentor-note">Around what you are doing now: {html.escape(names)}.</div>'
    try:
        return f'{header}<div class="map-scroll">{map_svg(data)}</div>'
    except DotMissing:
        return (
            f'{header}<div class="mentor-card" id="map-fallback">⚠️ The map needs Graphviz (the <code>dot</code> '
            "program), which is not installed here: install the <code>graphviz</code> package to see it. "
            "Meanwhile, here are your topics by phase (click one).</div>" + progress_html(data)
        )


def card_html(card: TopicCard) -> str:
    t = card.topic
    can_start = card.ready and card.status == "not_started"
    state = STATUS_WORDS[card.status] + (" · you can start it now" if can_start else "")
    parts = [
        f'<div class="mentor-card topic-card" data-topic="{html.escape(t.id)}"><h3>{html.escape(t.title)}</h3>',
        f'<div>{chip(state, card.status, can_start)} <span class="mentor-note">{html.escape(card.phase_title)} · '
        f"about {round(t.hours)} h</span></div>",
        _chips("Needs first", card.needs, "nothing: you can start it any time"),
        _chips("Unlocks", card.unlocks, "nothing else in the curriculum"),
    ]
    if card.learn_with:
        parts.append(_chips("Learn it alongside", card.learn_with, ""))
    if card.citations:
        quotes = "".join(
            f"<li><i>{html.escape(c['title'])}</i> › {html.escape(c['section'])}: “{html.escape(c['quote'])}”</li>"
            for c in card.citations
        )
        parts.append(f"<div><b>In the roadmaps</b><ul>{quotes}</ul></div>")
    if card.resources:
        links = "".join(
            f'<li><a href="{html.escape(r["url"])}" target="_blank">{html.escape(r["anchor"])}</a></li>'
            for r in card.resources
        )
        parts.append(f"<div><b>Where to learn it</b><ul>{links}</ul></div>")
    return "".join(parts) + "</div>"


def _chips(label: str, topics, empty: str) -> str:
    body = "".join(chip(t.title, t.status, t.ready, t.id) for t in topics)
    body = body or f'<span class="mentor-note">{empty}</span>'
    return f"<div><b>{label}:</b> {body}</div>"


def picked_topic(value: str) -> str:
    """The topic id the map's hidden box names ("numpy@1712345": id, then a click's stamp)."""
    return (value or "").split("@", 1)[0].strip()


@dataclass
class MapHandlers:
    """The map tab's handlers; `learner` turns the name box and request into the learner."""

    deps: Deps
    learner: Callable

    def show_map(self, name, view, request: gr.Request):
        try:
            return map_html(map_for(self.deps, self.learner(name, request), around_me=view == "around"))
        except MentorError as exc:
            return f"⚠️ {exc}"

    def pick_topic(self, name, picked, request: gr.Request):
        try:
            return card_html(card_for(self.deps, self.learner(name, request), picked_topic(picked)))
        except MentorError as exc:
            return f"⚠️ {exc}"

    def set_from_map(self, name, picked, view, status, request: gr.Request):
        """Set the picked topic's status; the note, the redrawn map and the card."""
        try:
            topic = picked_topic(picked)
            if not topic:
                raise UsageError("click a topic on the map first")
            change = actions.set_status(self.deps, self.learner(name, request), topic, status)
            note = f"{change.topic.title} is now {STATUS_WORDS[change.status]}."
        except MentorError as exc:
            return f"⚠️ {exc}", gr.update(), gr.update()
        return note, self.show_map(name, view, request), self.pick_topic(name, picked, request)


@dataclass
class MapTab:
    tab: gr.Tab
    view: gr.Radio
    picture: gr.HTML
    card: gr.HTML
    picked: gr.Textbox
    buttons: list[tuple[gr.Button, str]]
    note: gr.Markdown


def map_tab() -> MapTab:
    with gr.Tab("Curriculum map", id="map-tab") as tab:
        with gr.Row(equal_height=True):
            view = gr.Radio(VIEWS, value="all", label="Show", elem_id="map-view", scale=2)
            gr.HTML(legend_html(), scale=5)
        with gr.Row():
            with gr.Column(scale=3):
                picture = gr.HTML(elem_id="map")
            with gr.Column(scale=1, min_width=320):
                with gr.Row():  # above the card: in reach however long the card is
                    buttons = [(gr.Button(label, size="sm", elem_id=f"map-{s}"), s) for label, s in STATUS_BUTTONS]
                note = gr.Markdown(elem_id="map-note")
                card = gr.HTML(CARD_HINT, elem_id="topic-card")
        picked = gr.Textbox(visible="hidden", elem_id="map-picked")
    return MapTab(tab, view, picture, card, picked, buttons, note)


def wire_map(handlers: MapHandlers, tab: MapTab, name: gr.Textbox, after_change: Callable) -> None:
    """Draw on opening and on a new view or learner; a click shows the card; a button sets a status
    and then `after_change` (the page's refresh of its other panels)."""
    draw = dict(fn=handlers.show_map, inputs=[name, tab.view], outputs=tab.picture)
    tab.tab.select(**draw, api_name="show_map")
    tab.view.change(**draw, api_name=False)
    tab.picked.change(handlers.pick_topic, inputs=[name, tab.picked], outputs=tab.card, api_name="pick_topic")
    for button, status in tab.buttons:
        chosen = gr.State(status)
        done = button.click(
            handlers.set_from_map,
            inputs=[name, tab.picked, tab.view, chosen],
            outputs=[tab.note, tab.picture, tab.card],
            api_name=False,
        )
        after_change(done)
