"""The web server: the HTTP API and the Gradio app on one FastAPI application, and who may use
them. MENTOR_AUTH's accounts sign in to both (one constant-time check for the API's HTTP Basic
and the page's login form), and a plan file written for one learner is served only to them."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from mentor.deps import Deps
from mentor.errors import ConfigError

# Gradio's routes that serve a local file by its path (the second is its deprecated spelling).
GRADIO_FILE_ROUTES = ("/gradio_api/file=", "/gradio_api/file/")


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


class Accounts:
    """MENTOR_AUTH's accounts. A check takes the same time whoever asks: the credentials are
    compared with every account, names and passwords alike, as keyed SHA-256 digests (equal
    lengths, a key drawn at random per process), without a short cut. So neither an unknown
    name nor a password's length shows in the timing, and there is no default password."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self._key = secrets.token_bytes(32)
        self._accounts = [(self._digest(name), self._digest(password), name) for name, password in pairs]

    def _digest(self, text: str) -> bytes:
        return hmac.new(self._key, text.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()

    def check(self, name: str, password: str) -> str | None:
        """The account these credentials sign in to, or None."""
        name_digest, password_digest = self._digest(name), self._digest(password)
        found = None
        for known_name, known_password, account in self._accounts:
            same = hmac.compare_digest(known_name, name_digest) & hmac.compare_digest(known_password, password_digest)
            found = account if same else found
        return found

    def login(self, name: str, password: str) -> bool:
        """Gradio's `auth` callable for the page's login form."""
        return self.check(name, password) is not None

    def __bool__(self) -> bool:
        return bool(self._accounts)


def file_owner(path: str, root: Path) -> str | None:
    """Whose folder under `root` a Gradio file route's URL path points into ("" for `root`
    itself), or None for any other path. The file's path is normalised as Gradio does it."""
    for prefix in GRADIO_FILE_ROUTES:
        if path.startswith(prefix):
            target = Path(os.path.abspath(path[len(prefix):])).resolve()
            if target.is_relative_to(root):
                return (target.relative_to(root).parts or ("",))[0]
    return None


class OwnFilesOnly:
    """ASGI middleware in front of Gradio's file routes: a file in `root` (one folder per
    learner) is served only to the signed-in learner whose folder it is; anyone else gets 403."""

    def __init__(self, app, root: Path):
        self.app, self.root = app, root.resolve()

    async def __call__(self, scope, receive, send):
        owner = file_owner(scope["path"], self.root) if scope["type"] == "http" else None
        if owner is None:
            return await self.app(scope, receive, send)
        user = await signed_in_user(self.app, scope)
        if user is None:
            return await self._refuse(401, "sign in first", scope, receive, send)
        if user != owner:
            return await self._refuse(403, "this file belongs to another learner", scope, receive, send)
        await self.app(scope, receive, send)

    async def _refuse(self, status: int, message: str, scope, receive, send):
        from mentor.web.api import error_response

        await error_response(status, {"error": message})(scope, receive, send)


async def signed_in_user(app, scope) -> str | None:
    """Who Gradio says is signed in on this request: the answer of its own GET /gradio_api/user
    (what its page asks), put to `app` with the request's cookies and nothing else."""
    cookies = [(name, value) for name, value in scope["headers"] if name == b"cookie"]
    question = {**scope, "method": "GET", "path": "/gradio_api/user", "raw_path": b"/gradio_api/user",
                "query_string": b"", "headers": cookies}
    status, body = [], []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await app(question, receive, send)
    return json.loads(b"".join(body)) if status == [200] else None


def create_app(deps: Deps):
    import gradio as gr

    from mentor.web.api import create_api
    from mentor.web.ui import build_ui, plans_folder

    accounts = Accounts(parse_auth(deps.settings.auth) or [])
    app = gr.mount_gradio_app(create_api(deps), build_ui(deps), path="/", auth=accounts.login if accounts else None)
    if accounts:
        app.add_middleware(OwnFilesOnly, root=plans_folder())
    return app


def serve(deps: Deps) -> None:
    import uvicorn

    deps.retriever.search("warm up", k=1)  # load the index and the vector store before the first request
    print(f"mentor: {deps.llm.describe()} ({deps.llm.reason})")
    print(f"mentor: open http://{deps.settings.host}:{deps.settings.port}/ (API docs at /docs)")
    uvicorn.run(create_app(deps), host=deps.settings.host, port=deps.settings.port, log_level="warning")
