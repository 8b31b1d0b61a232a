"""Engine factory, sessions and write retries.

SQLite (WAL) gets foreign keys, a busy timeout and a lock discipline in which reading never
takes the write lock: every transaction begins DEFERRED (a read snapshot, no lock), and the
first write of a transaction ends that snapshot and takes the write lock with
`BEGIN IMMEDIATE` (waiting up to the busy timeout) before it runs. Upgrading a read
transaction in place would fail at once with "database is locked" whenever another writer
committed meanwhile, so the read phase of a unit of work behaves like PostgreSQL's READ
COMMITTED: checks that must hold at write time are made by the write itself (unique
constraints, `UPDATE … SET n = n + 1`) or after the write lock is taken — `lock_for_write`,
or any `SELECT … FOR UPDATE`, which takes it on SQLite as it locks rows on PostgreSQL.
Writes that must not fail under load go through `write_with_retry`, which retries busy errors.
"""

import random
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine, Table, bindparam, event, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from portal import PROJECT_ROOT
from portal.settings import get_settings

T = TypeVar("T")

_STATE = "portal_tx"  # connection.info key: "read", "write" or "nested" (inside a savepoint)
_READ_VERBS = {"SELECT", "PRAGMA", "EXPLAIN", "WITH", "RELEASE", "ROLLBACK", "COMMIT", "END",
               "BEGIN"}


def normalise_url(url: str) -> str:
    """Resolve a relative SQLite path against the project root, and pick psycopg 3 for PostgreSQL."""
    parsed = make_url(url)
    if parsed.drivername == "sqlite" and parsed.database and parsed.database != ":memory:":
        path = PROJECT_ROOT / parsed.database if not parsed.database.startswith("/") else None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            parsed = parsed.set(database=str(path))
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str | None = None) -> Engine:
    url = normalise_url(url or get_settings().database_url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True)


def _sqlite_engine(url: str) -> Engine:
    in_memory = ":memory:" in url or url.rstrip("/").endswith("sqlite:")
    kwargs: dict = {"connect_args": {"check_same_thread": False}}
    if in_memory:
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)
    busy_ms = get_settings().sqlite_busy_timeout_ms

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # noqa: ANN001
        # Let SQLAlchemy, not the driver, emit BEGIN so that we choose its kind.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cursor.close()

    _queue_writers(engine, busy_ms / 1000)

    @event.listens_for(engine, "begin")
    def _begin(connection):  # noqa: ANN001
        connection.exec_driver_sql("BEGIN")  # deferred: a read snapshot, no lock
        connection.info[_STATE] = "read"

    @event.listens_for(engine, "before_cursor_execute")
    def _upgrade_before_writing(connection, cursor, statement, *_args):  # noqa: ANN001
        state = connection.info.get(_STATE)
        if state not in ("read",) or not connection.in_transaction():
            return
        verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if verb == "SAVEPOINT":
            connection.info[_STATE] = "nested"  # e.g. the tests' outer transaction: leave it
        elif verb not in _READ_VERBS:
            _wait_turn(connection.engine, cursor.connection)
            _take_write_lock(cursor.connection)
            connection.info[_STATE] = "write"

    return engine


class _WriterQueue:
    """This process's writers of one SQLite database wait their turn on a mutex, not in
    SQLite's busy handler: that one sleeps 1, 2, 5 … 100 ms between tries, so under load the
    lock sat free while waiters slept (8 threads filing: p95 0.4 s). The turn is held from the
    write lock to the end of the transaction; other processes still meet the busy timeout."""

    def __init__(self, timeout: float) -> None:
        self.mutex, self.timeout = threading.Lock(), timeout
        self.holder: int | None = None  # id() of the DBAPI connection whose turn it is

    def wait(self, connection) -> None:  # noqa: ANN001
        if self.holder == _raw_id(connection):
            return
        if self.mutex.acquire(timeout=self.timeout):  # else SQLite's busy timeout decides
            self.holder = _raw_id(connection)

    def done(self, connection) -> None:  # noqa: ANN001
        if self.holder == _raw_id(connection):
            self.holder = None
            self.mutex.release()


def _raw_id(connection) -> int:  # noqa: ANN001
    """The DBAPI connection's identity, whether given bare or in the pool's proxy."""
    return id(getattr(connection, "dbapi_connection", None) or connection)


