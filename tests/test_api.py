"""The HTTP API against a real uvicorn server on a free 127.0.0.1 port."""

import httpx
import pytest
from conftest import running

from mentor.web.api import create_api


@pytest.fixture
def server(offline_deps):
    with running(create_api(offline_deps)) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


def test_health(server):
    data = server.get("/api/health").json()
    assert data["status"] == "ok" and data["mode"] == "offline" and data["index"] == "fresh" and data["topics"] >= 60


def test_ask_matches_the_cli_shape(server):
    r = server.post("/api/ask", json={"message": "What do I need before transformers?", "user": "ana"})
    data = r.json()
    assert r.status_code == 200 and set(data) >= {"answer", "citations", "tool_calls", "mode"}
    assert data["citations"] and set(data["citations"][0]) >= {"n", "chunk_id", "doc", "section", "lines", "quote"}
    follow = server.post("/api/ask", json={"message": "and what about its prerequisites?", "user": "ana"}).json()
    assert follow["tool_calls"][0]["args"] == {"topic": "transformers"}  # the conversation is kept per learner


def test_progress_round_trip_and_next(server):
    assert server.get("/api/progress", params={"user": "bo"}).json() == {"user": "bo", "topics": []}
    r = server.post("/api/progress", json={"user": "bo", "topic": "python", "status": "done"})
    assert r.status_code == 200 and r.json()["topic"]["id"] == "python-basics"
    topics = server.get("/api/progress", params={"user": "bo"}).json()["topics"]
    assert [(t["id"], t["status"]) for t in topics] == [("python-basics", "done")]
    nxt = server.get("/api/next", params={"user": "bo"}).json()
    assert "python-basics" not in [t["id"] for t in nxt["topics"]]
    undone = server.post("/api/progress", json={"user": "bo", "undo": True}).json()
    assert undone["undone"] == {"topic": "python-basics", "status": "not_started"}


def test_chat_proposes_and_the_learner_applies(server, offline_deps):
    asked = server.post("/api/ask", json={"message": "done with numpy, skip linux", "user": "di"}).json()
    proposals = asked["proposals"]
    assert [(p["topic"], p["status"]) for p in proposals] == [("numpy", "done"), ("linux", "skipped")]
    assert set(proposals[0]) >= {"id", "topic", "title", "status", "evidence"} and proposals[0]["title"]
    assert server.get("/api/progress", params={"user": "di"}).json()["topics"] == []  # nothing yet
    assert server.get("/api/proposals", params={"user": "di"}).json()["proposals"] == proposals
    applied = server.post(f"/api/proposals/{proposals[0]['id']}/apply", json={"user": "di"})
    assert applied.status_code == 200 and applied.json()["applied"] is True and applied.json()["status"] == "done"
    dismissed = server.post(f"/api/proposals/{proposals[1]['id']}/dismiss", json={"user": "di"}).json()
    assert dismissed["applied"] is False
    assert offline_deps.progress.statuses("di") == {"numpy": "done"}
    again = server.post(f"/api/proposals/{proposals[0]['id']}/apply", json={"user": "di"})
    assert again.status_code == 409 and "already applied" in again.json()["error"]
    other = server.post(f"/api/proposals/{proposals[1]['id']}/apply", json={"user": "eve"})
    assert other.status_code == 404
    bad = server.post("/api/proposals/..%2F..%2Fetc/apply", json={"user": "di"})
    assert bad.status_code in (404, 422)
    assert server.get("/api/proposals", params={"user": "di"}).json()["proposals"] == []
    assert offline_deps.progress.statuses("di") == {"numpy": "done"}


def test_a_proposal_applied_twice_at_once_is_written_once(server, offline_deps):
    from concurrent.futures import ThreadPoolExecutor

    asked = server.post("/api/ask", json={"message": "I finished git", "user": "fay"}).json()
    url = f"/api/proposals/{asked['proposals'][0]['id']}/apply"
    with ThreadPoolExecutor(8) as pool:
        codes = sorted(pool.map(lambda _: server.post(url, json={"user": "fay"}).status_code, range(8)))
    assert codes == [200] + [409] * 7
    assert len(offline_deps.progress.history("fay")) == 1


