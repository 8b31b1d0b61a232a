"""Faults (issue #10): a writer killed mid-write, a full disk, a read-only database.

The database must stay intact with no half report, and the services raise an error the pages
recognise as "unavailable" (tests/app/test_busy_message.py shows the user's side)."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import event, func
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from portal import audit, reports
from portal.attachments import Upload
from portal.db import is_unavailable, make_engine, session_scope
from portal.models import Attachment, AuditEvent, Report, ReportEvent
from tests.services.test_reports import valid_input

ROOT = Path(__file__).resolve().parents[2]
KILLS = 5


def half_reports(engine) -> list[str]:
    """Reports missing their tracking number, first event, attachment or audit row."""
    with session_scope(engine) as session:
        rows = session.exec(select(Report.id, Report.tracking_no)).all()
        events = set(session.exec(select(ReportEvent.report_id)
                                  .where(ReportEvent.action == "file")).all())
        files = set(session.exec(select(Attachment.report_id)).all())
        audited = set(session.exec(select(AuditEvent.entity_id)
                                   .where(AuditEvent.action == "report.file")).all())
    return [number for report_id, number in rows
            if not number or report_id not in events or report_id not in files
            or report_id not in audited]


def test_killing_a_writer_mid_write_leaves_an_intact_database(sqlite_file_engine, tmp_path):
    url = str(sqlite_file_engine.url)
    env = os.environ | {"QUERY_CODE_ITERATIONS": "1000", "PYTHONPATH": str(ROOT)}
    for _ in range(KILLS):
        victim = subprocess.Popen([sys.executable, "-m", "tests.reliability.filing_loop", url],
                                  cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        assert victim.stdout.readline().strip() == "filing"
        time.sleep(random.uniform(0.05, 0.4))  # somewhere inside a write
        victim.send_signal(signal.SIGKILL)
        victim.wait()
    database = Path(sqlite_file_engine.url.database)
    with sqlite3.connect(database) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert half_reports(sqlite_file_engine) == []
    with session_scope(sqlite_file_engine) as session:
        assert session.exec(select(func.count()).select_from(Report)).one() >= 3 * KILLS
        assert audit.verify(session).ok
    print(f"\nSIGKILL: {KILLS} writers killed mid-write, integrity ok, no half report")


def faulty_engine(url: str, pragma: str):
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def _fault(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.execute(pragma)

    return engine


def full_disk_pragma(path: Path) -> str:
    """Let the file grow by no page at all: SQLITE_FULL, as on a full disk."""
    with sqlite3.connect(path) as probe:
        pages = probe.execute("PRAGMA page_count").fetchone()[0]
    return f"PRAGMA max_page_count = {pages}"


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_a_full_disk_or_read_only_database_refuses_cleanly(sqlite_file_engine, fault):
    path = Path(sqlite_file_engine.url.database)
    pragma = full_disk_pragma(path) if fault == "full" else "PRAGMA query_only = ON"
    broken = faulty_engine(str(sqlite_file_engine.url), pragma)
    big = valid_input(uploads=[Upload("现场.png", b"\x89PNG\r\n\x1a\n" + os.urandom(2_000_000))])
    with session_scope(broken) as session:
        with pytest.raises(DBAPIError) as error:
            reports.file_report(session, actor=None, data=big)
    assert is_unavailable(error.value)
    assert ("full" if fault == "full" else "readonly") in str(error.value.orig).replace("-", "")
    broken.dispose()
    with session_scope(sqlite_file_engine) as session:
        assert session.exec(select(func.count()).select_from(Report)).one() == 0
        assert audit.verify(session).ok