_QUEUES: "weakref.WeakKeyDictionary[Engine, _WriterQueue]" = weakref.WeakKeyDictionary()


def _queue_writers(engine: Engine, timeout: float) -> None:
    """Give `engine` a writer queue, passed on after each commit or rollback."""
    queue = _QUEUES[engine] = _WriterQueue(timeout)
    dialect = engine.dialect
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(dbapi_connection) -> None:  # noqa: ANN001
        try:
            commit(dbapi_connection)
        finally:
            queue.done(dbapi_connection)

    def do_rollback(dbapi_connection) -> None:  # noqa: ANN001
        try:
            rollback(dbapi_connection)
        finally:
            queue.done(dbapi_connection)

    dialect.do_commit, dialect.do_rollback = do_commit, do_rollback

    @event.listens_for(engine, "invalidate")
    @event.listens_for(engine, "close")
    def _gone(dbapi_connection, *_args) -> None:  # noqa: ANN001
        queue.done(dbapi_connection)  # a connection lost mid-write must not keep the turn


def _wait_turn(engine: Engine, dbapi_connection) -> None:  # noqa: ANN001
    queue = _QUEUES.get(engine)
    if queue is not None:
        queue.wait(dbapi_connection)


def _take_write_lock(dbapi_connection) -> None:  # noqa: ANN001
    """End the read snapshot (nothing was written) and wait for the write lock."""
    if dbapi_connection.in_transaction:
        dbapi_connection.execute("COMMIT")
    dbapi_connection.execute("BEGIN IMMEDIATE")


