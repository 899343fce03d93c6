"""Settings: read once from `MENTOR_*` variables (and CLI flags), then passed down.

Also the environment that keeps third-party libraries off the network, applied by the entry
points before any heavy import. Nothing else in the package reads the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]

DEFAULT_ST_MODEL = "BAAI/bge-small-en-v1.5"
DEFAULT_RERANK_MODEL = "cross-encoder/ms-marco-MiniLM-L6-v2"
MAX_QUERY_CHARS = 500


class Settings(BaseSettings):
    """Effective configuration. Relative paths are taken from the current directory;
    the defaults live in the project root."""

    model_config = SettingsConfigDict(env_prefix="MENTOR_", extra="ignore")

    index_dir: Path = Field(default=PROJECT_ROOT / "index", description="built index (Chroma + BM25)")
    home: Path = Field(default=PROJECT_ROOT / "data", description="user data: progress, models")
    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus", description="roadmaps and sources.yaml")
    embed: str = Field(
        default="auto", description="embedding backend: auto | lsa | sentence-transformers:<id or path>"
    )
    user: str = Field(default="me", description="learner name used when --user is not given")
    db: str | None = Field(default=None, description="SQLAlchemy URL for progress (default: SQLite in MENTOR_HOME)")
    llm: str = Field(default="auto", description="LLM: auto | none | openai-like:<url>[#model] | transformers:<id or path>")
    llm_api_key: str | None = Field(default=None, description="API key for openai-like servers")
    judge: str | None = Field(default=None, description="judge LLM for `mentor eval --suite judge`: openai-like:<url>[#model] | transformers:<id or path>")
    llm_timeout: float = Field(default=120.0, description="seconds to wait for the LLM")
    host: str = Field(default="127.0.0.1", description="web app / API host")
    port: int = Field(default=7860, ge=1, le=65535, description="web app / API port")
    auth: str | None = Field(default=None, description="optional web login: user:password[,user:password]")
    concurrency: int = Field(default=0, ge=0, le=256,
                             description="answers computed at once by the server (0: 2 offline or local model, 16 for an openai-like server)")
    rerank: str = Field(default="none", description="reranker: none | cross-encoder:<id or path>")
    fusion: str = Field(default="rrf", description="hybrid fusion: rrf | weighted")
    hf_cache: Path = Field(default_factory=lambda: _default_hf_cache(), description="Hugging Face hub cache")

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    def with_overrides(self, **values) -> "Settings":
        """A copy with CLI flags applied (None means 'not given')."""
        given = {k: v for k, v in values.items() if v is not None}
        return self.model_copy(update=given)


def _default_hf_cache() -> Path:
    """Where huggingface_hub keeps downloaded models (its own variables, read here once)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = os.environ.get("HF_HOME") or os.path.join(os.path.expanduser("~"), ".cache", "huggingface")
    return Path(home) / "hub"


OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "RAGAS_DO_NOT_TRACK": "true",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_env(environ: dict | None = None) -> None:
    """Keep libraries off the network (see shared OFFLINE.md). Values already set win,
    so a person can deliberately go online, e.g. for `mentor models pull`."""
    env = os.environ if environ is None else environ
    for key, value in OFFLINE_ENV.items():
        env.setdefault(key, value)
    env.setdefault("GRADIO_TEMP_DIR", str(PROJECT_ROOT / "data" / "gradio-tmp"))
    tiktoken = _llama_index_tiktoken_cache()
    if tiktoken:
        env.setdefault("TIKTOKEN_CACHE_DIR", tiktoken)


def _llama_index_tiktoken_cache() -> str | None:
    """llama-index-core ships tiktoken encodings; pointing tiktoken there avoids downloads.
    Located without importing llama_index."""
    import importlib.util

    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "_static" / "tiktoken_cache"
    return str(path) if path.is_dir() else None
