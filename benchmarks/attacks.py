"""Attack harness for issue 10 ("Hardening"): the product attacked from the outside, the way
the issue's tester did, with the number of attempts and failures per category.

    .venv/bin/python benchmarks/attacks.py [--src CHECKOUT] [--json OUT.json] [--only STEP ...] [--jobs N]
    .venv/bin/python benchmarks/attacks.py --compare BEFORE.json AFTER.json

`--src` is the root of a checkout of this project (default: the one this file is in). Its
`src/` goes first on PYTHONPATH of every process started, so one virtualenv can attack an old
commit and the current one alike (for example a `git worktree` of the last commit before the
hardening). Everything runs against that checkout's own code, started as a separate process:

- auth: `mentor serve` with MENTOR_AUTH=ada:pw1,bob:pw2 on a free 127.0.0.1 port; every
  learner route with wrong credentials (unknown user with a NUL or a real password, empty and
  NUL passwords, wrong case, another account's password, no header, malformed headers), acting
  for another account, and another account's plan file URL (made on the page by ada, read by
  bob, by nobody, and under other spellings of the same path).
- api-input: the same server, signed in: NaN/Infinity in number fields, lone UTF-16 surrogates
  sent as raw JSON text, 10 MB bodies (declared and chunked), search `k` out of range,
  malformed JSON.
- api-docs: the server's /openapi.json against the answers it gives (401, 403, 400, 413, 422,
  the planner's 0.5 h minimum).
- cli: `python -m mentor.cli` with bad files (wrong JSON shapes, /dev/zero, a FIFO, binary,
  non-UTF-8, too large), bad MENTOR_* values, bad flags, `--user ""`.
- index: one index is built (MENTOR_EMBED=lsa MENTOR_LLM=none), copied, and a file of the copy
  truncated, garbled or removed; then `mentor search`, `doctor`, `ingest` and `ingest --force`.
  Damage that leaves the hits of 20 queries as they were (8 of each top 10) did no harm, and a
  command that goes on using it is not a failure.
- ssrf: the link fetcher's URL check (`check_address`) and page fetch, called in a process of
  the checkout's Python: wrapped metadata addresses, odd IPv4 spellings, redirects to them, a
  name that rebinds to 127.0.0.1 between check and connect (simulated by the probe's resolver;
  the probe refuses every non-loopback connect itself, so nothing leaves the machine),
  an unresolvable first URL.

A failure is any of: a Python traceback on stderr or in the server log, a hang (the command is
killed after its timeout, with its whole process group), an exit code outside the documented set
(0, 1, 2, 3), an HTTP 5xx, a sign-in that should be refused but succeeds, an attack accepted
when it should be refused (exit 0, HTTP 2xx, an address the fetcher does not refuse), folders
created where none should be, and, where the issue asks for one exact answer (413 for a body
over the limit, a repaired index after `ingest`), anything else. A refusal with a documented
code other than the one the issue asks for is a note, not a failure. Cases the harness itself
could not run are errors, counted apart.

Every process gets its own temporary MENTOR_HOME (so the default SQLite MENTOR_DB is temporary
too), a temporary MENTOR_INDEX_DIR, corpus copy, GRADIO_TEMP_DIR and TMPDIR, the variables that
keep libraries offline, no proxy variables, and a 4 GiB data limit (prlimit), so that reading
/dev/zero ends in a MemoryError instead of filling the machine. Commands are killed after 20 s
(an index build after 60 s, a server that does not answer its health check after 120 s).
Nothing in the checkout is written (its index/, data/ and build/ are compared before and after).
About 4-5 minutes per run on 2 shared cores.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import contextlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import httpx

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTED_EXITS = {0, 1, 2, 3}
TRACEBACK = "Traceback (most recent call last)"
CLI_TIMEOUT_S = 20
INGEST_TIMEOUT_S = 60  # a whole index build: about 6 s on an idle machine
SERVER_START_S = 120
HTTP_TIMEOUT_S = 20
DATA_LIMIT = 4 << 30
ACCOUNTS = "ada:pw1,bob:pw2"
CATEGORIES = {
    "auth": "(a) sign-in and learners' files",
    "api-input": "(b) API bad input",
    "api-docs": "(b) API description (OpenAPI)",
    "cli": "(c) command line",
    "index": "(d) index damage",
    "ssrf": "(e) link fetcher (SSRF)",
}
STEPS = ("server", "cli", "index", "ssrf")  # what --only picks: one server serves three categories
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "RAGAS_DO_NOT_TRACK": "true",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


# --- results -----------------------------------------------------------------------------------


@dataclass
class Result:
    category: str
    case: str
    failure: str | None = None  # why this attempt counts as a failure
    note: str | None = None  # refused, but not with the answer the issue asks for
    error: str | None = None  # the harness could not run the case: not counted
    detail: str = ""  # the evidence: exit code and stderr, or HTTP status and body


@dataclass
class Run:
    """One finished (or killed) command."""

    rc: int | None
    out: str
    err: str
    seconds: float
    timed_out: bool = False

    def traceback(self) -> str | None:
        """The exception line of the last traceback in the output, if there is one."""
        text = self.err + "\n" + self.out
        if TRACEBACK not in text:
            return None
        return exception_line(text[text.rindex(TRACEBACK) :])

    def evidence(self, limit: int = 1200) -> str:
        """The exit code, stderr (its end, when long) and, when stderr says little, stdout's end."""
        text = ("killed after timeout" if self.timed_out else f"exit {self.rc}") + f" ({self.seconds:.1f} s)"
        err, out = self.err.strip(), self.out.strip()
        if err:
            text += "\nstderr: " + (err if len(err) <= limit else "…" + err[-limit:])
        if out and (len(err) < 200 or self.rc == 0):
            text += "\nstdout: " + (out if len(out) <= 400 else "…" + out[-400:])
        return text


def exception_line(traceback: str) -> str:
    """'ValueError: ...' from a traceback: its first line after the stack frames."""
    for line in traceback.splitlines()[1:]:
        if line.strip() and not line.startswith((" ", "\t")):
            return line.strip()
    return "traceback"


def judge_cli(run: Run, expect: int) -> tuple[str | None, str | None]:
    """(failure, note) for a command that should end with exit code `expect`."""
    if run.timed_out:
        return f"hang: killed after {run.seconds:.0f} s", None
    exc = run.traceback()
    if exc:
        return f"traceback: {exc[:200]}", None
    if run.rc not in DOCUMENTED_EXITS:
        return f"exit {run.rc}, not a documented exit code", None
    if expect != 0 and run.rc == 0:
        return "accepted: exit 0", None
    if expect == 0 and run.rc != 0:
        return f"exit {run.rc}, expected success", None
    return None, (f"exit {run.rc}; the issue asks for {expect}" if run.rc != expect else None)


# --- processes -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kill_group(proc: subprocess.Popen, grace: float = 0.0) -> None:
    """End a process started in its own session, and everything it started: SIGTERM and up to
    `grace` seconds to finish when grace is given, then SIGKILL to the whole group."""
    if grace:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(5)


