"""The audit log: every administrative change leaves a row."""

from sqlmodel import Session, col, func, select

from portal.models import AuditEvent, Report, ReportEvent, User
from portal.roles import Actor, Role, require


def record(session: Session, *, actor: Actor | None, action: str, entity: str,
           entity_id: int | None = None, detail: str = "") -> None:
    session.add(AuditEvent(actor_id=actor.user_id if actor else None, action=action,
                           entity=entity, entity_id=entity_id, detail=detail[:500]))


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
