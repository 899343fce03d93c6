"""The web server: the HTTP API and the Gradio app on one FastAPI application."""

from __future__ import annotations

from mentor.deps import Deps
from mentor.errors import ConfigError


def parse_auth(spec: str | None) -> list[tuple[str, str]] | None:
    if not spec:
        return None
    pairs = []
    for item in spec.split(","):
        user, sep, password = item.strip().partition(":")
        if not sep or not user or not password:
            raise ConfigError("MENTOR_AUTH must be user:password[,user:password]")
        pairs.append((user, password))
    return pairs


def create_app(deps: Deps):
    import gradio as gr

    from mentor.api import create_api
    from mentor.ui import build_ui

    app = create_api(deps)
    return gr.mount_gradio_app(app, build_ui(deps), path="/", auth=parse_auth(deps.settings.auth))


def serve(deps: Deps) -> None:
    import uvicorn

    deps.retriever.search("warm up", k=1)  # load the index and the vector store before the first request
    print(f"mentor: {deps.llm.describe()} ({deps.llm.reason})")
    print(f"mentor: open http://{deps.settings.host}:{deps.settings.port}/ (API docs at /docs)")
    uvicorn.run(create_app(deps), host=deps.settings.host, port=deps.settings.port, log_level="warning")
