"""The curriculum map as an SVG for the page: Graphviz `dot` lays the topics out top to bottom, one
box per phase, whole topic names (wrapped, never cut), each topic coloured by the learner's
status, the topics the learner can start now outlined in blue, prerequisite arrows between them.
Each topic is an SVG group `g#topic-<id>` with the classes `topic <status>` (and `ready`), so the
page can find, click and test it by its DOM text.

Not here: which topics and edges to show (`mentor.learning.topic_map`), the legend and the list
view shown beside it (`map_tab.py`). Without Graphviz's `dot` program, `map_svg` raises
`DotMissing` and the page shows the list instead.
"""

from __future__ import annotations

import re
import shutil
import textwrap

from mentor.learning.topic_map import CurriculumMap, MapTopic

FONT = "DejaVu Sans"  # the same face for dot's measurements and the browser's drawing (see look.CSS)
WRAP = 26  # characters per line of a topic's name
COLUMNS = 4  # topics side by side in a phase
STATUS_LOOK = {  # status -> (fill, border)
    "done": ("#c8e6c9", "#2e7d32"),
    "learning": ("#ffe08a", "#d98c00"),
    "skipped": ("#eceff1", "#90a4ae"),
    "not_started": ("#ffffff", "#90a4ae"),
}
READY_BORDER = "#1565c0"
FOCUS_FILL = "#fff3e0"


class DotMissing(RuntimeError):
    """Graphviz's `dot` program is not installed: the page falls back to the list view."""


def dot_path() -> str | None:
    return shutil.which("dot")


def label_lines(title: str) -> list[str]:
    """A topic's whole name on lines of about WRAP characters (no word is cut)."""
    return textwrap.wrap(title, WRAP, break_long_words=False, break_on_hyphens=False) or [title]


def map_svg(data: CurriculumMap) -> str:
    """The map as inline SVG markup (no XML prolog), ready to put in the page."""
    if dot_path() is None:
        raise DotMissing("Graphviz's dot program is not installed")
    import graphviz  # lazy: only the map tab needs it

    dot = graphviz.Digraph("curriculum", engine="dot")
    dot.attr(rankdir="TB", newrank="true", nodesep="0.25", ranksep="0.45", compound="true", bgcolor="transparent")
    dot.attr(fontname=FONT, fontsize="15", labeljust="l", pad="0.1")
    dot.attr("node", shape="box", style="rounded,filled", fontname=FONT, fontsize="13", margin="0.12,0.06")
    dot.attr("edge", color="#90a4ae", arrowsize="0.6", penwidth="0.8")
    previous = None  # the first topic of the previous row: rows and phases are chained top to bottom
    for phase in data.phases:
        with dot.subgraph(name=f"cluster_{phase.number}") as box:
            done = "" if data.focus else f" · {phase.finished}/{len(phase.topics)} done"  # a part: no count
            box.attr(label=f"{phase.number}. {phase.title}{done}", id=f"phase-{phase.id}", fontcolor="#37474f")
            box.attr(style="rounded,filled", fillcolor="#f7f9fb", color="#cfd8dc")
            for topic in phase.topics:
                box.node(topic.id, **_node_attrs(topic, topic.id in data.focus))
            for row in _rows(phase.topics, data.edges):
                box.body.append("{rank=same; " + " ".join(f'"{t}"' for t in row) + "}")
                for left, right in zip(row, row[1:]):  # left to right in reading order
                    box.edge(left, right, style="invis")
                if previous is not None:
                    dot.edge(previous, row[0], style="invis", weight="20")
                previous = row[0]
    for source, target in drawn_edges(data):  # drawn, not laid out by: the phases keep their reading order
        dot.edge(source, target, constraint="false")
    return _inline(dot.pipe(format="svg", encoding="utf-8"))


def _rows(topics: list[MapTopic], edges: list[tuple[str, str]]) -> list[list[str]]:
    """A phase's topics in rows of COLUMNS, prerequisites within the phase first."""
    ids = [t.id for t in topics]
    waiting = {t: {s for s, d in edges if d == t and s in ids} for t in ids}
    order: list[str] = []
    while len(order) < len(ids):  # roadmap order, each topic after its prerequisites in the phase
        ready = [t for t in ids if t not in order and waiting[t] <= set(order)]
        order.append(ready[0] if ready else next(t for t in ids if t not in order))
    return [order[i : i + COLUMNS] for i in range(0, len(order), COLUMNS)]


def drawn_edges(data: CurriculumMap) -> list[tuple[str, str]]:
    """The arrows drawn: all of them in a neighbourhood; on the whole map only those within a phase
    (the arrows between phases are a tangle; a topic's card lists everything it needs)."""
    if data.focus:
        return data.edges
    phase = {t.id: t.phase for t in data.topics}
    return [(s, t) for s, t in data.edges if phase[s] == phase[t]]


def _node_attrs(topic: MapTopic, focus: bool) -> dict[str, str]:
    fill, border = STATUS_LOOK.get(topic.status, STATUS_LOOK["not_started"])
    classes = ["topic", topic.status.replace("_", "-")] + (["ready"] if topic.ready else []) + (["focus"] * focus)
    attrs = {
        "label": "\n".join(label_lines(topic.title)),
        "id": f"topic-{topic.id}",
        "class": " ".join(classes),
        "fillcolor": FOCUS_FILL if focus and topic.status == "not_started" else fill,
        "color": READY_BORDER if topic.ready else border,
        "penwidth": "2.2" if topic.ready else "1.2",
        "tooltip": f"{topic.title} ({_status_words(topic)}): click for what it needs and unlocks",
    }
    if topic.status == "skipped":
        attrs["style"] = "rounded,filled,dashed"
        attrs["fontcolor"] = "#607d8b"
    return attrs


def _status_words(topic: MapTopic) -> str:
    if topic.ready and topic.status == "not_started":
        return "you can start it now"
    return topic.status.replace("_", " ")


_PROLOG = re.compile(r"^.*?(?=<svg)", re.DOTALL)


def _inline(svg: str) -> str:
    """Drop the XML prolog and comments; let the page size the picture (keeps its viewBox)."""
    svg = _PROLOG.sub("", svg, count=1)
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.DOTALL)
    return svg.replace("<svg ", '<svg class="curriculum-map" role="img" aria-label="curriculum map" ', 1)
