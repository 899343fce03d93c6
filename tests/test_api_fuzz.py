"""Schema-driven fuzzing of the HTTP API (schemathesis) against a real uvicorn server on
127.0.0.1, with MENTOR_AUTH off and on: no request may get a 5xx, and every answer must be one
the OpenAPI description documents (status code, content type, body, headers). Bounded in
examples (not in time: given a time limit, the engine keeps fuzzing until it is spent), so that
both runs together take about 25 s on two cores.

schemathesis's own pytest plugin does not run under pytest 9 (it reads `Function._nodeid`), so
its engine, the one behind its command line, runs here and the figures are counted from it."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from conftest import running

schemathesis = pytest.importorskip("schemathesis")

from mentor.web.api import create_api  # noqa: E402

EXAMPLES = 10  # per operation in the fuzzing phase (the coverage phase sends its own fixed set)
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
]


@dataclass
class FuzzRun:
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __str__(self) -> str:
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        return (
            f"{self.requests} requests in {self.seconds:.1f} s ({codes}); {len(self.failures)} failures, "
            f"{len(self.errors)} errors"
        )


def fuzz(url: str, **settings) -> FuzzRun:
    """Every documented operation, in the examples, coverage and fuzzing phases."""
    from schemathesis.engine import Status, events, from_schema

    config = schemathesis.Config.from_dict(
        {
            "generation": {"max-examples": EXAMPLES, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            **settings,
        }
    )
    run, started = FuzzRun(), time.monotonic()
    for event in from_schema(schemathesis.openapi.from_url(url + "/openapi.json", config=config)).execute():
        if isinstance(event, events.ScenarioFinished):
            _count(run, event.recorder, Status)
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            run.errors.append(str(getattr(event, "value", None) or getattr(event, "exception", None)))
    run.seconds = time.monotonic() - started
    return run


def _count(run: FuzzRun, recorder, status) -> None:
    for interaction in recorder.interactions.values():
        run.requests += 1
        run.statuses[interaction.response.status_code if interaction.response else "no response"] += 1
    for nodes in recorder.checks.values():
        run.failures += [
            f"{recorder.label}: {node.name}: {node.failure_info.failure.title}\n{node.failure_info.code_sample}"
            for node in nodes
            if node.status == status.FAILURE
        ]


def _assert_clean(run: FuzzRun) -> None:
    print(f"\nfuzz: {run}")
    assert not run.errors, run.errors[:3]
    assert not run.failures, "\n\n".join(run.failures[:5])
    assert run.requests >= 100 and not any(isinstance(code, int) and code >= 500 for code in run.statuses)


def test_fuzz_without_auth(offline_deps):
    with running(create_api(offline_deps)) as url:
        run = fuzz(url)
    _assert_clean(run)
    assert run.statuses[200] and run.statuses[422]  # valid and invalid inputs were both sent


def test_fuzz_with_auth(offline_deps):
    from mentor.deps import Deps

    deps = Deps(offline_deps.settings.with_overrides(auth="ada:pw-ada,bob:pw-bob"))
    with running(create_api(deps)) as url:
        run = fuzz(url, auth={"basic": {"username": "ada", "password": "pw-ada"}})
    _assert_clean(run)
    assert run.statuses[200] and run.statuses[401]  # signed-in requests, and the coverage phase's unsigned ones
