"""The admin's view of notifications: the outbox with resend, templates, unit robots."""

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal import audit, clock, text_rules
from portal.errors import NotFound, ValidationError
from portal.models import Unit
from portal.notifications.events import CHANNELS, EVENTS, placeholders, unknown_fields
from portal.notifications.tables import (
    DeliveryAttempt,
    NotificationTemplate,
    OutboxMessage,
    UnitWebhook,
)
from portal.roles import Actor, Role, require

STATUSES = ("pending", "sent", "failed")
ROBOTS = ("dingtalk", "wecom")


def outbox_counts(session: Session, *, actor: Actor) -> dict[str, int]:
    require(actor, Role.ADMIN)
    return dict(session.exec(select(OutboxMessage.status, func.count())
                             .group_by(OutboxMessage.status)).all())


def outbox(session: Session, *, actor: Actor, status: str | None = None, page: int = 1,
           page_size: int = 50) -> tuple[list[dict], int]:
    """Outbox rows, newest first; addresses are shown as stored (admins only)."""
    require(actor, Role.ADMIN)
    condition = OutboxMessage.status == status if status else True
    total = session.exec(select(func.count()).select_from(OutboxMessage).where(condition)).one()
    rows = session.exec(select(OutboxMessage).where(condition)
                        .order_by(col(OutboxMessage.id).desc())
                        .offset((max(page, 1) - 1) * page_size).limit(page_size)).all()
    return [{"id": m.id, "event": m.event, "channel": m.channel, "address": m.address,
             "subject": m.subject, "status": m.status, "attempts": m.attempts,
             "next_attempt_at": m.next_attempt_at, "sent_at": m.sent_at,
             "last_error": m.last_error, "created_at": m.created_at} for m in rows], total


def attempts(session: Session, *, actor: Actor, outbox_id: int) -> list[dict]:
    require(actor, Role.ADMIN)
    rows = session.exec(select(DeliveryAttempt).where(DeliveryAttempt.outbox_id == outbox_id)
                        .order_by(DeliveryAttempt.id)).all()
    return [{"at": a.at, "worker": a.worker, "result": a.result, "detail": a.detail,
             "duration_ms": a.duration_ms} for a in rows]


def resend(session: Session, *, actor: Actor, outbox_id: int) -> OutboxMessage:
    """Put a failed message back in the queue with fresh attempts (a sent one stays sent)."""
    require(actor, Role.ADMIN)
    message = session.get(OutboxMessage, outbox_id)
    if message is None:
        raise NotFound()
    if message.status != "failed":
        raise ValidationError("error.notify_resend_only_failed")
    message.status, message.attempts = "pending", 0
    message.next_attempt_at, message.claimed_at, message.claimed_by = clock.now(), None, None
    session.add(message)
    audit.record(session, actor=actor, action="notify.resend", entity="outbox",
                 entity_id=message.id)
    session.commit()
    return message


def templates(session: Session, *, actor: Actor) -> list[NotificationTemplate]:
    require(actor, Role.ADMIN)
    return list(session.exec(select(NotificationTemplate).order_by(
        NotificationTemplate.audience, NotificationTemplate.event)))


def fields_of(event: str) -> tuple[str, ...]:
    return EVENTS[event].fields


def save_template(session: Session, *, actor: Actor, event: str, subject: str, body: str,
                  sms_body: str, channels: list[str], quiet_exempt: bool,
                  enabled: bool) -> NotificationTemplate:
    """Edit an event's texts; only the event's own fields may appear as {placeholders}."""
    require(actor, Role.ADMIN)
    template = session.get(NotificationTemplate, event)
    if template is None:
        raise NotFound()
    subject, body, sms_body = subject.strip(), body.strip(), sms_body.strip()
    if not subject or not body or not sms_body:
        raise ValidationError("error.notify_template_required", field="body")
    if len(subject) > 200:
        raise ValidationError("error.notify_subject_length", field="subject", max=200)
    text_rules.check_chars(subject, field="subject", single_line=True)
    text_rules.check_chars(body, field="body")
    text_rules.check_chars(sms_body, field="sms_body")
    try:
        unknown = unknown_fields(event, subject, body, sms_body)
        for text in (subject, body, sms_body):
            placeholders(text)
    except ValueError as exc:
        raise ValidationError("error.notify_template_braces", field="body") from exc
    if unknown:
        raise ValidationError("error.notify_template_fields", field="body",
                              fields="、".join(sorted(unknown)),
                              allowed="、".join(fields_of(event)))
    template.subject, template.body, template.sms_body = subject, body, sms_body
    template.channels = ",".join(c for c in CHANNELS if c in set(channels))
    template.quiet_exempt, template.enabled = quiet_exempt, enabled
    template.updated_at, template.updated_by_id = clock.now(), actor.user_id
    session.add(template)
    audit.record(session, actor=actor, action="notify.template", entity="template",
                 detail=event)
    session.commit()
    return template


def webhooks(session: Session, *, actor: Actor) -> list[dict]:
    require(actor, Role.ADMIN)
    rows = session.exec(select(UnitWebhook, Unit.name).join(Unit, col(Unit.id) ==
                                                           UnitWebhook.unit_id)
                        .order_by(Unit.sort_order, Unit.id, UnitWebhook.kind)).all()
    return [{"id": h.id, "unit_id": h.unit_id, "unit": name, "kind": h.kind, "url": h.url,
             "signed": bool(h.secret), "active": h.active} for h, name in rows]


def save_webhook(session: Session, *, actor: Actor, unit_id: int, kind: str, url: str,
                 secret: str = "", active: bool = True) -> UnitWebhook:
    """Set a unit's 钉钉 or 企业微信 robot (one of each per unit)."""
    require(actor, Role.ADMIN)
    if kind not in ROBOTS:
        raise ValidationError("error.notify_robot_kind", field="kind")
    url = url.strip()
    if not url.startswith(("https://", "http://")) or len(url) > 500:
        raise ValidationError("error.notify_robot_url", field="url")
    if session.get(Unit, unit_id) is None:
        raise ValidationError("error.unit_inactive", field="unit")
    hook = session.exec(select(UnitWebhook).where(UnitWebhook.unit_id == unit_id,
                                                  UnitWebhook.kind == kind)).first()
    hook = hook or UnitWebhook(unit_id=unit_id, kind=kind, url=url)
    hook.url, hook.active, hook.updated_at = url, active, clock.now()
    if secret.strip():
        hook.secret = secret.strip()
    session.add(hook)
    audit.record(session, actor=actor, action="notify.robot", entity="unit", entity_id=unit_id,
                 detail=kind)
    session.commit()
    return hook
