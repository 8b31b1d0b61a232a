"""Time the report lists and counters on a large database (default 1,000,000 reports).

    .venv/bin/python scripts/benchmark.py [--reports 1000000] [--database sqlite:///…]

Builds the database once (bulk inserts, not the services, so that it takes minutes, not
hours), then times the calls the dashboards make. Speed is checked here, not in tests.
`python -m portal bench` (portal/bench.py, the same data) prints every call beside its floor;
this script adds the figures' cold and cached timings of #13.
"""

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from portal import escalation, migrate, reports, stats
from portal.bench import FLOOR_NOTICES_SQL, FLOOR_REJECTED_SQL, FLOOR_SQL
from portal.bench_data import build, build_history
from portal.db import make_engine, session_scope
from portal.models import Unit
from portal.roles import Actor, Role


def timed(label: str, fn, repeat: int = 5) -> float:  # noqa: ANN001
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - began) * 1000)
    median = statistics.median(runs)
    print(f"{label:<50} median {median:8.1f} ms   max {max(runs):8.1f} ms")
    return median


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
