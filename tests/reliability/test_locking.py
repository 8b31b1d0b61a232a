"""SQLite lock discipline (issue #10, finding 2): reads never hold the write lock, hashes run
outside transactions, and a busy database is waited for and retried, never a refused filing."""

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import select

from portal import reports, users
from portal.auth import LoginFailed, authenticate
from portal.db import session_scope, write_with_retry
from portal.models import Report
from portal.roles import Role
from tests.factories import PASSWORD
from tests.services.test_reports import valid_input


def db_path(engine) -> Path:
    return Path(engine.url.database)


def write_lock_is_free(engine) -> bool:
    """Whether another connection could take the write lock right now (without waiting)."""
    other = sqlite3.connect(db_path(engine), timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.fixture
def hold_write_lock(sqlite_file_engine):
    """Another process's writer holding the lock for `seconds` (in a thread)."""
    def hold(seconds: float) -> threading.Thread:
        ready = threading.Event()

        def run() -> None:
            other = sqlite3.connect(db_path(sqlite_file_engine), isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            ready.set()
            time.sleep(seconds)
            other.execute("ROLLBACK")
            other.close()

        thread = threading.Thread(target=run)
        thread.start()
        ready.wait()
        return thread
    return hold


def count_reports(engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(Report)).one()


def test_a_reading_transaction_leaves_the_write_lock_free(sqlite_file_engine):
    with session_scope(sqlite_file_engine) as session:
        assert session.exec(select(func.count()).select_from(Report)).one() == 0
        assert session.in_transaction()
        assert write_lock_is_free(sqlite_file_engine)


def test_reads_go_on_while_another_writer_holds_the_lock(sqlite_file_engine, hold_write_lock):
    with session_scope(sqlite_file_engine) as session:
        filed = reports.file_report(session, actor=None, data=valid_input())
    holder = hold_write_lock(1.0)
    started = time.perf_counter()
    with session_scope(sqlite_file_engine) as session:
        view = reports.track(session, tracking_no=filed.tracking_no,
                             query_code=filed.query_code, client="filer")
    assert view.tracking_no == filed.tracking_no
    assert time.perf_counter() - started < 0.9
    holder.join()


def test_query_codes_are_hashed_without_holding_the_lock(sqlite_file_engine, monkeypatch):
    seen = []
    real = reports.hash_query_code

    def watching(*args, **kwargs):
        seen.append(write_lock_is_free(sqlite_file_engine))
        return real(*args, **kwargs)

    monkeypatch.setattr(reports, "hash_query_code", watching)
    with session_scope(sqlite_file_engine) as session:
        filed = reports.file_report(session, actor=None, data=valid_input())
    with session_scope(sqlite_file_engine) as session:
        with pytest.raises(reports.TrackingFailed):
            reports.track(session, tracking_no="YS2026-999999", query_code="AAAAAAAA", client="x")
    with session_scope(sqlite_file_engine) as session:
        reports.track(session, tracking_no=filed.tracking_no, query_code=filed.query_code)
    assert seen and all(seen)


def test_passwords_are_checked_without_holding_the_lock(sqlite_file_engine, monkeypatch):
    from portal import auth

    with session_scope(sqlite_file_engine) as session:
        users.add_account(session, username="desk", display_name="值班", password=PASSWORD,
                          roles={Role.SUPERVISOR}, unit_id=None)
        session.commit()
    seen = []
    real = auth.verify_password

    def watching(*args):
        seen.append(write_lock_is_free(sqlite_file_engine))
        return real(*args)

    monkeypatch.setattr(auth, "verify_password", watching)
    for password in ("wrong-password", PASSWORD):
        with session_scope(sqlite_file_engine) as session:
            try:
                authenticate(session, username="desk", password=password, client="c")
            except LoginFailed:
                pass
    assert seen == [True, True]


def test_a_filing_waits_out_a_busy_database_and_is_stored_once(sqlite_file_engine,
                                                               hold_write_lock, settings_env):
    settings_env(sqlite_busy_timeout_ms=100)  # each wait is short: the retries carry it
    from portal.db import make_engine

    impatient = make_engine(str(sqlite_file_engine.url))
    holder = hold_write_lock(0.8)
    with session_scope(impatient) as session:
        filed = reports.file_report(session, actor=None, data=valid_input())
    holder.join()
    assert filed.tracking_no
    assert count_reports(sqlite_file_engine) == 1
    impatient.dispose()


def test_retries_are_bounded_and_leave_nothing_behind(sqlite_file_engine, hold_write_lock,
                                                      settings_env):
    settings_env(sqlite_busy_timeout_ms=50, write_retries=2)
    from portal.db import make_engine

    impatient = make_engine(str(sqlite_file_engine.url))
    holder = hold_write_lock(2.0)
    with session_scope(impatient) as session:
        with pytest.raises(OperationalError, match="database is locked"):
            reports.file_report(session, actor=None, data=valid_input())
    holder.join()
    assert count_reports(sqlite_file_engine) == 0
    impatient.dispose()


def test_only_busy_errors_are_retried(sqlite_file_engine):
    calls = []

    def write():
        calls.append(1)
        raise IntegrityError("INSERT …", {}, Exception("UNIQUE constraint failed"))

    with session_scope(sqlite_file_engine) as session:
        session.exec(text("SELECT 1"))
        with pytest.raises(IntegrityError):
            write_with_retry(session, write)
    assert calls == [1]


def test_select_for_update_takes_the_write_lock_first(sqlite_file_engine):
    with session_scope(sqlite_file_engine) as session:
        session.exec(select(Report.id).limit(1)).all()
        assert write_lock_is_free(sqlite_file_engine)
        session.exec(select(Report).where(Report.id == 1).with_for_update()).first()
        assert not write_lock_is_free(sqlite_file_engine)
        session.rollback()
    assert write_lock_is_free(sqlite_file_engine)
