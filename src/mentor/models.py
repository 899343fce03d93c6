"""`mentor models pull`: download model weights into MENTOR_HOME/models while online.

Everything else in mentor only ever reads local weights; this is the one place that asks the
Hugging Face Hub for files, and only when a person runs it.
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
        raise MentorError(f"could not download {ref}: {type(exc).__name__}: {str(exc)[:200]}. "
                          "Is this machine online? mentor works without it (MENTOR_EMBED=lsa).") from exc
    return target