def lock_for_write(session: Session) -> None:
    """Take SQLite's write lock now (before reading what the write depends on).

    A no-op on PostgreSQL (row locks do that job there) and inside a savepoint.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite" or connection.info.get(_STATE) != "read":
        return
    _wait_turn(connection.engine, connection.connection.dbapi_connection)
    if connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("COMMIT")  # through SQLAlchemy: errors arrive wrapped
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    connection.info[_STATE] = "write"


@event.listens_for(OrmSession, "do_orm_execute")
def _for_update_takes_the_write_lock(state) -> None:  # noqa: ANN001
    """`SELECT … FOR UPDATE` means "I will write based on this": SQLite has no row locks, so
    take its write lock before such a read (PostgreSQL locks the rows itself)."""
    statement = state.statement
    if state.is_select and getattr(statement, "_for_update_arg", None) is not None:
        lock_for_write(state.session)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session for one unit of work (CLI commands, one page run); reads take no lock."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


def bulk_insert(session: Session, table: Table, rows: list[dict]) -> None:
    """INSERT many rows of the same keys, in the session's transaction.

    A morning escalation writes some 100,000 message rows. SQLite: one executemany of a
    statement compiled once, each column's bind processor looked up once (SQLAlchemy's own
    executemany spends more time building each row's parameters than SQLite spends writing
    it). PostgreSQL: COPY (an INSERT per row costs a round of the server's work each, 60 µs).
    Column defaults are not applied: give every column.
    """
    if not rows:
        return
    names = list(rows[0])
    if missing := sorted(column.name for column in table.c
                         if column.default is not None and column.name not in names):
        raise ValueError(f"{table.name}: no value given for {missing}")
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name == "postgresql":
        _copy(connection, table, names, rows)
        return
    if dialect.name != "sqlite":
        connection.execute(insert(table), rows)
        return
    compiled = insert(table).values({name: bindparam(name) for name in names}).compile(
        dialect=dialect)
    order = list(compiled.positiontup or ())
    columns = []
    for name in order:
        values = [row[name] for row in rows]
        processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:  # a batch repeats its values (one `now`): each done once
            done: dict = {}
            values = [None if value is None else done[value] if value in done
                      else done.setdefault(value, processor(value)) for value in values]
        columns.append(values)
    params = list(zip(*columns, strict=True))
    connection.exec_driver_sql(str(compiled), params)


def _copy(connection, table: Table, names: list[str], rows: list[dict]) -> None:  # noqa: ANN001
    """COPY rows into a PostgreSQL table on the connection's own transaction (psycopg 3)."""
    columns = ", ".join(f'"{name}"' for name in names)
    with connection.connection.dbapi_connection.cursor() as cursor, cursor.copy(
            f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(tuple(row[name] for name in names))


def insert_returning_ids(session: Session, table: Table, rows: list[dict]) -> list[int]:
    """Insert `rows` in bulk; their new ids, in the order of `rows`.

    PostgreSQL: the ids are drawn from the table's sequence, then the rows copied. SQLite would
    send one statement per row for an ordered RETURNING, so: a plain executemany under the
    write lock — nobody else inserts meanwhile, rows are numbered in the order they arrive,
    and the new ids are those above the highest before it.
    """
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # ids drawn from the table's sequence first, in ascending order, then one COPY
        ids = sorted(session.execute(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                 "FROM generate_series(1, :n)"), {"table": table.name, "n": len(rows)}).scalars())
        bulk_insert(session, table, [{"id": row_id, **row}
                                     for row_id, row in zip(ids, rows, strict=True)])
        return ids
    if dialect != "sqlite":
        return list(session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())
    lock_for_write(session)
    before = session.execute(select(func.max(table.c.id))).scalar() or 0
    bulk_insert(session, table, rows)
    ids = list(session.execute(select(table.c.id).where(table.c.id > before)
                               .order_by(table.c.id)).scalars())
    if len(ids) != len(rows):
        raise RuntimeError(f"{table.name}: {len(rows)} rows inserted, {len(ids)} new ids")
    return ids


# ---- jobs that run on one node only --------------------------------------------------------

JOB_LOCKS = {"escalate": 7_230_001, "daily": 7_230_002, "close_unrated": 7_230_003}


def take_job_lock(session: Session, job: str) -> bool:
    """Whether this transaction may run the job: False while another run of it is under way.

    A cron on several nodes (or a manual run during the cron's) must not issue the same notice
    twice. PostgreSQL: a transaction-level advisory lock, released at commit or rollback, so a
    second node skips at once; it reads after the first committed and finds nothing left to do.
    SQLite: the write lock, taken before the job reads, waited for up to the busy timeout.
    Inside a savepoint (the tests' transactions) the outer transaction already holds it.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return bool(connection.exec_driver_sql(
            f"SELECT pg_try_advisory_xact_lock({JOB_LOCKS[job]})").scalar())
    try:
        lock_for_write(session)
    except DBAPIError as error:
        if is_busy(error):
            session.rollback()
            return False
        raise
    return True


# ---- errors of the database itself -------------------------------------------------------

_BUSY_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available
_BUSY_TEXT = ("database is locked", "database table is locked", "database is busy")
_UNAVAILABLE_TEXT = ("disk is full", "disk i/o error", "readonly database", "read-only",
                     "unable to open database", "no space left")


def _sqlstate(error: BaseException) -> str | None:
    original = getattr(error, "orig", None)
    return getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)


def is_busy(error: BaseException) -> bool:
    """A write refused only because others hold the lock: trying again is safe and useful.

    In each of these cases the database rolled the transaction back, so a retry cannot
    duplicate what the failed attempt did.
    """
    if not isinstance(error, DBAPIError):
        return False
    if _sqlstate(error) in _BUSY_SQLSTATES:
        return True
    return any(text in str(error.orig).lower() for text in _BUSY_TEXT)


def is_unavailable(error: BaseException) -> bool:
    """The database cannot serve this now (busy, full, read-only, gone): not the user's fault."""
    if not isinstance(error, DBAPIError):
        return False
    if isinstance(error, OperationalError) or is_busy(error):
        return True
    sqlstate = _sqlstate(error) or ""
    return sqlstate.startswith(("08", "53", "25006")) or any(
        text in str(error.orig).lower() for text in _UNAVAILABLE_TEXT)


def write_with_retry(session: Session, write: Callable[[], T], *,
                     attempts: int | None = None, first_pause: float = 0.05) -> T:
    """Run `write()` and commit; when the database is busy, roll back and run it again.

    Bounded (`WRITE_RETRIES` attempts, exponential back-off with jitter, on top of SQLite's own
    busy timeout). Only busy errors are retried: the database rolled the attempt back, so
    nothing is stored twice. `write` must build its rows afresh on each call. Every other
    error, and the last busy one, is raised.
    """
    attempts = attempts or get_settings().write_retries
    for attempt in range(1, attempts + 1):
        try:
            result = write()
            session.commit()
            return result
        except DBAPIError as error:
            session.rollback()
            if attempt == attempts or not is_busy(error):
                raise
        time.sleep(min(first_pause * 2 ** (attempt - 1), 2.0) * (0.5 + random.random()))
    raise AssertionError("unreachable")