class Target:
    """The checkout under attack, and the temporary world its processes run in."""

    def __init__(self, checkout: Path, tmp: Path):
        self.checkout = checkout.resolve()
        self.src = self.checkout / "src"
        self.tmp = tmp
        self.python = sys.executable
        self.prlimit = shutil.which("prlimit")
        corpus = tmp / "corpus"
        shutil.copytree(self.checkout / "corpus", corpus)
        for name in ("work", "tmp", "gradio", "homes", "files", "reports", "indexes"):
            (tmp / name).mkdir()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_") and "proxy" not in k.lower()}
        self.env.update(OFFLINE)
        self.env.update(
            PYTHONPATH=str(self.src),
            PYTHONDONTWRITEBYTECODE="1",
            TMPDIR=str(tmp / "tmp"),
            GRADIO_TEMP_DIR=str(tmp / "gradio"),
            MENTOR_CORPUS_DIR=str(corpus),
            MENTOR_INDEX_DIR=str(tmp / "indexes" / "none"),  # never the checkout's index/, even when a case names none
            MENTOR_EMBED="lsa",
            MENTOR_LLM="none",
            MENTOR_RERANK="none",
            MENTOR_HF_CACHE=str(tmp / "hf-cache"),
        )
        self._homes = itertools.count(1)  # next() is atomic: the index cases run in threads

    def home(self) -> str:
        """A new MENTOR_HOME (not created: the product creates it)."""
        return str(self.tmp / "homes" / str(next(self._homes)))

    def command(self, args: list[str], module: str = "mentor.cli") -> list[str]:
        cmd = [self.python, "-m", module, *args] if module else [self.python, *args]
        return [self.prlimit, f"--data={DATA_LIMIT}", "--", *cmd] if self.prlimit else cmd

    def run(
        self,
        args: list[str],
        env: dict | None = None,
        timeout: float = CLI_TIMEOUT_S,
        module: str = "mentor.cli",
        stdin=None,
    ) -> Run:
        """`python -m mentor.cli ARGS` (or another module, or a script when module is ''),
        killed with its process group after `timeout` seconds."""
        full_env = {**self.env, "MENTOR_HOME": self.home(), **(env or {})}
        start = time.monotonic()
        proc = subprocess.Popen(
            self.command(args, module),
            env={k: v for k, v in full_env.items() if v is not None},
            cwd=self.tmp / "work",
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(stdin, timeout=timeout)
            return Run(
                proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"), time.monotonic() - start
            )
        except subprocess.TimeoutExpired:
            kill_group(proc)
            out, err = proc.communicate()
            return Run(None, out.decode(errors="replace"), err.decode(errors="replace"), time.monotonic() - start, True)
        finally:
            if proc.poll() is None:
                kill_group(proc)

    def commit(self) -> str:
        try:
            rev = subprocess.run(
                ["git", "-C", str(self.checkout), "describe", "--always", "--dirty"], capture_output=True, text=True
            )
            return rev.stdout.strip() or "unknown"
        except OSError:
            return "unknown"


# --- the index ---------------------------------------------------------------------------------


def build_index(target: Target) -> Path:
    base = target.tmp / "indexes" / "base"
    run = target.run(["ingest", "--no-progress"], {"MENTOR_INDEX_DIR": str(base)}, timeout=180)
    if run.rc != 0 or not (base / "active" / "manifest.json").is_file():
        raise SystemExit(f"could not build the index for {target.checkout}:\n{run.evidence()}")
    return base


def copy_index(base: Path, name: str) -> Path:
    dst = base.parent / name
    shutil.copytree(base, dst, symlinks=True)
    return dst


# --- (a) sign-in, (b) bad input and the OpenAPI description, on a real server --------------------


class Server:
    """`mentor serve` on a free 127.0.0.1 port, its output in a log file read as it grows."""

    def __init__(self, target: Target, index: Path, env: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = target.tmp / f"server-{self.port}.log"
        full_env = {
            **target.env,
            "MENTOR_HOME": target.home(),
            "MENTOR_INDEX_DIR": str(index),
            "MENTOR_HOST": "127.0.0.1",
            "MENTOR_PORT": str(self.port),
            **env,
        }
        self._log_file = open(self.log, "wb")
        self.proc = subprocess.Popen(
            target.command(["serve"]),
            env=full_env,
            cwd=target.tmp / "work",
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._seen = 0

    def wait_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"mentor serve exited {self.proc.returncode}: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/api/health", timeout=2).status_code == 200:
                    self.new_log()
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"mentor serve not up after {SERVER_START_S} s: {self.log.read_text()[-2000:]}")

    def new_log(self) -> str:
        """What the server wrote since the last call."""
        data = self.log.read_bytes()
        text, self._seen = data[self._seen :].decode(errors="replace"), len(data)
        return text

    def stop(self) -> None:
        kill_group(self.proc, grace=5)
        self._log_file.close()


@dataclass
class Http:
    """One request and what it should get."""

    case: str
    method: str
    path: str
    expect: set[int]
    auth: tuple[str, str] | None = None
    headers: dict = field(default_factory=dict)
    body: bytes | None = None
    params: dict | None = None
    chunked: bool = False
    strict: bool = False  # another 4xx is a failure, not a note
    cookies: httpx.Cookies | None = None


def send(server: Server, req: Http) -> tuple[int | None, str]:
    """(status or None, a short account of the answer)."""
    headers = dict(req.headers)
    content = req.body
    if req.body is not None and "content-type" not in {k.lower() for k in headers}:
        headers["content-type"] = "application/json"
    if req.chunked and req.body is not None:
        body = req.body

        def pieces():
            for i in range(0, len(body), 65536):
                yield body[i : i + 65536]

        content = pieces()
    limits = httpx.Limits(max_keepalive_connections=0)
    try:
        with httpx.Client(base_url=server.url, timeout=HTTP_TIMEOUT_S, limits=limits, cookies=req.cookies) as client:
            r = client.request(req.method, req.path, params=req.params, headers=headers, content=content, auth=req.auth)
        return r.status_code, f"HTTP {r.status_code}: {r.text[:300]}"
    except httpx.TimeoutException:
        return None, f"no answer within {HTTP_TIMEOUT_S} s"
    except httpx.HTTPError as exc:
        return -1, f"{type(exc).__name__}: {exc}"


def judge_http(server: Server, category: str, req: Http) -> Result:
    status, detail = send(server, req)
    time.sleep(0.3 if status is None or status >= 500 or status < 0 else 0.05)  # let the log catch up
    log = server.new_log()
    result = Result(category, req.case, detail=detail)
    if TRACEBACK in log:
        result.detail += "\nserver log: " + log.strip()[-1200:]
        exc = exception_line(log[log.rindex(TRACEBACK) :])
        result.failure = f"traceback in the server log: {exc[:200]}"
    elif status is None:
        result.failure = "hang: no answer"
    elif status == -1:
        result.failure = "connection broken without an answer"
    elif status >= 500:
        result.failure = f"HTTP {status}"
    elif status not in req.expect:
        wanted = "/".join(str(s) for s in sorted(req.expect))
        if 200 <= status < 300:
            result.failure = f"accepted: HTTP {status} (expected {wanted})"
        elif req.strict:
            result.failure = f"HTTP {status}, expected {wanted}"
        else:
            result.note = f"HTTP {status}; expected {wanted}"
    return result


LEARNER_ROUTES = [
    ("POST", "/api/ask", {"message": "what next?"}, None),
    ("GET", "/api/next", None, None),
    ("GET", "/api/progress", None, None),
    ("POST", "/api/progress", {"topic": "git", "status": "done"}, None),
    ("POST", "/api/progress", {"undo": True}, None),
    ("POST", "/api/plan", {"hours_per_week": 8, "weeks": 2}, None),
    ("GET", "/api/search", None, {"q": "pandas"}),
]
WRONG_CREDENTIALS = {
    "unknown user + NUL password": ("eve", "\0"),
    "unknown user + a real password": ("eve", "pw1"),
    "empty password": ("ada", ""),
    "NUL password": ("ada", "\0"),
    "wrong-case name": ("Ada", "pw1"),
    "another account's password": ("bob", "pw1"),
    "no header": None,
}
BAD_HEADERS = {
    "not base64": "Basic !!!not-base64",
    "no colon": "Basic " + base64.b64encode(b"ada").decode(),
    "NUL after the password": "Basic " + base64.b64encode(b"ada:pw1\0").decode(),
    "NUL after the name": "Basic " + base64.b64encode(b"ada\0:pw1").decode(),
    "Bearer scheme": "Bearer pw1",
}


def _json(data) -> bytes:
    return json.dumps(data).encode()


def auth_cases() -> list[Http]:
    cases = []
    for label, credentials in WRONG_CREDENTIALS.items():
        for method, path, body, params in LEARNER_ROUTES:
            what = f"{method} {path}" + (" undo" if body and "undo" in body else "")
            cases.append(
                Http(
                    f"{label}: {what}",
                    method,
                    path,
                    {401},
                    auth=credentials,
                    body=None if body is None else _json(body),
                    params=params,
                )
            )
    for label, header in BAD_HEADERS.items():
        cases.append(
            Http(
                f"malformed header ({label}): GET /api/progress",
                "GET",
                "/api/progress",
                {401},
                headers={"Authorization": header},
            )
        )
    ada = ("ada", "pw1")
    cases += [
        Http(
            "ada acting for bob: GET /api/progress?user=bob", "GET", "/api/progress", {403}, ada, params={"user": "bob"}
        ),
        Http("ada acting for bob: GET /api/next?user=bob", "GET", "/api/next", {403}, ada, params={"user": "bob"}),
        Http(
            "ada acting for bob: POST /api/progress",
            "POST",
            "/api/progress",
            {403},
            ada,
            body=_json({"user": "bob", "topic": "git", "status": "done"}),
        ),
        Http(
            "ada acting for bob: POST /api/plan",
            "POST",
            "/api/plan",
            {403},
            ada,
            body=_json({"user": "bob", "hours_per_week": 8}),
        ),
        Http(
            "ada acting for bob: POST /api/ask",
            "POST",
            "/api/ask",
            {403},
            ada,
            body=_json({"user": "bob", "message": "hi"}),
        ),
    ]
    return cases


def plan_file_cases(server: Server) -> tuple[list[Http], str | None]:
    """Ada makes a plan on the page (Gradio's client, signed in); the cases read its files as
    bob (signed in on the page), as nobody, and under other spellings of the path."""
    try:
        from gradio_client import Client

        page = Client(
            server.url + "/", auth=("ada", "pw1"), download_files=False, verbose=False, analytics_enabled=False
        )
        _, files = page.predict("ada", 8, 4, "", api_name="/make_plan")
        links = [f["url"].removeprefix(server.url) for f in files]
    except Exception as exc:  # noqa: BLE001 - any failure of the page's client is reported, not fatal
        return [], f"could not make a plan on the page as ada: {type(exc).__name__}: {exc}"
    jar = {}
    for name, password in (("ada", "pw1"), ("bob", "pw2")):
        r = httpx.post(server.url + "/login", data={"username": name, "password": password}, timeout=HTTP_TIMEOUT_S)
        if r.status_code != 200:
            return [], f"page login as {name} failed: HTTP {r.status_code} {r.text[:200]}"
        jar[name] = r.cookies
    ada_sees = httpx.get(server.url + links[0], cookies=jar["ada"], timeout=HTTP_TIMEOUT_S)
    if ada_sees.status_code != 200:
        return [], f"ada cannot read her own plan file {links[0]}: HTTP {ada_sees.status_code}"
    cases = []
    for link in links:
        name = link.rsplit("/", 1)[-1]
        cases.append(Http(f"bob reads ada's {name}", "GET", link, {403, 404}, cookies=jar["bob"]))
        cases.append(Http(f"nobody reads ada's {name}", "GET", link, {401, 403, 404}))
    prefix, path = links[0].split("=", 1)
    spellings = {
        "slashes percent-encoded": f"{prefix}={path.replace('/', '%2F')}",
        "deprecated /gradio_api/file/ route": f"/gradio_api/file/{path.lstrip('/')}",
        "a /./ in the path": f"{prefix}={path.replace('/', '/./', 2)}",
    }
    for label, link in spellings.items():
        cases.append(Http(f"bob reads ada's study-plan.md, {label}", "GET", link, {403, 404}, cookies=jar["bob"]))
    return cases, None


def api_input_cases() -> list[Http]:
    ada = ("ada", "pw1")

    def post(case: str, path: str, raw: str | bytes, expect=frozenset({422}), **kw) -> Http:
        body = raw.encode() if isinstance(raw, str) else raw
        return Http(case, "POST", path, set(expect), ada, body=body, **kw)

    def search(case: str, params: dict, expect=frozenset({422})) -> Http:
        return Http(case, "GET", "/api/search", set(expect), ada, params=params)

    ten_mb = 10_000_000
    refused = {400, 422}
    return [
        post("plan hours_per_week NaN", "/api/plan", '{"hours_per_week": NaN}'),
        post("plan hours_per_week Infinity", "/api/plan", '{"hours_per_week": Infinity}'),
        post("plan hours_per_week -Infinity", "/api/plan", '{"hours_per_week": -Infinity}'),
        post("plan hours_per_week 1e999 (overflows to inf)", "/api/plan", '{"hours_per_week": 1e999}'),
        post("plan weeks NaN", "/api/plan", '{"hours_per_week": 8, "weeks": NaN}'),
        post("plan weeks 10**20", "/api/plan", '{"hours_per_week": 8, "weeks": 100000000000000000000}'),
        post("progress topic NaN", "/api/progress", '{"topic": NaN, "status": "done"}'),
        post("progress undo Infinity", "/api/progress", '{"undo": Infinity}'),
        post("progress user NaN", "/api/progress", '{"user": NaN, "undo": true}'),
        post("ask message NaN", "/api/ask", '{"message": NaN}'),
        post("ask message lone surrogate \\ud800", "/api/ask", '{"message": "\\ud800"}'),
        post("ask message lone surrogate \\udfff after text", "/api/ask", '{"message": "pandas \\udfff"}'),
        post("ask user lone surrogate \\ud83d", "/api/ask", '{"message": "hi", "user": "\\ud83d"}', {403, 422}),
        post("progress topic lone surrogate", "/api/progress", '{"topic": "\\ud800", "status": "done"}'),
        post("progress status lone surrogate", "/api/progress", '{"topic": "git", "status": "\\udfff"}'),
        post("plan goal lone surrogate", "/api/plan", '{"hours_per_week": 8, "goal": "\\ud800"}'),
        Http("search q = a surrogate's UTF-8 bytes", "GET", "/api/search?q=%ED%A0%80", {200, 400, 422}, ada),
        Http("next goal = invalid UTF-8 byte", "GET", "/api/next?goal=%FF", {400, 404, 422}, ada),
        post("10 MB /api/ask body", "/api/ask", b'{"message": "' + b"a" * ten_mb + b'"}', {413}, strict=True),
        post(
            "10 MB valid /api/progress body (whitespace)",
            "/api/progress",
            b'{"topic": "git", "status": "done"' + b" " * ten_mb + b"}",
            {413},
            strict=True,
        ),
        post(
            "10 MB chunked /api/plan body",
            "/api/plan",
            b'{"goal": "' + b"a" * ten_mb + b'"}',
            {413},
            strict=True,
            chunked=True,
        ),
        search("search k=-1", {"q": "pandas", "k": -1}),
        search("search k=0", {"q": "pandas", "k": 0}),
        search("search k=51", {"q": "pandas", "k": 51}),
        search("search k=10**20", {"q": "pandas", "k": 10**20}),
        search("search k=abc", {"q": "pandas", "k": "abc"}),
        search("search q empty", {"q": ""}, refused),
        search("search q missing", {}),
        search("search q 5000 characters", {"q": "pandas " * 700}, {200, 422}),
        post("malformed JSON: unterminated object", "/api/ask", '{"message": '),
        post("malformed JSON: not JSON", "/api/ask", "not json"),
        post("malformed JSON: empty body", "/api/plan", ""),
        post("malformed JSON: an array", "/api/plan", "[]"),
        post("malformed JSON: a string", "/api/progress", '"git"'),
        post("malformed JSON: invalid UTF-8", "/api/ask", b'{"message": "\xff\xfe"}'),
        post("malformed JSON: nested 100000 deep", "/api/plan", '{"goal": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        post("wrong type: hours_per_week a string", "/api/plan", '{"hours_per_week": "many"}'),
        post("hours_per_week 0.1 (below the planner's 0.5)", "/api/plan", '{"hours_per_week": 0.1}', refused),
        post(
            "JSON sent as text/plain",
            "/api/ask",
            '{"message": "hi"}',
            {200, 415, 422},
            headers={"content-type": "text/plain"},
        ),
    ]


LEARNER_OPERATIONS = [
    ("post", "/api/ask", True),
    ("get", "/api/next", False),
    ("get", "/api/progress", False),
    ("post", "/api/progress", True),
    ("post", "/api/plan", True),
    ("get", "/api/search", False),
]


def api_docs_results(server: Server) -> list[Result]:
    """The OpenAPI description against what the server answers (checked in the other API
    categories): each answer a route gives is documented."""
    try:
        schema = httpx.get(server.url + "/openapi.json", timeout=HTTP_TIMEOUT_S).json()
    except (httpx.HTTPError, ValueError) as exc:
        return [Result("api-docs", "GET /openapi.json", error=f"{type(exc).__name__}: {exc}")]
    results = []
    for method, path, has_body in LEARNER_OPERATIONS:
        operation = schema.get("paths", {}).get(path, {}).get(method, {})
        documented = set(operation.get("responses", {}))
        wanted = ["400", "401", "422"] + (["413"] if has_body else []) + (["403"] if path != "/api/search" else [])
        for code in wanted:
            case = f"{method.upper()} {path} documents {code}"
            ok = code in documented
            results.append(
                Result(
                    "api-docs",
                    case,
                    failure=None if ok else f"{code} not documented",
                    detail=f"documented: {sorted(documented)}",
                )
            )
        security = operation.get("security")
        results.append(
            Result(
                "api-docs",
                f"{method.upper()} {path} declares HTTP Basic",
                failure=None if security else "no security declared while MENTOR_AUTH is set",
                detail=f"security: {security}",
            )
        )
    try:
        ref = schema["paths"]["/api/plan"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        hours = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]["hours_per_week"]
        ok = hours.get("minimum") == 0.5 and "exclusiveMinimum" not in hours
        results.append(
            Result(
                "api-docs",
                "plan hours_per_week documented as the planner's minimum 0.5",
                failure=None if ok else "documented bound disagrees with the planner",
                detail=json.dumps(hours),
            )
        )
    except (KeyError, IndexError, AttributeError) as exc:
        results.append(Result("api-docs", "plan hours_per_week documented", error=f"schema shape: {exc!r}"))
    return results


def api_results(target: Target, index: Path) -> list[Result]:
    server = Server(target, copy_index(index, "api"), {"MENTOR_AUTH": ACCOUNTS})
    results: list[Result] = []
    try:
        try:
            server.wait_ready()
        except RuntimeError as exc:
            return [Result(c, "mentor serve starts", error=str(exc)) for c in ("auth", "api-input", "api-docs")]
        controls = [
            Http("control: ada signs in", "GET", "/api/progress", {200}, ("ada", "pw1")),
            Http("control: bob signs in", "GET", "/api/progress", {200}, ("bob", "pw2")),
        ]
        for req in controls:
            status, detail = send(server, req)
            if status != 200:
                return [Result("auth", req.case, error=detail)]
        results += [judge_http(server, "auth", req) for req in auth_cases()]
        file_cases, problem = plan_file_cases(server)
        server.new_log()
        if problem:
            results.append(Result("auth", "another account's plan file", error=problem))
        results += [judge_http(server, "auth", req) for req in file_cases]
        results += [judge_http(server, "api-input", req) for req in api_input_cases()]
        results += api_docs_results(server)
    finally:
        server.stop()
    return results + api_docs_without_auth(target, index)


def api_docs_without_auth(target: Target, index: Path) -> list[Result]:
    """Without MENTOR_AUTH nobody signs in: the OpenAPI description must not ask for Basic."""
    server = Server(target, copy_index(index, "api-open"), {})
    try:
        server.wait_ready()
        schema = httpx.get(server.url + "/openapi.json", timeout=HTTP_TIMEOUT_S).json()
    except (RuntimeError, httpx.HTTPError, ValueError) as exc:
        return [Result("api-docs", "auth off: GET /openapi.json", error=f"{type(exc).__name__}: {exc}")]
    finally:
        server.stop()
    schemes = schema.get("components", {}).get("securitySchemes")
    results = [
        Result(
            "api-docs",
            "auth off: no security scheme declared",
            failure=f"declares {sorted(schemes)} with MENTOR_AUTH unset" if schemes else None,
            detail=f"securitySchemes: {schemes}",
        )
    ]
    for method, path, _ in LEARNER_OPERATIONS:
        security = schema.get("paths", {}).get(path, {}).get(method, {}).get("security")
        results.append(
            Result(
                "api-docs",
                f"auth off: {method.upper()} {path} asks for no credentials",
                failure=f"declares {security} with MENTOR_AUTH unset" if security else None,
                detail=f"security: {security}",
            )
        )
    return results


# --- (c) the command line ------------------------------------------------------------------------


@dataclass
class Cli:
    case: str
    args: list[str]
    env: dict = field(default_factory=dict)
    expect: int = 2
    check: Callable[[], str | None] | None = None  # a failure found after the run, e.g. folders created


def make_files(folder: Path) -> dict[str, str]:
    """The files the command-line cases name."""
    files = {}

    def write(name: str, data: bytes | str) -> None:
        path = folder / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        files[name] = str(path)

    shapes = {
        "topics-dict": '{"topics": {"numpy": "done"}}',
        "topics-null": '{"topics": null}',
        "topics-numbers": '{"topics": [1, 2]}',
        "topics-lists": '{"topics": [[1], ["numpy", "done"]]}',
        "topics-string": '{"topics": "numpy"}',
        "topics-null-row": '{"topics": [null]}',
        "topics-id-number": '{"topics": [{"id": 5, "status": "done"}]}',
        "topics-id-object": '{"topics": [{"id": {"x": 1}, "status": "done"}]}',
        "topics-status-list": '{"topics": [{"id": "numpy", "status": ["done"]}]}',
        "no-topics": '{"user": "me"}',
        "truncated": '{"topics": [{"id": "numpy", "sta',
        "nested": '{"topics": ' + "[" * 100_000 + "]" * 100_000 + "}",
    }
    for name, text in shapes.items():
        write(f"{name}.json", text)
    write("binary.bin", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 8)
    write("latin1.md", "## NumPy \u2014 Done\ncaf\xe9 Done\n".encode("latin-1", errors="replace"))
    write("big.md", b"# Done\n" + b"x" * 3_000_000)
    write("rows-are-numbers.jsonl", "42\n[1, 2]\n")
    write("a-file", "not a folder\n")
    fifo = folder / "fifo"
    os.mkfifo(fifo)
    files["fifo"] = str(fifo)
    (folder / "a-folder").mkdir()
    files["a-folder"] = str(folder / "a-folder")
    (folder / "zero-link").symlink_to("/dev/zero")
    files["zero-link"] = str(folder / "zero-link")
    return files


def no_folder(path: Path) -> Callable[[], str | None]:
    def check() -> str | None:
        return f"created {path}" if path.exists() else None

    return check


def cli_cases(target: Target, index: Path, busy_port: int) -> list[Cli]:
    f = make_files(target.tmp / "files")
    idx = {"MENTOR_INDEX_DIR": str(index)}
    reports = target.tmp / "reports"
    cases = [
        Cli(f"progress import {name}.json", ["progress", "import", f[f"{name}.json"]])
        for name in (
            "topics-dict",
            "topics-null",
            "topics-numbers",
            "topics-lists",
            "topics-string",
            "topics-null-row",
            "topics-id-number",
            "topics-id-object",
            "topics-status-list",
            "no-topics",
            "truncated",
            "nested",
        )
    ]
    for label, path in {
        "/dev/zero": "/dev/zero",
        "a FIFO with no writer": f["fifo"],
        "a symlink to /dev/zero": f["zero-link"],
        "/dev/null": "/dev/null",
        "a folder": f["a-folder"],
        "a binary file": f["binary.bin"],
        "non-UTF-8 text": f["latin1.md"],
        "a 3 MB file": f["big.md"],
        "a missing file": str(target.tmp / "files" / "missing.json"),
        "an empty file name": "",
    }.items():
        cases.append(Cli(f"progress import {label}", ["progress", "import", path]))
    cases += [
        Cli("search --queries /dev/zero", ["search", "--queries", "/dev/zero"], idx),
        Cli("search --queries a FIFO", ["search", "--queries", f["fifo"]], idx),
        Cli("search --queries a binary file", ["search", "--queries", f["binary.bin"]], idx),
    ]
    for label, path in {
        "a binary file": f["binary.bin"],
        "/dev/zero": "/dev/zero",
        "a FIFO": f["fifo"],
        "a folder": f["a-folder"],
        "rows that are not objects": f["rows-are-numbers.jsonl"],
    }.items():
        out = reports / f"dataset-{len(cases)}"
        cases.append(Cli(f"eval --dataset {label}", ["eval", "--dataset", path, "--report", str(out), "--quiet"], idx))
    cases += [
        Cli(
            "eval --thresholds a binary file",
            ["eval", "--thresholds", f["binary.bin"], "--report", str(reports / "t")],
            idx,
        ),
        Cli("eval --report a file", ["eval", "--report", f["a-file"], "--quiet"], idx),
    ]
    bad_env = [
        ("MENTOR_PORT=abc", {"MENTOR_PORT": "abc"}, ["doctor"]),
        ("MENTOR_PORT=-1", {"MENTOR_PORT": "-1"}, ["doctor"]),
        ("MENTOR_PORT=99999 (serve)", {"MENTOR_PORT": "99999"}, ["serve"]),
        ("MENTOR_CONCURRENCY=-1", {"MENTOR_CONCURRENCY": "-1"}, ["doctor"]),
        ("MENTOR_CONCURRENCY=abc", {"MENTOR_CONCURRENCY": "abc"}, ["doctor"]),
        ("MENTOR_LLM_TIMEOUT=abc", {"MENTOR_LLM_TIMEOUT": "abc"}, ["doctor"]),
        ("MENTOR_LLM_TIMEOUT=-5", {"MENTOR_LLM_TIMEOUT": "-5"}, ["doctor"]),
        ("MENTOR_LLM_TIMEOUT=nan", {"MENTOR_LLM_TIMEOUT": "nan"}, ["doctor"]),
        ("MENTOR_DB=not-a-url", {"MENTOR_DB": "not-a-url"}, ["progress", "show"]),
        (
            "MENTOR_DB driver not installed (mysqldb)",
            {"MENTOR_DB": "mysql+mysqldb://u@127.0.0.1/x"},
            ["progress", "show"],
        ),
        (
            "MENTOR_DB driver not installed (psycopg2)",
            {"MENTOR_DB": "postgresql+psycopg2://u@127.0.0.1/x"},
            ["progress", "show"],
        ),
        ("MENTOR_HOME is a file", {"MENTOR_HOME": f["a-file"]}, ["progress", "show"]),
        ("MENTOR_HOME under a file", {"MENTOR_HOME": f["a-file"] + "/home"}, ["progress", "show"]),
        ("MENTOR_HOME cannot be created (/proc)", {"MENTOR_HOME": "/proc/mentor-attacks/home"}, ["progress", "show"]),
        ("MENTOR_INDEX_DIR is a file", {"MENTOR_INDEX_DIR": f["a-file"]}, ["search", "pandas"]),
        ("MENTOR_USER empty", {"MENTOR_USER": ""}, ["progress", "show"]),
        ("MENTOR_USER=../../etc", {"MENTOR_USER": "../../etc"}, ["progress", "show"]),
        ("MENTOR_EMBED=bogus", {"MENTOR_EMBED": "bogus", **idx}, ["search", "pandas"]),
        (
            "MENTOR_AUTH without a password (serve)",
            {"MENTOR_AUTH": "ada", **idx},
            ["serve", "--port", str(free_port())],
        ),
        ("MENTOR_HOST that does not resolve (serve)", {"MENTOR_HOST": "no-such-host.invalid", **idx}, ["serve"]),
    ]
    cases += [Cli(label, args, env) for label, env, args in bad_env]
    for n, label in enumerate(("sqlite URL in new folders", "sqlite URL in new folders (progress set)")):
        root = target.tmp / "files" / f"db-root-{n}"
        root.mkdir()
        db = f"sqlite:///{root}/new/dir/x.db"
        args = ["progress", "show"] if n == 0 else ["progress", "set", "numpy", "done"]
        cases.append(Cli(f"MENTOR_DB={label}", args, {"MENTOR_DB": db}, check=no_folder(root / "new")))
    cases += [
        Cli("serve on a port in use", ["serve", "--port", str(busy_port)], idx),
        Cli('progress set --user ""', ["progress", "set", "--user", "", "numpy", "done"]),
        Cli('progress show --user ""', ["progress", "show", "--user", ""]),
        Cli('next --user ""', ["next", "--user", ""]),
        Cli("progress set --user ../x", ["progress", "set", "--user", "../x", "numpy", "done"]),
        Cli("progress set unknown status", ["progress", "set", "numpy", "finished-ish"]),
        Cli("search --k -1", ["search", "--k", "-1", "pandas"], idx),
        Cli("search --k 10**20", ["search", "--k", str(10**20), "pandas"], idx),
        Cli('search ""', ["search", ""], idx),
        Cli("plan --hours-per-week nan", ["plan", "--hours-per-week", "nan"]),
        Cli("plan --hours-per-week inf", ["plan", "--hours-per-week", "inf"]),
        Cli("plan --hours-per-week -1", ["plan", "--hours-per-week", "-1"]),
        Cli("plan --weeks -1", ["plan", "--hours-per-week", "8", "--weeks", "-1"]),
        Cli("plan --weeks 10**20", ["plan", "--hours-per-week", "8", "--weeks", str(10**20)]),
        Cli('prereqs ""', ["prereqs", ""]),
        Cli('ask ""', ["ask", ""], idx),
        Cli("progress show --home a file", ["progress", "show", "--home", f["a-file"]]),
    ]
    return cases


def cli_results(target: Target, index: Path) -> list[Result]:
    results = []
    with socket.socket() as busy:  # a port in use, for `serve`
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        for case in cli_cases(target, copy_index(index, "cli"), busy.getsockname()[1]):
            run = target.run(case.args, case.env)
            failure, note = judge_cli(run, case.expect)
            found = case.check() if case.check else None
            failure = f"{failure}; {found}" if failure and found else failure or found
            results.append(Result("cli", case.case, failure, note, detail=run.evidence()))
    return results


# --- (d) index damage ---------------------------------------------------------------------------


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def garble(path: Path) -> None:
    """Junk over the second quarter of the file (over its first 100 bytes when it is small or a
    SQLite database, whose header is there): numbers in arrays and pickles change, text stops
    being UTF-8."""
    data = bytearray(path.read_bytes())
    start, size = (0, 100) if path.suffix == ".sqlite3" or len(data) < 400 else (len(data) // 4, len(data) // 4)
    size = min(size, len(data) - start)
    data[start : start + size] = bytes((0xA5 + i * 37) % 256 for i in range(size))
    path.write_bytes(bytes(data))


def remove(path: Path) -> None:
    shutil.rmtree(path) if path.is_dir() else path.unlink()


DAMAGE = [  # (file in the build, how); "chroma/*/" is the collection's folder
    ("manifest.json", "truncate"),
    ("manifest.json", "garble"),
    ("manifest.json", "remove"),
    ("passages.jsonl", "truncate"),
    ("passages.jsonl", "garble"),
    ("resources.jsonl", "truncate"),
    ("vocabulary.json", "truncate"),
    ("vocabulary.json", "garble"),
    ("lsa.pkl", "truncate"),
    ("lsa.pkl", "garble"),
    ("bm25/vocab.index.json", "truncate"),
    ("bm25/params.index.json", "garble"),
    ("bm25/data.csc.index.npy", "truncate"),
    ("bm25/data.csc.index.npy", "garble"),
    ("chroma/chroma.sqlite3", "truncate"),
    ("chroma/chroma.sqlite3", "garble"),
    ("chroma/*/data_level0.bin", "truncate"),
    ("chroma/*/data_level0.bin", "garble"),
    ("chroma/*/header.bin", "garble"),
    (".", "remove"),  # the whole build: `active` points nowhere
]
FORCE_TOO = {  # damage also given to `ingest --force` (the issue: a broken manifest made it crash)
    ("manifest.json", "truncate"),
    ("manifest.json", "remove"),
    ("passages.jsonl", "garble"),
    ("chroma/chroma.sqlite3", "garble"),
    (".", "remove"),
}
HOW = {"truncate": truncate, "garble": garble, "remove": remove}


def damaged_copy(base: Path, name: str, where: str, how: str) -> Path:
    index = copy_index(base, name)
    build = (index / "active").resolve()
    matches = sorted(build.glob(where)) if "*" in where else [build / where]
    if not matches or not matches[0].exists():
        raise FileNotFoundError(f"{where} is not in the build")
    HOW[how](matches[0])
    return index


QUERIES = [  # searched on every damaged copy: damage that changes no hit of these did no harm
    "pandas dataframes",
    "linear algebra for machine learning",
    "what comes after numpy",
    "gradient descent",
    "convolutional neural networks",
    "transformers and attention",
    "sql joins",
    "git and github",
    "statistics and probability",
    "feature engineering",
    "model deployment with docker",
    "mlops monitoring",
    "natural language processing",
    "reinforcement learning",
    "kaggle competitions",
    "scikit-learn pipelines",
    "deep learning with pytorch",
    "calculus derivatives",
    "data visualization matplotlib",
    "large language models fine tuning",
]
HARMLESS = "the same hits as the undamaged index: the damage did no harm"
SAME_HITS = 8  # of the top 10, per query: two builds of one corpus can differ in a near tie, damage moves many


def same_hits(found: list | None, baseline: list) -> bool:
    """Whether every query's top 10 shares at least SAME_HITS passages with the undamaged index's."""

    def ids(hits: list) -> set:
        return {h.get("chunk_id") or h.get("text") for h in hits}

    return found is not None and all(len(ids(a) & ids(b)) >= SAME_HITS for a, b in zip(found, baseline))


def search_args(target: Target) -> list[str]:
    path = target.tmp / "files" / "queries.txt"
    if not path.exists():
        path.write_text("\n".join(QUERIES) + "\n")
    return ["search", "--k", "10", "--queries", str(path)]


def hits_of(run: Run) -> list | None:
    """The hits of each query, from `search --queries` (one JSON line per query)."""
    try:
        hits = [json.loads(line)["hits"] for line in run.out.splitlines() if line.startswith("{")]
    except (ValueError, KeyError, TypeError):
        return None
    return hits if run.rc == 0 and len(hits) == len(QUERIES) else None


def damage_results(target: Target, base: Path, baseline: list, n: int, where: str, how: str) -> list[Result]:
    """`search`, `doctor`, `ingest` (and for some damage `ingest --force`) on a damaged copy.
    search and doctor must refuse it (exit 3, and doctor 1 or 3), unless search still gives the
    undamaged index's hits for QUERIES (Chroma, for one, rewrites its HNSW files from its
    database when it opens them); ingest must rebuild it, after which search gives them again."""
    label = f"{how} {where}" if where != "." else "the build folder removed"
    try:
        index = damaged_copy(base, f"damage-{n}", where, how)
        forced = damaged_copy(base, f"damage-{n}-force", where, how) if (where, how) in FORCE_TOO else None
    except OSError as exc:
        return [Result("index", label, error=f"could not damage the copy: {exc}")]
    env = {"MENTOR_INDEX_DIR": str(index)}
    search = target.run(search_args(target), env)
    harmless = same_hits(hits_of(search), baseline)
    results = []
    for command, run, wanted in (("search", search, 3), ("doctor", target.run(["doctor"], env), 1)):
        failure, note = judge_cli(run, wanted)
        detail = run.evidence()
        if failure == "accepted: exit 0":
            failure = None if harmless else f"damage not noticed: {command} exits 0"
            detail = f"{HARMLESS}\n{detail}" if harmless else detail
        if command == "doctor" and run.rc in (1, 3):
            note = None  # doctor: 1 for an index not fit to use, or the error's own code
        results.append(Result("index", f"{label}: {command}", failure, note, detail=detail))
    commands = [("ingest", ["ingest", "--no-progress"], index)]
    if forced:
        commands.append(("ingest --force", ["ingest", "--force", "--no-progress"], forced))
    for command, args, folder in commands:
        env = {"MENTOR_INDEX_DIR": str(folder)}
        run = target.run(args, env, timeout=INGEST_TIMEOUT_S)
        failure, note = judge_cli(run, 0)
        detail = run.evidence()
        if failure is None:
            after = target.run(search_args(target), env)
            if not same_hits(hits_of(after), baseline):
                up_to_date = "up to date" in run.out
                failure = "damaged index reported up to date" if up_to_date else "not repaired"
                failure += ": search afterwards " + ("hangs" if after.timed_out else f"exits {after.rc}")
                failure += "" if after.timed_out or after.rc else " with other hits than the undamaged index"
                detail += "\n--- search afterwards ---\n" + after.evidence()
            elif "up to date" in run.out:
                detail = f"{HARMLESS}\n{detail}"
        results.append(Result("index", f"{label}: {command}", failure, note, detail=detail))
    return results


def index_results(target: Target, base: Path, jobs: int) -> list[Result]:
    baseline_run = target.run(search_args(target), {"MENTOR_INDEX_DIR": str(copy_index(base, "baseline"))})
    baseline = hits_of(baseline_run)
    if baseline_run.rc != 0 or not baseline:
        return [Result("index", "search on the undamaged index", error=baseline_run.evidence())]
    missing = target.tmp / "indexes" / "missing"
    run = target.run(search_args(target), {"MENTOR_INDEX_DIR": str(missing)})
    failure, note = judge_cli(run, 3)
    results = [Result("index", "no index at all: search", failure, note, detail=run.evidence())]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [
            pool.submit(damage_results, target, base, baseline, n, where, how) for n, (where, how) in enumerate(DAMAGE)
        ]
        for future in futures:
            results += future.result()
    return results


# --- (e) the link fetcher ------------------------------------------------------------------------

SSRF_PROBE = r'''
"""Runs inside the checkout's Python: calls its link fetcher, prints one JSON list."""
import http.server, json, socket, sys, tempfile, threading
from pathlib import Path

try:
    from mentor.corpus import fetch
except ImportError:
    from mentor import fetch
from mentor.errors import FetchRefused

hits = []
HOPS = {
    "nat64": "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
    "6to4": "http://[2002:a9fe:a9fe::]/latest/meta-data/",
    "metadata": "http://169.254.169.254/latest/meta-data/",
    "file": "file:///etc/passwd",
}


class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        hits.append(self.path)
        if self.path.startswith("/to/"):
            self.send_response(302)
            self.send_header("Location", HOPS[self.path[len("/to/"):]])
            self.end_headers()
            return
        body = b"<html><title>local</title><p>a page only 127.0.0.1 should see</p></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
threading.Thread(target=server.serve_forever, daemon=True).start()
PORT = server.server_address[1]
real_getaddrinfo = socket.getaddrinfo
asked = {}


def resolver(host, port, *args, **kwargs):
    """The system resolver, except two names: one that rebinds from a public address to
    127.0.0.1 after its first answer, and *.invalid, which never resolves (no DNS wait)."""
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name.endswith(".invalid"):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    if name == "rebind.attacker.test":
        asked[name] = asked.get(name, 0) + 1
        ip = "93.184.216.34" if asked[name] == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, int(port or 80)))]
    return real_getaddrinfo(host, port, *args, **kwargs)


socket.getaddrinfo = resolver
real_connect = socket.socket.connect


def loopback_only(self, address):
    """No connection ever leaves this machine: a connect to anything but loopback is refused
    here, before a packet is sent (the rebinding name's first, public answer is only a name)."""
    host = str(address[0] if isinstance(address, tuple) else address)
    if not (host.startswith("127.") or host in ("::1", "localhost")):
        raise ConnectionRefusedError(f"the probe connects to loopback only (asked for {host})")
    return real_connect(self, address)


socket.socket.connect = loopback_only


def outcome(call):
    try:
        value = call()
    except FetchRefused as exc:
        return "refused", str(exc)
    except Exception as exc:
        return "error", f"{type(exc).__name__}: {exc}"
    return "accepted", str(value)[:200]


results = []


def refusal(name, call):
    """An attack the fetcher must refuse (FetchRefused); anything else is its failure."""
    kind, detail = outcome(call)
    why = None if kind == "refused" else ("accepted" if kind == "accepted" else f"not refused: {detail[:200]}")
    results.append({"case": name, "failure": why, "detail": f"{kind}: {detail}"})


for name, url in json.loads(sys.stdin.read()):
    refusal(name, lambda: fetch.check_address(url))

for key, name in [
    ("nat64", "redirect hop to NAT64 metadata"),
    ("6to4", "redirect hop to 6to4 metadata"),
    ("metadata", "redirect hop to 169.254.169.254"),
    ("file", "redirect hop to file:///etc/passwd"),
]:
    refusal(name, lambda: fetch.fetch_page(f"http://127.0.0.1:{PORT}/to/{key}", allow_loopback=True))

before = len(hits)
kind, detail = outcome(lambda: fetch.fetch_page(f"http://rebind.attacker.test:{PORT}/rebound"))
reached = "/rebound" in hits[before:]
results.append({
    "case": "a name rebinding to 127.0.0.1 between check and connect",
    "failure": "the 127.0.0.1 server was reached" if reached else None,
    "detail": f"{kind}: {detail}",
})

with tempfile.TemporaryDirectory() as cache:
    good = f"http://127.0.0.1:{PORT}/after"
    try:
        report = fetch.fetch_links(["http://first.invalid/x", good], Path(cache), allow_loopback=True)
        fetched, detail = good in report.fetched, report.summary()
    except Exception as exc:
        fetched, detail = False, f"{type(exc).__name__}: {exc}"
    results.append({
        "case": "an unresolvable first URL, then a reachable one",
        "failure": None if fetched else "the reachable URL was not fetched",
        "detail": detail,
    })

print(json.dumps(results))
'''

SSRF_URLS = [
    ("NAT64 metadata [64:ff9b::a9fe:a9fe]", "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/"),
    ("NAT64 loopback [64:ff9b::7f00:1]", "http://[64:ff9b::7f00:1]/"),
    ("NAT64 private [64:ff9b::a00:1]", "http://[64:ff9b::a00:1]/"),
    ("local-use NAT64 [64:ff9b:1::a9fe:a9fe]", "http://[64:ff9b:1::a9fe:a9fe]/"),
    ("6to4 metadata [2002:a9fe:a9fe::]", "http://[2002:a9fe:a9fe::]/"),
    ("6to4 loopback [2002:7f00:1::]", "http://[2002:7f00:1::]/"),
    ("6to4 private [2002:c0a8:101::]", "http://[2002:c0a8:101::]/"),
    ("IPv4-compatible [::a9fe:a9fe]", "http://[::a9fe:a9fe]/"),
    ("IPv4-mapped [::ffff:a9fe:a9fe]", "http://[::ffff:a9fe:a9fe]/"),
    ("Teredo with client 127.0.0.1", "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/"),
    ("metadata 169.254.169.254", "http://169.254.169.254/"),
    ("metadata as one number 2852039166", "http://2852039166/"),
    ("metadata in hex 0xa9fea9fe", "http://0xa9fea9fe/"),
    ("metadata in octal 0251.0376.0251.0376", "http://0251.0376.0251.0376/"),
    ("loopback shortened 127.1", "http://127.1/"),
    ("loopback 0x7f000001", "http://0x7f000001/"),
    ("localhost", "http://localhost/"),
    ("IPv6 loopback [::1]", "http://[::1]/"),
    ("unspecified 0.0.0.0", "http://0.0.0.0/"),
    ("IPv6 unspecified [::]", "http://[::]/"),
    ("unique local [fd00::1]", "http://[fd00::1]/"),
    ("link-local [fe80::1]", "http://[fe80::1]/"),
    ("shared address space 100.64.0.1", "http://100.64.0.1/"),
    ("multicast 224.0.0.1", "http://224.0.0.1/"),
    ("file:///etc/passwd", "file:///etc/passwd"),
    ("gopher://127.0.0.1", "gopher://127.0.0.1:6379/_INFO"),
]


def ssrf_results(target: Target) -> list[Result]:
    probe = target.tmp / "ssrf_probe.py"
    probe.write_text(SSRF_PROBE)
    stdin = json.dumps(SSRF_URLS).encode()
    run = target.run([str(probe)], module="", stdin=stdin, timeout=60)
    try:
        found = json.loads(run.out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return [Result("ssrf", "the fetcher probe", error=run.evidence())]
    return [Result("ssrf", item["case"], item["failure"], detail=item["detail"]) for item in found]


# --- reporting ---------------------------------------------------------------------------------


def counts(results: list[dict]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for r in results:
        row = table.setdefault(r["category"], {"attempts": 0, "failures": 0, "notes": 0, "errors": 0})
        if r["error"]:
            row["errors"] += 1
            continue
        row["attempts"] += 1
        row["failures"] += bool(r["failure"])
        row["notes"] += bool(r["note"])
    return table


def print_report(data: dict) -> None:
    table = counts(data["results"])
    print(f"\n# attacks on {data['checkout']} ({data['commit']}), {data['seconds']:.0f} s\n")
    print("| category | attempts | failures | notes | harness errors |")
    print("|---|---:|---:|---:|---:|")
    for key, title in CATEGORIES.items():
        if key in table:
            row = table[key]
            print(f"| {title} | {row['attempts']} | {row['failures']} | {row['notes']} | {row['errors']} |")
    total = {k: sum(row[k] for row in table.values()) for k in ("attempts", "failures", "notes", "errors")}
    print(f"| total | {total['attempts']} | {total['failures']} | {total['notes']} | {total['errors']} |")
    for title, key in (("failures", "failure"), ("harness errors", "error"), ("notes", "note")):
        rows = [r for r in data["results"] if r[key]]
        if rows:
            print(f"\n## {title}\n")
        for r in rows:
            print(f"- [{r['category']}] {r['case']}: {r[key]}")
            if key != "note":
                for line in r["detail"].splitlines()[:12]:
                    print(f"    {line}")


def compare(before_path: Path, after_path: Path) -> None:
    before, after = (json.loads(Path(p).read_text()) for p in (before_path, after_path))
    old, new = counts(before["results"]), counts(after["results"])
    print(f"before: {before['commit']}, after: {after['commit']}\n")
    print("| category | attempts | failures before | failures after |")
    print("|---|---:|---:|---:|")
    for key, title in CATEGORIES.items():
        a, b = old.get(key), new.get(key)
        if not a and not b:
            continue
        a = a or {"attempts": 0, "failures": 0}
        b = b or {"attempts": 0, "failures": 0}
        attempts = str(b["attempts"]) if a["attempts"] == b["attempts"] else f"{a['attempts']} / {b['attempts']}"
        print(f"| {title} | {attempts} | {a['failures']} | {b['failures']} |")
    ta = sum(r["attempts"] for r in old.values())
    tb = sum(r["attempts"] for r in new.values())
    fa = sum(r["failures"] for r in old.values())
    fb = sum(r["failures"] for r in new.values())
    print(f"| total | {tb if ta == tb else f'{ta} / {tb}'} | {fa} | {fb} |")
    errors = [(d["commit"], r) for d in (before, after) for r in d["results"] if r["error"]]
    for commit, r in errors:
        print(f"\nharness error ({commit}) [{r['category']}] {r['case']}: {r['error'][:300]}")


def snapshot(checkout: Path) -> dict[str, tuple[int, int]]:
    """Size and mtime of every file in the checkout's data folders (the harness must write none)."""
    found = {}
    for folder in ("index", "data", "build"):
        for path in (checkout / folder).rglob("*"):
            with contextlib.suppress(OSError):
                if path.is_file():
                    stat = path.stat()
                    found[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=ROOT, help="root of the checkout to attack (default: this one)")
    parser.add_argument("--json", type=Path, help="write every result here")
    parser.add_argument("--only", nargs="+", choices=STEPS, help="some steps (server: auth, api-input and api-docs)")
    parser.add_argument("--jobs", type=int, default=2, help="index-damage cases run at once (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"), help="before/after table")
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return 0
    if not (args.src / "src" / "mentor").is_dir():
        parser.error(f"{args.src} is not a checkout of mentor (no src/mentor)")
    only = set(args.only or STEPS)
    tmp = Path(tempfile.mkdtemp(prefix="mentor-attacks-"))
    start = time.monotonic()
    results: list[Result] = []
    untouched = snapshot(args.src)
    try:
        target = Target(args.src, tmp)
        print(f"attacking {target.checkout} ({target.commit()}); temporary files in {tmp}", file=sys.stderr)
        index = build_index(target) if only - {"ssrf"} else None
        steps = {
            "server": lambda: api_results(target, index),
            "cli": lambda: cli_results(target, index),
            "index": lambda: index_results(target, index, args.jobs),
            "ssrf": lambda: ssrf_results(target),
        }
        for name, step in steps.items():
            if name in only:
                t = time.monotonic()
                found = step()
                results += found
                failed = sum(1 for r in found if r.failure)
                print(f"  {name}: {len(found)} cases, {failed} failures, {time.monotonic() - t:.0f} s", file=sys.stderr)
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    changed = sorted(set(snapshot(args.src).items()) ^ set(untouched.items()))
    if changed:
        names = sorted({p for p, _ in changed})
        print(
            f"warning: {len(names)} files in the checkout's index/, data/ or build/ changed while this ran "
            f"(by another process? this one writes none): {names[:5]}",
            file=sys.stderr,
        )
    data = {
        "checkout": str(args.src.resolve()),
        "commit": target.commit(),
        "seconds": time.monotonic() - start,
        "results": [asdict(r) for r in results],
    }
    if args.json:
        args.json.write_text(json.dumps(data, indent=1, ensure_ascii=False))
    print_report(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
