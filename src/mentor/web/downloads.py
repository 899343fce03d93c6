"""The files the page hands a learner (a study plan as Markdown and iCalendar, the curriculum
graph picture): each written into a new folder of unguessable name inside the learner's own
folder, so that `auth.OwnFilesOnly` serves it to that learner only.

Not here: what the files say (`mentor.learning.exports`, `graph.py`) or the check itself.
"""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

from mentor.learning.actions import StudyPlan
from mentor.learning.exports import next_monday, plan_icalendar, plan_markdown

LEARNER_FILES = "mentor-plans"  # named when plans were its only files; links keep the name


def learner_files_root() -> Path:
    """Where the page writes learners' files: in Gradio's upload folder, which Gradio serves
    from in place (a copy anywhere else would lose the learner's folder), one folder each."""
    # lazy: Gradio is heavy, and only the page (which imports it anyway) writes files
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()) / LEARNER_FILES


def new_folder(root: Path, learner: str) -> Path:
    """A new, empty folder of unguessable name in `learner`'s folder under `root`."""
    folder = root / learner / secrets.token_urlsafe(16)
    folder.mkdir(parents=True)
    return folder


def plan_files(plan: StudyPlan, root: Path, today: date | None = None) -> tuple[str, str]:
    """The plan as a Markdown file and an iCalendar file starting next Monday, side by side in
    a new folder of the learner's."""
    folder = new_folder(root, plan.learner)
    md, ics = folder / "study-plan.md", folder / "study-plan.ics"
    md.write_text(plan_markdown(plan), encoding="utf-8")
    ics.write_bytes(plan_icalendar(plan, next_monday(today or date.today())).encode("utf-8"))
    return str(md), str(ics)
