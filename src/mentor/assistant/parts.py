"""Where a roadmap's sections are, found as learners name them: by number ("Phase 0", "step 1.3",
"week 18", "month 2", "17."), or by their words ("the LLM and agents phase", "the unsupervised
part"); and what a heading or passage says itself, without its dependency tags and links.

Not here: the lines of a passage and which of them answer (`evidence.py`), where things sit in one
roadmap's order (`offline/placing.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.evidence import terms
from mentor.corpus.chunks import Chunk

SECTION_LABEL = re.compile(r"\b(phase|step|week|weeks|month|section|level)?\s*(\d+(?:\.\d+)?)\b", re.IGNORECASE)
MAX_SECTION = 8
# a section named by its words: "the LLM and agents phase", "the unsupervised part": the words right
# before the keyword, back to the first that names nothing ("what does the deep learning phase …")
PART = re.compile(r"\b(phase|part|section|stage|block|stuff|bit)\b(?!\s*\d)", re.IGNORECASE)
PART_STOP = frozenset(
    "the a an of in on at to my this that these those what which does do did is are was were through "
    "finished finish done got about early first last whole next final cover covers covered i im i'm me "
    "entire current same other has have had some any its their your called named".split()
)


def roadmap_passages(chunks: list[Chunk], doc: str) -> list[Chunk]:
    """The passages of one roadmap in reading order."""
    return sorted((c for c in chunks if c.kind == "passage" and c.doc == doc), key=lambda c: c.first_line)


def sections_of(chunks: list[Chunk], doc: str, top: str) -> dict[str, list[Chunk]]:
    """The sections a roadmap's top-level part is made of, by name, with their passages in reading order
    ("Phase 4: The System - MLOps & Deployment": Introduction to MLOps, Model Deployment, …)."""
    found: dict[str, list[Chunk]] = {}
    for chunk in roadmap_passages(chunks, doc):
        path = chunk.section.split(" › ")
        if path[0] == top and len(path) > 1:
            found.setdefault(path[1], []).append(chunk)
    return found


def section_passages(chunks: list[Chunk], section: str, docs: list[str], glossary: dict | None = None) -> list[Chunk]:
    """The passages of a roadmap section, in document order: those whose heading path has a
    part starting with the label ("Phase 0", "Step 1.3", "Week 1", "17.") or naming it; a name's
    abbreviations read through `glossary` ("ML" is "machine learning")."""
    pool = [c for c in chunks if c.kind == "passage" and (not docs or c.doc in docs)]
    label = SECTION_LABEL.search(section)
    if label:
        kind, number = (label.group(1) or "").lower().rstrip("s"), label.group(2)
        weeks = re.escape(number)
        if kind == "month" and number.isdigit():  # "month 2" of a weekly plan: every block in its weeks 5-8
            kind, weeks = "week", "|".join(str(w) for w in range(4 * int(number) - 3, 4 * int(number) + 1))
        kind = "" if kind == "section" else kind  # "section 9": the outline's "9." (no heading says "section")
        pattern = rf"^\W*{kind}\s*{re.escape(number)}(?![\d.]*\d)" if kind else rf"^\W*{re.escape(number)}\b[.\s]"
        if kind == "week":  # "week 18" is in "Week 15, 16, 17, 18: Machine Learning"
            pattern = rf"^\W*weeks?\s*(\d+\s*,\s*)*({weeks})(?![\d.]*\d)"
        prefix = re.compile(pattern, re.IGNORECASE)
        found = [c for c in pool if any(prefix.match(part) for part in c.section.split(" › "))]
        if not found and not kind:  # an outline number inside a passage: "9.1. Saving and Loading Models"
            entry = re.compile(rf"^\W*{re.escape(number)}\.\d", re.MULTILINE)
            found = [c for c in pool if entry.search(c.text)]
        found = _likeliest_roadmap(found, section) if not docs else found
    elif part_named(section):  # "the LLM and agents phase of zero to llm"
        words = part_named(section).lower().split()
        wanted = [(set(terms(w)), set(terms((glossary or {}).get(w, "")))) for w in words if terms(w)]
        # a heading's name, not its tag ("Step 4.1 [D: after Classical ML]" is no classical ML part)
        parts = {c.chunk_id: [set(terms(re.sub(r"\[[^\]]*\]", " ", p))) for p in c.section.split(" › ")] for c in pool}
        found = [c for c in pool if wanted and any(_names_part(wanted, p) for p in parts[c.chunk_id])]
        found = _likeliest_roadmap(found, section) if not docs else found
        found = _likeliest_part(found, section)
    else:
        words = [
            w for w in re.findall(r"[a-z]{3,}", section.lower()) if w not in ("the", "section", "phase", "roadmap")
        ]
        found = [c for c in pool if words and all(w in c.section.lower() for w in words)]
    return sorted(found, key=lambda c: (c.doc, c.first_line))[:MAX_SECTION]


def _names_part(wanted: list[tuple[set[str], set[str]]], bag: set[str]) -> bool:
    """Each word asked is in a heading part: its terms, or those it abbreviates ("ml")."""
    return all(all(_in_terms(t, bag) for t in own) or bool(long) and long <= bag for own, long in wanted)


def _in_terms(term: str, bag: set[str]) -> bool:
    """A term in a bag, or the start of one of its longer terms ("math" of "mathemat")."""
    return term in bag or len(term) >= 4 and any(t.startswith(term) for t in bag)


def part_named(text: str) -> str | None:
    """The words naming a section before 'phase' or 'part' ("LLM and agents" in "got through the LLM
    and agents phase"), or None."""
    for keyword in PART.finditer(text):
        run: list[str] = []
        clause = re.split(r"[(),;:/.?!]", text[: keyword.start()])[-1]  # "kmeans/dbscan/pca (unsupervised phase)"
        for word in reversed(re.findall(r"[\w'+&-]+", clause)[-6:]):
            if word.lower() in PART_STOP or len(run) == 5:
                break
            run.insert(0, word)
        if run:
            return " ".join(run)
    return None


def _likeliest_part(found: list[Chunk], section: str) -> list[Chunk]:
    """Several parts whose headings have the words asked ("the core ml / first models phase": Phase 2 "Core
    ML Concepts + First Models" and Phase 3 "Intermediate ML + Model Selection"): the ones whose path
    shares most words with the question."""
    return _likeliest(found, section, lambda c: c.section.split(" › ")[0], lambda c: c.section.split(" › ")[0])


def _likeliest_roadmap(found: list[Chunk], section: str) -> list[Chunk]:
    """Several roadmaps have a "Phase 5": keep the one whose headings share most words with the question."""
    return _likeliest(found, section, lambda c: c.doc, lambda c: c.section)


def _likeliest(found: list[Chunk], section: str, group, heading) -> list[Chunk]:
    """The passages of the groups (a roadmap, a part) whose headings share most words with `section`;
    all of them when none shares any."""
    wanted = set(terms(section))
    score: dict[str, int] = {}
    for c in found:
        score[group(c)] = max(score.get(group(c), 0), len(wanted & set(terms(heading(c)))))
    best = max(score.values(), default=0)
    return [c for c in found if score[group(c)] == best] if best else found


def own_words(text: str) -> str:
    """What a heading or passage says itself: not its dependency tags ("Step 4.1 [D: after Classical ML]" is
    no deep-learning step about classical ML), nor its links (a github.com address names no git)."""
    return " ".join(re.sub(r"\[[^\]]*\]|https?://\S+", " ", text).split())
