"""ASGI plumbing the API and the server's middlewares share: errors as JSON replies that any
text can be written into, and a limit on request bodies applied before any route reads one.

Not here: which errors a route answers (`api.py`) or who may use what (`auth.py`).
"""

from __future__ import annotations

import json

from starlette.responses import Response


def error_response(status: int, body: dict, headers: dict | None = None) -> Response:
    """An error as JSON written with ASCII escapes, so no text in a message can make the
    reply unencodable."""
    return Response(
        json.dumps(body, ensure_ascii=True, allow_nan=False),
        status_code=status,
        headers=headers,
        media_type="application/json",
    )


class BodyLimit:
    """ASGI middleware: a request under `prefix` whose body is over `limit` bytes gets a 413
    before any route reads it, whether the size is declared (Content-Length) or only seen while
    streaming (chunked). Bodies under the limit are read here and handed on unchanged."""

    def __init__(self, app, limit: int, prefix: str = "/api/"):
        self.app, self.limit, self.prefix = app, limit, prefix

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            return await self.app(scope, receive, send)
        if _declared_length(scope) > self.limit:
            return await self._refuse(scope, receive, send)
        body, complete = await self._read(receive)
        if body is None:
            return await self._refuse(scope, receive, send) if complete else None
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive) -> tuple[bytes | None, bool]:
        """(the body, True); (None, True) once it passes the limit; (None, False) if the
        client went away."""
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None, False
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                return None, True
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks), True

    async def _refuse(self, scope, receive, send):
        response = error_response(
            413, {"error": f"the request body is over {self.limit} bytes"}, headers={"Connection": "close"}
        )
        await response(scope, receive, send)


def _declared_length(scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else 0  # the server has refused malformed ones
    return 0


def _replay(body: bytes, receive):
    """A `receive` that gives the already read body once, then waits on the client as usual."""
    given = False

    async def replay():
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
