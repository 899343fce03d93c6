"""The Gradio web app: chat with sources, progress, next steps, plans and the curriculum graph.

This module only maps UI events to domain calls and renders their results; retrieval,
prompts, SQL and scheduling live elsewhere. The learner's name is remembered by the browser.
"""

from __future__ import annotations

import html
import re
import secrets
import tempfile
from pathlib import Path

import gradio as gr  # at module level: Gradio injects gr.Request by resolving the annotations here

from mentor.deps import Deps

SUGGESTIONS = [
    "What should I learn next?",
    "Make me a 12-week plan at 8 hours a week",
    "What do I need before transformers?",
    "Where can I learn pandas?",
]
STATUSES = ["done", "learning", "skipped", "not_started"]


def sources_html(answer) -> str:
    """Citations as expandable sources under the answer."""
    if not answer.citations:
        return ""
    items = []
    for c in answer.citations:
        link = f' <a href="{html.escape(c.url)}" target="_blank">{html.escape(c.url)}</a>' if c.url else ""
        items.append(
            f"<details><summary>[{c.n}] {html.escape(c.title)} › {html.escape(c.section)} "
            f"(lines {c.lines[0]}-{c.lines[1]})</summary><blockquote>{html.escape(c.quote)}</blockquote>{link}</details>")
    return "\n\n**Sources**\n\n" + "\n".join(items)


def mode_banner(deps: Deps) -> str:
    state = deps.index_freshness()
    return (f"**mentor**: {deps.llm.describe()} ({deps.llm.reason}). "
            f"Index: {state.state} — {state.message}.")


def progress_markdown(deps: Deps, user: str) -> str:
    from mentor.learning.transfer import export_markdown

    return export_markdown(user, deps.curriculum, deps.progress.state(user)).replace("# Learning progress", "### Progress", 1)


def next_markdown(deps: Deps, user: str) -> str:
    from mentor.cli.learn import next_payload

    data = next_payload(deps, user, None)
    if not data["topics"]:
        return "Nothing left: everything is done or skipped."
    lines = ["### Next steps"]
    for i, t in enumerate(data["topics"], 1):
        together = f" (with {', '.join(c['title'] for c in t['learn_with'])})" if t["learn_with"] else ""
        lines.append(f"{i}. **{t['title']}**{together}: {t['why']}")
    return "\n".join(lines)


PLANS = "mentor-plans"


def plans_folder() -> Path:
    """Where the Plan tab writes its downloads: in Gradio's upload folder, which Gradio serves
    from in place (a copy anywhere else would lose the learner's folder), one folder per learner,
    so that web.py serves each file to its owner only."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()) / PLANS


def plan_files(data: dict, root: Path) -> tuple[str, str]:
    """The plan as a Markdown file and an iCalendar file (one all-week event per week), in a
    new folder of unguessable name under the learner's folder in `root`."""
    from datetime import date, timedelta

    from mentor.cli.learn import plan_markdown

    folder = root / data["user"] / secrets.token_urlsafe(16)
    folder.mkdir(parents=True)
    md = folder / "study-plan.md"
    md.write_text(plan_markdown(data), encoding="utf-8")
    start = date.today() + timedelta(days=(7 - date.today().weekday()) % 7 or 7)  # next Monday
    events = []
    for w in data["weeks"]:
        day = start + timedelta(weeks=w["week"] - 1)
        summary = "; ".join(f"{t['title']} ({t['hours']:g} h)" for t in w["topics"])
        events += ["BEGIN:VEVENT", f"UID:mentor-{data['user']}-week-{w['week']}@mentor",
                   f"DTSTAMP:{start:%Y%m%d}T000000Z", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                   f"DTEND;VALUE=DATE:{day + timedelta(days=7):%Y%m%d}",
                   f"SUMMARY:{_ics_escape('Week ' + str(w['week']) + ': ' + summary)}", "END:VEVENT"]
    ics = folder / "study-plan.ics"
    ics.write_text("\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//mentor//plan//EN", *events,
                                "END:VCALENDAR"]) + "\r\n", encoding="utf-8")
    return str(md), str(ics)


