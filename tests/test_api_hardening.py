"""The HTTP API under hostile input, against a real uvicorn server on 127.0.0.1: sign-in with
MENTOR_AUTH (every learner route, every kind of wrong credential), NaN/Infinity and lone UTF-16
surrogates in JSON, request bodies over the limit (declared and chunked), search bounds, and an
OpenAPI description that says what the server enforces."""

from __future__ import annotations

import base64
import logging

import httpx
import pytest
from conftest import running

from mentor.web.api import MAX_BODY_BYTES, create_api

ACCOUNTS = "ada:pw-ada,bob:pw-bob"

LEARNER_ROUTES = [
    ("post", "/api/ask", {"json": {"message": "what next?"}}),
    ("get", "/api/next", {}),
    ("get", "/api/progress", {}),
    ("post", "/api/progress", {"json": {"topic": "git", "status": "done"}}),
    ("post", "/api/progress", {"json": {"undo": True}}),
    ("post", "/api/plan", {"json": {"hours_per_week": 8, "weeks": 2}}),
    ("get", "/api/search", {"params": {"q": "pandas"}}),
    ("get", "/api/proposals", {}),
]
# answering a proposal needs one: the signed-in tests make their own (a 404 is still signed in)
PROPOSAL_ROUTES = [
    ("post", "/api/proposals/{id}/apply", {"json": {}}),
    ("post", "/api/proposals/{id}/dismiss", {"json": {}}),
]

WRONG_CREDENTIALS = {
    "unknown user, NUL password": ("eve", "\0"),
    "unknown user, a real password": ("eve", "pw-ada"),
    "empty password": ("ada", ""),
    "NUL password": ("ada", "\0"),
    "wrong case username": ("Ada", "pw-ada"),
    "another account's name": ("bob", "pw-ada"),
    "no header": None,
}


def _fresh_client(url: str, **kwargs) -> httpx.Client:
    """No keep-alive: a connection the server drops after an error cannot spoil the next request."""
    return httpx.Client(base_url=url, timeout=30, limits=httpx.Limits(max_keepalive_connections=0), **kwargs)


@pytest.fixture(scope="module")
def auth_deps(lsa_settings, tmp_path_factory):
    from mentor.deps import Deps

    home = tmp_path_factory.mktemp("auth-home")
    return Deps(lsa_settings.with_overrides(home=home, llm="none", auth=ACCOUNTS))


@pytest.fixture(scope="module")
def auth_url(auth_deps):
    with running(create_api(auth_deps)) as url:
        yield url


@pytest.fixture(scope="module")
def open_deps(lsa_settings, tmp_path_factory):
    from mentor.deps import Deps

    return Deps(lsa_settings.with_overrides(home=tmp_path_factory.mktemp("open-home"), llm="none"))


@pytest.fixture(scope="module")
def open_url(open_deps):
    with running(create_api(open_deps)) as url:
        yield url


# --- sign-in -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(WRONG_CREDENTIALS))
def test_wrong_credentials_are_refused_on_every_learner_route(auth_url, auth_deps, case):
    credentials = WRONG_CREDENTIALS[case]
    with _fresh_client(auth_url) as client:
        for method, path, kwargs in LEARNER_ROUTES:
            r = getattr(client, method)(path, auth=credentials, **kwargs)
            assert r.status_code == 401, f"{case}: {method.upper()} {path} -> {r.status_code} {r.text[:200]}"
            assert r.headers["www-authenticate"] == "Basic" and r.json()["error"]
        proposal = auth_deps.proposals.propose("ada", "status", "I finished git", topic="git", status="done")
        for method, path, kwargs in PROPOSAL_ROUTES:
            r = getattr(client, method)(path.format(id=proposal.id), auth=credentials, **kwargs)
            assert r.status_code == 401, f"{case}: {method.upper()} {path} -> {r.status_code} {r.text[:200]}"
        assert [p.id for p in auth_deps.proposals.pending("ada")][-1] == proposal.id  # still waiting
    for learner in ("eve", "Ada", "ada"):  # nothing was written for anybody
        assert auth_deps.progress.statuses(learner) == {}, learner


