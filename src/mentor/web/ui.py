"""The Gradio page: a welcome and the chat with sources, progress, a study plan and the curriculum
map, one tab each (the tabs' layouts and renderings are in `welcome.py`, `progress_tab.py`,
`plan_tab.py` and `map_tab.py`; the shared look in `look.py`).

It only maps page events to `mentor.learning.actions`, the learner's conversation
(`deps.conversations`, shared with the API) and the file writers, and renders their typed
results; any MentorError becomes a notice on the page, never Gradio's bare "Error". Not here:
retrieval, prompts, SQL, scheduling, file formats, or who may sign in. The learner's name is
remembered by the browser.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import gradio as gr  # at module level: Gradio injects gr.Request by resolving the annotations here

from mentor.deps import Deps
from mentor.errors import MentorError, UsageError
from mentor.learning import actions
from mentor.learning.progress import check_learner
from mentor.learning.topic_map import map_for
from mentor.web.downloads import learner_files_root, plan_files
from mentor.web.look import STATUS_WORDS
from mentor.web.map_tab import MapHandlers, map_tab, wire_map
from mentor.web.own import own_tab
from mentor.web.plan_tab import plan_html, plan_tab
from mentor.web.progress_tab import next_markdown, progress_html, progress_tab
from mentor.web.study import study_tab
from mentor.web.welcome import welcome

# --- rendering ------------------------------------------------------------------------------


def notice(exc: MentorError) -> str:
    return f"⚠️ {exc}"


def sources_html(answer) -> str:
    """Citations as expandable sources under the answer; a quote the answer already shows is
    not repeated (the source then names where it is from)."""
    if not answer.citations:
        return ""
    items = []
    for c in answer.citations:
        link = f' <a href="{html.escape(c.url)}" target="_blank">{html.escape(c.url)}</a>' if c.url else ""
        where = f"[{c.n}] {html.escape(c.title)} › {html.escape(c.section)} (lines {c.lines[0]}-{c.lines[1]})"
        if _shown_in(c.quote, answer.answer):
            items.append(f"<div>{where}{link}</div>")
        else:
            quote = f"<blockquote>{html.escape(c.quote)}</blockquote>"
            items.append(f"<details><summary>{where}</summary>{quote}{link}</details>")
    return "\n\n**Sources**\n\n" + "\n".join(items)


def _shown_in(quote: str, answer: str) -> bool:
    squash = " ".join  # compare with white space folded
    return bool(quote.strip()) and squash(quote.split()) in squash(answer.split())


def answer_markdown(answer) -> str:
    notes = "".join(f"\n\n_{html.escape(n)}_" for n in answer.notices)
    return answer.answer + notes + sources_html(answer)


# --- event handlers -------------------------------------------------------------------------
# Their names are the page's API names (gradio_client calls "/make_plan"): keep them.


@dataclass
class Page:
    """The page's handlers for one `Deps`; `files` is where learners' files are written."""

    deps: Deps
    files: Path

    def learner(self, name: str, request=None) -> str:
        """The learner a page acts for: the signed-in user when MENTOR_AUTH is set (the name
        box is then ignored, so nobody reads another's progress), else the chosen name."""
        signed_in = getattr(request, "username", None)
        return check_learner(signed_in if signed_in else (name or "me").strip())

    def respond(self, message, history, name, request: gr.Request):
        history = list(history or [])
        if not (message or "").strip():
            yield history, ""
            return
        try:
            conversation = self.deps.conversations.get(self.learner(name, request))
            history += [{"role": "user", "content": message}, {"role": "assistant", "content": ""}]
            with conversation.lock:  # one learner's turns are answered in order, page and API alike
                for piece in conversation.stream(message):
                    if isinstance(piece, str):
                        history[-1]["content"] += piece
                    else:
                        history[-1]["content"] = answer_markdown(piece)
                    yield history, ""
        except MentorError as exc:
            history.append({"role": "assistant", "content": notice(exc)})
            yield history, ""

    def refresh(self, name, request: gr.Request):
        try:
            user = self.learner(name, request)
            return (
                progress_html(map_for(self.deps, user)),
                next_markdown(actions.next_steps_for(self.deps, user)),
            )
        except MentorError as exc:
            return notice(exc), ""

    def set_status(self, name, topic_id, status, request: gr.Request):
        try:
            if not topic_id:
                raise UsageError("choose a topic first")
            change = actions.set_status(self.deps, self.learner(name, request), topic_id, status)
            note = f"{change.topic.title} is now {STATUS_WORDS[change.status]}."
        except MentorError as exc:
            note = notice(exc)
        return (note, *self.refresh(name, request))

    def undo(self, name, request: gr.Request):
        try:
            undone = actions.undo_last(self.deps, self.learner(name, request))
            back = "" if undone is None else STATUS_WORDS.get(undone.status, undone.status)
            note = "Nothing to undo." if undone is None else f"Undid: {undone.title} is back to {back}."
        except MentorError as exc:
            note = notice(exc)
        return (note, *self.refresh(name, request))

    # --- proposals: what chat proposed, applied only on the learner's click --------------------

    def proposals(self, name, request: gr.Request):
        """The learner's pending proposals as the checklist under the chat (hidden when none)."""
        try:
            pending = actions.pending_proposals(self.deps, self.learner(name, request))
        except MentorError:
            pending = []
        choices = [(f"{p.describe()} — you said: “{p.evidence[:80]}”", p.id) for p in pending]
        return gr.update(choices=choices, value=[]), gr.update(visible=bool(pending))

    def answer_proposals(self, name, ids, apply: bool, request: gr.Request):
        """Apply (or dismiss) the checked proposals, then show what happened and the fresh panels."""
        try:
            user = self.learner(name, request)
            if not ids:
                raise UsageError("tick the changes you want first")
            answer = actions.apply_proposal if apply else actions.dismiss_proposal
            notes = []
            for pid in ids:  # each on its own: one already answered elsewhere does not hide the others
                try:
                    notes.append(answer(self.deps, user, pid).describe())
                except MentorError as exc:
                    notes.append(notice(exc))
            note = " ".join(notes)
        except MentorError as exc:
            note = notice(exc)
        return (note, *self.proposals(name, request), *self.refresh(name, request))

    def apply_checked(self, name, ids, request: gr.Request):
        return self.answer_proposals(name, ids, True, request)

    def apply_all(self, name, request: gr.Request):
        try:
            ids = [p.id for p in actions.pending_proposals(self.deps, self.learner(name, request))]
        except MentorError:
            ids = []
        return self.answer_proposals(name, ids, True, request)

    def dismiss_checked(self, name, ids, request: gr.Request):
        return self.answer_proposals(name, ids, False, request)

    def make_plan(self, name, hours, weeks, goal, request: gr.Request):
        try:
            plan = actions.study_plan_for(
                self.deps, self.learner(name, request), float(hours or 0), int(weeks) if weeks else None, goal or None
            )
            return plan_html(plan), list(plan_files(plan, self.files))
        except MentorError as exc:
            return notice(exc), None

    def on_load(self, saved, request: gr.Request):
        signed_in = getattr(request, "username", None)
        if signed_in:  # MENTOR_AUTH: the login is the learner
            return gr.update(value=signed_in, interactive=False, label="Signed in as")
        return saved or "me"


# --- layout ---------------------------------------------------------------------------------


@dataclass
class Confirm:
    """Under the chat: the changes chat proposed, waiting for the learner's click."""

    group: gr.Column
    checklist: gr.CheckboxGroup
    apply: gr.Button
    apply_all: gr.Button
    dismiss: gr.Button
    note: gr.Markdown


@dataclass
class Chat:
    chatbot: gr.Chatbot
    box: gr.Textbox
    buttons: list[gr.Button]
    confirm: Confirm


def chat_tab(deps: Deps) -> Chat:
    with gr.Tab("Chat", id="chat-tab"):
        examples = welcome(deps).examples
        chatbot = gr.Chatbot(label="mentor", height=520, elem_id="chat", autoscroll=False)
        with gr.Column(visible=False, elem_id="proposals-box") as group:
            checklist = gr.CheckboxGroup(
                [], label="Waiting for your confirmation: nothing is recorded until you apply it", elem_id="proposals"
            )
            with gr.Row():
                apply = gr.Button("Apply ticked", size="sm", variant="primary", elem_id="apply-ticked")
                apply_all = gr.Button("Apply all", size="sm", elem_id="apply-all")
                dismiss = gr.Button("Dismiss ticked", size="sm", elem_id="dismiss-ticked")
        note = gr.Markdown(elem_id="proposals-note")
        box = gr.Textbox(placeholder="Ask about learning ML…", label="Message", elem_id="message")
    return Chat(chatbot, box, examples, Confirm(group, checklist, apply, apply_all, dismiss, note))


def build_ui(deps: Deps, files: Path | None = None) -> gr.Blocks:
    """The page; learners' files go under `files` (default: `downloads.learner_files_root()`).
    Its stylesheet and scripts are `look.CSS` and `look.HEAD`, given where the page is mounted."""
    page = Page(deps, files or learner_files_root())
    with gr.Blocks(title="mentor") as blocks:
        stored = gr.BrowserState("me", storage_key="mentor-learner")
        name = gr.Textbox(label="Your name", value="me", max_lines=1, elem_id="learner-name")
        with gr.Tabs(elem_id="tabs"):
            chat, progress = chat_tab(deps), progress_tab(deps)
            planner = plan_tab([t.title for t in deps.curriculum.topics.values()])
            the_map = map_tab()
            study_tab(deps, page.learner, name)  # quizzes and spaced review
            own_tab(deps, page.learner, name)  # the learner's own roadmaps and notes
        panels = progress.panels
        shown = [chat.confirm.checklist, chat.confirm.group]
        loaded = blocks.load(page.on_load, inputs=stored, outputs=name)
        loaded.then(page.refresh, inputs=name, outputs=panels).then(page.proposals, inputs=name, outputs=shown)
        renamed = name.change(lambda n: n, inputs=name, outputs=stored)
        renamed.then(page.refresh, inputs=name, outputs=panels).then(page.proposals, inputs=name, outputs=shown)
        _wire_chat(page, chat, name, panels)
        progress.save.click(
            page.set_status, inputs=[name, progress.topic, progress.status], outputs=[progress.note, *panels]
        )
        progress.undo.click(page.undo, inputs=name, outputs=[progress.note, *panels])
        planner.button.click(page.make_plan, inputs=[name, *planner.inputs], outputs=[planner.plan, planner.files])
        wire_map(MapHandlers(deps, page.learner), the_map, name, lambda e: e.then(page.refresh, name, panels))
    return blocks


def _wire_chat(page: Page, chat: Chat, name: gr.Textbox, panels: list[gr.components.Component]) -> None:
    confirm = chat.confirm
    shown = [confirm.checklist, confirm.group]
    answered = chat.box.submit(page.respond, inputs=[chat.box, chat.chatbot, name], outputs=[chat.chatbot, chat.box])
    answered.then(page.refresh, inputs=name, outputs=panels).then(page.proposals, inputs=name, outputs=shown)
    for button in chat.buttons:
        button.click(page.respond, inputs=[button, chat.chatbot, name], outputs=[chat.chatbot, chat.box]).then(
            page.proposals, inputs=name, outputs=shown
        )
    after = [confirm.note, *shown, *panels]
    confirm.apply.click(page.apply_checked, inputs=[name, confirm.checklist], outputs=after)
    confirm.apply_all.click(page.apply_all, inputs=name, outputs=after)
    confirm.dismiss.click(page.dismiss_checked, inputs=[name, confirm.checklist], outputs=after)
