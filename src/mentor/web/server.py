"""The web server: the HTTP API and the Gradio page on one FastAPI application, served by
uvicorn. With MENTOR_AUTH, the page's login form checks the same accounts as the API, and the
files written for a learner are served to that learner only.

Not here: the API alone, in one or several worker processes (`workers.py`).

Not here: the routes (`api.py`), the page (`ui.py`), the accounts and the file check (`auth.py`).
"""

from __future__ import annotations

import gradio as gr
import uvicorn

from mentor.deps import Deps
from mentor.web.api import create_api
from mentor.web.auth import OwnFilesOnly, accounts_from
from mentor.web.downloads import learner_files_root
from mentor.web.look import CSS, HEAD
from mentor.web.ui import build_ui


def create_app(deps: Deps):
    accounts = accounts_from(deps.settings)
    files = learner_files_root()
    login = accounts.login if accounts else None
    app = gr.mount_gradio_app(create_api(deps), build_ui(deps, files), path="/", auth=login, css=CSS, head=HEAD)
    if accounts:
        app.add_middleware(OwnFilesOnly, root=files)
    return app


def serve(deps: Deps) -> None:
    """The page and the API in this one process (`mentor serve`)."""
    deps.retriever.search("warm up", k=1)  # load the index and the vector store before the first request
    print(f"mentor: {deps.llm.describe()} ({deps.llm.reason})")
    print(f"mentor: open http://{deps.settings.host}:{deps.settings.port}/ (API docs at /docs)")
    uvicorn.run(create_app(deps), host=deps.settings.host, port=deps.settings.port, log_level="warning")
