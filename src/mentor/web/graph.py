"""The curriculum graph as a picture for the page: one column per phase, prerequisite arrows,
each topic's box coloured by one learner's status, written into that learner's own folder.

Not here: the graph itself (`mentor.learning.curriculum`) or who may fetch the picture
(`auth.OwnFilesOnly`).
"""

from __future__ import annotations

from pathlib import Path

from mentor.deps import Deps
from mentor.learning.curriculum import Curriculum
from mentor.web.downloads import new_folder

COLOURS = {"done": "#2e7d32", "skipped": "#9e9e9e", "learning": "#f9a825", "not_started": "#90caf9"}


def graph_image(deps: Deps, learner: str, root: Path) -> str:
    """The learner's curriculum picture (PNG), in a new folder of theirs under `root`."""
    path = new_folder(root, learner) / "curriculum.png"
    draw(deps.curriculum, deps.progress.statuses(learner), path)
    return str(path)


def layout(cur: Curriculum) -> dict[str, tuple[int, int]]:
    """(column, row) of each topic: its phase's column, stacked down in roadmap order."""
    pos, per_phase = {}, {}
    for t in cur.topics.values():
        col = cur.phase_index[t.phase]
        row = per_phase.get(col, 0)
        per_phase[col] = row + 1
        pos[t.id] = (col, -row)
    return pos


def draw(cur: Curriculum, statuses: dict[str, str], path: Path) -> None:
    # lazy: matplotlib is heavy and only this picture needs it; Agg draws without a display
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pos = layout(cur)
    fig, ax = plt.subplots(figsize=(22, 11))
    for e in cur.edges:
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1), arrowprops={"arrowstyle": "->", "color": "#bbbbbb", "lw": 0.6})
    for tid, (x, y) in pos.items():
        ax.text(
            x,
            y,
            cur.topics[tid].title[:28],
            ha="center",
            va="center",
            fontsize=7,
            bbox={"boxstyle": "round", "fc": COLOURS[statuses.get(tid, "not_started")], "ec": "#555555", "lw": 0.5},
        )
    for phase in cur.phases:
        ax.text(cur.phase_index[phase["id"]], 1.2, phase["title"][:22], ha="center", fontsize=8, weight="bold")
    ax.set_xlim(-0.7, len(cur.phases) - 0.3)
    ax.set_ylim(min(y for _, y in pos.values()) - 1.5, 1.8)
    ax.axis("off")
    fig.savefig(path, dpi=80, bbox_inches="tight")
    plt.close(fig)
