"""Who may use the web server: MENTOR_AUTH's accounts, one constant-time check for both the
API's HTTP Basic and the page's login form; which learner a request acts for; and the
middleware that serves a learner's files (plans, graph pictures) to that learner only.

Not here: the routes (`api.py`), the page (`ui.py`), or where the files are written
(`downloads.py`). Without MENTOR_AUTH nobody signs in and any learner name may be used.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from fastapi import Depends, HTTPException
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from mentor.config import Settings
from mentor.errors import ConfigError
from mentor.learning.progress import check_learner
from mentor.web.asgi import error_response

# Gradio's routes that serve a local file by its path (the second is its deprecated spelling).
GRADIO_FILE_ROUTES = ("/gradio_api/file=", "/gradio_api/file/")
SIGN_IN = "sign in with a MENTOR_AUTH account (HTTP Basic)"


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


def accounts_from(settings: Settings) -> Accounts:
    """MENTOR_AUTH's accounts (none when it is not set)."""
    return Accounts(parse_auth(settings.auth) or [])


# --- the API: HTTP Basic --------------------------------------------------------------------


def sign_in(accounts: Accounts):
    """The dependency of every learner route. Without MENTOR_AUTH it gives None and declares no
    security; with it, the signed-in account's name, or a 401."""
    if not accounts:

        def anyone() -> None:
            return None

        return anyone
    basic = HTTPBasic(auto_error=False, description="a MENTOR_AUTH account; the account is the learner")

    def signed_in(credentials: HTTPBasicCredentials | None = Depends(basic)) -> str:
        account = accounts.check(credentials.username, credentials.password) if credentials else None
        if account is None:
            raise HTTPException(401, SIGN_IN, headers={"WWW-Authenticate": "Basic"})
        return account

    return signed_in


def learner_for(user: str | None, account: str | None) -> str:
    """The learner a request acts for: the named one without MENTOR_AUTH, else the account
    (naming another is a 403)."""
    if account is None:
        return check_learner(user or "me")
    if user not in (None, "me", account):
        raise HTTPException(403, f"signed in as {account!r}: you can only act for yourself")
    return check_learner(account)


# --- the page's files: each learner's folder to that learner only ---------------------------


NOBODY = "\0"  # the owner of a path that cannot be resolved: it matches no learner


def file_owner(path: str, root: Path) -> str | None:
    """Whose folder under `root` a Gradio file route's URL path points into ("" for `root`
    itself), or None for any other path. The file's path is normalised as Gradio does it."""
    for prefix in GRADIO_FILE_ROUTES:
        if path.startswith(prefix):
            try:
                target = Path(os.path.abspath(path[len(prefix) :])).resolve()
            except (ValueError, RuntimeError, OSError):  # a NUL byte, a symlink loop: no one's file
                return NOBODY
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
            return await error_response(401, {"error": "sign in first"})(scope, receive, send)
        if user != owner:
            return await error_response(403, {"error": "this file belongs to another learner"})(scope, receive, send)
        await self.app(scope, receive, send)


async def signed_in_user(app, scope) -> str | None:
    """Who Gradio says is signed in on this request: the answer of its own GET /gradio_api/user
    (what its page asks), put to `app` with the request's cookies and nothing else."""
    cookies = [(name, value) for name, value in scope["headers"] if name == b"cookie"]
    question = {
        **scope,
        "method": "GET",
        "path": "/gradio_api/user",
        "raw_path": b"/gradio_api/user",
        "query_string": b"",
        "headers": cookies,
    }
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
