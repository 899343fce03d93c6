"""Where the progress database is: the SQLite file in MENTOR_HOME by default, or the SQLAlchemy
URL that MENTOR_DB names, checked before anything connects (it parses, names an installed
driver and, for SQLite, a file in a folder that exists: no folder is created for MENTOR_DB).
A bad value is a ConfigError naming the setting.

Not here: the store itself (`progress.py`).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from mentor.config import ensure_folder
from mentor.errors import ConfigError

DB_EXAMPLES = "e.g. sqlite:////absolute/path/mentor.db or postgresql+psycopg://user@host/db"


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
