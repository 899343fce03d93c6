"""A throwaway PostgreSQL server for tests and benchmarks: `start_postgres()` runs `initdb` and
`pg_ctl` from the Debian `postgresql` package on a free 127.0.0.1 port (fsync off, trust
authentication, superuser `mentor`) and returns its URL and a `stop` that removes it again;
`create_database` gives each user of the server a database of its own.

`initdb` and `pg_ctl` refuse to run as root: as root they run as `nobody`, in a folder made
for them. Where the binaries are missing or the server cannot start, `PostgresUnavailable`
says why (the tests skip with that reason). Importable without pytest, so that the benchmarks
(`sys.path` + `from postgres_server import start_postgres`) start servers the same way.

Not here: the pytest fixtures (`conftest.py`), anything the mentor itself reads.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

USER = "mentor"  # the superuser of the throwaway cluster
DRIVER = "postgresql+psycopg"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL can be started here; the message says why and how to get one."""


def find_bin() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl (POSTGRES_BIN
    overrides it); PostgresUnavailable when there is none."""
    wanted = os.environ.get("POSTGRES_BIN")
    candidates = [wanted] if wanted else sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    for folder in candidates:
        if all(os.access(Path(folder) / tool, os.X_OK) for tool in ("initdb", "pg_ctl")):
            return Path(folder)
    where = wanted or "/usr/lib/postgresql/*/bin"
    raise PostgresUnavailable(f"no PostgreSQL binaries (initdb, pg_ctl) in {where}: apt-get install postgresql")


def _version(folder: str) -> tuple:
    name = Path(folder).parent.name
    return tuple(int(p) for p in name.split(".") if p.isdigit())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_postgres(parent: str | Path | None = None, attempts: int = 3) -> tuple[str, Callable[[], None]]:
    """Start a fresh cluster in a new folder under `parent` (default: the system temp folder).
    Returns (URL of its `postgres` database, stop); `stop` shuts the server down and deletes
    the folder, and is also called at interpreter exit if nobody did. A port taken between
    choosing and binding it is retried on another port."""
    bindir = find_bin()
    as_nobody = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="mentor-pg-", dir=parent))
    try:
        if as_nobody:
            _give_to_nobody(base)
        _run(
            bindir, as_nobody, "initdb", "-D", str(base / "data"), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync"
        )
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    for attempt in range(attempts):
        port = free_port()
        try:
            _pg_ctl(bindir, as_nobody, base, "start", port)
            break
        except PostgresUnavailable:
            if attempt == attempts - 1:
                shutil.rmtree(base, ignore_errors=True)
                raise
    stop = _stopper(bindir, as_nobody, base)
    atexit.register(stop)
    return f"{DRIVER}://{USER}@127.0.0.1:{port}/postgres", stop


def _give_to_nobody(base: Path) -> None:
    """The folder for the cluster, owned by nobody, in a parent nobody can pass through."""
    shutil.chown(base, "nobody")
    probe = subprocess.run(["runuser", "-u", "nobody", "--", "test", "-w", str(base)], capture_output=True)
    if probe.returncode != 0:
        raise PostgresUnavailable(f"user nobody cannot write to {base} (initdb refuses root): choose another parent")


def _run(bindir: Path, as_nobody: bool, tool: str, *args: str) -> None:
    command = [str(bindir / tool), *args]
    if as_nobody:
        command = ["runuser", "-u", "nobody", "--", *command]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd="/")
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PostgresUnavailable(f"{tool} could not run: {exc}") from None
    if done.returncode != 0:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise PostgresUnavailable(f"{tool} failed (exit {done.returncode}): {tail}")


def _pg_ctl(bindir: Path, as_nobody: bool, base: Path, action: str, port: int = 0) -> None:
    data, log = str(base / "data"), str(base / "server.log")
    if action == "start":
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        _run(bindir, as_nobody, "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start")
    else:
        _run(bindir, as_nobody, "pg_ctl", "-D", data, "-m", "fast", "-w", "-t", "30", "stop")


def _stopper(bindir: Path, as_nobody: bool, base: Path) -> Callable[[], None]:
    stopped = []

    def stop() -> None:
        if stopped:
            return
        stopped.append(True)
        try:
            _pg_ctl(bindir, as_nobody, base, "stop")
        except PostgresUnavailable:
            _pg_ctl_immediate(bindir, as_nobody, base)
        finally:
            shutil.rmtree(base, ignore_errors=True)

    return stop


def _pg_ctl_immediate(bindir: Path, as_nobody: bool, base: Path) -> None:
    try:
        _run(bindir, as_nobody, "pg_ctl", "-D", str(base / "data"), "-m", "immediate", "-w", "stop")
    except PostgresUnavailable:
        pass  # already gone


def create_database(server_url: str, name: str) -> str:
    """A new empty database `name` on the server at `server_url`; returns its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    with psycopg.connect(**_connect_args(url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, name: str) -> None:
    """Drop `name`, ending any session still connected to it (a pool a test left open)."""
    import psycopg
    from sqlalchemy.engine import make_url

    with psycopg.connect(**_connect_args(make_url(server_url)), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _connect_args(url) -> dict:
    return {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database or "postgres"}
