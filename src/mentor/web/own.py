"""The page's pieces for what a learner brings: a roadmap upload (with what it linked, left
unmatched and proposed) and a notes box per topic, as one Gradio tab for the page to mount:

    with gr.Blocks() as blocks:
        name = gr.Textbox(...)                      # the page's learner name box
        own_tab(deps, page.learner, name)           # inside the Blocks, where the tab should go

`learner_of(name, request)` is the page's own rule for whom it acts (the signed-in account with
MENTOR_AUTH). Handlers only translate: the use cases are `mentor.learning.own.roadmaps` and
`mentor.learning.notes.store`; a MentorError becomes a notice, never Gradio's bare "Error".
Proposals the upload makes wait in the page's own proposals list (`/api/proposals` too).

Not here: the rest of the page (`ui.py`), any rule about roadmaps or notes.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Callable

import gradio as gr  # at module level: Gradio injects gr.Request by resolving the annotations here

from mentor.deps import Deps
from mentor.errors import MentorError, UsageError
from mentor.learning.notes import store as notes
from mentor.learning.own import roadmaps


def added_markdown(added: roadmaps.AddedRoadmap) -> str:
    r = added.roadmap
    out = [f"**Added {html.escape(r.title)}** (`{r.id}`): {added.passages} passages, now searchable."]
    if added.linked:
        out.append("Linked topics: " + ", ".join(html.escape(t["title"]) for t in added.linked))
    if added.unmatched:
        out.append("Not linked (no curriculum topic by that name):")
        out += [f"- line {u['line']}: {html.escape(u['text'][:90])}" for u in added.unmatched[:20]]
    out += [f"- ⚠️ {html.escape(d['message'])}" for d in added.disagreements]
    if added.proposals:
        out.append(f"{len(added.proposals)} topics marked done wait for your confirmation under Proposals.")
    return "\n\n".join(out)


def notes_markdown(found: notes.TopicNotes) -> str:
    if not found.notes:
        return "_No notes yet._"
    return "\n\n".join(f"- {html.escape(n.created_at[:10])}: {html.escape(n.text)}" for n in found.notes)


class OwnHandlers:
    def __init__(self, deps: Deps, learner_of: Callable):
        self.deps, self.learner_of = deps, learner_of

    def upload(self, name, file, title, request: gr.Request):
        try:
            if not file:
                raise UsageError("choose a roadmap file first (text or Markdown)")
            learner = self.learner_of(name, request)
            return added_markdown(
                roadmaps.add_roadmap_file(self.deps, learner, Path(file), (title or "").strip() or None)
            )
        except MentorError as exc:
            return f"⚠️ {html.escape(str(exc))}"

    def show_notes(self, name, topic, request: gr.Request):
        try:
            if not topic:
                return "_Choose a topic._"
            return notes_markdown(notes.notes_of(self.deps, self.learner_of(name, request), topic))
        except MentorError as exc:
            return f"⚠️ {html.escape(str(exc))}"

    def save_note(self, name, topic, text, request: gr.Request):
        try:
            if not topic:
                raise UsageError("choose a topic first")
            notes.add_note(self.deps, self.learner_of(name, request), topic, text or "")
        except MentorError as exc:
            return f"⚠️ {html.escape(str(exc))}", text
        return self.show_notes(name, topic, request), ""


def own_tab(deps: Deps, learner_of: Callable, name: gr.Textbox) -> OwnHandlers:
    """The tab "Your roadmaps & notes", wired to the page's learner name box."""
    handlers = OwnHandlers(deps, learner_of)
    topics = [(t.title, t.id) for t in deps.curriculum.topics.values()]
    with gr.Tab("Your roadmaps & notes"):
        gr.Markdown(
            "Add your own roadmap: it is linked to the curriculum, and what it marks done is proposed. "
            "It joins the shared corpus: everyone using this mentor can find its passages in search and answers "
            "(your progress and notes stay yours)."
        )
        with gr.Row():
            file = gr.File(label="Roadmap (text or Markdown)", file_types=[".md", ".txt", ".org"], type="filepath")
            title = gr.Textbox(label="Title (default: the file's name)", max_lines=1)
        add = gr.Button("Add to the corpus")
        result = gr.Markdown(elem_id="own-roadmap-result")
        gr.Markdown("### Notes")
        topic = gr.Dropdown(choices=topics, label="Topic", elem_id="note-topic")
        text = gr.Textbox(label="Note", lines=3, elem_id="note-text")
        save = gr.Button("Save note")
        shown = gr.Markdown(elem_id="note-list")
    add.click(handlers.upload, inputs=[name, file, title], outputs=result)
    topic.change(handlers.show_notes, inputs=[name, topic], outputs=shown)
    save.click(handlers.save_note, inputs=[name, topic, text], outputs=[shown, text])
    return handlers
