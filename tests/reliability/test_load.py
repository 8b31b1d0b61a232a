"""Load: 20 threads × 200 filings while 8 threads guess query codes and log in.

A busy Monday plus an attacker: every filing must be stored exactly once (4,000 distinct
tracking numbers, none refused), guesses and logins must not make the database refuse writes.
Runs on a SQLite file, and on PostgreSQL when DATABASE_URL names one. The query-code hash cost
is QUERY_CODE_ITERATIONS (production 120,000; LOAD_ITERATIONS here, default 2,000, so that two
shared CPU cores finish in CI time) and the figures are printed (`pytest -s`).
"""

import os
import random
import threading
import time

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from portal import audit, reports, users
from portal.auth import LoginFailed, authenticate
from portal.db import session_scope
from portal.models import AuditEvent, Report, ReportEvent
from portal.roles import Role
from tests.factories import PASSWORD
from tests.services.test_reports import valid_input

FILERS = 20
PER_FILER = int(os.environ.get("LOAD_PER_FILER", "200"))
LOOKERS = 8


def run_load(engine: Engine) -> dict:
    with session_scope(engine) as session:
        users.add_account(session, username="loadstaff", display_name="压测值班员",
                          password=PASSWORD, roles={Role.SUPERVISOR}, unit_id=None)
        session.commit()
    filed: list[str] = []
    refused: list[str] = []
    look_errors: list[str] = []
    counts = {"lookups": 0, "guesses": 0, "logins_ok": 0}
    done = threading.Event()

    def filer(i: int) -> None:
        for n in range(PER_FILER):
            try:
                with session_scope(engine) as session:
                    result = reports.file_report(session, actor=None,
                                                 data=valid_input(title=f"压力测试 {i}-{n}"))
                filed.append(result.tracking_no)
            except Exception as error:  # noqa: BLE001 - any refusal is a test failure
                refused.append(repr(error))

    def looker(i: int) -> None:
        k = 0
        while not done.is_set():
            k += 1
            try:
                with session_scope(engine) as session:
                    if k % 5 == 0:  # the staff member on duty logs in from their browser
                        try:
                            authenticate(session, username="loadstaff", password=PASSWORD,
                                         client=f"staff-{i}")
                            counts["logins_ok"] += 1
                        except LoginFailed:
                            look_errors.append("the staff member's login was refused")
                    elif k % 5 == 1:  # guessing an admin password, a fresh client each time
                        counts["guesses"] += 1
                        authenticate(session, username="admin", password=f"guess-{k}",
                                     client=f"attacker-{i}-{k}")
                    else:  # guessing query codes of real numbers, a fresh client each time
                        counts["lookups"] += 1
                        number = random.choice(filed) if filed else "YS2026-000001"
                        reports.track(session, tracking_no=number, query_code="AAAAAAAA",
                                      client=f"attacker-{i}-{k}")
            except (LoginFailed, reports.TrackingFailed):
                pass
            except Exception as error:  # noqa: BLE001
                look_errors.append(repr(error))

    started = time.perf_counter()
    threads = [threading.Thread(target=filer, args=(i,)) for i in range(FILERS)]
    lookers = [threading.Thread(target=looker, args=(i,)) for i in range(LOOKERS)]
    for thread in threads + lookers:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    done.set()
    for thread in lookers:
        thread.join()
    with session_scope(engine) as session:
        stored = session.exec(select(func.count(func.distinct(Report.tracking_no)))).one()
        file_events = session.exec(select(func.count()).select_from(ReportEvent)
                                   .where(ReportEvent.action == "file")).one()
        audited = session.exec(select(func.count()).select_from(AuditEvent)
                               .where(AuditEvent.action == "report.file")).one()
        chain = audit.verify(session)
    figures = {"filings": len(filed), "distinct": len(set(filed)), "stored": stored,
               "file_events": file_events, "audited": audited, "refused": refused[:3],
               "refused_count": len(refused), "look_errors": look_errors[:3],
               "seconds": round(elapsed, 1), "filings_per_second": round(len(filed) / elapsed, 1),
               "chain_ok": chain.ok, "audit_rows": chain.count, **counts}
    print(f"\nLOAD {engine.dialect.name}: {figures}")
    return figures


def check(figures: dict) -> None:
    total = FILERS * PER_FILER
    assert figures["refused_count"] == 0, figures["refused"]
    assert figures["look_errors"] == []
    assert figures["filings"] == figures["distinct"] == figures["stored"] == total
    assert figures["file_events"] == figures["audited"] == total
    assert figures["chain_ok"]
    assert figures["lookups"] > 0 and figures["logins_ok"] > 0


@pytest.fixture
def load_settings(settings_env):
    settings_env(query_code_iterations=os.environ.get("LOAD_ITERATIONS", "2000"))


def test_concurrent_filings_on_a_sqlite_file_are_all_stored_once(load_settings,
                                                                 sqlite_file_engine):
    check(run_load(sqlite_file_engine))


def test_concurrent_filings_on_postgresql_are_all_stored_once(load_settings, postgres_engine):
    check(run_load(postgres_engine))
