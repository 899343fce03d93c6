"""Progress in and out of files: `mentor progress import FILE` and `progress export`.

Import reads either a JSON export of ours, or a roadmap the learner has marked up: a heading
marked "Done" (e.g. "🟢 Phase 1: Python Basics ✅Done") makes every topic of its section done,
an item marked "Done" ("Number system ---Done") makes the topic it names done. Lines that name
no topic are reported, never guessed. Export writes JSON or a Markdown checklist by phase, with
the learner's notes per topic; a JSON export's notes come back in with it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from mentor.config import read_text_file
from mentor.corpus.chunks import chunk_document
from mentor.corpus.documents import Document, clean_text
from mentor.errors import UsageError
from mentor.learning.curriculum import Curriculum
from mentor.learning.notes.store import check_note
from mentor.learning.progress import STATUSES

DONE_MARK = re.compile(r"\s*[-—–]*\s*✅?\s*\bDone\b\s*$", re.IGNORECASE)
MAX_IMPORT_BYTES = 2_000_000
BULLET = re.compile(r"^\s*([-*•o·]|\d+[.)])\s+\S")
RESOURCE_LINE = re.compile(r"\bresources?\b\s*:", re.IGNORECASE)


@dataclass
class ImportResult:
    changes: dict[str, str] = field(default_factory=dict)  # topic -> status
    evidence: dict[str, str] = field(default_factory=dict)  # topic -> the line that marked it
    unmatched: list[str] = field(default_factory=list)  # marked lines naming no topic
    format: str = "roadmap"
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (topic, text, created_at), from JSON


def read_import(path: Path, cur: Curriculum) -> ImportResult:
    """A regular UTF-8 file of at most MAX_IMPORT_BYTES; anything else is refused, naming it."""
    raw = read_text_file(path, MAX_IMPORT_BYTES, "import file")
    stripped = raw.lstrip()
    if stripped.startswith("{"):
        return _from_json(stripped, cur, path)
    return _from_marked_roadmap(raw, cur)


def _from_json(text: str, cur: Curriculum, path: Path) -> ImportResult:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path} is not a mentor progress export ({exc})") from None
    except RecursionError:
        raise UsageError(f"{path} is not a mentor progress export (JSON nested too deeply)") from None
    rows = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise UsageError(
            f"{path} is not a mentor progress export ('topics' must be a list of "
            '{"id": ..., "status": ...} objects)'
        )
    result = ImportResult(format="json")
    for n, row in enumerate(rows, 1):
        tid, status = _export_row(row, n, path)
        if tid in cur.topics and status in STATUSES:
            result.changes[tid] = status
            result.evidence[tid] = f"{tid}: {status}"
        else:
            result.unmatched.append(json.dumps(row)[:120])
    result.notes = _export_notes(data.get("notes"), cur, path)
    return result


def _export_notes(rows, cur: Curriculum, path: Path) -> list[tuple[str, str, str]]:
    """The notes of a JSON export (none when it has none); a note about no topic is left out."""
    if rows is None:
        return []
    if not isinstance(rows, list) or not all(
        isinstance(r, dict) and isinstance(r.get("topic"), str) and isinstance(r.get("text"), str) for r in rows
    ):
        raise UsageError(f'{path} is not a mentor progress export (\'notes\' must be {{"topic", "text"}} objects)')
    rows = [r for r in rows if r["topic"] in cur.topics]
    return [(r["topic"], check_note(r["text"]), str(r.get("created_at") or "")) for r in rows]


def _export_row(row, n: int, path: Path) -> tuple[str, str]:
    if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not isinstance(row.get("status"), str):
        raise UsageError(
            f'{path} is not a mentor progress export (topic {n} is not an {{"id": text, '
            f'"status": text}} object: {json.dumps(row)[:60]})'
        )
    return row["id"], row["status"]


def _from_marked_roadmap(raw: str, cur: Curriculum) -> ImportResult:
    text = clean_text(raw)
    lines = text.split("\n")
    doc = Document("import", "imported roadmap", "", Path("import"), text)
    result = ImportResult()
    covered_lines: set[int] = set()
    for chunk in chunk_document(doc):
        section_lines = lines[chunk.first_line - 1 : chunk.last_line]
        heading_done = bool(DONE_MARK.search(section_lines[0]))
        items = [line for line in section_lines if BULLET.match(line)]
        all_items_done = bool(items) and all(DONE_MARK.search(line) for line in items)
        if not (heading_done or all_items_done):
            continue
        # a section marked done (or every item of it): the topics it covers are done; resources
        # it merely mentions ("📘 Resource: Kaggle Python Course") are not topics learned
        studied = "\n".join(line for line in section_lines if not RESOURCE_LINE.search(line))
        evidence = section_lines[0] if heading_done else f"{chunk.section}: all {len(items)} items marked Done"
        for tid in cur.topics_in_text(studied):
            _mark(result, tid, evidence)
        covered_lines.update(range(chunk.first_line, chunk.last_line + 1))
    for n, line in enumerate(lines, 1):
        if n in covered_lines or not DONE_MARK.search(line):
            continue
        item = DONE_MARK.sub("", line).strip(" \t•*-o")
        topic, _ = cur.find(item)
        tids = [topic.id] if topic else cur.topics_in_text(item)
        if not tids:
            result.unmatched.append(line.strip())
        for tid in tids:
            _mark(result, tid, line)
    return result


def _mark(result: ImportResult, tid: str, line: str) -> None:
    result.changes[tid] = "done"
    result.evidence.setdefault(tid, line.strip())


def export_dict(learner: str, cur: Curriculum, state: dict[str, tuple[str, str]], notes=()) -> dict:
    """The JSON export as a dict: each recorded topic of the curriculum, in roadmap order, and
    the learner's notes (`notes.store.Note`s) when there are any."""
    recorded = sorted((tid for tid in state if tid in cur.topics), key=cur.sort_key)
    topics = [
        {"id": tid, "title": cur.topics[tid].title, "status": state[tid][0], "updated_at": state[tid][1]}
        for tid in recorded
    ]
    data = {"user": learner, "topics": topics}
    if notes:
        data["notes"] = [
            {"topic": n.topic, "title": cur.topics[n.topic].title, "text": n.text, "created_at": n.created_at}
            for n in notes
            if n.topic in cur.topics
        ]
    return data


