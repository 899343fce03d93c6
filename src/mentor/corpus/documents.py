"""The corpus: the five roadmaps listed in `corpus/sources.yaml`, loaded and repaired.

Repair is limited to text encoding: the raw files hold UTF-8 that was decoded as cp1252 once
(mojibake such as "ðŸ¤–"); ftfy undoes that line by line, so line numbers stay those of the raw
file and every quote from a chunk is found verbatim in the cleaned text. Chunking lives in
`chunks.py`, linked resources in `resources.py`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from mentor.errors import CorpusError

# Bumped whenever cleaning or chunking changes what an index would contain.
PIPELINE_VERSION = "5"


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    description: str
    path: Path
    text: str  # cleaned
    aliases: tuple[str, ...] = ()  # what learners call it ("the 6 month plan")

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


# U+FE0F (emoji variation selector) is EF B8 8F in UTF-8; cp1252 has no character for 0x8F, so
# the mojibake "ï¸" often lost its last byte. Restoring it lets ftfy decode the whole sequence.
_LOST_VS16 = re.compile("\u00ef\u00b8(?!\u008f)")


def clean_text(raw: str) -> str:
    """Repair mojibake and normalise line endings, keeping one output line per input line."""
    import ftfy

    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    raw = _LOST_VS16.sub("\u00ef\u00b8\u008f", raw)
    config = ftfy.TextFixerConfig(
        unescape_html=False,
        fix_line_breaks=False,
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        normalization=None,
    )
    return "\n".join(ftfy.fix_text(line, config) for line in raw.split("\n"))


def load_sources(corpus_dir: Path) -> list[dict]:
    path = corpus_dir / "sources.yaml"
    if not path.is_file():
        raise CorpusError(f"no corpus description at {path}")
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))["documents"]
    except (yaml.YAMLError, KeyError, TypeError) as exc:
        raise CorpusError(f"{path} is malformed: {exc}") from exc
    for entry in entries:
        missing = {"id", "file", "title"} - set(entry)
        if missing:
            raise CorpusError(f"{path}: entry {entry!r} lacks {sorted(missing)}")
    return entries


def roadmap_names(corpus_dir: Path) -> dict[str, tuple[str, ...]]:
    """Roadmap id -> what learners call it (its id and `sources.yaml` aliases, lower case); none
    without a readable corpus description."""
    try:
        sources = load_sources(corpus_dir)
    except CorpusError:
        return {}
    return {str(e["id"]): (str(e["id"]), *(str(a).lower() for a in e.get("aliases") or ())) for e in sources}


def names_pattern(names, suffix: str = "") -> re.Pattern | None:
    """`names` as whole words, the longest first so that matches never overlap, case aside; `suffix`
    a pattern that may follow each ("the codebasics roadmap"). None for no names."""
    ordered = sorted({n for n in names if n}, key=len, reverse=True)
    if not ordered:
        return None
    alternation = "|".join(re.escape(n) for n in ordered)
    return re.compile(rf"(?<![\w-])(?:{alternation}){suffix}(?![\w-])", re.IGNORECASE)


def load_documents(corpus_dir: Path) -> list[Document]:
    docs = []
    for entry in load_sources(corpus_dir):
        path = corpus_dir / "roadmaps" / entry["file"]
        if not path.is_file():
            raise CorpusError(f"roadmap {entry['id']!r} missing: {path}")
        raw = path.read_text(encoding="utf-8", errors="replace")
        docs.append(
            Document(
                id=entry["id"],
                title=entry["title"],
                description=(entry.get("description") or "").strip(),
                path=path,
                text=clean_text(raw),
                aliases=tuple(str(a).lower() for a in entry.get("aliases") or ()),
            )
        )
    return docs


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every file whose content decides what the index holds."""
    files = [corpus_dir / "sources.yaml", corpus_dir / "glossary.yaml", corpus_dir / "curriculum.yaml"]
    files.append(corpus_dir / "learner_words.yaml")  # document expansion (mentor.search.expansion)
    files += sorted((corpus_dir / "questions").glob("*.yaml"))
    files += sorted((corpus_dir / "roadmaps").glob("*"))
    files += sorted((corpus_dir / "cache").glob("*.json"))
    return [f for f in files if f.is_file()]


def fingerprint(corpus_dir: Path) -> str:
    """A hash over the corpus files and the pipeline version: equal means the index is fresh."""
    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    for path in corpus_files(corpus_dir):
        digest.update(str(path.relative_to(corpus_dir)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def roadmaps_named(documents, text: str) -> list[str]:
    """The roadmaps a piece of text names, by id, title or what learners call them, as whole words
    ("6 month" is not in "6 months")."""
    return named_in(_names(documents), text)


def named_in(names: tuple[tuple[str, tuple[str, ...]], ...], text: str) -> list[str]:
    """The roadmaps of `names` ((id, what it is called), as `roadmap_names` reads them) a text names."""
    return [doc for doc, pattern in _name_patterns(names).items() if pattern is not None and pattern.search(text)]


def roadmap_clauses(documents, text: str) -> dict[str, str]:
    """What `text` says next to each roadmap it names: from the name to the next roadmap's name, a turn ("but",
    "while") or the end of the sentence ("the dependency one begins every algorithm with theory, but the libraries
    one …": "begins every algorithm with theory" is the dependency roadmap's side); what stands before the name,
    back to the last such boundary, when nothing of substance follows it ("mlflow is optional in the libraries
    roadmap but …"). Names removed."""
    every = _every_pattern(_names(documents))
    if every is None:
        return {}
    found = [(m, named_in(_names(documents), m.group(0))) for m in every.finditer(text)]
    found = [(m, docs[0]) for m, docs in found if docs]
    clauses: dict[str, str] = {}
    for i, (m, doc) in enumerate(found):
        end = found[i + 1][0].start() if i + 1 < len(found) else len(text)
        stop = TURN.search(text, m.end(), end)
        after = text[m.end() : stop.start() if stop else end].strip(" ,")
        begin = found[i - 1][0].end() if i else 0
        turns = list(TURN.finditer(text, begin, m.start()))
        before = text[turns[-1].end() if turns else begin : m.start()].strip(" ,")
        clauses.setdefault(doc, after if _said(after) or not _said(before) else before)
    return clauses


# where what a sentence says of one thing ends: its end, or a turn to another
TURN = re.compile(r"[.?!;](\s|$)|\b(but|while|whereas|though|although|however)\b", re.IGNORECASE)
FILLER = frozenset("a an the and or of in on at to one it its this that is are does do so".split())


def _said(text: str) -> bool:
    """Whether a piece of text says something besides its small words ("and the" does not)."""
    return any(w not in FILLER for w in re.findall(r"[a-z0-9]+", text.lower()))


def without_roadmap_names(documents, text: str) -> str:
    """`text` without what it calls the roadmaps ("the 6 month plan" holds no section 6, "the codebasics
    roadmap" no word of what is asked)."""
    every = _every_pattern(_names(documents))
    return every.sub(" ", text) if every is not None else text


def _names(documents) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((d.id, (d.id, d.title.lower(), *d.aliases)) for d in documents)


@lru_cache(maxsize=8)
def _every_pattern(names: tuple[tuple[str, tuple[str, ...]], ...]):
    return names_pattern([n for _, those in names for n in those], r"(\s+(roadmap|plan|curriculum)s?)?")


@lru_cache(maxsize=8)
def _name_patterns(names: tuple[tuple[str, tuple[str, ...]], ...]) -> dict:
    return {doc: names_pattern(those) for doc, those in names}
