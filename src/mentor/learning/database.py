"""Where the progress database is and how we connect to it: the SQLite file in MENTOR_HOME by
default, or the SQLAlchemy URL that MENTOR_DB names (SQLite or PostgreSQL), checked before
anything connects (it parses, names an installed driver and, for SQLite, a file in a folder that
exists: no folder is created for MENTOR_DB). A bad value is a ConfigError naming the setting.

`make_engine` opens it the same way for every store: a pool for a web server's threads;
SQLite in WAL mode with a busy timeout; for a server (PostgreSQL) a connect timeout (one that
never answers) and a check of each pooled connection before use (one the server closed). A
value PostgreSQL refuses to store (a NUL character, text longer than its column) becomes a
UsageError rather than a server error.

Not here: the tables, migrations and queries (`progress.py`).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DataError, NoSuchModuleError

from mentor.config import ensure_folder
from mentor.errors import ConfigError, UsageError

DB_EXAMPLES = "e.g. sqlite:////absolute/path/mentor.db or postgresql+psycopg://user@host/db"
PG_CONNECT_TIMEOUT = 10  # seconds: a server that accepts and never answers is an error, not a hang
LIBPQ_DRIVERS = ("psycopg", "psycopg2")  # the drivers that take libpq's connect_timeout


def database_url(settings) -> tuple[str, str]:
    """(URL, the setting it comes from). The default, SQLite in MENTOR_HOME, gets its folder
    created; a MENTOR_DB URL must parse, name an installed driver and, for SQLite, a file in a
    folder that exists: no folder is ever created for it."""
    if not settings.db:
        home = ensure_folder(Path(settings.home), "MENTOR_HOME")
        return f"sqlite:///{home / 'mentor.db'}", "MENTOR_HOME"
    _check_db_url(settings.db)
    return settings.db, "MENTOR_DB"


def _check_db_url(url: str) -> None:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise ConfigError(f"MENTOR_DB: not a database URL (got {url[:100]!r}); {DB_EXAMPLES}") from None
    try:
        dialect = parsed.get_dialect()
    except NoSuchModuleError:
        raise ConfigError(f"MENTOR_DB: unknown kind of database {parsed.drivername!r}; {DB_EXAMPLES}") from None
    try:
        dialect.import_dbapi()
    except ImportError as exc:
        raise ConfigError(
            f"MENTOR_DB: the driver for {parsed.drivername} is not installed "
            f"(no module {exc.name!r}); install it, or leave MENTOR_DB unset for SQLite"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_file(parsed.database, parsed.query)


def _check_sqlite_file(database: str | None, query) -> None:
    if not database or database == ":memory:" or query.get("mode") == "memory":
        raise ConfigError(f"MENTOR_DB: an in-memory SQLite database keeps nothing; name a file, {DB_EXAMPLES}")
    if database.startswith("file:"):
        return  # an SQLite URI: its own syntax, checked by SQLite when opened
    path = Path(database)
    if path.is_dir():
        raise ConfigError(f"MENTOR_DB: {path} is a folder, not a database file")
    if not path.parent.is_dir():
        raise ConfigError(
            f"MENTOR_DB: the folder {path.parent} does not exist "
            "(mentor creates no folder for MENTOR_DB: create it first)"
        )


def shown_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def first_line(error) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else type(error).__name__


def make_engine(url: str) -> Engine:
    """An engine for the progress database at `url` (already checked by `database_url`)."""
    parsed = make_url(url)
    # a web server answers many learners at once: enough pooled connections for its threads
    kwargs: dict = {"pool_size": 20, "max_overflow": 40}
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    else:  # a server: a pooled connection it has closed (restart, idle timeout) is replaced, not failed on
        kwargs["pool_pre_ping"] = True
    if parsed.get_driver_name() in LIBPQ_DRIVERS and "connect_timeout" not in parsed.query:
        kwargs["connect_args"] = {"connect_timeout": PG_CONNECT_TIMEOUT}
    engine = create_engine(url, **kwargs)
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "handle_error", _refused_value)
    return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    _wal(cur)  # WAL: readers never block the one writer
    cur.close()


def _wal(cursor, attempts: int = 100) -> None:
    """Switch an SQLite file to WAL. Several processes opening a new file at once race for the
    switch, and SQLite answers the losers "database is locked" at once instead of waiting: the
    switch is tried again (it is a no-op once the file is in WAL mode)."""
    for attempt in range(attempts):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.02)


def _refused_value(context) -> None:
    """PostgreSQL refuses what SQLite stores: text with a NUL character, and text longer than
    its VARCHAR column (SQLSTATE 22001). Both come from what a request carried, so they are
    the person's to fix (a UsageError: 400 from the API), never a server error."""
    if not isinstance(context.sqlalchemy_exception, DataError):
        return
    error = context.original_exception
    if "NUL" in str(error) and "0x00" in str(error):
        raise UsageError("text with a NUL character (\\x00) cannot be stored: remove it") from None
    if getattr(error, "sqlstate", None) == "22001":
        raise UsageError(f"a value is too long to be stored ({first_line(error)})") from None
