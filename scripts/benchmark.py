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

from sqlalchemy import insert, text
from sqlmodel import func, select

from portal import escalation, migrate, reports, stats
from portal.db import make_engine, session_scope
from portal.models import Report, Unit
from portal.roles import Actor, Role

ANSWERED = ("acknowledged", "replied", "closed", "reopened")
REPLIED = ("replied", "closed", "reopened")
OUTCOMES = ("resolved", "resolved", "partly", "unresolved")
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
                    else None, "reopen_count": 0, "created_at": created, "updated_at": created,
                    # the figures' columns (#13): accepted the day filed, answered within days
                    "accepted_on": created.date() if with_unit else None,
                    "first_reply_due": due,
                    "responded_at": created + timedelta(hours=rng.randint(1, 40))
                    if status in ANSWERED else None,
                    "first_replied_at": created + timedelta(days=rng.randint(1, 8))
                    if status in REPLIED else None,
                    "reply_outcome": rng.choice(OUTCOMES) if status in REPLIED else None})
            connection.execute(insert(Report), rows)
            done += len(rows)
            print(f"  {done:,} reports", end="\r", flush=True)
        # one rating per answered report, one in five unsatisfied (one INSERT … SELECT)
        connection.execute(text(
            "INSERT INTO report_ratings (report_id, unit_id, round, at, channel, rating, comment) "
            "SELECT id, unit_id, 0, created_at, 'web', CASE WHEN id % 5 = 0 THEN 'unsatisfied' "
            "ELSE 'satisfied' END, '' FROM reports WHERE status IN ('closed', 'reopened')"))
    print()


def build_history(engine) -> None:  # noqa: ANN001
    """The events and notices the figures read besides the reports (INSERT … SELECT): a submit
    event per report, an assign event per accepted one and a reject event per refused one (each
    refusal for one of the units), and a 提醒单 for one accepted report in ten (one in five of
    them withdrawn)."""
    with engine.begin() as connection:
        if connection.execute(text("SELECT COUNT(*) FROM report_events")).scalar():
            return
        connection.execute(text(
            "INSERT INTO report_events (report_id, at, action, public, note_public, note) "
            "SELECT id, created_at, 'submit', 1 = 1, 1 = 0, '' FROM reports"))
        connection.execute(text(
            "INSERT INTO report_events (report_id, at, action, unit_id, public, note_public, note) "
            "SELECT id, created_at, 'assign', unit_id, 1 = 1, 1 = 0, '' FROM reports "
            "WHERE accepted_on IS NOT NULL"))
        unit_ids = [row[0] for row in connection.execute(text("SELECT id FROM units"))]
        named = " ".join(f"WHEN {i} THEN {uid}" for i, uid in enumerate(unit_ids))
        connection.execute(text(
            f"UPDATE reports SET concerned_unit_id = CASE id % {len(unit_ids)} {named} END "
            "WHERE status = 'rejected'"))
        connection.execute(text(
            "INSERT INTO report_events (report_id, at, action, public, note_public, note) "
            "SELECT id, created_at, 'reject', 1 = 1, 1 = 1, '' FROM reports "
            "WHERE status = 'rejected'"))
        connection.execute(text(
            "INSERT INTO notices (kind, number, item_kind, item_id, report_id, unit_id, issued_on, "
            "issued_at, reason, overdue_days, deadline_estimated, withdrawn, withdrawn_reason, "
            "overdue_calendar_days) "
            "SELECT 'reminder', 'BENCH-' || id, 'report', id, id, unit_id, accepted_on, "
            "created_at, '逾期', 1, "
            "1 = 0, id % 50 = 0, '', 1 FROM reports "
            "WHERE accepted_on IS NOT NULL AND id % 10 = 0"))


def timed(label: str, fn, repeat: int = 5) -> float:  # noqa: ANN001
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - began) * 1000)
    median = statistics.median(runs)
    print(f"{label:<50} median {median:8.1f} ms   max {max(runs):8.1f} ms")
    return median


