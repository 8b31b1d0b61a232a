"""The audit log: append-only and hash-chained.

Every row stores the hash of the row before it and a hash of its own content over that, so
editing or deleting a row breaks the chain from there on (`verify`). Rows are appended under
a lock on the chain head (SQLite's write lock; `SELECT … FOR UPDATE` on PostgreSQL), so
concurrent writers never fork the chain. Rows never hold an anonymous filer's identity or any
client address: public actions are recorded with no actor and only the report's id.
"""

import hashlib
import itertools
import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from portal import clock
from portal.db import insert_returning_ids, lock_for_write
from portal.models import AuditChain, AuditEvent, Report, ReportEvent, User
from portal.roles import Actor, Role, require

GENESIS = "0" * 64
_VERIFY_BATCH = 1000


def row_hash(prev: str, at: datetime, actor_id: int | None, action: str, entity: str,
             entity_id: int | None, detail: str) -> str:
    """sha256 over the previous hash and the row's content (the migration 0008 form)."""
    content = json.dumps([prev, at.isoformat(sep=" "), actor_id, action, entity, entity_id,
                          detail], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _head(session: Session) -> AuditChain:
    lock_for_write(session)
    return session.exec(select(AuditChain).where(AuditChain.id == 1).with_for_update()
                        .execution_options(populate_existing=True)).one()


def record(session: Session, *, actor: Actor | None, action: str, entity: str,
           entity_id: int | None = None, detail: str = "") -> None:
    """Append a row to the chain, in the caller's transaction (committed with its change)."""
    head = _head(session)
    event = AuditEvent(actor_id=actor.user_id if actor else None, action=action,
                       entity=entity, entity_id=entity_id, detail=detail[:500])
    event.prev_hash = head.last_hash
    event.row_hash = row_hash(event.prev_hash, event.at, event.actor_id, event.action,
                              event.entity, event.entity_id, event.detail)
    session.add(event)
    session.flush()
    head.last_id, head.last_hash, head.count = event.id, event.row_hash, head.count + 1
    session.add(head)
    session.flush()


def record_many(session: Session, *, actor: Actor | None,
                events: list[tuple[str, str, int | None, str]]) -> None:
    """Append rows (action, entity, entity id, detail) in this order, chained as `record` would
    chain them one by one, in one INSERT (the morning escalation writes one row per notice)."""
    if not events:
        return
    head = _head(session)
    at, actor_id, prev = clock.now(), actor.user_id if actor else None, head.last_hash
    rows = []
    for action, entity, entity_id, detail in events:
        detail = detail[:500]
        own = row_hash(prev, at, actor_id, action, entity, entity_id, detail)
        rows.append({"at": at, "actor_id": actor_id, "action": action, "entity": entity,
                     "entity_id": entity_id, "detail": detail, "prev_hash": prev,
                     "row_hash": own})
        prev = own
    ids = insert_returning_ids(session, AuditEvent.__table__, rows)
    if any(later <= earlier for earlier, later in itertools.pairwise(ids)):
        raise RuntimeError("audit rows were numbered out of order")  # the chain would break
    head.last_id, head.last_hash, head.count = ids[-1], prev, head.count + len(rows)
    session.add(head)
    session.flush()


@dataclass(frozen=True)
class Verification:
    ok: bool
    count: int
    broken_id: int | None = None  # the first row whose hashes do not hold
    reason: str = ""


def verify(session: Session) -> Verification:
    """Walk the chain in id order; the first row that does not hash right is named."""
    prev, count, last_id = GENESIS, 0, 0
    while True:
        rows = session.exec(select(AuditEvent).where(col(AuditEvent.id) > last_id)
                            .order_by(AuditEvent.id).limit(_VERIFY_BATCH)).all()
        if not rows:
            break
        for row in rows:
            if row.prev_hash != prev:
                return Verification(False, count, row.id, "prev_hash")
            own = row_hash(prev, row.at, row.actor_id, row.action, row.entity, row.entity_id,
                           row.detail)
            if row.row_hash != own:
                return Verification(False, count, row.id, "row_hash")
            prev, count, last_id = own, count + 1, row.id
        session.expunge_all()
    head = session.get(AuditChain, 1)
    if head is None or head.last_hash != prev or head.count != count or (
            head.last_id or 0) != last_id:
        return Verification(False, count, head.last_id if head else None, "head")
    return Verification(True, count)


def list_events(session: Session, *, actor: Actor, page: int = 1, page_size: int = 50
                ) -> tuple[list[dict], int]:
    """Newest first, one page at a time, with the total count for the pager."""
    require(actor, Role.ADMIN)
    total = session.exec(select(func.count()).select_from(AuditEvent)).one()
    rows = session.exec(
        select(AuditEvent, User.username)
        .join(User, col(User.id) == AuditEvent.actor_id, isouter=True)
        .order_by(col(AuditEvent.id).desc())
        .offset((max(page, 1) - 1) * page_size).limit(page_size)
    ).all()
    return [{"at": e.at, "actor": name or "—", "action": e.action, "entity": e.entity,
             "entity_id": e.entity_id, "detail": e.detail} for e, name in rows], total


def list_report_events(session: Session, *, actor: Actor, page: int = 1, page_size: int = 50
                       ) -> tuple[list[dict], int]:
    """Every step of every report, newest first: the audit view of the report timelines."""
    require(actor, Role.ADMIN)
    total = session.exec(select(func.count()).select_from(ReportEvent)).one()
    rows = session.exec(
        select(ReportEvent, Report.tracking_no, User.username)
        .join(Report, col(Report.id) == ReportEvent.report_id)
        .join(User, col(User.id) == ReportEvent.actor_id, isouter=True)
        .order_by(col(ReportEvent.id).desc())
        .offset((max(page, 1) - 1) * page_size).limit(page_size)
    ).all()
    return [{"at": e.at, "actor": name or "—", "tracking_no": number, "action": e.action,
             "from": e.from_status or "", "to": e.to_status or "",
             "note": e.note}
            for e, number, name in rows], total
