"""The HTTP API (FastAPI): the same engine as the CLI, as JSON over HTTP.

    GET  /api/health              mode, index state, counts
    POST /api/ask                 {"message", "user"} -> the same JSON as `mentor ask --json`
    GET  /api/next?user=&goal=    next steps
    GET  /api/progress?user=      statuses
    POST /api/progress            {"user", "topic", "status"} or {"user", "undo": true}
    POST /api/plan                {"user", "hours_per_week", "weeks"?, "goal"?}
    GET  /api/search?q=&k=        ranked passages

Bad input is a 4xx whose JSON body has an "error" message, never a 500 with a traceback:
422 for malformed JSON or a field out of its documented range (NaN, Infinity and lone UTF-16
surrogates included; the offending input is never echoed back), 400 for what the mentor
refuses, 404 for unknown topics, 413 for a body over MAX_BODY_BYTES (declared or chunked).
A missing or damaged index is the server's state, not the request's: 503 with a message
naming `mentor ingest --force`; `/api/health` names the build being served.
With MENTOR_AUTH set, learner routes need HTTP Basic credentials of an account (401), and the
account is the learner (403 for another's data); without it, the OpenAPI declares no security.
The OpenAPI description documents every one of these answers. Conversations are kept per
learner in memory, so follow-ups work across requests.
"""

import json
import threading
from collections import OrderedDict
from typing import Annotated

from fastapi import Depends, HTTPException, Query
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import AfterValidator, BaseModel, Field

from mentor.config import MAX_QUERY_CHARS
from mentor.learning.curriculum import UnknownTopic
from mentor.deps import Deps
from mentor.errors import IndexDamaged, IndexMismatch, IndexMissing, MentorError

MAX_CONVERSATIONS = 500
# Every valid request fits: the longest message (20,000 characters) written as JSON escapes of
# surrogate pairs ("\ud83d\ude00", 12 bytes a character) is 240,000 bytes.
MAX_BODY_BYTES = 256 * 1024
MAX_QUERY_PARAM = 2 * MAX_QUERY_CHARS  # longer than what is searched: truncated with a notice
SIGN_IN = "sign in with a MENTOR_AUTH account (HTTP Basic)"


