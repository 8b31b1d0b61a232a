"""Delivery of the outbox: claim a row atomically, send it, record the attempt.

A row is claimed by one conditional UPDATE (`claimed_at IS NULL OR claimed_at < stale`)
committed before anything is sent; on PostgreSQL the candidates are picked with
`FOR UPDATE SKIP LOCKED` so that concurrent workers do not even queue on the same rows. Two
workers therefore never send the same row at the same time, and a sent row is never sent again.

The one honest gap: a worker killed after the channel accepted a message but before its
"sent" was committed leaves a claim that expires after NOTIFY_CLAIM_TIMEOUT_SECONDS, and the
row is then sent again (at-least-once for a crash inside that window; exactly-once otherwise).
E-mails carry a stable Message-ID and SMS a stable out_id, so the receiving side can drop
that duplicate. The alternative, marking rows sent before sending, would lose messages instead.
"""

import os
import socket
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, or_, update
from sqlmodel import Session, col, select

from portal import clock
from portal.notifications import channels
from portal.notifications.tables import (
    DeliveryAttempt,
    NotificationPreference,
    OutboxMessage,
    UnitWebhook,
)
from portal.settings import Settings, get_settings

PENDING, SENT, FAILED = "pending", "sent", "failed"


@dataclass
class RunStats:
    sent: int = 0
    failed: int = 0  # gave up after the last attempt
    retrying: int = 0
    deferred: int = 0  # quiet hours
    errors: list[str] = field(default_factory=list)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{id(object())}"[:80]


def enabled_channels(settings: Settings) -> list[str]:
    enabled = ["dingtalk", "wecom"]
    if channels.email_enabled(settings):
        enabled.append("email")
    if settings.sms_backend in ("file", "http"):
        enabled.append("sms")
    return enabled


def _claimable(now: datetime, settings: Settings):  # noqa: ANN202
    stale = now - timedelta(seconds=settings.notify_claim_timeout_seconds)
    return and_(OutboxMessage.status == PENDING, col(OutboxMessage.next_attempt_at) <= now,
                or_(col(OutboxMessage.claimed_at).is_(None),
                    col(OutboxMessage.claimed_at) < stale),
                col(OutboxMessage.channel).in_(enabled_channels(settings)))


def claim(engine: Engine, *, worker: str, limit: int = 20,
          settings: Settings | None = None) -> list[int]:
    """Claim up to `limit` due rows for `worker`, committed before anything is sent.

    Another worker may take the rows this one saw between its read and its update; then it
    looks again, so an empty answer means nothing is left to claim, not "lost a race".
    """
    settings = settings or get_settings()
    while True:
        candidates, claimed = _claim_once(engine, worker=worker, limit=limit,
                                          settings=settings)
        if claimed or not candidates:
            return claimed


def _claim_once(engine: Engine, *, worker: str, limit: int,
                settings: Settings) -> tuple[list[int], list[int]]:
    now = clock.precise_now()
    with Session(engine) as session:
        query = (select(OutboxMessage.id).where(_claimable(now, settings))
                 .order_by(OutboxMessage.id).limit(limit))
        if engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        candidates = list(session.exec(query))
        claimed = []
        for row_id in candidates:
            result = session.exec(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, _claimable(now, settings))
                .values(claimed_at=now, claimed_by=worker,
                        attempts=OutboxMessage.attempts + 1))
            if result.rowcount == 1:
                claimed.append(row_id)
        session.commit()
    return candidates, claimed


def in_quiet_hours(moment: datetime, start: int, end: int) -> bool:
    hour = moment.hour
    if start == end:
        return False
    return start <= hour or hour < end if start > end else start <= hour < end


def quiet_until(moment: datetime, end: int) -> datetime:
    until = moment.replace(hour=end, minute=0, second=0, microsecond=0)
    return until if until > moment else until + timedelta(days=1)


def _quiet_window(session: Session, message: OutboxMessage,
                  settings: Settings) -> tuple[int, int]:
    """The recipient's quiet hours, or the installation's (filers, users who never chose)."""
    pref = session.get(NotificationPreference, message.user_id) if message.user_id else None
    if pref is not None:
        return pref.quiet_start, pref.quiet_end
    return settings.notify_quiet_start, settings.notify_quiet_end


def _send(message: OutboxMessage, hook: UnitWebhook | None, settings: Settings) -> str:
    if message.channel == "email":
        return channels.send_email(message, settings)
    if message.channel == "sms":
        return channels.send_sms(message, settings)
    return channels.send_robot(message, hook, settings)


