"""Roadmaps learners added to the corpus (`mentor corpus add`), kept beside their progress in
MENTOR_HOME, never among the five built-in roadmaps of the corpus folder (those stay read-only):

    MENTOR_HOME/roadmaps/<id>.md         the repaired text, exactly as indexed
    MENTOR_HOME/roadmaps/registry.json   one entry per roadmap: id, title, sha256, who added it, when
    MENTOR_HOME/roadmaps/.lock           held (flock) while the registry changes

Only roadmaps named in the registry exist: a text file is written (atomically) before its entry,
and an entry is removed before its file, so a crash in between leaves at most an unlisted file,
which nothing reads and the next add of that id replaces. The registry itself is replaced
atomically. The index build reads these roadmaps with the built-in ones (`passages`), and the
index's freshness covers them (`fingerprint`), so `mentor ingest` sees an added or removed one.

Also here: what is refused before anything is stored (an empty file, one with no structure,
over-long lines, a title that looks like a path, an id of a built-in roadmap, a duplicate).
Not here: reading a file a person names (`mentor.config.read_text_file`), linking items to
topics and proposals (`mentor.learning.own`), the outline reading itself (`outline.py`).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import secrets
import unicodedata
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from mentor.corpus import documents as corpus_mod
from mentor.corpus.chunks import Chunk
from mentor.corpus.documents import Document
from mentor.corpus.outline import chunk_own, read_lines
from mentor.errors import CorpusError, UsageError

FOLDER = "roadmaps"
REGISTRY = "registry.json"
MAX_ROADMAP_BYTES = 200_000  # 15 times the longest built-in roadmap; the API's body limit is 256 kB
MAX_ROADMAPS = 50
MAX_LINE_CHARS = 2_000
MAX_TITLE_CHARS = 100
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
PATHLIKE = re.compile(r"(^|[\\/])\.\.([\\/]|$)|^[\\/~]")


@dataclass(frozen=True)
class OwnRoadmap:
    """One added roadmap's registry entry."""

    id: str
    title: str
    sha256: str  # of the repaired text
    added_by: str
    added_at: str
    source: str = ""  # the file name it came from, for people

    def to_dict(self) -> dict:
        return {**asdict(self), "builtin": False}


def folder(home: Path) -> Path:
    return Path(home) / FOLDER


# --- checks --------------------------------------------------------------------------------


def check_title(title: str) -> str:
    """The title, trimmed; refused when empty, too long, with control characters or shaped
    like a path. (The id is made from it, so a title never names a file itself.)"""
    title = " ".join((title or "").split())
    if not title:
        raise UsageError("the roadmap needs a title (--title)")
    if len(title) > MAX_TITLE_CHARS:
        raise UsageError(f"the title is longer than {MAX_TITLE_CHARS} characters")
    if any(unicode_control(ch) for ch in title):
        raise UsageError("the title holds control characters")
    if PATHLIKE.search(title):
        raise UsageError(f"the title {title[:60]!r} looks like a path: give a plain name with --title")
    return title


def unicode_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co")


def make_id(title: str) -> str:
    """A file- and URL-safe id from the title ("My Summer ML Plan" -> "my-summer-ml-plan")."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:48].strip("-")
    if not slug:
        raise UsageError(f"the title {title[:60]!r} has no letters or digits to make an id from: give another")
    return slug


def check_id(roadmap_id: str) -> str:
    """An id as given to `remove`: anything not shaped like one is refused before any file is touched."""
    if not isinstance(roadmap_id, str) or not ID_RE.fullmatch(roadmap_id):
        raise UsageError(f"no added roadmap {ascii(str(roadmap_id)[:60])}: ids are lower-case letters, digits and -")
    return roadmap_id


def check_text(text: str, name: str) -> str:
    """The repaired text of a roadmap, refused when empty, with over-long lines or no structure."""
    text = corpus_mod.clean_text(text)
    if not text.strip():
        raise UsageError(f"{name} is empty")
    if len(text.encode("utf-8")) > MAX_ROADMAP_BYTES:
        raise UsageError(f"{name} is larger than {MAX_ROADMAP_BYTES // 1000} kB")
    for n, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            raise UsageError(f"{name}: line {n} is over {MAX_LINE_CHARS} characters; a roadmap has one item a line")
        if any(unicode_control(ch) for ch in line if ch != "\t"):
            raise UsageError(f"{name}: line {n} holds control characters; is it a text file?")
    lines = read_lines(text)
    headings = sum(1 for ln in lines if ln.kind == "heading")
    items = sum(1 for ln in lines if ln.kind == "item")
    if not headings and items < 2:
        raise UsageError(
            f"{name} has no structure mentor can read: give it headings (e.g. '# Week 1', 'Month 2:') "
            "or list items ('- NumPy', '- [x] Pandas')"
        )
    return text


# --- the registry --------------------------------------------------------------------------


def registry(home: Path) -> list[OwnRoadmap]:
    """The added roadmaps, oldest first ([] when none was ever added)."""
    path = folder(home) / REGISTRY
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return [OwnRoadmap(**entry) for entry in json.loads(raw)["roadmaps"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise CorpusError(f"{path} is damaged ({type(exc).__name__}): restore it or remove the folder") from None


def text_of(home: Path, entry: OwnRoadmap) -> str:
    path = folder(home) / f"{entry.id}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(
            f"added roadmap {entry.id!r} cannot be read at {path} ({exc}): `mentor corpus remove {entry.id}`"
        ) from None
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != entry.sha256:
        raise CorpusError(f"added roadmap {entry.id!r} at {path} was changed outside mentor: remove and add it again")
    return text


def documents(home: Path) -> list[Document]:
    """The added roadmaps as corpus documents."""
    return [
        Document(e.id, e.title, f"added by {e.added_by}", folder(home) / f"{e.id}.md", text_of(home, e))
        for e in registry(home)
    ]


def passages(home: Path) -> tuple[list[Document], list[Chunk]]:
    """The added roadmaps and their passages, cut by each one's own structure."""
    docs = documents(home)
    return docs, [chunk for doc in docs for chunk in chunk_own(doc)]


