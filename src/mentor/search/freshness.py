"""Is a build usable? Missing, damaged (its files against their checksums, Chroma's content
too), built by another version, with another embedding backend or for another vector store
(the embedded one, a Chroma server: MENTOR_CHROMA_URL), stale (the corpus changed) or
fresh: what `ingest`, `doctor`, the health check and every reader ask before using a build.

Not here: the build on disk itself (`builds.py`), building and opening (`index.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mentor.config import Settings
from mentor.corpus import own
from mentor.errors import IndexDamaged
from mentor.search.builds import FORMAT, active_dir, find_damage, load_manifest, other_format_message
from mentor.search.embed import Choice, choose_backend
from mentor.search.stores import other_store_message, recorded, same_store


@dataclass
class Freshness:
    state: str  # missing | damaged | other-format | other-backend | other-store | stale | fresh
    message: str
    manifest: dict | None = None
    folder: Path | None = None  # the build this is about
    problem: str | None = None  # what is damaged

    @property
    def build_id(self) -> str | None:
        return None if self.folder is None else self.folder.name


def freshness(settings: Settings, choice: Choice | None = None, *, verify: bool = True, deep: bool = True) -> Freshness:
    """Is the active build there, undamaged (`verify`: its files against their checksums;
    `deep`: Chroma's content too, see `find_damage`), built from this corpus with the
    configured backend? What `ingest` and `doctor` ask."""
    folder = active_dir(settings.index_dir)
    if folder is None:
        return Freshness("missing", f"no index in {settings.index_dir}: run `mentor ingest` to build it")
    return build_freshness(settings, folder, choice, verify=verify, deep=deep)


def build_freshness(
    settings: Settings, folder: Path, choice: Choice | None = None, *, verify: bool = True, deep: bool = False
) -> Freshness:
    """The state of one finished build: the active one, or one a reader has open."""
    try:
        manifest = load_manifest(folder)
    except IndexDamaged as exc:
        return Freshness("damaged", str(exc), None, folder, problem=exc.what)
    return assess(settings, folder, manifest, choice or choose_backend(settings), verify=verify, deep=deep)


def assess(
    settings: Settings, folder: Path, manifest: dict, choice: Choice, *, verify: bool = True, deep: bool = False
) -> Freshness:
    """The state of a build whose manifest is read."""
    if manifest["format"] != FORMAT:
        return Freshness("other-format", other_format_message(folder, manifest), manifest, folder)
    built_with = manifest["embedding"]["spec"]
    if built_with != choice.spec:
        return Freshness(
            "other-backend",
            f"the index was built with the {built_with!r} embedding backend but {choice.spec!r} is "
            f"configured ({choice.reason}): run `mentor ingest` to rebuild it",
            manifest,
            folder,
        )
    store = recorded(folder, manifest)
    if not same_store(store, settings):
        return Freshness("other-store", other_store_message(store, settings), manifest, folder)
    problem = find_damage(folder, manifest, deep=deep) if verify else None
    if problem:
        return Freshness("damaged", str(IndexDamaged(folder, problem)), manifest, folder, problem)
    if manifest["corpus_fingerprint"] != own.fingerprint(settings):  # the corpus and the roadmaps added to it
        return Freshness(
            "stale",
            "the corpus has changed since the index was built: run `mentor ingest` to refresh it",
            manifest,
            folder,
        )
    return Freshness("fresh", f"index built {manifest['built_at']} is up to date", manifest, folder)
