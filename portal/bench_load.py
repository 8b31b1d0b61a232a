"""The bench's writes under load (#17): the morning escalation over a set number of overdue
items, and intake — threads filing through the service beside a floor of the same hash and a
bare INSERT, with the office queue read meanwhile.

Both leave the bench database as they found it except for the filings of the intake run, which
are real reports (the floor's rows are deleted again).
"""

import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, text
from sqlmodel import select

from portal import escalation, reports, supervised
from portal.db import bulk_insert, insert_returning_ids, session_scope
from portal.models import Report
from portal.notifications import worker as notify_worker
from portal.notifications.tables import NotificationEvent, OutboxMessage
from portal.report_types import WITH_UNIT
from portal.reports import ReportInput, hash_query_code, new_query_code
from portal.roles import Actor
from portal.settings import get_settings

OPEN = "('" + "', '".join(sorted(WITH_UNIT)) + "')"
FLOOR_TITLE = "压测下限"


def escalate_items(engine: Engine, *, items: int) -> tuple[float, int, int]:
    """(seconds, overdue items, notices issued) of `escalate --dry-run` on a day when exactly
    `items` items are overdue: the open self-check problems past their deadline, and as many
    open reports as make up the rest — the deadlines of the first of them are put before that
    day and the others' after it, in the run's own transaction, which the dry run rolls back
    with everything it wrote."""
    day = date.today() + timedelta(days=60)
    with session_scope(engine) as session:
        others = len(supervised.overdue(session, today=day, kinds=(
            supervised.TASK, supervised.STAGE, supervised.PROBLEM)))
        cut = session.execute(text(
            f"SELECT id FROM reports WHERE status IN {OPEN} AND current_due IS NOT NULL "
            "ORDER BY id LIMIT 1 OFFSET :n"), {"n": max(items - others - 1, 0)}).scalar()
        if cut is None:
            cut = session.execute(text("SELECT MAX(id) FROM reports")).scalar() or 0
        for sign, due in (("<=", day - timedelta(days=3)), (">", day + timedelta(days=30))):
            session.execute(text(f"UPDATE reports SET current_due = :due WHERE status IN {OPEN}"
                                 f" AND current_due IS NOT NULL AND id {sign} :cut"),
                            {"due": due, "cut": cut})
        overdue = len(supervised.overdue(session, today=day))
        began = time.perf_counter()
        issued = escalation.escalate(session, today=day, dry_run=True, force=True)
        seconds = time.perf_counter() - began
    return seconds, overdue, len(issued)


@dataclass
class Intake:
    """One intake run: filings per second, latencies, and what went wrong."""

    filings: int = 0
    refused: int = 0
    latencies: list[float] = field(default_factory=list)
    tracking_nos: list[str] = field(default_factory=list)
    seconds: float = 0.0
    reads: int = 0

    def file(self, lock: threading.Lock, began: float, tracking_no: str | None = None) -> None:
        with lock:
            self.filings += 1
            self.latencies.append(time.perf_counter() - began)
            if tracking_no is not None:
                self.tracking_nos.append(tracking_no)

    def refuse(self, lock: threading.Lock) -> None:
        with lock:
            self.refused += 1

    @property
    def per_second(self) -> float:
        return round(self.filings / self.seconds, 1) if self.seconds else 0.0

    @property
    def p95_ms(self) -> float:
        if len(self.latencies) < 2:
            return round(sum(self.latencies) * 1000, 1)
        return round(statistics.quantiles(self.latencies, n=20)[-1] * 1000, 1)


def _run_threads(work: Callable[[Intake, threading.Lock], None], *, threads: int,
                 seconds: float, reader: Callable[[], None] | None = None) -> Intake:
    """`work` in `threads` threads until `seconds` have passed; `reader` (the office queue) in
    one more thread meanwhile, counted in `reads`."""
    result, lock, stop = Intake(), threading.Lock(), threading.Event()

    def loop() -> None:
        while not stop.is_set():
            work(result, lock)

    def read_loop() -> None:
        while not stop.is_set():
            reader()
            with lock:
                result.reads += 1

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    if reader is not None:
        workers.append(threading.Thread(target=read_loop))
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    result.seconds = time.perf_counter() - began
    return result


def _file(engine: Engine, serial: list[int]) -> Callable[[Intake, threading.Lock], None]:
    def work(result: Intake, lock: threading.Lock) -> None:
        with lock:
            serial[0] += 1
            n = serial[0]
        began = time.perf_counter()
        try:
            with session_scope(engine) as session:
                filed = reports.file_report(session, actor=None, data=ReportInput(
                    kind="complaint", title=f"压测反映 {n}",
                    description="营业执照变更登记多次往返仍未办结，请协调。",
                    contact_name="王明", contact_mobile="13900001111",
                    company_name="压测科技有限公司"))
        except Exception:  # noqa: BLE001 - a refusal is what this counts
            result.refuse(lock)
            return
        result.file(lock, began, filed.tracking_no)
    return work


