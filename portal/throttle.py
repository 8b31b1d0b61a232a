"""Failure counters in the database: per account, per client and per tracking number.

A browser session is not a boundary an attacker respects (a fresh one costs nothing), so
failures are counted in the `throttles` table under a scope and a key. After `free` failures
the key is locked for a delay that doubles with each further failure up to `cap` seconds;
an attempt while locked is refused without being checked (so it costs the server nothing and
does not extend the lock). Failures older than a day are forgotten. Keys that identify a
person or a client (usernames, addresses, browser sessions) are stored only as a keyed hash.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, delete, or_, select, update

from portal import clock
from portal.models import Throttle
from portal.settings import get_settings

FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Rule:
    scope: str
    free: int  # failures allowed before the first lock
    base: float  # seconds of the first lock
    cap: float  # longest lock, seconds

    def lock_for(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return min(self.base * 2 ** (failures - self.free), self.cap)


def _minutes(value: float) -> float:
    return value * 60


def login_account_rule() -> Rule:
    """An account: after MAX_FAILED_LOGINS failures a short back-off (1, 2, 4 … minutes, at most
    LOCKOUT_MINUTES), for unknown usernames exactly as for real ones."""
    settings = get_settings()
    return Rule("login_account", settings.max_failed_logins, _minutes(1),
                _minutes(settings.lockout_minutes))


def login_client_rule() -> Rule:
    """One client (browser or address): 3 free failures, then 30 s doubling up to an hour."""
    return Rule("login_client", 3, 30, _minutes(60))


TRACK_NUMBER = Rule("track_number", 5, 5, 600)  # 5, 10, 20 … s, at most 10 min per number
TRACK_CLIENT = Rule("track_client", 10, 5, 3600)  # 5, 10, 20 … s, at most 1 h per client


def hashed(value: str) -> str:
    """A keyed hash (the installation's cookie secret) so no raw identifier is stored."""
    secret = get_settings().cookie_key.encode()
    return hmac.new(secret, value.encode("utf-8"), hashlib.sha256).hexdigest()[:40]


def account_key(username: str) -> str:
    return hashed(f"user:{(username or '').strip().lower()}")


def client_key(client: str) -> str | None:
    return hashed(f"client:{client}") if client else None


def locked_until(session: Session, rule: Rule, key: str | None,
                 now: datetime | None = None) -> datetime | None:
    """When `key` may try again, or None if it may try now."""
    if not key:
        return None
    now = now or clock.now()
    until = session.exec(select(Throttle.locked_until).where(
        Throttle.scope == rule.scope, Throttle.key == key)).first()
    return until if until and until > now else None


def failures(session: Session, rule: Rule, key: str | None) -> int:
    if not key:
        return 0
    return session.exec(select(Throttle.failures).where(
        Throttle.scope == rule.scope, Throttle.key == key)).first() or 0


def record_failure(session: Session, rule: Rule, key: str | None,
                   now: datetime | None = None) -> datetime | None:
    """Count a failure (one atomic upsert, so parallel guesses cannot share a count) and
    lock the key when it has used up its free failures. Returns the lock's end, if any."""
    if not key:
        return None
    now = now or clock.now()
    table = Throttle.__table__
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    forgotten = col(Throttle.last_failure_at) < now - FORGET_AFTER
    statement = (insert(table).values(scope=rule.scope, key=key, failures=1,
                                      last_failure_at=now)
                 .on_conflict_do_update(
                     index_elements=[table.c.scope, table.c.key],
                     set_={"failures": case((forgotten, 1), else_=table.c.failures + 1),
                           "last_failure_at": now})
                 .returning(table.c.failures))
    failures = session.execute(statement).scalar_one()
    _forget_old(session, now)
    seconds = rule.lock_for(failures)
    if not seconds:
        return None
    until = now + timedelta(seconds=seconds)
    session.exec(update(Throttle).where(col(Throttle.scope) == rule.scope,
                                        col(Throttle.key) == key).values(locked_until=until))
    return until


def _forget_old(session: Session, now: datetime) -> None:
    """Drop counters untouched for a day and no longer locked, so that guesses from ever new
    clients do not fill the table (an index range, cheap)."""
    session.exec(delete(Throttle).where(
        col(Throttle.last_failure_at) < now - FORGET_AFTER,
        or_(col(Throttle.locked_until).is_(None), col(Throttle.locked_until) < now)))


def clear(session: Session, rule: Rule, key: str | None) -> None:
    if key:
        session.exec(delete(Throttle).where(col(Throttle.scope) == rule.scope,
                                            col(Throttle.key) == key))