def _finish(engine: Engine, row_id: int, worker: str, claimed_at: datetime, values: dict,
            attempt: DeliveryAttempt) -> bool:
    """Write the outcome only if the claim is still ours (a stale re-claim wins)."""
    with Session(engine) as session:
        result = session.exec(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.claimed_by == worker,
                   OutboxMessage.claimed_at == claimed_at)
            .values(**values))
        session.add(attempt)
        session.commit()
        return result.rowcount == 1


def _load(engine: Engine, row_id: int, worker: str, settings: Settings
          ) -> tuple[OutboxMessage | None, UnitWebhook | None, tuple[int, int]]:
    """Read what sending needs, then let go of the database before any network I/O."""
    with Session(engine) as session:
        message = session.get(OutboxMessage, row_id)
        if message is None or message.claimed_by != worker:
            return None, None, (0, 0)
        hook = None
        if message.channel in ("dingtalk", "wecom") and message.address.isdigit():
            hook = session.get(UnitWebhook, int(message.address))
            if hook is not None:
                session.expunge(hook)
        quiet = _quiet_window(session, message, settings)
        session.expunge(message)
    return message, hook, quiet


def deliver_one(engine: Engine, row_id: int, *, worker: str, settings: Settings,
                stats: RunStats) -> None:
    message, hook, (start, end) = _load(engine, row_id, worker, settings)
    if message is None:
        return
    claimed_at = message.claimed_at
    now = clock.precise_now()
    if message.channel == "sms" and not message.quiet_exempt and in_quiet_hours(now, start, end):
        later = quiet_until(now, end)
        stats.deferred += 1
        _finish(engine, row_id, worker, claimed_at,
                {"claimed_at": None, "claimed_by": None, "next_attempt_at": later,
                 "attempts": message.attempts - 1},
                DeliveryAttempt(outbox_id=row_id, at=now, worker=worker, result="deferred",
                                detail=f"免打扰时段，推迟到 {later:%Y-%m-%d %H:%M}"))
        return
    started = time.monotonic()
    try:
        detail, ok = _send(message, hook, settings), True
    except channels.DeliveryError as exc:
        detail, ok = str(exc)[:500], False
    except Exception as exc:  # noqa: BLE001 - a broken channel must not stop the others
        detail, ok = f"{type(exc).__name__}: {exc}"[:500], False
    elapsed = int((time.monotonic() - started) * 1000)
    attempts = message.attempts
    done = clock.precise_now()
    attempt = DeliveryAttempt(outbox_id=row_id, at=done, worker=worker,
                              result="sent" if ok else "error", detail=detail,
                              duration_ms=elapsed)
    if ok:
        stats.sent += 1
        values = {"status": SENT, "sent_at": done, "claimed_at": None, "last_error": ""}
    elif attempts >= settings.notify_max_attempts:
        stats.failed += 1
        stats.errors.append(detail)
        values = {"status": FAILED, "claimed_at": None, "last_error": detail}
    else:
        stats.retrying += 1
        stats.errors.append(detail)
        backoff = settings.notify_retry_base_seconds * 2 ** (attempts - 1)
        values = {"claimed_at": None, "claimed_by": None, "last_error": detail,
                  "next_attempt_at": done + timedelta(seconds=backoff)}
    _finish(engine, row_id, worker, claimed_at, values, attempt)


def run_once(engine: Engine, *, worker: str | None = None, batch: int = 20,
             settings: Settings | None = None) -> RunStats:
    """Deliver everything due now, batch by batch, then return."""
    settings = settings or get_settings()
    worker = worker or worker_name()
    stats = RunStats()
    while True:
        claimed = claim(engine, worker=worker, limit=batch, settings=settings)
        if not claimed:
            return stats
        for row_id in claimed:
            deliver_one(engine, row_id, worker=worker, settings=settings, stats=stats)


def run_loop(engine: Engine, *, interval: float = 30.0, stop=None) -> None:  # noqa: ANN001
    """Keep delivering; `stop` (a threading.Event) ends the loop between rounds."""
    worker = worker_name()
    while stop is None or not stop.is_set():
        try:
            run_once(engine, worker=worker)
        except Exception as exc:  # noqa: BLE001 - e.g. the database restarting: try again later
            print(f"{clock.now():%Y-%m-%d %H:%M:%S} 发送失败，稍后重试：{exc}", file=sys.stderr)
        if stop is None:
            time.sleep(interval)
        else:
            stop.wait(interval)