def _bare_insert(engine: Engine) -> Callable[[Intake, threading.Lock], None]:
    """The floor of one filing: the query code's hash and one INSERT, nothing else."""
    def work(result: Intake, lock: threading.Lock) -> None:
        began = time.perf_counter()
        code_hash = hash_query_code(new_query_code())
        try:
            with engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO reports (tracking_no, query_code_hash, kind, channel, title, "
                    "description, place, anonymous, confidential, status, deadline_estimated, "
                    "reopen_count, created_at, updated_at) VALUES (:no, :hash, 'complaint', "
                    "'web', :title, '压测', '', 1 = 0, 1 = 0, 'submitted', 1 = 0, 0, "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                    {"no": f"F{uuid.uuid4().hex[:15]}",  # tracking numbers are 20 long
                     "hash": code_hash, "title": FLOOR_TITLE})
        except Exception:  # noqa: BLE001
            result.refuse(lock)
            return
        result.file(lock, began)
    return work


def intake(engine: Engine, *, office: Actor, threads: int, seconds: float) -> dict:
    """Filings through the service beside the floor, each with the office queue read in one
    more thread meanwhile (as a Streamlit server serves both), and the reads per second alone,
    during the floor (what the CPU leaves a reader, no lock involved) and during the service."""
    def read() -> None:
        with session_scope(engine) as session:
            reports.office_queue(session, actor=office)

    idle = _run_threads(lambda *_: None, threads=0, seconds=min(seconds, 5), reader=read)
    floor = _run_threads(_bare_insert(engine), threads=threads, seconds=seconds, reader=read)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM reports WHERE title = :t"), {"t": FLOOR_TITLE})
    service = _run_threads(_file(engine, [0]), threads=threads, seconds=seconds, reader=read)
    with session_scope(engine) as session:
        stored = session.exec(select(func.count(), func.count(func.distinct(
            Report.tracking_no))).where(Report.title.like("压测反映 %"),
                                        Report.tracking_no.in_(service.tracking_nos))).one()
    idle_rate = idle.reads / idle.seconds
    floor_rate = floor.reads / floor.seconds
    busy_rate = service.reads / service.seconds
    return {"threads": threads, "seconds": seconds,
            "service_per_second": service.per_second, "floor_per_second": floor.per_second,
            "ratio": round(service.per_second / floor.per_second, 2) if floor.filings else None,
            "service_p95_ms": service.p95_ms, "floor_p95_ms": floor.p95_ms,
            "refused": service.refused, "floor_refused": floor.refused,
            "duplicates": stored[0] - stored[1],
            "lost": service.filings - stored[1],
            "reads_per_second_idle": round(idle_rate, 1),
            "reads_per_second_during_floor": round(floor_rate, 1),
            "reads_per_second_while_filing": round(busy_rate, 1),
            "reads_kept": round(busy_rate / idle_rate, 2) if idle_rate else None,
            "reads_kept_of_floor": round(busy_rate / floor_rate, 2) if floor_rate else None}


def notify(engine: Engine, *, count: int) -> dict:
    """`notify --once` delivering `count` pending SMS through the file backend (the 站内信 are
    written with the change; e-mail and SMS go through this worker): seconds and messages per
    second. The messages, their attempts and their event are deleted afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        settings = get_settings().model_copy(update={
            "sms_backend": "file", "sms_file": str(Path(folder) / "sms.jsonl"),
            "notify_quiet_start": 0, "notify_quiet_end": 0})
        now = datetime.now()
        with session_scope(engine) as session:
            event_id = insert_returning_ids(session, NotificationEvent.__table__, [
                {"event": "notice_issued", "dedupe_key": None, "created_at": now}])[0]
            bulk_insert(session, OutboxMessage.__table__, [
                {"event_id": event_id, "event": "notice_issued", "channel": "sms",
                 "user_id": None, "unit_id": None, "address": "13900001111",
                 "subject": "督办通知", "body": f"压测短信 {n}", "link": "", "to_filer": False,
                 "quiet_exempt": True, "status": "pending", "attempts": 0,
                 "next_attempt_at": now, "last_error": "", "created_at": now}
                for n in range(count)])
            session.commit()
        began = time.perf_counter()
        stats = notify_worker.run_once(engine, settings=settings)
        seconds = time.perf_counter() - began
    with engine.begin() as connection:
        connection.execute(text(
            "DELETE FROM notification_attempts WHERE outbox_id IN "
            "(SELECT id FROM notification_outbox WHERE event_id = :e)"), {"e": event_id})
        connection.execute(text("DELETE FROM notification_outbox WHERE event_id = :e"),
                           {"e": event_id})
        connection.execute(text("DELETE FROM notification_events WHERE id = :e"),
                           {"e": event_id})
    return {"messages": count, "sent": stats.sent, "seconds": round(seconds, 2),
            "per_second": round(stats.sent / seconds, 1) if seconds else None}
