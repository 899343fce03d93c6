"""The HTTP API (FastAPI): the same engine as the CLI, as JSON over HTTP.

    GET  /api/health              mode, index state, counts
    POST /api/ask                 {"message", "user"} -> the same JSON as `mentor ask --json`
    GET  /api/next?user=&goal=    next steps
    GET  /api/progress?user=      statuses
    POST /api/progress            {"user", "topic", "status"} or {"user", "undo": true}
    POST /api/plan                {"user", "hours_per_week", "weeks"?, "goal"?}
    GET  /api/search?q=&k=        ranked passages

Bad input is a 4xx with a message (FastAPI's 422 for malformed JSON or fields, 400 for what
the mentor refuses, 404 for unknown topics), never a 500 with a traceback. Conversations are
kept per learner in memory, so follow-ups work across requests.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

from pydantic import BaseModel, Field

from mentor.curriculum import UnknownTopic
from mentor.deps import Deps
from mentor.errors import MentorError

MAX_CONVERSATIONS = 500


class AskIn(BaseModel):
    message: str = Field(min_length=1, max_length=20_000)
    user: str = Field(default="me", min_length=1, max_length=64)


class ProgressIn(BaseModel):
    user: str = Field(default="me", min_length=1, max_length=64)
    topic: str | None = Field(default=None, max_length=200)
    status: str | None = Field(default=None, max_length=20)
    undo: bool = False


class PlanIn(BaseModel):
    user: str = Field(default="me", min_length=1, max_length=64)
    hours_per_week: float = Field(gt=0, le=100)
    weeks: int | None = Field(default=None, ge=1, le=520)
    goal: str | None = Field(default=None, max_length=200)


class Conversations:
    """One conversation per learner, the least recently used dropped first."""

    def __init__(self, deps: Deps):
        self.deps = deps
        self._items: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, user: str):
        from mentor.conversation import Conversation

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


def create_api(deps: Deps):
    import anyio
    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse

    from mentor.cli_learn import next_payload, plan_payload
    from mentor.progress import check_learner, parse_status

    import secrets

    from fastapi import Depends, HTTPException
    from fastapi.security import HTTPBasic, HTTPBasicCredentials

    from mentor.web import parse_auth

    accounts = dict(parse_auth(deps.settings.auth) or [])
    basic = HTTPBasic(auto_error=False)

    def signed_in(credentials: HTTPBasicCredentials | None = Depends(basic)) -> str | None:
        """With MENTOR_AUTH set, every learner route needs HTTP Basic credentials of one of
        its accounts, and the account is the learner: asking for another's data is a 403."""
        if not accounts:
            return None
        if credentials is None or not secrets.compare_digest(
                accounts.get(credentials.username, "\0").encode(), credentials.password.encode()):
            raise HTTPException(401, "sign in with a MENTOR_AUTH account (HTTP Basic)",
                                headers={"WWW-Authenticate": "Basic"})
        return credentials.username

    def learner_for(user: str | None, account: str | None) -> str:
        if account is None:
            return check_learner(user or "me")
        if user not in (None, "me", account):
            raise HTTPException(403, f"signed in as {account!r}: you can only act for yourself")
        return check_learner(account)

    api = FastAPI(title="mentor", version="0.1.0",
                  description="A learning mentor for ML engineers: grounded answers, next steps, plans. "
                              "With MENTOR_AUTH set, learner routes need HTTP Basic credentials.")
    conversations = Conversations(deps)

    @api.exception_handler(UnknownTopic)
    async def unknown_topic(request: Request, exc: UnknownTopic):
        return JSONResponse(status_code=404, content={"error": str(exc),
                                                      "suggestions": [t.brief() for t in exc.suggestions]})

    @api.exception_handler(MentorError)
    async def mentor_error(request: Request, exc: MentorError):
        return JSONResponse(status_code=400, content={"error": str(exc)})

    @api.get("/api/health")
    def health():
        from mentor.index import freshness

        state = freshness(deps.settings)
        return {"status": "ok", "mode": deps.llm.mode, "llm": deps.llm.describe(), "index": state.state,
                "index_message": state.message, "topics": len(deps.curriculum.topics)}

    limiter = anyio.CapacityLimiter(answer_concurrency(deps))

    @api.post("/api/ask")
    async def ask(body: AskIn, account: str | None = Depends(signed_in)):
        conversation = conversations.get(learner_for(body.user, account))

        def answer():
            with conversation.lock:  # one learner's turns are answered in order
                return conversation.ask(body.message).to_dict()

        return JSONResponse(await anyio.to_thread.run_sync(answer, limiter=limiter))

    @api.get("/api/next")
    def next_steps(user: str = "me", goal: str | None = None, account: str | None = Depends(signed_in)):
        return next_payload(deps, learner_for(user, account), goal)

    @api.get("/api/progress")
    def progress(user: str = "me", account: str | None = Depends(signed_in)):
        from mentor.progress_files import export_json

        user = learner_for(user, account)
        return json.loads(export_json(user, deps.curriculum, deps.progress.state(user)))

    @api.post("/api/progress")
    def set_progress(body: ProgressIn, account: str | None = Depends(signed_in)):
        user = learner_for(body.user, account)
        if body.undo:
            undone = deps.progress.undo(user)
            return {"undone": None if undone is None else {"topic": undone[0].topic, "status": undone[1].status}}
        if not body.topic or not body.status:
            raise MentorError("give a topic and a status (done, learning, skipped, not_started), or undo: true")
        topic = deps.curriculum.resolve(body.topic)
        event = deps.progress.record(user, topic.id, parse_status(body.status), origin="typed")
        return {"topic": topic.brief(), "status": event.status, "updated_at": event.created_at}

    @api.post("/api/plan")
    def plan(body: PlanIn, account: str | None = Depends(signed_in)):
        return plan_payload(deps, learner_for(body.user, account), body.hours_per_week, body.weeks, body.goal)

    @api.get("/api/search")
    def search(q: str, k: int = 5, account: str | None = Depends(signed_in)):
        result = deps.retriever.search(q, k=k)
        return {"query": result.query, "notices": result.notices, "hits": [h.to_dict() for h in result.hits]}

    return api