def fingerprint(settings) -> str:
    """The corpus's fingerprint, covering the added roadmaps too: the built-in corpus's own
    when none was added, so adding nothing leaves every index fresh."""
    base = corpus_mod.fingerprint(settings.corpus_dir)
    entries = registry(settings.home)
    if not entries:
        return base
    digest = hashlib.sha256(base.encode())
    for entry in entries:
        digest.update(f"\0{entry.id}\0{entry.title}\0{entry.sha256}".encode())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(home: Path):
    where = folder(home)
    where.mkdir(parents=True, exist_ok=True)
    with open(where / ".lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield where
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_registry(where: Path, entries: list[OwnRoadmap]) -> None:
    body = json.dumps({"roadmaps": [asdict(e) for e in entries]}, indent=2, ensure_ascii=False)
    _write_atomically(where / REGISTRY, body.encode("utf-8"))


def store(home: Path, entry: OwnRoadmap, text: str, builtin_ids: set[str]) -> None:
    """Add a roadmap: its text, then its registry entry. Refused for a built-in id, an id or a
    text already added, or past MAX_ROADMAPS."""
    with _locked(home) as where:
        entries = registry(home)
        refuse_duplicate(entry, entries, builtin_ids)
        if len(entries) >= MAX_ROADMAPS:
            raise UsageError(f"{MAX_ROADMAPS} roadmaps are added already: remove one first (`mentor corpus remove ID`)")
        _write_atomically(where / f"{entry.id}.md", text.encode("utf-8"))
        _write_registry(where, [*entries, entry])


def refuse_duplicate(entry: OwnRoadmap, entries: list[OwnRoadmap], builtin_ids: set[str]) -> None:
    if entry.id in builtin_ids:
        raise UsageError(f"{entry.id!r} is a built-in roadmap's id: give your roadmap another --title")
    for other in entries:
        if other.sha256 == entry.sha256:
            raise UsageError(
                f"this roadmap was already added as {other.id!r} ({other.title}); to add it afresh (its Done "
                f"marks proposed again), remove it first: `mentor corpus remove {other.id}`"
            )
        if other.id == entry.id:
            raise UsageError(
                f"a roadmap {other.id!r} was already added ({other.title}, {other.added_at[:10]}): "
                f"remove it first (`mentor corpus remove {other.id}`) or give another --title"
            )


def delete(home: Path, roadmap_id: str) -> tuple[OwnRoadmap, str | None]:
    """Remove an added roadmap: its entry, then its file. Returns the entry and its text (to put
    it back if what follows fails; None when the file was already unreadable or changed)."""
    check_id(roadmap_id)
    with _locked(home) as where:
        entries = registry(home)
        found = next((e for e in entries if e.id == roadmap_id), None)
        if found is None:
            raise UsageError(f"no added roadmap {roadmap_id!r}: `mentor corpus list` shows them")
        try:
            text = text_of(home, found)
        except CorpusError:  # a damaged one can always be removed
            text = None
        _write_registry(where, [e for e in entries if e.id != roadmap_id])
        (where / f"{roadmap_id}.md").unlink(missing_ok=True)
    return found, text
