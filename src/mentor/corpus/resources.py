"""Linked resources: every URL in the roadmaps becomes a record (what it is, what the roadmap
says about it, where it was found) and a small searchable passage of its own, so "where can I
learn pandas?" finds the playlist itself.

Fetching the linked pages is `fetch.py`'s job; this module only reads the roadmaps.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from urllib.parse import urlparse

from mentor.corpus.chunks import Chunk, find_links, make_chunk_id

KIND_RULES: list[tuple[str, str]] = [
    (r"youtube\.com/playlist|youtube\.com/.*[?&]list=", "video playlist"),
    (r"youtube\.com/watch|youtu\.be/", "video"),
    (r"khanacademy\.org|coursera\.org|edx\.org|udemy\.com|fast\.ai|course", "course"),
    (r"discord\.(gg|com)|reddit\.com|slack\.com|forum", "community"),
    (r"kaggle\.com/datasets", "datasets"),
    (r"kaggle\.com/code|kaggle\.com/competitions", "notebooks"),
    (r"github\.com|gitlab\.com", "code repository"),
    (r"/docs?/|readthedocs|documentation|tutorials?", "docs"),
    (r"arxiv\.org|\.pdf$", "paper"),
]


@dataclass(frozen=True)
class Resource:
    url: str
    anchor: str  # what the roadmap calls it
    context: str  # the line it stands on (and the line before, for a bare URL)
    kind: str
    doc: str
    doc_title: str
    section: str
    line: int  # 1-based line of the URL in the cleaned document
    first_line: int  # where `context` starts (the line before, for a bare URL)
    topic: str = ""  # the bullet this link hangs under ("NumPy and Pandas"), if any

    def to_dict(self) -> dict:
        return asdict(self)


def classify(url: str) -> str:
    for pattern, kind in KIND_RULES:
        if re.search(pattern, url, re.IGNORECASE):
            return kind
    return "web page"


def _anchor(line: str, url: str, fallback: str) -> str:
    before = line.split(url, 1)[0]
    before = re.sub(r"^[\s*\-•]+", "", before).strip()
    before = re.sub(r"[\s:–—-]+$", "", before).strip()
    if before:
        return before
    return fallback


def _parent_bullet(lines: list[str], lineno: int) -> str:
    """For an indented link line, the less-indented bullet it hangs under."""
    line = lines[lineno - 1]
    indent = len(line) - len(line.lstrip())
    if indent == 0:
        return ""
    for prev in reversed(lines[: lineno - 1]):
        if not prev.strip():
            continue
        prev_indent = len(prev) - len(prev.lstrip())
        if prev_indent < indent:
            return re.sub(r"^[\s*\-•]+", "", prev).strip()
    return ""


def extract_resources(chunks: list[Chunk], doc_lines: dict[str, list[str]]) -> list[Resource]:
    """One record per (URL, place): the same playlist cited in two weeks is two records,
    because what the roadmap says about it differs."""
    records: list[Resource] = []
    for chunk in chunks:
        lines = doc_lines[chunk.doc]
        for lineno in range(chunk.first_line, chunk.last_line + 1):
            line = lines[lineno - 1]
            for url in find_links(line):
                start = lineno
                if _anchor(line, url, "") == "":
                    while start > 1 and not lines[start - 2].strip():
                        start -= 1
                    start = max(1, start - 1)  # a bare URL: take the sentence that introduces it
                context = "\n".join(lines[start - 1 : lineno]).strip("\n")
                fallback = chunk.section.split(" › ")[-1]
                records.append(
                    Resource(
                        url=url,
                        anchor=_anchor(line, url, fallback),
                        context=context,
                        kind=classify(url),
                        doc=chunk.doc,
                        doc_title=chunk.title,
                        section=chunk.section,
                        line=lineno,
                        first_line=start,
                        topic=_parent_bullet(lines, lineno),
                    )
                )
    return records


def resource_chunk(res: Resource) -> Chunk:
    """The resource as a retrievable passage; its text is the roadmap's own line(s)."""
    host = urlparse(res.url).netloc
    heading = f"{res.anchor} ({res.kind}, {host})"
    if res.topic:
        heading += f" for {res.topic}"
    return Chunk(
        chunk_id="res-" + make_chunk_id(res.doc, res.section, f"{res.line}\0{res.url}")[:12],
        doc=res.doc,
        title=res.doc_title,
        section=res.section,
        heading=heading,
        first_line=res.first_line,
        last_line=res.line,
        text=res.context,
        links=[res.url],
        kind="resource",
        url=res.url,
    )