def test_the_right_credentials_open_every_learner_route(auth_url, auth_deps):
    with _fresh_client(auth_url, auth=("bob", "pw-bob")) as bob:
        for method, path, kwargs in LEARNER_ROUTES:
            r = getattr(bob, method)(path, **kwargs)
            assert r.status_code == 200, f"{method.upper()} {path} -> {r.status_code} {r.text[:200]}"
        for method, path, kwargs in PROPOSAL_ROUTES:
            proposal = auth_deps.proposals.propose("bob", "status", "I finished git", topic="git", status="done")
            r = getattr(bob, method)(path.format(id=proposal.id), **kwargs)
            assert r.status_code == 200, f"{method.upper()} {path} -> {r.status_code} {r.text[:200]}"


def test_a_proposal_of_another_account_is_not_found_and_untouched(auth_url, auth_deps):
    proposal = auth_deps.proposals.propose("ada", "status", "I finished sql", topic="sql", status="done")
    with _fresh_client(auth_url, auth=("bob", "pw-bob")) as bob:
        mine = bob.post(f"/api/proposals/{proposal.id}/apply", json={})
        theirs = bob.post(f"/api/proposals/{proposal.id}/apply", json={"user": "ada"})
    assert mine.status_code == 404 and theirs.status_code == 403
    assert proposal.id in [p.id for p in auth_deps.proposals.pending("ada")]
    assert auth_deps.progress.statuses("ada").get("sql") is None


@pytest.mark.parametrize(
    "header",
    [
        "Basic !!!not-base64",
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Basic " + base64.b64encode("ada:pw-\u00e9".encode()).decode(),
        "Bearer x",
    ],
)
def test_malformed_authorization_headers_are_401_with_a_json_error(auth_url, header):
    with _fresh_client(auth_url) as client:
        r = client.get("/api/progress", headers={"Authorization": header})
    assert r.status_code == 401 and r.json()["error"]


def test_password_check_compares_every_account_and_has_no_default():
    from mentor.web.auth import Accounts

    accounts = Accounts([("ada", "pw-ada"), ("bob", "pw-bob")])
    assert accounts.check("ada", "pw-ada") == "ada" and accounts.check("bob", "pw-bob") == "bob"
    for name, password in [*filter(None, WRONG_CREDENTIALS.values()), ("", ""), ("eve", ""), ("ada", "pw-bob")]:
        assert accounts.check(name, password) is None, (name, password)
    assert accounts.check("ada\0", "pw-ada") is None and accounts.check("ada", "pw-ada\0") is None
    assert not Accounts([]) and bool(accounts)


# --- JSON that cannot be echoed back: NaN, Infinity, lone surrogates --------------------------

UNSERIALISABLE = [
    ("/api/plan", '{"hours_per_week": NaN}'),
    ("/api/plan", '{"hours_per_week": Infinity}'),
    ("/api/plan", '{"hours_per_week": -Infinity}'),
    ("/api/plan", '{"hours_per_week": 8, "weeks": NaN}'),
    ("/api/plan", '{"hours_per_week": 8, "goal": "\\ud800"}'),
    ("/api/progress", '{"user": NaN}'),
    ("/api/progress", '{"topic": NaN, "status": "done"}'),
    ("/api/progress", '{"undo": Infinity}'),
    ("/api/progress", '{"topic": "\\ud800", "status": "done"}'),
    ("/api/progress", '{"topic": "git", "status": "\\udfff"}'),
    ("/api/ask", '{"message": "\\ud800"}'),
    ("/api/ask", '{"message": "hi", "user": "\\ud83d"}'),
    ("/api/ask", '{"message": NaN}'),
]


@pytest.mark.parametrize("path,raw", UNSERIALISABLE)
def test_nan_infinity_and_lone_surrogates_are_422_with_a_json_error(open_url, path, raw, caplog):
    with _fresh_client(open_url) as client:
        r = client.post(path, content=raw.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] and body["detail"] and all({"loc", "msg", "type"} <= set(e) for e in body["detail"])
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]  # no traceback logged


def test_a_surrogate_pair_is_a_character(open_url):
    with _fresh_client(open_url) as client:
        r = client.post(
            "/api/ask",
            content=b'{"message": "pandas \\ud83d\\ude00", "user": "smiley"}',
            headers={"content-type": "application/json"},
        )
    assert r.status_code == 200, r.text[:300]


@pytest.mark.parametrize(
    "path,code",
    [
        ("/api/next?user=%ED%A0%80", 400),
        ("/api/progress?user=%ED%A0%80", 400),
        ("/api/search?q=%ED%A0%80%ED%A0%80", 200),
        ("/api/next?goal=%FF", 404),
    ],
)
def test_undecodable_query_strings_become_replacement_characters(open_url, path, code):
    """A surrogate's UTF-8 bytes in a URL decode to U+FFFD, which is an ordinary character."""
    with _fresh_client(open_url) as client:
        r = client.get(path)
    assert r.status_code == code, r.text
    assert r.json()