def export_json(learner: str, cur: Curriculum, state: dict[str, tuple[str, str]]) -> str:
    return json.dumps(export_dict(learner, cur, state), indent=2, ensure_ascii=False)


@dataclass
class PhaseChecklist:
    """One phase of the curriculum with each topic's status ("not_started" when never set)."""

    title: str
    items: list[tuple[str, str]]  # (topic title, status), in roadmap order

    @property
    def finished(self) -> int:
        return sum(1 for _, status in self.items if status in ("done", "skipped"))


def phase_checklists(cur: Curriculum, state: dict[str, tuple[str, str]]) -> list[PhaseChecklist]:
    """Every phase that has topics, each topic with the learner's status."""
    out = []
    for phase in cur.phases:
        topics = [t for t in cur.topics.values() if t.phase == phase["id"]]
        if topics:
            out.append(
                PhaseChecklist(phase["title"], [(t.title, state.get(t.id, ("not_started", ""))[0]) for t in topics])
            )
    return out


def checklist_lines(phases: list[PhaseChecklist]) -> list[str]:
    """The phases as Markdown: a second-level heading each, then a checkbox per topic."""
    out = []
    for phase in phases:
        out += [f"## {phase.title} ({phase.finished}/{len(phase.items)} done)", ""]
        for title, status in phase.items:
            box = "x" if status in ("done", "skipped") else " "
            note = "" if status in ("done", "not_started") else f" _({status})_"
            out.append(f"- [{box}] {title}{note}")
        out.append("")
    return out


def export_markdown(learner: str, cur: Curriculum, state: dict[str, tuple[str, str]], notes=()) -> str:
    lines = [f"# Learning progress: {learner}", "", *checklist_lines(phase_checklists(cur, state))]
    return "\n".join(lines + notes_lines(cur, notes))


def notes_lines(cur: Curriculum, notes) -> list[str]:
    """The learner's notes as Markdown, by topic in roadmap order (nothing when there are none)."""
    by_topic: dict[str, list] = {}
    for n in notes:
        if n.topic in cur.topics:
            by_topic.setdefault(n.topic, []).append(n)
    out = ["## Notes", ""] if by_topic else []
    for tid in sorted(by_topic, key=cur.sort_key):
        out += [f"### {cur.topics[tid].title}", ""]
        for n in by_topic[tid]:
            out += [f"- {n.created_at[:10]}: " + n.text.replace("\n", "\n  "), ""]
    return out