def test_plan_and_search(server):
    plan = server.post("/api/plan", json={"user": "cy", "hours_per_week": 8, "weeks": 4}).json()
    assert len(plan["weeks"]) == 4 and plan["unscheduled"]
    hits = server.get("/api/search", params={"q": "pandas playlist", "k": 3}).json()["hits"]
    assert len(hits) == 3 and hits[0]["url"]


@pytest.mark.parametrize(
    "method,path,kwargs,code",
    [
        ("post", "/api/ask", {"content": b"{not json", "headers": {"content-type": "application/json"}}, 422),
        ("post", "/api/ask", {"json": {"user": "ana"}}, 422),
        ("post", "/api/ask", {"json": {"message": "", "user": "ana"}}, 422),
        ("post", "/api/ask", {"json": {"message": "   ", "user": "ana"}}, 400),
        ("post", "/api/ask", {"json": {"message": "hi", "user": "../etc"}}, 400),
        ("post", "/api/progress", {"json": {"user": "ana", "topic": "quantum basket weaving", "status": "done"}}, 404),
        ("post", "/api/progress", {"json": {"user": "ana", "topic": "python", "status": "maybe"}}, 400),
        ("post", "/api/progress", {"json": {"user": "ana"}}, 400),
        ("post", "/api/plan", {"json": {"user": "ana", "hours_per_week": -1}}, 422),
        ("post", "/api/plan", {"json": {"user": "ana", "hours_per_week": 5, "goal": "underwater welding"}}, 404),
        ("get", "/api/search", {"params": {"q": "  "}}, 400),
        ("get", "/api/search", {}, 422),
        ("get", "/api/next", {"params": {"user": "a/b"}}, 400),
    ],
)
def test_bad_inputs_are_4xx_with_a_message(server, method, path, kwargs, code):
    r = getattr(server, method)(path, **kwargs)
    assert r.status_code == code, r.text
    body = r.json()
    assert body.get("error") or body.get("detail")


def test_openapi_schema_is_served(server):
    schema = server.get("/openapi.json").json()
    assert {"/api/health", "/api/ask", "/api/next", "/api/progress", "/api/plan", "/api/search"} <= set(schema["paths"])


# --- MENTOR_AUTH: the whole app (API and web page) behind the accounts, each its own learner ---


@pytest.fixture
def auth_server(offline_deps):
    from mentor.deps import Deps
    from mentor.web.server import create_app

    with running(create_app(Deps(offline_deps.settings.with_overrides(auth="ada:pw-ada,bob:pw-bob")))) as url:
        yield url


def test_with_auth_each_account_is_its_own_learner(auth_server):
    with httpx.Client(base_url=auth_server, timeout=30) as anon:
        assert anon.get("/api/health").status_code == 200  # liveness stays open
        r = anon.post("/api/ask", json={"message": "what next?"})
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Basic"
        assert anon.get("/api/progress", auth=("ada", "wrong")).status_code == 401
        assert anon.get("/api/progress", auth=("eve", "pw-ada")).status_code == 401
    with (
        httpx.Client(base_url=auth_server, timeout=30, auth=("ada", "pw-ada")) as ada,
        httpx.Client(base_url=auth_server, timeout=30, auth=("bob", "pw-bob")) as bob,
    ):
        r = ada.post("/api/progress", json={"topic": "git", "status": "done"})
        assert r.status_code == 200
        assert ada.get("/api/progress").json()["user"] == "ada"
        done = lambda c: {t["id"] for t in c.get("/api/progress").json()["topics"] if t["status"] == "done"}  # noqa: E731
        assert done(ada) == {"git"} and done(bob) == set()
        r = bob.get("/api/progress", params={"user": "ada"})
        assert r.status_code == 403 and "only act for yourself" in r.json()["detail"]
        assert bob.post("/api/ask", json={"message": "what next?", "user": "ada"}).status_code == 403
        assert bob.post("/api/ask", json={"message": "what next?"}).status_code == 200
    with httpx.Client(base_url=auth_server, timeout=30) as page:
        assert page.post("/login", data={"username": "ada", "password": "nope"}).status_code >= 400
        ok = page.post("/login", data={"username": "ada", "password": "pw-ada"})
        assert ok.status_code == 200 and ok.json()["success"] is True
