"""Scheduled jobs on several nodes (#17): two `escalate` runs at once issue each notice once.

The cron runs on every node of a larger deployment, or an officer runs `escalate` by hand while
the cron's run is under way. On PostgreSQL a transaction-level advisory lock lets one run work
while the other skips at once (`JobRunning`); on SQLite the second waits for the write lock and
then finds nothing left to do. Either way: one notice per overdue report, never two.
"""

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from portal import clock, escalation, report_flow, reports
from portal.db import session_scope, take_job_lock
from portal.errors import JobRunning
from portal.models import Notice
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services.test_reports import valid_input

ASSIGNED_AT = datetime(2026, 11, 2, 9, 0)  # Monday: respond by 3 Nov
MORNING = date(2026, 11, 5)  # Thursday: every report is overdue for its response
OVERDUE = 12


def seed_overdue(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: ASSIGNED_AT)
    with session_scope(engine) as session:
        office = make_user(session, Role.SUPERVISOR)
        for n in range(OVERDUE):
            filed = reports.file_report(session, actor=None,
                                        data=valid_input(title=f"逾期未响应 {n}"))
            report_flow.assign(session, actor=office, report_id=filed.report_id,
                               unit_id=unit_id(session), category_number=None)
        session.commit()


def run_twice_at_once(engine: Engine) -> tuple[list[int], list[str]]:
    """Two runs started together; how many notices each issued, and what each refused."""
    start = threading.Barrier(2)
    issued: list[int] = []
    skipped: list[str] = []

    def run() -> None:
        start.wait()
        try:
            with session_scope(engine) as session:
                issued.append(len(escalation.escalate(session, today=MORNING)))
        except JobRunning as busy:
            skipped.append(busy.key)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return issued, skipped


def notices_per_report(engine: Engine) -> list[int]:
    with session_scope(engine) as session:
        return list(session.exec(select(func.count()).select_from(Notice)
                                 .group_by(Notice.report_id)).all())


def check(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    seed_overdue(engine, monkeypatch)
    issued, skipped = run_twice_at_once(engine)
    assert sum(issued) == OVERDUE and len(issued) + len(skipped) == 2
    assert notices_per_report(engine) == [1] * OVERDUE
    with session_scope(engine) as session:  # later the same day: still nothing twice
        assert escalation.escalate(session, today=MORNING) == []


def test_two_escalate_runs_on_sqlite_issue_each_notice_once(sqlite_file_engine, monkeypatch):
    check(sqlite_file_engine, monkeypatch)


def test_two_escalate_runs_on_postgresql_issue_each_notice_once(postgres_engine, monkeypatch):
    check(postgres_engine, monkeypatch)


def test_a_second_node_skips_while_the_first_runs_on_postgresql(postgres_engine, monkeypatch):
    seed_overdue(postgres_engine, monkeypatch)
    with session_scope(postgres_engine) as first:
        assert take_job_lock(first, "escalate")  # the first node's run is under way
        with session_scope(postgres_engine) as second, pytest.raises(JobRunning):
            escalation.escalate(second, today=MORNING)
        first.rollback()
    with session_scope(postgres_engine) as later:
        assert len(escalation.escalate(later, today=MORNING)) == OVERDUE
