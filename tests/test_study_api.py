"""Quiz and review routes against real uvicorn servers on 127.0.0.1: answers withheld until
answered, a passed check applied through the proposal route, 4xx for bad input, and a quiz made
by one server graded by another over the same database (two API workers)."""

import httpx
import pytest
from conftest import running
from test_quiz import share_corpus

from mentor.deps import Deps
from mentor.learning.quiz.session import bank as question_bank
from mentor.web.api import create_api


@pytest.fixture
def server(offline_deps):
    with running(create_api(offline_deps)) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client


def _answer(client, quiz, question, option, user="ana", **extra):
    return client.post(f"/api/quiz/{quiz}/answer", json={"user": user, "question": question, "option": option, **extra})


def test_quiz_pass_apply_and_review(server, offline_deps):
    made = server.post("/api/quiz", json={"user": "ana", "topic": "numpy", "n": 20})
    assert made.status_code == 200
    data = made.json()
    assert set(data) == {"quiz", "questions"}
    for q in data["questions"]:
        assert set(q) == {"id", "topic", "question", "options", "citation"}  # no answer before answering
        assert set(q["citation"]) == {"chunk_id", "title", "section", "lines"}
    right = {q.id: q.answer for q in question_bank(offline_deps)}
    replies = [_answer(server, data["quiz"], q["id"], right[q["id"]]).json() for q in data["questions"]]
    assert all(r["correct"] for r in replies) and replies[0]["citation"]["quote"] in replies[0]["passage"]
    proposal = replies[-1]["proposal"]
    assert proposal["topic"] == "numpy" and proposal["status"] == "done"
    assert server.get("/api/review", params={"user": "ana"}).json() == {"due": []}
    assert server.post(f"/api/proposals/{proposal['id']}/apply", json={"user": "ana"}).json()["applied"]
    assert offline_deps.progress.statuses("ana") == {"numpy": "done"}


def test_bad_answers_are_4xx(server):
    data = server.post("/api/quiz", json={"user": "bo", "topic": "sql", "n": 2}).json()
    quiz, q = data["quiz"], data["questions"][0]
    assert _answer(server, quiz, q["id"], len(q["options"]), user="bo").status_code == 400
    assert _answer(server, quiz, q["id"], -1, user="bo").status_code == 422
    assert server.post(f"/api/quiz/{quiz}/answer", json={"user": "bo", "question": q["id"]}).status_code == 400
    assert _answer(server, quiz, q["id"], 0, user="bo", text="numpy").status_code == 400
    assert _answer(server, quiz, q["id"], 0, user="bo").status_code == 200
    again = _answer(server, quiz, q["id"], 1, user="bo")
    assert again.status_code == 409 and "already answered" in again.json()["error"]
    assert _answer(server, "nosuchquiz", q["id"], 0, user="bo").status_code == 404
    assert _answer(server, quiz, q["id"], 0, user="eve").status_code == 404  # another learner's quiz
    assert _answer(server, quiz, "nosuchquestion", 0, user="bo").status_code == 404
    assert server.post(
        "/api/quiz/..%2F..%2Fx/answer", json={"user": "bo", "question": "a", "option": 0}
    ).status_code in (
        404,
        422,
    )
    assert server.post("/api/quiz", json={"user": "bo", "topic": "the capital of france"}).status_code == 404
    assert server.post("/api/quiz", json={"user": "bo", "n": 0}).status_code == 422
    assert server.post("/api/quiz", json={"user": "a b"}).status_code == 400
    text_without_llm = server.post(f"/api/quiz/{quiz}/answer", json={"user": "bo", "question": q["id"], "text": "x"})
    assert text_without_llm.status_code in (400, 409)


def test_a_second_worker_grades_a_quiz_the_first_made(offline_deps):
    other = share_corpus(Deps(offline_deps.settings), offline_deps)
    with running(create_api(offline_deps)) as first, running(create_api(other)) as second:
        data = httpx.post(f"{first}/api/quiz", json={"user": "cy", "topic": "sql", "n": 2}, timeout=60).json()
        q = data["questions"][0]
        reply = httpx.post(
            f"{second}/api/quiz/{data['quiz']}/answer",
            json={"user": "cy", "question": q["id"], "option": 0},
            timeout=60,
        )
        assert reply.status_code == 200 and set(reply.json()) >= {"correct", "answer", "citation", "passage", "topic"}
