"""Time the report lists and counters on a large database (default 1,000,000 reports).

    .venv/bin/python scripts/benchmark.py [--reports 1000000] [--database sqlite:///…]

Builds the database once (bulk inserts, not the services, so that it takes minutes, not
hours), then times the calls the dashboards make. Speed is checked here, not in tests.
"""

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import func, select

from portal import escalation, migrate, reports
from portal.db import make_engine, session_scope
from portal.models import Report, Unit
from portal.roles import Actor, Role

STATUSES = ("submitted", "assigned", "acknowledged", "replied", "reopened", "closed",
            "rejected", "returned")


def build(engine, count: int) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        if session.exec(select(func.count()).select_from(Report)).one() >= count:
            return
        unit_ids = list(session.exec(select(Unit.id)))
    rng = random.Random(7)
    today = date.today()
    start = datetime.combine(today, datetime.min.time()) - timedelta(minutes=count)
    batch, done = 20_000, 0
    with engine.begin() as connection:
        while done < count:
            rows = []
            for i in range(done, min(done + batch, count)):
                status = rng.choice(STATUSES)
                created = start + timedelta(minutes=i)
                with_unit = status in ("assigned", "acknowledged", "reopened", "replied",
                                       "closed")
                # open items are due around today; about one in twelve is overdue
                due = today + timedelta(days=rng.randint(-2, 21)) if with_unit else None
                rows.append({
                    "tracking_no": f"YS{created.year}-{i:07d}", "query_code_hash": "x$y",
                    "kind": "complaint", "channel": "web", "title": f"压力测试 {i}",
                    "description": "批量生成的测试数据", "place": "", "anonymous": True,
                    "confidential": True, "status": status,
                    "unit_id": rng.choice(unit_ids) if with_unit else None,
                    "respond_due": due, "reply_due": due, "deadline_estimated": False,
                    "current_due": due if status in ("assigned", "acknowledged", "reopened")
                    else None, "reopen_count": 0, "created_at": created, "updated_at": created})
            connection.execute(insert(Report), rows)
            done += len(rows)
            print(f"  {done:,} reports", end="\r", flush=True)
    print()


def timed(label: str, fn, repeat: int = 5) -> None:  # noqa: ANN001
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - began) * 1000)
    print(f"{label:<44} median {statistics.median(runs):8.1f} ms   max {max(runs):8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--database", default=None,
                        help="default: a SQLite file in the temporary directory")
    args = parser.parse_args()
    url = args.database or f"sqlite:///{Path(tempfile.gettempdir()) / 'portal-bench.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    print(f"database: {url}")
    began = time.perf_counter()
    build(engine, args.reports)
    print(f"data ready in {time.perf_counter() - began:.0f} s")
    office = Actor(user_id=0, username="bench", display_name="bench",
                   roles=frozenset({Role.SUPERVISOR}))
    with session_scope(engine) as session:
        unit_id = session.exec(select(Unit.id)).first()
    unit = Actor(user_id=0, username="bench_unit", display_name="bench",
                 roles=frozenset({Role.UNIT}), unit_id=unit_id)
    with session_scope(engine) as session:
        timed("office queue, first page", lambda: reports.office_queue(session, actor=office))
        timed("office queue, page 500", lambda: reports.office_queue(session, actor=office,
                                                                     page=500))
        timed("office queue, red cards, by deadline", lambda: reports.office_queue(
            session, actor=office, card="red", by_deadline=True))
        timed("unit queue, first page", lambda: reports.unit_queue(session, actor=unit))
        timed("status counts (GROUP BY)", lambda: reports.status_counts(session, actor=office))
        timed("card counts", lambda: reports.card_counts(session, actor=office))
        timed("escalate --dry-run (next day)", lambda: escalation.escalate(
            session, today=date.today() + timedelta(days=1), dry_run=True), repeat=1)


if __name__ == "__main__":
    main()
