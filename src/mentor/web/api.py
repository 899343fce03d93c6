"""The HTTP API (FastAPI): the same engine as the CLI, as JSON over HTTP.

    GET  /api/health              mode, index state, counts
    POST /api/ask                 {"message", "user"} -> the same JSON as `mentor ask --json`
    GET  /api/next?user=&goal=    next steps
    GET  /api/progress?user=      statuses
    POST /api/progress            {"user", "topic", "status"} or {"user", "undo": true}
    GET  /api/proposals?user=     changes chat proposed, waiting for the learner's confirmation
    POST /api/proposals/{id}/apply    {"user"}: confirm one (the only way chat's proposals are applied)
    POST /api/proposals/{id}/dismiss  {"user"}: turn one down
    POST /api/plan                {"user", "hours_per_week", "weeks"?, "goal"?}
    GET  /api/search?q=&k=        ranked passages

Bad input is a 4xx whose JSON body has an "error" message, never a 500 with a traceback:
422 for malformed JSON or a field out of its documented range (NaN, Infinity and lone UTF-16
surrogates included; the offending input is never echoed back), 400 for what the mentor
refuses and for a body it cannot read at all (not UTF-8, or JSON nested too deeply), 404 for
unknown topics (and proposals), 409 for a proposal already answered or expired, 413 for a body
over MAX_BODY_BYTES (declared or chunked).
A missing or damaged index is the server's state, not the request's: 503 with a message
naming `mentor ingest --force`; `/api/health` names the build being served.
With MENTOR_AUTH set, learner routes need HTTP Basic credentials of an account (401), and the
account is the learner (403 for another's data); without it, the OpenAPI declares no security.
The OpenAPI description documents every one of these answers. Each learner has one
conversation in memory (`deps.conversations`, shared with the page), so follow-ups work across
requests and across the two front ends.

Every route translates the request into a call of `mentor.learning.actions` (or the
conversation, or the retriever) and the typed result into JSON. Not here: any domain rule,
sign-in itself (`auth.py`), the body limit and JSON error replies (`asgi.py`).
"""

from typing import Annotated

import anyio
from fastapi import Depends, FastAPI, Path, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from mentor.config import MAX_QUERY_CHARS
from mentor.deps import Deps
from mentor.errors import (
    MentorError,
    UnknownTopic,
    UsageError,
)
from mentor.learning import actions
from mentor.learning.database import first_line
from mentor.web.asgi import BodyLimit, error_response
from mentor.web.auth import Accounts, accounts_from, learner_for, sign_in
from mentor.web.fields import Text, User, learner_field
from mentor.web.own_api import add_own_routes
from mentor.web.study_api import add_study_routes

# Every valid request fits: the longest message (20,000 characters) written as JSON escapes of
# surrogate pairs ("\ud83d\ude00", 12 bytes a character) is 240,000 bytes.
MAX_BODY_BYTES = 256 * 1024
MAX_QUERY_PARAM = 2 * MAX_QUERY_CHARS  # longer than what is searched: truncated with a notice


class AskIn(BaseModel):
    message: Text = Field(min_length=1, max_length=20_000, description="not blank")
    user: Text = learner_field()


class ProgressIn(BaseModel):
    user: Text = learner_field()
    topic: Text | None = Field(default=None, max_length=200, description="a topic id or title")
    status: Text | None = Field(default=None, max_length=20, description="done, learning, skipped or not_started")
    undo: bool = False


class LearnerIn(BaseModel):
    user: Text = learner_field()


ProposalId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]


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
    400: (
        ErrorOut,
        "refused: a blank message or query, a learner name that is not allowed, "
        "an unknown status, a progress change without topic and status; a body that is not UTF-8 "
        "or is nested too deeply to read",
    ),
    401: (SignInOut, "MENTOR_AUTH is set and the request lacks valid HTTP Basic credentials"),
    403: (SignInOut, "signed in, but asking for another learner's data"),
    404: (UnknownTopicOut, "no topic matches the text; close matches are suggested"),
    "404p": (ErrorOut, "no pending proposal of this learner has that id (unknown, or another learner's)"),
    409: (ErrorOut, "the proposal was already applied or dismissed, has expired, or its undo is stale"),
    413: (ErrorOut, f"the request body is over {MAX_BODY_BYTES} bytes"),
    422: (InvalidOut, "malformed JSON, or a field missing, of the wrong type or out of range"),
}


