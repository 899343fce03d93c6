"""A throwaway Chroma server for tests and benchmarks: `start_chroma()` runs the `chroma` command
that ships in the chromadb package (`chroma run --host 127.0.0.1 --port P --path DIR`, a Rust
server) on a free loopback port, waits for its heartbeat, and returns a `ChromaServer`: its URL,
its data folder, and a `stop` that ends it and deletes the folder.

Where the command is missing or the server does not answer, `ChromaUnavailable` says why (the
tests skip with that reason). Importable without pytest, so that the benchmarks (`sys.path` +
`from chroma_server import start_chroma`) start servers the same way.

Not here: the pytest fixtures (`test_chroma_server.py`), anything the mentor itself reads
(MENTOR_CHROMA_URL, `mentor.search.stores`).
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Callable, NamedTuple

STARTUP_S = 30


class ChromaUnavailable(RuntimeError):
    """No Chroma server can be started here; the message says why."""


class ChromaServer(NamedTuple):
    url: str  # http://127.0.0.1:PORT, what MENTOR_CHROMA_URL takes
    data: Path  # where it keeps its collections
    stop: Callable[[], None]
    pid: int  # of the server, for its memory high-water mark (/proc/PID/status VmHWM)

    def size(self) -> int:
        """Bytes of its data folder on disk."""
        return sum(p.stat().st_size for p in self.data.rglob("*") if p.is_file())


def find_chroma() -> Path:
    """The `chroma` command beside this Python (the project's venv), else on PATH."""
    beside = Path(sys.executable).parent / "chroma"
    if os.access(beside, os.X_OK):
        return beside
    found = shutil.which("chroma")
    if found is None:
        raise ChromaUnavailable("no `chroma` command (it ships in the chromadb package): pip install chromadb")
    return Path(found)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_chroma(parent: str | Path | None = None, attempts: int = 3) -> ChromaServer:
    """Start a fresh server with its data in a new folder under `parent` (default: the system
    temp folder). Its `stop` ends the server and deletes the folder, and runs at interpreter
    exit if nobody called it. A port taken between choosing and binding
    it is retried on another one."""
    command = find_chroma()
    why = "did not start"
    for _ in range(attempts):
        folder = Path(tempfile.mkdtemp(prefix="mentor-chroma-", dir=parent))
        port = free_port()
        proc = _spawn(command, port, folder)
        url = f"http://127.0.0.1:{port}"
        stop = _stopper(proc, folder)
        if _wait_for_heartbeat(url, proc):
            atexit.register(stop)
            return ChromaServer(url, folder / "data", stop, proc.pid)
        why = _tail(folder / "server.log")
        stop()
    raise ChromaUnavailable(f"the Chroma server did not answer within {STARTUP_S} s: {why}")


def _spawn(command: Path, port: int, folder: Path) -> subprocess.Popen:
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    log = open(folder / "server.log", "wb")
    try:
        return subprocess.Popen(
            [str(command), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(folder / "data")],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # its own process group: stop() ends it and nothing else
        )
    finally:
        log.close()


def _wait_for_heartbeat(url: str, proc: subprocess.Popen) -> bool:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as reply:
                if reply.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def _stopper(proc: subprocess.Popen, folder: Path) -> Callable[[], None]:
    def stop() -> None:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                _kill(proc)
        shutil.rmtree(folder, ignore_errors=True)

    return stop


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass


def _tail(log: Path) -> str:
    try:
        lines = log.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "no log"
    return " | ".join(lines[-3:])[-300:] or "no output"
