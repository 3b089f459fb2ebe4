"""The advisor's SQL database: SQLite in the data dir by default, any SQLAlchemy URL (Postgres) to scale out.

One engine per URL and process, shared by the store and the rate limiter. The schema is created and
upgraded by Alembic (advisor/migrations), once per process, under a lock so workers starting together
never race. A database that cannot be reached is `DatabaseUnavailableError` (HTTP 503); the pool checks
each connection before use, so service resumes by itself when the database comes back.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, exc, make_url

from .errors import AdvisorError

log = logging.getLogger("advisor.database")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LOCK_KEY = 0x61647669  # the Postgres advisory lock id held while the schema is upgraded ("advi")


class DatabaseUnavailableError(AdvisorError):
    """The conversation database cannot be reached (down, restarting, or refusing connections)."""

    http_status = 503
    exit_code = 8


def url_for(target: Path | str) -> str:
    """An SQLAlchemy URL for a store target: a path is an SQLite file; postgres URLs use psycopg 3."""
    if isinstance(target, Path):
        return f"sqlite:///{target.resolve()}"
    for plain in ("postgres://", "postgresql://"):
        if target.startswith(plain):
            return "postgresql+psycopg://" + target[len(plain):]
    return target


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return "<invalid database URL>"


def is_unavailable(error: BaseException) -> bool:
    """True for errors that mean 'cannot talk to the database' (rather than a bad statement)."""
    return isinstance(error, exc.OperationalError | exc.InterfaceError) or (
        isinstance(error, exc.DBAPIError) and error.connection_invalidated)


class Database:
    """An engine with the advisor's schema; `connect()`/`begin()` turn outages into a clear 503."""

    def __init__(self, url: str):
        self.url = url
        self.engine = _engine(url)
        self.dialect = self.engine.dialect.name
        self._ready = False
        self._lock = threading.Lock()

    def unavailable(self, error: BaseException) -> DatabaseUnavailableError:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0][:300]
        return DatabaseUnavailableError(f"the database {redacted(self.url)} is unavailable: {reason}",
                                        "retry shortly; if it persists, check that the database server is "
                                        "running and ADVISOR_DATABASE_URL points at it")

    def ensure_schema(self) -> None:
        """Create or upgrade the schema (idempotent); after the first success in a process, a no-op."""
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            try:
                migrate(self.engine)
            except exc.SQLAlchemyError as error:
                if is_unavailable(error):
                    raise self.unavailable(error) from error
                raise
            self._ready = True

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection (commit yourself), after making sure the schema exists."""
        with self._translated():
            self.ensure_schema()
            with self.engine.connect() as conn:
                yield conn

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection in a transaction, committed when the block ends without an error."""
        with self._translated():
            self.ensure_schema()
            with self.engine.begin() as conn:
                yield conn

    @contextmanager
    def _translated(self):
        try:
            yield
        except exc.SQLAlchemyError as error:
            if is_unavailable(error):
                raise self.unavailable(error) from error
            raise

    def ping(self) -> None:
        """Raise DatabaseUnavailableError unless a trivial query succeeds."""
        from sqlalchemy import text

        with self.connect() as conn:
            conn.execute(text("SELECT 1"))


# Weak: a Database lives as long as a store or guard uses it, so a process that opens many short-lived
# stores (tests, evals) does not keep a pool of open files for each.
_databases: weakref.WeakValueDictionary[str, Database] = weakref.WeakValueDictionary()
_databases_lock = threading.Lock()


def database(target: Path | str) -> Database:
    """The process's Database for a path or URL (one engine and connection pool per URL in use)."""
    url = url_for(target)
    with _databases_lock:
        db = _databases.get(url)
        if db is None:
            if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
                Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
            db = _databases[url] = Database(url)
        return db


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except exc.ArgumentError as error:
        from .errors import ConfigError

        raise ConfigError(f"ADVISOR_DATABASE_URL is not a database URL: {error}",
                          "use e.g. postgresql://user:password@host:5432/advisor") from error
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # the settings the embedded store always used
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()
        return engine
    args = {"connect_timeout": 10} if parsed.get_backend_name() == "postgresql" else {}
    # pre_ping: a connection broken by a database restart is replaced instead of failing a request.
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, connect_args=args)


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest Alembic revision, one process at a time."""
    from alembic import command
    from alembic.config import Config

    with _schema_lock(engine) as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        conn.commit()


@contextmanager
def _schema_lock(engine: Engine) -> Iterator[Connection]:
    """A connection holding the schema lock: a Postgres advisory lock, or a file lock beside SQLite."""
    from sqlalchemy import text

    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        import fcntl

        with open(f"{engine.url.database}.migrate.lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)  # released by the kernel if this process dies
            with engine.connect() as conn:
                yield conn
        return
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_KEY})
            conn.commit()
        try:
            yield conn
        finally:
            if engine.dialect.name == "postgresql" and not conn.closed:
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                conn.commit()