def _ics_escape(text: str) -> str:
    return re.sub(r"([,;\\])", r"\\\1", text)[:900]


def graph_image(deps: Deps, user: str) -> str:
    """The curriculum graph, one column per phase, coloured by the learner's status."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cur = deps.curriculum
    statuses = deps.progress.statuses(user)
    colours = {"done": "#2e7d32", "skipped": "#9e9e9e", "learning": "#f9a825", "not_started": "#90caf9"}
    pos, per_phase = {}, {}
    for t in cur.topics.values():
        col = cur.phase_index[t.phase]
        row = per_phase.setdefault(col, 0)
        per_phase[col] = row + 1
        pos[t.id] = (col, -row)
    fig, ax = plt.subplots(figsize=(22, 11))
    for e in cur.edges:
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1), arrowprops={"arrowstyle": "->", "color": "#bbbbbb", "lw": 0.6})
    for tid, (x, y) in pos.items():
        status = statuses.get(tid, "not_started")
        ax.text(x, y, cur.topics[tid].title[:28], ha="center", va="center", fontsize=7,
                bbox={"boxstyle": "round", "fc": colours[status], "ec": "#555555", "lw": 0.5})
    for phase in cur.phases:
        ax.text(cur.phase_index[phase["id"]], 1.2, phase["title"][:22], ha="center", fontsize=8, weight="bold")
    ax.set_xlim(-0.7, len(cur.phases) - 0.3)
    ax.set_ylim(-max(per_phase.values()) - 0.5, 1.8)
    ax.axis("off")
    path = Path(tempfile.mkdtemp(prefix="mentor-graph-")) / "curriculum.png"
    fig.savefig(path, dpi=80, bbox_inches="tight")
    plt.close(fig)
    return str(path)


def build_ui(deps: Deps):
    from mentor.cli.learn import plan_payload, plan_markdown
    from mentor.assistant.conversation import Conversation
    from mentor.errors import MentorError
    from mentor.learning.progress import check_learner, parse_status

    conversations: dict[str, Conversation] = {}
    plans = plans_folder()
    topic_choices = [(f"{t.title}", t.id) for t in deps.curriculum.topics.values()]

    def learner(name: str, request=None) -> str:
        """The learner a page acts for: the signed-in user when MENTOR_AUTH is set (the name
        box is then ignored, so nobody reads another's progress), else the chosen name."""
        signed_in = getattr(request, "username", None)
        return check_learner(signed_in if signed_in else (name or "me").strip())

    def respond(message, history, name, request: gr.Request):
        history = list(history or [])
        if not (message or "").strip():
            yield history, ""
            return
        try:
            user = learner(name, request)
            conv = conversations.setdefault(user, Conversation(deps, user))
            history += [{"role": "user", "content": message}, {"role": "assistant", "content": ""}]
            for piece in conv.stream(message):
                if isinstance(piece, str):
                    history[-1]["content"] += piece
                else:
                    notes = "".join(f"\n\n_{html.escape(n)}_" for n in piece.notices)
                    history[-1]["content"] = piece.answer + notes + sources_html(piece)
                yield history, ""
        except MentorError as exc:
            history.append({"role": "assistant", "content": f"⚠️ {exc}"})
            yield history, ""

    def refresh(name, request: gr.Request):
        user = learner(name, request)
        return progress_markdown(deps, user), next_markdown(deps, user)

    def set_status(name, topic_id, status, request: gr.Request):
        try:
            user = learner(name, request)
            if not topic_id:
                raise MentorError("choose a topic first")
            deps.progress.record(user, topic_id, parse_status(status), origin="typed")
            note = f"{deps.curriculum.topics[topic_id].title} is now {status}."
        except MentorError as exc:
            note = f"⚠️ {exc}"
        return (note, *refresh(name, request))

    def undo(name, request: gr.Request):
        user = learner(name, request)
        undone = deps.progress.undo(user)
        note = "Nothing to undo." if undone is None else f"Undid: {undone[0].topic} is back to {undone[1].status}."
        return (note, *refresh(name, request))

    def make_plan(name, hours, weeks, goal, request: gr.Request):
        try:
            data = plan_payload(deps, learner(name, request), float(hours or 0), int(weeks) if weeks else None, goal or None)
            md, ics = plan_files(data, plans)
            return plan_markdown(data), [md, ics]
        except MentorError as exc:
            return f"⚠️ {exc}", None

    def draw(name, request: gr.Request):
        return graph_image(deps, learner(name, request))

    with gr.Blocks(title="mentor") as blocks:
        gr.Markdown(mode_banner(deps), elem_id="mode-banner")
        stored = gr.BrowserState("me", storage_key="mentor-learner")
        name = gr.Textbox(label="Your name", value="me", max_lines=1, elem_id="learner-name")
        with gr.Tab("Chat"):
            chatbot = gr.Chatbot(label="mentor", height=480, elem_id="chat")
            box = gr.Textbox(placeholder="Ask about learning ML…", label="Message", elem_id="message")
            with gr.Row():
                buttons = [gr.Button(s, size="sm") for s in SUGGESTIONS]
        with gr.Tab("Progress"):
            with gr.Row():
                topic = gr.Dropdown(topic_choices, label="Topic", elem_id="topic-choice")
                status = gr.Radio(STATUSES, value="done", label="Status", elem_id="status-choice")
            with gr.Row():
                save = gr.Button("Save", elem_id="save-status")
                undo_btn = gr.Button("Undo last change", elem_id="undo")
            note = gr.Markdown()
            with gr.Row():
                progress_md = gr.Markdown(elem_id="progress")
                next_md = gr.Markdown(elem_id="next-steps")
        with gr.Tab("Plan"):
            with gr.Row():
                hours = gr.Number(value=8, label="Hours per week", minimum=0.5, maximum=100)
                weeks = gr.Number(value=12, label="Weeks (empty: until done)", precision=0)
                goal = gr.Textbox(label="Goal topic (optional)")
            plan_btn = gr.Button("Make my plan", elem_id="make-plan")
            plan_md = gr.Markdown(elem_id="plan")
            plan_dl = gr.File(label="Download", file_count="multiple")
        with gr.Tab("Curriculum graph"):
            graph_btn = gr.Button("Draw my curriculum")
            graph = gr.Image(label="Topics by phase, coloured by your status", type="filepath", elem_id="graph")

        def on_load(saved, request: gr.Request):
            signed_in = getattr(request, "username", None)
            if signed_in:  # MENTOR_AUTH: the login is the learner
                return gr.update(value=signed_in, interactive=False, label="Signed in as")
            return saved or "me"

        blocks.load(on_load, inputs=stored, outputs=name).then(
            refresh, inputs=name, outputs=[progress_md, next_md])
        name.change(lambda n: n, inputs=name, outputs=stored).then(refresh, inputs=name, outputs=[progress_md, next_md])
        box.submit(respond, inputs=[box, chatbot, name], outputs=[chatbot, box]).then(
            refresh, inputs=name, outputs=[progress_md, next_md])
        for b in buttons:
            b.click(respond, inputs=[b, chatbot, name], outputs=[chatbot, box])
        save.click(set_status, inputs=[name, topic, status], outputs=[note, progress_md, next_md])
        undo_btn.click(undo, inputs=name, outputs=[note, progress_md, next_md])
        plan_btn.click(make_plan, inputs=[name, hours, weeks, goal], outputs=[plan_md, plan_dl])
        graph_btn.click(draw, inputs=name, outputs=graph)
    return blocks
