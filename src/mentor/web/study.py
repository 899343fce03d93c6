"""The "Quiz & review" tab: take a knowledge check one question at a time, see each answer graded
with its passage, apply the status a passed check proposes (the learner's click is the
confirmation), and see the review schedule: what is due now, then what comes up, most
depended-on first.

The page never sees an answer before it is given: the tab keeps only the quiz id and the
questions' public shape in its state, and grading happens in `mentor.learning.quiz.session`.
Not here: any rule about questions, grading or scheduling.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Callable

import gradio as gr

from mentor.deps import Deps
from mentor.errors import MentorError
from mentor.learning import actions, review
from mentor.learning.quiz import session

QUESTIONS = 5


def review_html(deps: Deps, learner: str) -> str:
    """Due now, then coming up, each with how many topics depend on it."""
    now = deps.progress.clock()
    items = review.schedule(deps, learner)
    if not items:
        return (
            '<div class="mentor-card mentor-note">No reviews yet: topics come back here after you mark them done.</div>'
        )
    rows = "".join(
        f'<li class="{"due" if r.due <= now else "later"}" data-topic="{html.escape(r.topic)}">'
        f"<b>{html.escape(r.title)}</b> — {'due now' if r.due <= now else f'due {r.due:%Y-%m-%d}'}"
        f" · {r.dependents} topics depend on it</li>"
        for r in sorted(items, key=lambda r: (r.due > now, -r.dependents, r.due))
    )
    due = sum(1 for r in items if r.due <= now)
    return f'<div class="mentor-card"><b>Spaced review</b>: {due} due now<ul>{rows}</ul></div>'


def _question_md(state: dict) -> str:
    q = state["questions"][state["at"]]
    return f"**Question {state['at'] + 1} of {len(state['questions'])}** — {q['question']}"


def _grade_md(graded: session.Graded) -> str:
    q, c = graded.question, graded.question.citation
    verdict = "✓ Right." if graded.correct else f"✗ Not quite: the answer is **{q.options[q.answer]}**."
    quote = "<br>".join(html.escape(line.strip()) for line in c["quote"].splitlines())
    where = f"{html.escape(c['title'])} › {html.escape(c['section'])} (lines {c['lines'][0]}-{c['lines'][1]})"
    return f"{verdict}\n\n<blockquote>{quote}</blockquote>\n\n<small>{where}</small>"


@dataclass
class Study:
    """The tab's handlers; `learner` turns the name box (and the request) into the learner."""

    deps: Deps
    learner: Callable

    def start(self, name, topic, request: gr.Request):
        try:
            made = session.start_quiz(self.deps, self.learner(name, request), (topic or "").strip() or None, QUESTIONS)
        except MentorError as exc:
            return {}, f"⚠️ {exc}", gr.update(choices=[], value=None), "", gr.update(visible=False)
        state = {**made.to_dict(reveal=False), "at": 0, "proposal": None}
        return state, _question_md(state), self._options(state), "", gr.update(visible=False)

    @staticmethod
    def _options(state: dict):
        options = state["questions"][state["at"]]["options"]
        return gr.update(choices=[(o, i) for i, o in enumerate(options)], value=None)

    def answer(self, name, state, choice, request: gr.Request):
        if not state or state.get("at", 0) >= len(state.get("questions", [])):
            return state, "Start a quiz first.", gr.update(), "", gr.update(visible=False)
        if choice is None:
            return state, _question_md(state), gr.update(), "Choose an option first.", gr.update()
        q = state["questions"][state["at"]]
        try:
            graded = session.answer_question(self.deps, self.learner(name, request), state["quiz"], q["id"], choice)
        except MentorError as exc:
            return state, _question_md(state), gr.update(), f"⚠️ {exc}", gr.update()
        state = {
            **state,
            "at": state["at"] + 1,
            "proposal": graded.proposal.id if graded.proposal else state["proposal"],
        }
        feedback = _grade_md(graded)
        apply = gr.update(visible=False)
        if graded.proposal:
            apply = gr.update(visible=True, value=f"Apply: {graded.proposal.describe()}")
            feedback += f"\n\n**Check passed** on {html.escape(graded.check.title)}: apply it to record it as done."
        if state["at"] >= len(state["questions"]):
            return state, "**Quiz finished.**", gr.update(choices=[], value=None), feedback, apply
        return state, _question_md(state), self._options(state), feedback, apply

    def apply(self, name, state, request: gr.Request):
        try:
            result = actions.apply_proposal(self.deps, self.learner(name, request), (state or {}).get("proposal"))
            note = result.describe()
        except MentorError as exc:
            note = f"⚠️ {exc}"
        return note, gr.update(visible=False), self.review(name, request)

    def review(self, name, request: gr.Request):
        try:
            return review_html(self.deps, self.learner(name, request))
        except MentorError as exc:
            return f"⚠️ {exc}"


def study_tab(deps: Deps, learner: Callable, name: gr.Textbox) -> Study:
    """The tab, built and wired inside the page's `gr.Tabs`; `name` is the page's learner box."""
    study = Study(deps, learner)
    with gr.Tab("Quiz & review", id="study-tab") as tab:
        with gr.Row():
            topic = gr.Textbox(label="Topic (optional)", placeholder="e.g. numpy", max_lines=1, elem_id="quiz-topic")
            start = gr.Button("Start a quiz", variant="primary", elem_id="quiz-start")
        state = gr.State({})
        question = gr.Markdown(elem_id="quiz-question")
        options = gr.Radio([], label="Your answer", elem_id="quiz-options")
        submit = gr.Button("Answer", elem_id="quiz-answer")
        feedback = gr.Markdown(elem_id="quiz-feedback")
        apply = gr.Button("Apply", visible=False, variant="primary", elem_id="quiz-apply")
        note = gr.Markdown(elem_id="quiz-note")
        schedule = gr.HTML(elem_id="review-list")
    start.click(study.start, inputs=[name, topic], outputs=[state, question, options, feedback, apply])
    submit.click(study.answer, inputs=[name, state, options], outputs=[state, question, options, feedback, apply])
    apply.click(study.apply, inputs=[name, state], outputs=[note, apply, schedule])
    tab.select(study.review, inputs=name, outputs=schedule)
    return study