def error_docs(*codes) -> dict:
    """OpenAPI `responses` for these error codes ("404p": the 404 of the proposal routes)."""
    docs = {int(str(code)[:3]): {"model": ERRORS[code][0], "description": ERRORS[code][1]} for code in codes}
    if 401 in docs:
        docs[401]["headers"] = {"WWW-Authenticate": {"description": "Basic", "schema": {"type": "string"}}}
    return docs


def field_problems(errors) -> list[dict]:
    """Validation errors without the offending input (NaN or a lone surrogate cannot be
    written back as JSON, and echoing input is needless)."""
    return [
        {"loc": [p if isinstance(p, int) else str(p) for p in e["loc"]], "msg": str(e["msg"]), "type": str(e["type"])}
        for e in errors
    ]


def summary(problems: list[dict]) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in problems)


def answer_concurrency(deps: Deps) -> int:
    """How many answers are computed at once. Offline and local-model answers are CPU-bound
    Python: more threads than cores only contend for the GIL, so extra requests wait in
    arrival order (FIFO) instead, which keeps the slowest answers fast under load
    (`benchmarks/load.py`). An OpenAI-compatible server does the work elsewhere, so many
    requests can wait on it at once."""
    if deps.settings.concurrency > 0:
        return deps.settings.concurrency
    return 16 if deps.llm.spec.startswith("openai-like:") else 2


def add_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(MentorError)
    async def mentor_error(request, exc: MentorError):
        # each error carries its status: 400 for what cannot be done, 404 for an unknown topic or
        # id, 409 for what was already answered, 503 for a missing or damaged index (the server's
        # state, not the request's fault)
        body = {"error": str(exc)}
        if isinstance(exc, UnknownTopic):
            body["suggestions"] = [t.brief() for t in exc.suggestions]
        return error_response(exc.http_status, body)

    @api.exception_handler(OperationalError)
    async def database_down(request, exc: OperationalError):
        # the database went away after start-up (a restart, the network): the server's state,
        # said in one line, never a traceback; the client may retry
        reason = first_line(exc.orig) if exc.orig is not None else type(exc).__name__
        return error_response(503, {"error": f"the progress database is not reachable ({reason})"})

    @api.exception_handler(RequestValidationError)
    async def invalid(request, exc: RequestValidationError):
        problems = field_problems(exc.errors())
        return error_response(422, {"error": summary(problems), "detail": problems})

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request, exc: StarletteHTTPException):
        return error_response(exc.status_code, {"error": str(exc.detail), "detail": exc.detail}, exc.headers)


class Guard:
    """Sign-in for the routes: `Account`, the annotation of a route's signed-in account (None
    without MENTOR_AUTH), and `errors`, the error answers a route documents."""

    def __init__(self, accounts: Accounts):
        self.accounts = accounts
        self.Account = Annotated[str | None, Depends(sign_in(accounts))]

    def errors(self, *codes, acts_for_learner: bool = True) -> dict:
        signed = (401, 403) if acts_for_learner else (401,)
        return error_docs(*codes, *(signed if self.accounts else ()))


Goal = Annotated[Text | None, Query(max_length=200)]


def create_api(deps: Deps) -> FastAPI:
    guard = Guard(accounts_from(deps.settings))
    api = FastAPI(title="mentor", version="0.1.0", description=_description(guard.accounts))
    api.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    add_error_handlers(api)
    add_health_route(api, deps)
    add_ask_route(api, deps, guard)
    add_next_route(api, deps, guard)
    add_progress_routes(api, deps, guard)
    add_proposal_routes(api, deps, guard)
    add_plan_route(api, deps, guard)
    add_search_route(api, deps, guard)
    add_study_routes(api, deps, guard)  # quizzes and spaced review
    add_own_routes(api, deps, guard)  # own roadmaps, notes, CSV and iCalendar
    return api


def _description(accounts: Accounts) -> str:
    return "A learning mentor for ML engineers: grounded answers, next steps, plans. " + (
        "Learner routes need HTTP Basic credentials of a MENTOR_AUTH account."
        if accounts
        else "No sign-in: MENTOR_AUTH is not set."
    )