def test_bad_input_loses_nothing_stored(open_url):
    """Among the bad inputs is an undo with `Infinity` for true: it must not undo anything."""
    json_type = {"content-type": "application/json"}
    with _fresh_client(open_url) as client:
        done = client.post("/api/progress", json={"user": "keeper", "topic": "git", "status": "done"})
        assert done.status_code == 200
        for path, raw in UNSERIALISABLE:
            r = client.post(path, content=raw.replace("{", '{"user": "keeper", ', 1).encode(), headers=json_type)
            assert r.status_code == 422, (path, raw)
        big = b'{"user": "keeper", "undo": true' + b" " * MAX_BODY_BYTES + b"}"
        assert client.post("/api/progress", content=big, headers=json_type).status_code == 413
        topics = client.get("/api/progress", params={"user": "keeper"}).json()["topics"]
    assert [(t["id"], t["status"]) for t in topics] == [("git", "done")]


# --- body size -------------------------------------------------------------------------------


def test_a_10_mb_body_is_413(open_url):
    body = b'{"message": "' + b"a" * 10_000_000 + b'"}'
    with _fresh_client(open_url) as client:
        r = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 413 and str(MAX_BODY_BYTES) in r.json()["error"]


def test_a_chunked_body_over_the_limit_is_413(open_url):
    def pieces():
        yield b'{"message": "'
        for _ in range(MAX_BODY_BYTES // 8192 + 1):
            yield b"a" * 8192
        yield b'"}'

    with _fresh_client(open_url) as client:
        r = client.post("/api/plan", content=pieces(), headers={"content-type": "application/json"})
        assert r.request.headers.get("transfer-encoding") == "chunked" and "content-length" not in r.request.headers
    assert r.status_code == 413 and r.json()["error"]


def test_a_chunked_body_under_the_limit_is_served(open_url):
    def pieces():
        yield b'{"user": "chunky", '
        yield b'"hours_per_week": 8, "weeks": 2}'

    with _fresh_client(open_url) as client:
        r = client.post("/api/plan", content=pieces(), headers={"content-type": "application/json"})
    assert r.status_code == 200 and len(r.json()["weeks"]) == 2


def test_the_longest_allowed_message_fits_under_the_limit(open_url):
    import json

    message = "pandas " + "\U0001f600" * (20_000 - 7)  # escaped by json.dumps as surrogate pairs: 12 bytes each
    body = json.dumps({"message": message, "user": "long"}).encode()
    assert len(body) > 200_000
    with _fresh_client(open_url) as client:
        r = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text[:300]


# --- search bounds -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params,code",
    [
        ({"q": "pandas", "k": -1}, 422),
        ({"q": "pandas", "k": 0}, 422),
        ({"q": "pandas", "k": 51}, 422),
        ({"q": "pandas", "k": 10**20}, 422),
        ({"q": "x" * 1001}, 422),
        ({"q": ""}, 422),
        ({"q": "pandas", "k": 1}, 200),
        ({"q": "pandas", "k": 50}, 200),
        ({"q": "pandas " * 142}, 200),
    ],
)
def test_search_bounds_k_and_the_query_length(open_url, params, code):
    with _fresh_client(open_url) as client:
        r = client.get("/api/search", params=params)
    assert r.status_code == code, r.text[:300]
    assert r.json()


# --- the OpenAPI description -------------------------------------------------------------------

LEARNER_OPERATIONS = [
    ("post", "/api/ask"),
    ("get", "/api/next"),
    ("get", "/api/progress"),
    ("post", "/api/progress"),
    ("post", "/api/plan"),
    ("get", "/api/search"),
    ("get", "/api/proposals"),
    ("post", "/api/proposals/{proposal_id}/apply"),
    ("post", "/api/proposals/{proposal_id}/dismiss"),
]
DOCUMENTED = {
    ("post", "/api/ask"): {"200", "400", "413", "422"},
    ("get", "/api/next"): {"200", "400", "404", "422"},
    ("get", "/api/progress"): {"200", "400", "422"},
    ("post", "/api/progress"): {"200", "400", "404", "413", "422"},
    ("post", "/api/plan"): {"200", "400", "404", "413", "422"},
    ("get", "/api/search"): {"200", "400", "422"},
    ("get", "/api/proposals"): {"200", "400", "422"},
    ("post", "/api/proposals/{proposal_id}/apply"): {"200", "400", "404", "409", "413", "422"},
    ("post", "/api/proposals/{proposal_id}/dismiss"): {"200", "400", "404", "409", "413", "422"},
}


