"""`python -m portal bench` (#17): a large database built with bulk inserts (portal/bench_data.py),
and what the pages call timed beside its floor — one hand-written SQL query for the same result
on the same data — then the morning escalation over 20,000 overdue items, the notification
worker's delivery rate, whole page renders
with their peak memory (portal/ui/bench_pages.py) and intake under 8 threads beside its floor
(portal/bench_load.py).

    python -m portal bench [--reports 1000000] [--units 200] [--accounts 100000]
                           [--database-url URL] [--json PATH] [--explain]

Each call and its floor run interleaved, `--repeat` times; the table gives the medians and their
ratio, `--explain` the plans of both. The database is kept (a SQLite file in the temporary
directory by default) and reused when it already holds enough reports. Speed is measured here,
never asserted in the tests.
"""

import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, event, text
from sqlmodel import Session, func, select

from portal import (
    bench_data,
    bench_load,
    board,
    migrate,
    quotas,
    reports,
    selfcheck,
    stats,
    users,
    workdays,
)
from portal.db import make_engine, session_scope
from portal.models import SelfcheckCampaign, Unit, User
from portal.notifications import inbox
from portal.roles import Actor

# The floor: the same numbers as stats.compute (per unit; the district is their sum), written by
# by hand (SQL that SQLite and PostgreSQL both read) — the same query shapes and the same indexes (migration 0014) as stats.py, so the
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
WHERE issued_on BETWEEN :start AND :end AND NOT withdrawn AND item_kind = 'report'
GROUP BY unit_id, kind
"""




@dataclass
class Result:
    name: str
    service_ms: float
    floor_ms: float | None
    ratio: float | None
    plan: list[str] = field(default_factory=list)  # EXPLAIN of the call's queries
    floor_plan: list[str] = field(default_factory=list)


def _median_ms(runs: list[float]) -> float:
    return round(statistics.median(runs) * 1000, 1)


@contextmanager
def captured(engine: Engine) -> Iterator[list[tuple[str, object]]]:
    """The queries (SELECT or WITH) sent meanwhile, with their parameters."""
    statements: list[tuple[str, object]] = []

    def note(_conn, _cursor, statement, parameters, _context, executemany) -> None:  # noqa: ANN001
        if not executemany and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def explain(session: Session, statements: list[tuple[str, object]]) -> list[str]:
    """The plan of each query: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN."""
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    lines: list[str] = []
    for statement, parameters in statements:
        lines.append("-- " + " ".join(statement.split())[:160])
        rows = connection.exec_driver_sql(
            ("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, parameters).all()
        lines += [f"   {row[3]}" if sqlite else f"   {row[0]}" for row in rows]
    return lines


def measure(name: str, call: Callable[[], object], floor: Callable[[], object] | None,
            repeat: int, *, session: Session | None = None) -> Result:
    """The call and its floor, interleaved so that both see the same cache and load; with a
    session, the plans of the queries of each (read on one more run of each)."""
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
    result = Result(name, service, floor_ms, ratio)
    if session is not None:
        engine = session.get_bind().engine
        with captured(engine) as statements:
            call()
        result.plan = explain(session, statements)
        if floor is not None:
            with captured(engine) as statements:
                floor()
            result.floor_plan = explain(session, statements)
    return result


def _sql(session: Session, sql: str, **params: object) -> Callable[[], object]:
    return lambda: session.execute(text(sql), params).all()


COLUMNS = "id, tracking_no, title, status, unit_id, current_due, created_at"
WAITING = "('submitted', 'returned')"


def _actor(session: Session, username: str) -> Actor:
    actor = users.load_actor(session, username=username)
    if actor is None:
        raise RuntimeError(f"bench account {username} missing")
    return actor


def page_calls(engine: Engine, *, repeat: int, explain_plans: bool) -> list[Result]:
    """What the list and dashboard pages call, each beside its floor."""
    today = date.today()
    last_month = today.replace(day=1) - timedelta(days=1)
    results = []
    with session_scope(engine) as session:
        office = _actor(session, bench_data.OFFICE)
        unit_id = session.exec(select(Unit.id).order_by(Unit.id)).first()
        unit = _actor(session, bench_data.unit_user(unit_id))
        next_day = workdays.add_working_days(today, 1, session=session)  # for the card floor
        accounts = session.exec(select(func.count()).select_from(User)).one()
        company = bench_data.company_user(max(accounts - 1, 0) // 2)
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
            (f"login, 1 of {accounts:,} accounts",
             lambda: (users.credentials(session, usernames=[company]),
                      users.load_actor(session, username=company)),
             lambda: (_sql(session, "SELECT * FROM users WHERE username = :n", n=company)(),
                      _sql(session, "SELECT role FROM user_roles WHERE user_id = "
                                    "(SELECT id FROM users WHERE username = :n)", n=company)())),
        ]
        sqlite = engine.dialect.name == "sqlite"
        for label, (start, end) in (("month", (last_month.replace(day=1), last_month)),
                                    ("year", (today - timedelta(days=365), today))):
            since = datetime.combine(start, datetime.min.time())
            until = datetime.combine(end + timedelta(days=1), datetime.min.time())
            params = {"start": start, "end": end, "today": today,  # SQLite compares text
                      "since": str(since) if sqlite else since,
                      "until": str(until) if sqlite else until}
            pairs.append((f"figures of #13, {label}, cold",
                          lambda s=start, e=end: (stats.clear_cache(),
                                                  stats.compute(session, start=s, end=e)),
                          lambda p=params: [session.execute(text(q), p).all() for q in (
                              FLOOR_SQL, FLOOR_REJECTED_SQL, FLOOR_NOTICES_SQL)]))
        pairs.append(("public board, year, cached",
                      lambda: board.period_board(session, year=today.year, month=None), None))
        pairs += _discipline_calls(session, today=today, sqlite=sqlite)
        for name, call, floor in pairs:
            results.append(measure(name, call, floor, repeat,
                                   session=session if explain_plans else None))
            show(results[-1])
    return results


UNTRUE_SQL = (
    "SELECT f.unit_id, r.category_number, c.quarter FROM selfcheck_rows r "
    "JOIN selfcheck_forms f ON f.id = r.form_id JOIN selfcheck_campaigns c "
    "ON c.id = f.campaign_id WHERE c.year = :year AND r.has_problem = (1 = 0) "
    "AND f.status IN ('submitted', 'accepted')",
    "SELECT unit_id, category_number, title FROM typical_cases WHERE status = 'verified' "
    "AND found_on BETWEEN :start AND :end",
    "SELECT r.unit_id, c.number, COUNT(*), MIN(r.tracking_no) FROM reports r "
    "JOIN categories c ON c.id = r.category_id WHERE r.status IN ('replied', 'closed', "
    "'closed_unrated') AND r.created_at >= :since AND r.created_at < :until "
    "GROUP BY r.unit_id, c.number")
COMPLETION_SQL = (
    "SELECT r.form_id, SUM(CASE WHEN r.has_problem THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN r.has_problem AND r.progress <> 'done' THEN 1 ELSE 0 END) "
    "FROM selfcheck_rows r JOIN selfcheck_forms f ON f.id = r.form_id "
    "WHERE f.campaign_id = :campaign GROUP BY r.form_id",
    "SELECT u.id, u.name, f.id, f.status, f.submitted_at, f.late FROM units u "
    "JOIN selfcheck_campaign_units cu ON cu.unit_id = u.id LEFT JOIN selfcheck_forms f "
    "ON f.unit_id = u.id AND f.campaign_id = :campaign WHERE cu.campaign_id = :campaign "
    "ORDER BY u.sort_order, u.id")


def _quota_floor(days: list[date]) -> str:
    """Verified cases per unit up to each checkpoint, and sanctioned ones, in one query."""
    sanctioned = ("id IN (SELECT case_id FROM case_outcomes WHERE outcome IN "
                  "('party', 'government', 'judicial'))")
    columns = ", ".join(
        f"SUM(CASE WHEN concluded_on <= :d{i} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN concluded_on <= :d{i} AND {sanctioned} THEN 1 ELSE 0 END)"
        for i in range(len(days)))
    return (f"SELECT unit_id, COUNT(*), SUM(CASE WHEN {sanctioned} THEN 1 ELSE 0 END)"
            f"{', ' + columns if columns else ''} FROM typical_cases WHERE status = 'verified' "
            "AND concluded_on BETWEEN :start AND :end GROUP BY unit_id")


def _discipline_calls(session: Session, *, today: date, sqlite: bool) -> list:
    """The quota table, 自查不实, self-check completion and the notification bell, each beside
    its floor."""
    discipline = _actor(session, bench_data.DISCIPLINE)
    office = _actor(session, bench_data.OFFICE)
    unit_id = session.exec(select(Unit.id).order_by(Unit.id)).first()
    unit = _actor(session, bench_data.unit_user(unit_id))
    year = today.year
    days = [c.day for c in quotas.rules_for(session, year)]
    since = datetime(year, 1, 1)
    until = datetime(year + 1, 1, 1)
    year_params = {"year": year, "start": date(year, 1, 1), "end": date(year, 12, 31),
                   "since": str(since) if sqlite else since,
                   "until": str(until) if sqlite else until}
    quota_params = {"start": date(year, 1, 1), "end": min(today, date(year, 12, 31)),
                    **{f"d{i}": min(day, today) for i, day in enumerate(days)}}
    campaign = session.exec(select(SelfcheckCampaign.id).order_by(
        SelfcheckCampaign.year.desc(), SelfcheckCampaign.quarter.desc())).first()
    return [
        ("quota table, year", lambda: quotas.dashboard(session, actor=discipline, year=year),
         _sql(session, _quota_floor(days), **quota_params)),
        ("自查不实, year",
         lambda: selfcheck.untrue_answers(session, actor=discipline, year=year),
         lambda: [session.execute(text(q), year_params).all() for q in UNTRUE_SQL]),
        ("self-check completion, latest quarter",
         lambda: selfcheck.completion(session, actor=office, campaign_id=campaign),
         lambda: [session.execute(text(q), {"campaign": campaign}).all()
                  for q in COMPLETION_SQL]),
        ("notification bell", lambda: inbox.unread_count(session, actor=unit),
         _sql(session, "SELECT COUNT(*) FROM inbox_messages WHERE user_id = :u "
                       "AND read_at IS NULL", u=unit.user_id)),
    ]


RENDERED = (  # the heaviest pages, as the account that uses them
    ("page: office dashboard (统计分析)", "pages/stats_dashboard.py", bench_data.OFFICE),
    ("page: office queue (受理分办)", "pages/intake.py", bench_data.OFFICE),
    ("page: quota dashboard (典型案例)", "pages/quota_dashboard.py", bench_data.DISCIPLINE),
    ("page: self-check review (自查审核)", "pages/selfcheck_review.py", bench_data.OFFICE),
    ("page: public board (公示栏)", "pages/board.py", None),
)


def show(result: Result) -> None:
    floor = f"{result.floor_ms:10.1f}" if result.floor_ms is not None else f"{'—':>10}"
    ratio = f"{result.ratio:7.2f}×" if result.ratio is not None else f"{'—':>8}"
    print(f"{result.name:<44}{result.service_ms:10.1f}{floor}{ratio}", flush=True)


def show_plans(results: list[Result]) -> None:
    for result in results:
        if result.plan:
            print(f"\n== {result.name}: service")
            print("\n".join(result.plan))
        if result.floor_plan:
            print(f"== {result.name}: floor")
            print("\n".join(result.floor_plan))


def main(*, reports_count: int, units: int, database_url: str | None, json_path: Path | None,
         repeat: int, escalate: bool, accounts: int = 100_000, escalate_items: int = 20_000,
         intake_seconds: float = 20.0, intake_threads: int = 8, renders: bool = True,
         explain_plans: bool = False, notify_messages: int = 2_000) -> dict:
    url = database_url or (
        f"sqlite:///{Path(tempfile.gettempdir()) / f'portal-bench-{reports_count}.sqlite3'}")
    engine = make_engine(url)
    migrate.upgrade(engine)
    print(f"数据库 / database: {engine.url.render_as_string(hide_password=True)}")
    began = time.perf_counter()
    bench_data.ensure_units(engine, units)
    bench_data.ensure_accounts(engine, accounts)
    bench_data.build(engine, reports_count)
    bench_data.build_history(engine)
    bench_data.build_categories(engine)
    bench_data.build_cases(engine)
    bench_data.build_selfchecks(engine)
    bench_data.build_inbox(engine)
    print(f"数据就绪 / data ready: {reports_count:,} reports, {units} units, "
          f"{accounts:,} company accounts, {time.perf_counter() - began:.0f} s")
    print(f"{'call':<44}{'ms':>10}{'floor ms':>10}{'ratio':>8}")
    results = page_calls(engine, repeat=repeat, explain_plans=explain_plans)
    summary: dict = {"database": engine.dialect.name, "reports": reports_count, "units": units,
                     "accounts": accounts, "repeat": repeat}
    if escalate:
        seconds, overdue, issued = bench_load.escalate_items(engine, items=escalate_items)
        summary["escalate"] = {"overdue": overdue, "issued": issued,
                               "seconds": round(seconds, 2)}
        results.append(Result(f"escalate --dry-run, {overdue:,} overdue", round(seconds * 1000, 1),
                              None, None))
        show(results[-1])
    if notify_messages:
        summary["notify"] = sent = bench_load.notify(engine, count=notify_messages)
        print(f"notify --once, {sent['messages']:,} SMS (file backend): {sent['seconds']} s, "
              f"{sent['per_second']}/s", flush=True)
    if renders:
        from portal.ui import bench_pages  # Streamlit only for this step

        summary["renders"] = bench_pages.render(
            engine.url.render_as_string(hide_password=False), list(RENDERED), repeat=repeat)
        for page in summary["renders"]:
            print(f"{page['name']:<44}{page['cold_ms']:10.1f} ms cold{page['warm_ms']:10.1f} ms "
                  f"warm{page['peak_mb']:8.1f} MB peak", flush=True)
    if intake_seconds > 0:
        with session_scope(engine) as session:
            office = _actor(session, bench_data.OFFICE)
        summary["intake"] = figures = bench_load.intake(
            engine, office=office, threads=intake_threads, seconds=intake_seconds)
        print(f"intake, {intake_threads} threads: {figures['service_per_second']}/s "
              f"(floor {figures['floor_per_second']}/s, {figures['ratio']}×), p95 "
              f"{figures['service_p95_ms']} ms, refused {figures['refused']}, duplicates "
              f"{figures['duplicates']}, lost {figures['lost']}; office queue reads "
              f"{figures['reads_per_second_idle']}/s idle, "
              f"{figures['reads_per_second_during_floor']}/s during the floor, "
              f"{figures['reads_per_second_while_filing']}/s while filing "
              f"({figures['reads_kept']}× idle, {figures['reads_kept_of_floor']}× floor)",
              flush=True)
    if explain_plans:
        show_plans(results)
    summary["results"] = [asdict(r) for r in results]
    if json_path is not None:
        json_path.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    engine.dispose()
    return summary