# The floor: the same numbers as stats.compute (per unit; the district is their sum), written by
# hand for SQLite — the same query shapes and the same indexes (migration 0014) as stats.py, so the
# ratio measures what the ORM and the Python around it cost. `unit_id + 0`: see stats.UNIT_GROUP.
FLOOR_SQL = """
SELECT r.unit_id + 0, COUNT(*),
  SUM(CASE WHEN r.status IN ('replied', 'closed', 'closed_unrated') THEN 1 ELSE 0 END),
  SUM(CASE WHEN r.responded_at IS NOT NULL AND date(r.responded_at) <= r.respond_due
      THEN 1 ELSE 0 END),
  SUM(CASE WHEN r.responded_at IS NOT NULL OR r.respond_due < :today THEN 1 ELSE 0 END),
  SUM(CASE WHEN r.first_replied_at IS NOT NULL AND date(r.first_replied_at) <= r.first_reply_due
      THEN 1 ELSE 0 END),
  SUM(CASE WHEN r.first_replied_at IS NOT NULL OR r.first_reply_due < :today THEN 1 ELSE 0 END),
  SUM(CASE WHEN l.rating IN ('satisfied', 'basically') THEN 1 ELSE 0 END),
  SUM(CASE WHEN l.id IS NOT NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN f.rating IN ('satisfied', 'basically') THEN 1 ELSE 0 END),
  SUM(CASE WHEN g.bad = 1 AND l.rating IN ('satisfied', 'basically') THEN 1 ELSE 0 END),
  SUM(CASE WHEN g.bad = 1 THEN 1 ELSE 0 END),
  SUM(CASE WHEN r.reply_outcome = 'resolved' THEN 1 ELSE 0 END),
  SUM(CASE WHEN r.reply_outcome IS NOT NULL THEN 1 ELSE 0 END)
FROM reports r
LEFT JOIN (SELECT x.report_id, MIN(x.id) AS first_id, MAX(x.id) AS last_id,
                  MAX(CASE WHEN x.rating = 'unsatisfied' THEN 1 ELSE 0 END) AS bad
           FROM report_ratings x JOIN reports y ON y.id = x.report_id
           WHERE y.accepted_on BETWEEN :start AND :end AND y.merged_into_id IS NULL
           GROUP BY x.report_id) g ON g.report_id = r.id
LEFT JOIN report_ratings f ON f.id = g.first_id
LEFT JOIN report_ratings l ON l.id = g.last_id
WHERE r.accepted_on BETWEEN :start AND :end AND r.merged_into_id IS NULL
GROUP BY r.unit_id + 0
"""
FLOOR_REJECTED_SQL = """
SELECT r.concerned_unit_id, COUNT(*)
FROM (SELECT DISTINCT report_id FROM report_events
      WHERE action = 'reject' AND at >= :since AND at < :until) e
JOIN reports r ON r.id = e.report_id
WHERE r.status = 'rejected' AND r.merged_into_id IS NULL
GROUP BY r.concerned_unit_id
"""
FLOOR_NOTICES_SQL = """
SELECT unit_id, kind, COUNT(*) FROM notices
WHERE issued_on BETWEEN :start AND :end AND withdrawn = 0 AND item_kind = 'report'
GROUP BY unit_id, kind
"""


def figures_benchmark(session, office) -> None:  # noqa: ANN001
    """stats.py's figure queries beside the hand-written floor (issue #13: ≤ 1.5×, < 300 ms):
    cold (cache emptied before each run) and cached (nothing written in between)."""
    today = date.today()
    last_month = today.replace(day=1) - timedelta(days=1)
    month = (last_month.replace(day=1), last_month)  # the last whole calendar month
    year = (today - timedelta(days=365), today)
    for label, (start, end) in (("month", month), ("year", year)):
        params = {"start": start, "end": end, "today": today, "since": f"{start} 00:00:00",
                  "until": f"{end + timedelta(days=1)} 00:00:00"}
        floor = timed(f"figures floor: hand SQL, {label}", lambda params=params: [
            session.execute(text(sql), params).all()
            for sql in (FLOOR_SQL, FLOOR_REJECTED_SQL, FLOOR_NOTICES_SQL)], repeat=9)
        calls = {
            "stats.compute (units+total)": lambda s=start, e=end: stats.compute(
                session, start=s, end=e),
            "per area": lambda s=start, e=end: stats.area_figures(
                session, actor=office, start=s, end=e),
            "trend by week": lambda s=start, e=end: stats.trend(
                session, actor=office, start=s, end=e, by="week"),
            "unit × area": lambda s=start, e=end: stats.unit_area(
                session, actor=office, start=s, end=e),
        }
        for name, call in calls.items():
            cold = timed(f"figures: {name}, {label}, cold",
                         lambda call=call: (stats.clear_cache(), call()), repeat=9)
            timed(f"figures: {name}, {label}, cached", call, repeat=9)
            if name.startswith("stats.compute"):
                print(f"{'':<50} cold / floor = {cold / floor:.2f}×")


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
    build_history(engine)
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
        figures_benchmark(session, office)
        timed("escalate --dry-run (next day)", lambda: escalation.escalate(
            session, today=date.today() + timedelta(days=1), dry_run=True), repeat=1)


if __name__ == "__main__":
    main()
