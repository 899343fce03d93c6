"""Model weights on this machine: where the weights for a model are found (a folder, what
`mentor models pull` put in MENTOR_HOME/models, or the Hugging Face cache), for the embedder,
the reranker and the local LLM alike; and `mentor models pull`, which downloads them.

Everything else in mentor only ever reads local weights; `pull` is the one place that asks the
Hugging Face Hub for files, and only when a person runs it. Not here: loading the weights
(`mentor.search.embed`, `mentor.search.retrieve`, `mentor.assistant.agent`).
"""

from __future__ import annotations

import os
from pathlib import Path

from mentor.errors import MentorError


def pull(ref: str, models_dir: Path) -> Path:
    target = models_dir / ref.replace("/", "--")
    os.environ["HF_HUB_OFFLINE"] = "0"  # the person asked to go online for this
    try:
        from huggingface_hub import snapshot_download

        snapshot_download(ref, local_dir=str(target))
    except Exception as exc:  # network, unknown repo, disk: all reported the same way
        raise MentorError(
            f"could not download {ref}: {type(exc).__name__}: {str(exc)[:200]}. "
            "Is this machine online? mentor works without it (MENTOR_EMBED=lsa)."
        ) from exc
    return target


def local_model_path(ref: str, models_dir: Path, hf_cache: Path | None = None) -> Path | None:
    """Where the weights for `ref` are on this machine, or None. Never downloads."""
    path = Path(ref).expanduser()
    if path.is_dir():
        return path.resolve()
    pulled = models_dir / ref.replace("/", "--")
    if (pulled / "config.json").is_file() or (pulled / "modules.json").is_file():
        return pulled
    return _hf_cache_path(ref, hf_cache)


def _hf_cache_path(ref: str, hf_cache: Path | None) -> Path | None:
    if "/" not in ref or hf_cache is None:
        return None
    if not (hf_cache / ("models--" + ref.replace("/", "--"))).is_dir():
        return None  # not cached: no need to import huggingface_hub (0.6 s) to find out
    from huggingface_hub import snapshot_download  # 0.6 s: only when the cache holds the model
    from huggingface_hub.errors import HFValidationError, LocalEntryNotFoundError

    try:
        return Path(snapshot_download(ref, cache_dir=str(hf_cache), local_files_only=True))
    except (LocalEntryNotFoundError, HFValidationError, OSError):  # incomplete in the cache, or not an id
        return None
