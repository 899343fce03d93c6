"""Settings: read once from `MENTOR_*` variables (and CLI flags), then passed down.

Also the environment that keeps third-party libraries off the network, applied by the entry
points before any heavy import. Nothing else in the package reads the environment.

A bad value is a ConfigError naming its variable (or flag), never a pydantic traceback; files a
person names on the command line are read through `read_text_file`, which never blocks.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mentor.errors import ConfigError, UsageError

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
    embed: str = Field(default="auto", description="embedding backend: auto | lsa | sentence-transformers:<id or path>")
    user: str = Field(default="me", description="learner name used when --user is not given")
    db: str | None = Field(default=None, description="SQLAlchemy URL for progress (default: SQLite in MENTOR_HOME)")
    chroma_url: str | None = Field(
        default=None, description="Chroma server http(s)://host:port for the vectors (default: embedded, in the index)"
    )
    llm: str = Field(
        default="auto", description="LLM: auto | none | openai-like:<url>[#model] | transformers:<id or path>"
    )
    llm_api_key: str | None = Field(default=None, description="API key for openai-like servers")
    judge: str | None = Field(
        default=None,
        description="judge LLM for `mentor eval --suite judge`: openai-like:<url>[#model] | transformers:<id or path>",
    )
    llm_timeout: float = Field(default=120.0, gt=0, allow_inf_nan=False, description="seconds to wait for the LLM")
    llm_connect_timeout: float = Field(
        default=10.0,
        gt=0,
        allow_inf_nan=False,
        description="seconds to wait for an openai-like server to accept a connection",
    )
    llm_tools: Literal["auto", "yes", "no"] = Field(
        default="auto",
        description="openai-like server takes tool calls: yes | no (ReAct agent) | auto (try, ReAct if refused)",
    )
    llm_context: int = Field(
        default=8192, ge=1024, le=10_000_000, description="context window of the openai-like model, in tokens"
    )
    host: str = Field(default="127.0.0.1", description="web app / API host")
    port: int = Field(default=7860, ge=1, le=65535, description="web app / API port")
    auth: str | None = Field(default=None, description="optional web login: user:password[,user:password]")
    concurrency: int = Field(
        default=0,
        ge=0,
        le=256,
        description="answers computed at once by the server (0: 2 offline or local model, 16 for an openai-like server)",  # noqa: E501
    )
    rerank: str = Field(default="none", description="reranker: none | cross-encoder:<id or path>")
    fusion: str = Field(default="calibrated", description="hybrid fusion: calibrated | rrf | weighted")
    hf_cache: Path = Field(default_factory=lambda: _default_hf_cache(), description="Hugging Face hub cache")

    @field_validator("index_dir", "home", "corpus_dir")
    @classmethod
    def _not_a_file(cls, path: Path) -> Path:
        if path.exists() and not path.is_dir():
            raise ValueError("is a file, not a folder")
        return path

    @field_validator("chroma_url")
    @classmethod
    def _server_url(cls, url: str | None) -> str | None:
        """http(s)://host:port, normalised (lower-case, no trailing slash); empty: embedded."""
        return chroma_server_url(url)

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    def with_overrides(self, **values) -> "Settings":
        """A copy with CLI flags applied (None means 'not given'), validated like the variables;
        a bad value is a ConfigError naming its flag."""
        given = {k: v for k, v in values.items() if v is not None}
        if not given:
            return self.model_copy()
        try:
            return self.model_validate({**self.model_dump(), **given})
        except ValidationError as exc:
            raise ConfigError(describe_invalid(exc, lambda name: "--" + name.replace("_", "-"))) from None


def chroma_server_url(url: str | None) -> str | None:
    from urllib.parse import urlsplit

    if url is None or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        port = parts = None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or not port
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise ValueError("must be http://host:port or https://host:port (a Chroma server)")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme.lower()}://{host.lower()}:{port}"


def load_settings(**flags) -> Settings:
    """The settings of a command: MENTOR_* variables, then its flags (None: not given). A value
    that cannot be used is a ConfigError naming its variable or flag, never a ValidationError."""
    try:
        settings = Settings()
    except ValidationError as exc:
        raise ConfigError(describe_invalid(exc, lambda name: f"MENTOR_{name.upper()}")) from None
    return settings.with_overrides(**flags)


EXPECTED = {  # what a bad value should have been, by setting
    "port": "an integer between 1 and 65535",
    "concurrency": "an integer between 0 and 256",
    "llm_timeout": "a number of seconds greater than 0",
    "llm_connect_timeout": "a number of seconds greater than 0",
    "llm_tools": "auto, yes or no",
    "llm_context": "an integer number of tokens between 1024 and 10000000",
}


def describe_invalid(exc: ValidationError, label) -> str:
    """One line for every bad value: 'MENTOR_PORT: must be ... (got 'abc')'."""
    parts = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "settings"
        if error["type"] == "value_error":
            why = str(error["ctx"]["error"])
        else:
            why = f"must be {EXPECTED[name]}" if name in EXPECTED else error["msg"].lower()
        parts.append(f"{label(name)}: {why} (got {str(error['input'])[:100]!r})")
    return "; ".join(parts)


def ensure_folder(path: Path, setting: str) -> Path:
    """Create a folder the settings name (MENTOR_HOME, MENTOR_INDEX_DIR); a refusal names the setting."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{setting}: cannot create the folder {path} ({exc.strerror or exc})") from None
    return path


# --- files a person names ---------------------------------------------------------------------


def read_text_file(path: Path, limit: int, what: str) -> str:
    """The UTF-8 text of a file given on the command line (an import, a dataset, a queries file).
    Only a regular file is read, and at most `limit` bytes: a folder, a FIFO or a device such as
    /dev/zero is refused without blocking; so is a larger file, a binary one or non-UTF-8 text."""
    label = f"{what} {path}"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # never waits for a FIFO's writer
    except OSError as exc:
        raise UsageError(f"cannot read {label}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UsageError(f"{label} is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise UsageError(f"{label} is not a regular file (a pipe or a device?)")
        data = _read_at_most(fd, limit + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {label}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise UsageError(f"{label} is larger than {limit / 1_000_000:g} MB")
    if b"\0" in data:
        raise UsageError(f"{label} is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{label} is not UTF-8 text (byte {exc.start})") from None


def _read_at_most(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


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
    tiktoken = _llama_index_tiktoken_cache()
    if tiktoken:
        env.setdefault("TIKTOKEN_CACHE_DIR", tiktoken)


def apply_temp_env(settings: Settings, environ: dict | None = None) -> Path:
    """Point the web page's temporary files (Gradio's folder, GRADIO_TEMP_DIR: its cache, the plan
    files learners download) into MENTOR_HOME. Call it before gradio is imported (some of its
    modules read the variable then); a value already set wins, like `apply_offline_env`'s."""
    env = os.environ if environ is None else environ
    env.setdefault("GRADIO_TEMP_DIR", str(Path(settings.home).resolve() / "gradio-tmp"))
    return Path(env["GRADIO_TEMP_DIR"])


def _llama_index_tiktoken_cache() -> str | None:
    """llama-index-core ships tiktoken encodings; pointing tiktoken there avoids downloads.
    Located without importing llama_index."""
    import importlib.util

    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "_static" / "tiktoken_cache"
    return str(path) if path.is_dir() else None
