"""`python -m portal bench` (#17): a large database built with bulk inserts, and what the pages
call timed beside its floor — one hand-written SQL query for the same result on the same data.

    python -m portal bench [--reports 1000000] [--units 200] [--database-url URL] [--json PATH]

Each call and its floor run interleaved, `--repeat` times; the table gives the medians and their
ratio. The database is kept (a SQLite file in the temporary directory by default) and reused
when it already holds enough reports. Speed is measured here, never asserted in the tests.
"""

import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, text
from sqlmodel import Session, func, select

from portal import board, escalation, migrate, reports, stats, workdays
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




@dataclass
class Result:
    name: str
    service_ms: float
    floor_ms: float | None
    ratio: float | None


def ensure_units(engine: Engine, count: int) -> None:
    """At least `count` active units (the seeded ones, then 测试单位 n)."""
    with session_scope(engine) as session:
        have = session.exec(select(func.count()).select_from(Unit)).one()
        for n in range(have + 1, count + 1):
            session.add(Unit(name=f"测试单位{n:03d}", sort_order=1000 + n))
        session.commit()


def _median_ms(runs: list[float]) -> float:
    return round(statistics.median(runs) * 1000, 1)


def measure(name: str, call: Callable[[], object], floor: Callable[[], object] | None,
            repeat: int) -> Result:
    """The call and its floor, interleaved so that both see the same cache and load."""
    runs, floors = [], []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        runs.append(time.perf_counter() - began)
        if floor is not None:
            began = time.perf_counter()
            floor()
            floors.append(time.perf_counter() - began)
    service = _median_ms(runs)
    floor_ms = _median_ms(floors) if floors else None
    ratio = round(service / floor_ms, 2) if floor_ms else None
    return Result(name, service, floor_ms, ratio)


def _sql(session: Session, sql: str, **params: object) -> Callable[[], object]:
    return lambda: session.execute(text(sql), params).all()


COLUMNS = "id, tracking_no, title, status, unit_id, current_due, created_at"
WAITING = "('submitted', 'returned')"


def run(engine: Engine, *, repeat: int = 5, escalate: bool = True) -> list[Result]:
    office = Actor(user_id=0, username="bench", display_name="bench",
                   roles=frozenset({Role.SUPERVISOR}))
    with session_scope(engine) as session:
        unit_id = session.exec(select(Unit.id).order_by(Unit.id)).first()
    unit = Actor(user_id=0, username="bench_unit", display_name="bench",
                 roles=frozenset({Role.UNIT}), unit_id=unit_id)
    today = date.today()
    last_month = today.replace(day=1) - timedelta(days=1)
    with session_scope(engine) as session:  # the floor is given the next working day
        next_day = workdays.add_working_days(today, 1, session=session)
    results = []
    with session_scope(engine) as session:
        counts = "SELECT status, COUNT(*) FROM reports GROUP BY status"
        pairs = [
            ("office queue, first page", lambda: reports.office_queue(session, actor=office),
             lambda: (_sql(session, f"SELECT {COLUMNS} FROM reports WHERE status IN {WAITING} "
                                   "ORDER BY created_at DESC, id DESC LIMIT 20")(),
                      _sql(session, counts)())),
            ("office queue, page 500",
             lambda: reports.office_queue(session, actor=office, page=500),
             lambda: (_sql(session, f"SELECT {COLUMNS} FROM reports WHERE status NOT IN "
                                   f"{WAITING} ORDER BY created_at DESC, id DESC "
                                   "LIMIT 20 OFFSET 9980")(), _sql(session, counts)())),
            ("unit queue, first page", lambda: reports.unit_queue(session, actor=unit),
             lambda: (_sql(session, f"SELECT {COLUMNS} FROM reports WHERE unit_id = :u "
                                   "ORDER BY current_due IS NULL, current_due, id LIMIT 20",
                           u=unit_id)(),
                      _sql(session, "SELECT COUNT(*) FROM reports WHERE unit_id = :u",
                           u=unit_id)())),
            ("status counts", lambda: reports.status_counts(session, actor=office),
             _sql(session, counts)),
            ("red/yellow card counts", lambda: reports.card_counts(session, actor=office),
             lambda: (_sql(session, "SELECT COUNT(*) FROM reports WHERE current_due < :t",
                           t=today)(),
                      _sql(session, "SELECT COUNT(*) FROM reports WHERE current_due = :t OR "
                                    "(current_due > :t AND current_due <= :n AND "
                                    "(due_window IS NULL OR due_window > 1))",
                           t=today, n=next_day)())),
        ]
        for label, (start, end) in (("month", (last_month.replace(day=1), last_month)),
                                    ("year", (today - timedelta(days=365), today))):
            params = {"start": start, "end": end, "today": today,
                      "since": f"{start} 00:00:00",
                      "until": f"{end + timedelta(days=1)} 00:00:00"}
            floor_sql = [FLOOR_SQL, FLOOR_REJECTED_SQL, FLOOR_NOTICES_SQL]
            if engine.dialect.name != "sqlite":  # the floor is written in SQLite's dialect
                floor_sql = []
            pairs.append((f"figures of #13, {label}, cold",
                          lambda s=start, e=end: (stats.clear_cache(),
                                                  stats.compute(session, start=s, end=e)),
                          (lambda p=params, qs=tuple(floor_sql): [
                              session.execute(text(q), p).all() for q in qs])
                          if floor_sql else None))
        pairs.append(("public board, year, cached",
                      lambda: board.period_board(session, year=today.year, month=None), None))
        for name, call, floor in pairs:
            results.append(measure(name, call, floor, repeat))
            show(results[-1])
        if escalate:
            results.append(measure("escalate --dry-run, next working day", lambda: (
                escalation.escalate(session, today=today + timedelta(days=1), dry_run=True,
                                    force=True)), None, 1))
            show(results[-1])
    return results


def show(result: Result) -> None:
    floor = f"{result.floor_ms:10.1f}" if result.floor_ms is not None else f"{'—':>10}"
    ratio = f"{result.ratio:7.2f}×" if result.ratio is not None else f"{'—':>8}"
    print(f"{result.name:<40}{result.service_ms:10.1f}{floor}{ratio}", flush=True)


def main(*, reports_count: int, units: int, database_url: str | None, json_path: Path | None,
         repeat: int, escalate: bool) -> list[Result]:
    url = database_url or (
        f"sqlite:///{Path(tempfile.gettempdir()) / f'portal-bench-{reports_count}.sqlite3'}")
    engine = make_engine(url)
    migrate.upgrade(engine)
    print(f"数据库 / database: {engine.url.render_as_string(hide_password=True)}")
    began = time.perf_counter()
    ensure_units(engine, units)
    build(engine, reports_count)
    build_history(engine)
    print(f"数据就绪 / data ready: {reports_count:,} reports, {units} units, "
          f"{time.perf_counter() - began:.0f} s")
    print(f"{'call':<40}{'ms':>10}{'floor ms':>10}{'ratio':>8}")
    results = run(engine, repeat=repeat, escalate=escalate)
    if json_path is not None:
        json_path.write_text(json.dumps(
            {"database": engine.dialect.name, "reports": reports_count, "units": units,
             "repeat": repeat, "results": [asdict(r) for r in results]},
            ensure_ascii=False, indent=2))
    engine.dispose()
    return results