def _whole_characters(text: str) -> str:
    """A lone UTF-16 surrogate (JSON "\\ud800") is no character: nothing downstream (the
    database, the answer, the JSON reply) can store or encode it, so it is refused here."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a lone UTF-16 surrogate, which is not a character") from None
    return text


Text = Annotated[str, AfterValidator(_whole_characters)]
LEARNER_HELP = "the learner: 1-64 letters, digits and . _ @ - (with MENTOR_AUTH: 'me' or your own account)"
# mentor.learning.progress.check_learner's rule, for the OpenAPI description: a name against it is
# refused by check_learner (400), so it is documented here but not enforced by pydantic (422).
LEARNER_DOC = {"pattern": r"^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$"}


def learner_field():
    return Field(default="me", min_length=1, max_length=64, description=LEARNER_HELP, json_schema_extra=LEARNER_DOC)


class AskIn(BaseModel):
    message: Text = Field(min_length=1, max_length=20_000, description="not blank")
    user: Text = learner_field()


class ProgressIn(BaseModel):
    user: Text = learner_field()
    topic: Text | None = Field(default=None, max_length=200, description="a topic id or title")
    status: Text | None = Field(default=None, max_length=20, description="done, learning, skipped or not_started")
    undo: bool = False


class PlanIn(BaseModel):
    user: Text = learner_field()
    hours_per_week: float = Field(ge=0.5, le=100, allow_inf_nan=False)  # what mentor.learning.plan.make_plan enforces
    weeks: int | None = Field(default=None, ge=1, le=520)
    goal: Text | None = Field(default=None, max_length=200, description="a topic id or title")


class ErrorOut(BaseModel):
    error: str = Field(description="what went wrong, for a person")


class TopicBrief(BaseModel):
    id: str
    title: str


class UnknownTopicOut(ErrorOut):
    suggestions: list[TopicBrief]


class SignInOut(ErrorOut):
    detail: str


class FieldProblem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class InvalidOut(ErrorOut):
    detail: list[FieldProblem]


ERRORS = {
    400: (ErrorOut, "refused: a blank message or query, a learner name that is not allowed, "
                    "an unknown status, a progress change without topic and status"),
    401: (SignInOut, "MENTOR_AUTH is set and the request lacks valid HTTP Basic credentials"),
    403: (SignInOut, "signed in, but asking for another learner's data"),
    404: (UnknownTopicOut, "no topic matches the text; close matches are suggested"),
    413: (ErrorOut, f"the request body is over {MAX_BODY_BYTES} bytes"),
    422: (InvalidOut, "malformed JSON, or a field missing, of the wrong type or out of range"),
}


def error_docs(*codes: int) -> dict:
    """OpenAPI `responses` for these error codes."""
    docs = {code: {"model": ERRORS[code][0], "description": ERRORS[code][1]} for code in codes}
    if 401 in docs:
        docs[401]["headers"] = {"WWW-Authenticate": {"description": "Basic", "schema": {"type": "string"}}}
    return docs


def error_response(status: int, body: dict, headers: dict | None = None):
    """An error as JSON written with ASCII escapes, so no text in a message can make the
    reply unencodable."""
    from starlette.responses import Response

    return Response(json.dumps(body, ensure_ascii=True, allow_nan=False), status_code=status,
                    headers=headers, media_type="application/json")


def field_problems(errors) -> list[dict]:
    """Validation errors without the offending input (NaN or a lone surrogate cannot be
    written back as JSON, and echoing input is needless)."""
    return [{"loc": [p if isinstance(p, int) else str(p) for p in e["loc"]], "msg": str(e["msg"]),
             "type": str(e["type"])} for e in errors]


def summary(problems: list[dict]) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in problems)


class BodyLimit:
    """ASGI middleware: a request under `prefix` whose body is over `limit` bytes gets a 413
    before any route reads it, whether the size is declared (Content-Length) or only seen while
    streaming (chunked). Bodies under the limit are read here and handed on unchanged."""

    def __init__(self, app, limit: int = MAX_BODY_BYTES, prefix: str = "/api/"):
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
        response = error_response(413, {"error": f"the request body is over {self.limit} bytes"},
                                  headers={"Connection": "close"})
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


class Conversations:
    """One conversation per learner, the least recently used dropped first."""

    def __init__(self, deps: Deps):
        self.deps = deps
        self._items: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, user: str):
        from mentor.assistant.conversation import Conversation

        with self._lock:
            if user not in self._items:
                self._items[user] = Conversation(self.deps, user)
                while len(self._items) > MAX_CONVERSATIONS:
                    self._items.popitem(last=False)
            self._items.move_to_end(user)
            return self._items[user]


def answer_concurrency(deps: Deps) -> int:
    """How many answers are computed at once. Offline and local-model answers are CPU-bound
    Python: more threads than cores only contend for the GIL, so extra requests wait in
    arrival order (FIFO) instead, which keeps the slowest answers fast under load
    (`benchmarks/load.py`). An OpenAI-compatible server does the work elsewhere, so many
    requests can wait on it at once."""
    if deps.settings.concurrency > 0:
        return deps.settings.concurrency
    return 16 if deps.llm.spec.startswith("openai-like:") else 2


def sign_in(accounts):
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
    from mentor.learning.progress import check_learner

    if account is None:
        return check_learner(user or "me")
    if user not in (None, "me", account):
        raise HTTPException(403, f"signed in as {account!r}: you can only act for yourself")
    return check_learner(account)


def add_error_handlers(api) -> None:
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException as StarletteHTTPException

    @api.exception_handler(UnknownTopic)
    async def unknown_topic(request, exc: UnknownTopic):
        return error_response(404, {"error": str(exc), "suggestions": [t.brief() for t in exc.suggestions]})

    @api.exception_handler(MentorError)
    async def mentor_error(request, exc: MentorError):
        # a missing or damaged index is the server's state, not the request's fault
        status = 503 if isinstance(exc, (IndexMissing, IndexMismatch, IndexDamaged)) else 400
        return error_response(status, {"error": str(exc)})

    @api.exception_handler(RequestValidationError)
    async def invalid(request, exc: RequestValidationError):
        problems = field_problems(exc.errors())
        return error_response(422, {"error": summary(problems), "detail": problems})

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request, exc: StarletteHTTPException):
        return error_response(exc.status_code, {"error": str(exc.detail), "detail": exc.detail}, exc.headers)


def create_api(deps: Deps):
    import anyio
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    from mentor.cli.learn import next_payload, plan_payload
    from mentor.learning.progress import parse_status
    from mentor.web.server import Accounts, parse_auth

    accounts = Accounts(parse_auth(deps.settings.auth) or [])
    account_of = sign_in(accounts)
    Account = Annotated[str | None, Depends(account_of)]

    def errors(*codes: int, acts_for_learner: bool = True) -> dict:
        signed = (401, 403) if acts_for_learner else (401,)
        return error_docs(*codes, *(signed if accounts else ()))

    api = FastAPI(title="mentor", version="0.1.0",
                  description="A learning mentor for ML engineers: grounded answers, next steps, plans. "
                              + ("Learner routes need HTTP Basic credentials of a MENTOR_AUTH account."
                                 if accounts else "No sign-in: MENTOR_AUTH is not set."))
    api.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    add_error_handlers(api)
    conversations = Conversations(deps)

    @api.get("/api/health")
    def health():
        state = deps.index_freshness()  # the build this server is serving, checked
        return {"status": "ok", "mode": deps.llm.mode, "llm": deps.llm.describe(), "index": state.state,
                "index_message": state.message, "index_build": getattr(state, "build_id", None),
                "topics": len(deps.curriculum.topics)}

    limiter = anyio.CapacityLimiter(answer_concurrency(deps))

    @api.post("/api/ask", responses=errors(400, 413, 422))
    async def ask(body: AskIn, account: Account):
        conversation = conversations.get(learner_for(body.user, account))

        def answer():
            with conversation.lock:  # one learner's turns are answered in order
                return conversation.ask(body.message).to_dict()

        return JSONResponse(await anyio.to_thread.run_sync(answer, limiter=limiter))

    User = Annotated[Text, Query(min_length=1, max_length=64, description=LEARNER_HELP, json_schema_extra=LEARNER_DOC)]

    @api.get("/api/next", responses=errors(400, 404, 422))
    def next_steps(account: Account, user: User = "me",
                   goal: Annotated[Text | None, Query(max_length=200)] = None):
        return next_payload(deps, learner_for(user, account), goal)

    @api.get("/api/progress", responses=errors(400, 422))
    def progress(account: Account, user: User = "me"):
        from mentor.learning.transfer import export_json

        user = learner_for(user, account)
        return json.loads(export_json(user, deps.curriculum, deps.progress.state(user)))

    @api.post("/api/progress", responses=errors(400, 404, 413, 422))
    def set_progress(body: ProgressIn, account: Account):
        user = learner_for(body.user, account)
        if body.undo:
            undone = deps.progress.undo(user)
            return {"undone": None if undone is None else {"topic": undone[0].topic, "status": undone[1].status}}
        if not body.topic or not body.status:
            raise MentorError("give a topic and a status (done, learning, skipped, not_started), or undo: true")
        topic = deps.curriculum.resolve(body.topic)
        event = deps.progress.record(user, topic.id, parse_status(body.status), origin="typed")
        return {"topic": topic.brief(), "status": event.status, "updated_at": event.created_at}

    @api.post("/api/plan", responses=errors(400, 404, 413, 422))
    def plan(body: PlanIn, account: Account):
        return plan_payload(deps, learner_for(body.user, account), body.hours_per_week, body.weeks, body.goal)

    @api.get("/api/search", responses=errors(400, 422, acts_for_learner=False))
    def search(account: Account, q: Annotated[Text, Query(min_length=1, max_length=MAX_QUERY_PARAM)],
               k: Annotated[int, Query(ge=1, le=50)] = 5):
        result = deps.retriever.search(q, k=k)
        return {"query": result.query, "notices": result.notices, "hits": [h.to_dict() for h in result.hits]}

    return api