def test_openapi_without_auth_declares_no_security_and_every_error(open_url):
    schema = httpx.get(open_url + "/openapi.json").json()
    assert "securitySchemes" not in schema.get("components", {})
    for method, path in LEARNER_OPERATIONS:
        operation = schema["paths"][path][method]
        assert "security" not in operation
        assert set(operation["responses"]) == DOCUMENTED[(method, path)], (method, path)


def test_openapi_with_auth_declares_basic_and_401_403(auth_url):
    schema = httpx.get(auth_url + "/openapi.json").json()
    assert schema["components"]["securitySchemes"]["HTTPBasic"]["scheme"] == "basic"
    assert "security" not in schema["paths"]["/api/health"]["get"]
    for method, path in LEARNER_OPERATIONS:
        operation = schema["paths"][path][method]
        assert operation["security"] == [{"HTTPBasic": []}]
        acting_for = path != "/api/search"  # search reads no learner's data: no 403
        expected = DOCUMENTED[(method, path)] | {"401"} | ({"403"} if acting_for else set())
        assert set(operation["responses"]) == expected, (method, path)


def _plan_hours_schema(schema: dict) -> dict:
    body = schema["paths"]["/api/plan"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]["properties"]["hours_per_week"]


def test_openapi_plan_hours_say_what_the_planner_enforces(open_url):
    hours = _plan_hours_schema(httpx.get(open_url + "/openapi.json").json())
    assert hours["minimum"] == 0.5 and hours["maximum"] == 100 and "exclusiveMinimum" not in hours
    with _fresh_client(open_url) as client:
        ok = client.post("/api/plan", json={"user": "slow", "hours_per_week": 0.5, "weeks": 1})
        low = client.post("/api/plan", json={"user": "slow", "hours_per_week": 0.49})
    assert ok.status_code == 200 and low.status_code == 422


@pytest.mark.parametrize(
    "code,path,kwargs",
    [
        ("400", "/api/ask", {"json": {"message": "   "}}),
        ("404", "/api/plan", {"json": {"hours_per_week": 5, "goal": "underwater welding"}}),
        ("413", "/api/ask", {"content": b"x" * (MAX_BODY_BYTES + 1)}),
        ("422", "/api/plan", {"json": {"hours_per_week": "many"}}),
    ],
)
def test_error_bodies_have_the_documented_shape(open_url, code, path, kwargs):
    schema = httpx.get(open_url + "/openapi.json").json()
    documented = schema["paths"][path]["post"]["responses"][code]["content"]["application/json"]["schema"]
    with _fresh_client(open_url) as client:
        r = client.post(path, headers={"content-type": "application/json"}, **kwargs)
    assert str(r.status_code) == code
    _validate(r.json(), documented, schema)


def _validate(instance, documented: dict, schema: dict) -> None:
    import jsonschema

    whole = {"$ref": "#/$defs/target", "$defs": {"target": documented}, "components": schema["components"]}
    jsonschema.validate(instance, whole)


def test_openapi_learner_pattern_is_the_rule_the_server_applies(open_url):
    import re

    from mentor.errors import UsageError
    from mentor.learning.progress import check_learner

    schema = httpx.get(open_url + "/openapi.json").json()
    next_params = schema["paths"]["/api/next"]["get"]["parameters"]
    patterns = {p["schema"]["pattern"] for p in next_params if p["name"] == "user"}
    patterns |= {
        schema["components"]["schemas"][model]["properties"]["user"]["pattern"]
        for model in ("AskIn", "ProgressIn", "PlanIn")
    }
    assert len(patterns) == 1
    pattern = patterns.pop()

    def accepted(name: str) -> bool:
        try:
            return check_learner(name) == name
        except UsageError:
            return False

    for name in ["ada", "Ada.B@c-d_e", "x" * 64, "x" * 65, "a..b", "../etc", "a/b", ".ada", "ada.", "-a", "", "é"]:
        assert (re.search(pattern, name) is not None) == accepted(name), name
