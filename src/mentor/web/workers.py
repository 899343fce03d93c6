"""`mentor serve --api-only` and `mentor serve --workers N`: the HTTP API without the page (so
without importing gradio), in this process or in N uvicorn worker processes.

The API keeps no state in its process: progress, proposals, profiles and the conversations'
memory are in the database, and the index is read from MENTOR_INDEX_DIR (or the Chroma server),
so any worker can answer any request. Gradio keeps each page session in the process that opened
it, so the page is served by single-process replicas behind a proxy with sticky sessions
(deploy/). Each worker builds its own `Deps` from the MENTOR_* variables, which `serve_api`
sets from its effective settings, flags included.

Not here: the page and the API in one process (`server.py`).
"""

from __future__ import annotations

import os

import uvicorn

from mentor.config import Settings, load_settings
from mentor.deps import Deps
from mentor.web.api import create_api


def serve_api(deps: Deps, workers: int = 1) -> None:
    settings = deps.settings
    where = f"http://{settings.host}:{settings.port}"
    print(f"mentor: {deps.llm.describe()} ({deps.llm.reason})")
    print(f"mentor: the HTTP API on {where}/api/ with {workers} worker process(es); docs at {where}/docs")
    if workers == 1:
        deps.retriever.search("warm up", k=1)
        uvicorn.run(create_api(deps), host=settings.host, port=settings.port, log_level="warning")
        return
    if not settings.chroma_url:
        print(
            "mentor: note: the workers share the embedded vector store, which Chroma documents as not "
            "process-safe; for production set MENTOR_CHROMA_URL to a Chroma server (see deploy/)"
        )
    os.environ.update(settings_environment(settings))
    uvicorn.run(
        "mentor.web.workers:api_from_environment",
        factory=True,
        workers=workers,
        host=settings.host,
        port=settings.port,
        log_level="warning",
    )


def api_from_environment():
    """The API of one worker process (uvicorn's factory), with the database opened and the
    index loaded before the first request."""
    deps = Deps(load_settings())
    deps.progress  # noqa: B018 - a worker that cannot open the database stops at start
    deps.retriever.search("warm up", k=1)
    return create_api(deps)


def settings_environment(settings: Settings) -> dict[str, str]:
    """The MENTOR_* variables that give a worker process these very settings."""
    return {f"MENTOR_{name.upper()}": str(value) for name, value in settings.model_dump().items() if value is not None}