def add_health_route(api: FastAPI, deps: Deps) -> None:
    @api.get("/api/health")
    def health():
        state = deps.index_freshness()  # the build this server is serving, checked
        return {
            "status": "ok",
            "mode": deps.llm.mode,
            "llm": deps.llm.describe(),
            "index": state.state,
            "index_message": state.message,
            "index_build": getattr(state, "build_id", None),
            "topics": len(deps.curriculum.topics),
        }


def add_ask_route(api: FastAPI, deps: Deps, guard: Guard) -> None:
    limiter = anyio.CapacityLimiter(answer_concurrency(deps))

    @api.post("/api/ask", responses=guard.errors(400, 413, 422))
    async def ask(body: AskIn, account: guard.Account):
        # the learner's one conversation, shared with the page: follow-ups work across both
        conversation = deps.conversations.get(learner_for(body.user, account))

        def answer():
            with conversation.lock:  # one learner's turns are answered in order
                return conversation.ask(body.message).to_dict()

        return JSONResponse(await anyio.to_thread.run_sync(answer, limiter=limiter))


def add_next_route(api: FastAPI, deps: Deps, guard: Guard) -> None:
    @api.get("/api/next", responses=guard.errors(400, 404, 422))
    def next_steps(account: guard.Account, user: User = "me", goal: Goal = None):
        return actions.next_steps_for(deps, learner_for(user, account), goal).to_dict()


def add_progress_routes(api: FastAPI, deps: Deps, guard: Guard) -> None:
    @api.get("/api/progress", responses=guard.errors(400, 422))
    def progress(account: guard.Account, user: User = "me"):
        return actions.progress_of(deps, learner_for(user, account)).to_dict()

    @api.post("/api/progress", responses=guard.errors(400, 404, 413, 422))
    def set_progress(body: ProgressIn, account: guard.Account):
        user = learner_for(body.user, account)
        if body.undo:
            undone = actions.undo_last(deps, user)
            return {"undone": None if undone is None else undone.to_dict()}
        if not body.topic or not body.status:
            raise UsageError("give a topic and a status (done, learning, skipped, not_started), or undo: true")
        return actions.set_status(deps, user, body.topic, body.status).to_dict()


def add_proposal_routes(api: FastAPI, deps: Deps, guard: Guard) -> None:
    @api.get("/api/proposals", responses=guard.errors(400, 422))
    def pending(account: guard.Account, user: User = "me"):
        return {"proposals": [p.to_dict() for p in actions.pending_proposals(deps, learner_for(user, account))]}

    @api.post("/api/proposals/{proposal_id}/apply", responses=guard.errors(400, "404p", 409, 413, 422))
    def apply(proposal_id: ProposalId, body: LearnerIn, account: guard.Account):
        return actions.apply_proposal(deps, learner_for(body.user, account), proposal_id).to_dict()

    @api.post("/api/proposals/{proposal_id}/dismiss", responses=guard.errors(400, "404p", 409, 413, 422))
    def dismiss(proposal_id: ProposalId, body: LearnerIn, account: guard.Account):
        return actions.dismiss_proposal(deps, learner_for(body.user, account), proposal_id).to_dict()


def add_plan_route(api: FastAPI, deps: Deps, guard: Guard) -> None:
    @api.post("/api/plan", responses=guard.errors(400, 404, 413, 422))
    def plan(body: PlanIn, account: guard.Account):
        learner = learner_for(body.user, account)
        return actions.study_plan_for(deps, learner, body.hours_per_week, body.weeks, body.goal).to_dict()


def add_search_route(api: FastAPI, deps: Deps, guard: Guard) -> None:
    @api.get("/api/search", responses=guard.errors(400, 422, acts_for_learner=False))
    def search(
        account: guard.Account,
        q: Annotated[Text, Query(min_length=1, max_length=MAX_QUERY_PARAM)],
        k: Annotated[int, Query(ge=1, le=50)] = 5,
    ):
        result = deps.retriever.search(q, k=k)
        return {"query": result.query, "notices": result.notices, "hits": [h.to_dict() for h in result.hits]}
