"""站内信 and a user's notification preferences, for the logged-in user only."""

import json
import re

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from portal import clock, text_rules
from portal.errors import PermissionDenied, ValidationError
from portal.identifiers import is_valid_mobile
from portal.models import User
from portal.notifications.events import EVENTS, USER_CHANNELS
from portal.notifications.tables import InboxMessage, NotificationPreference, NotificationTemplate
from portal.roles import Actor, Role
from portal.settings import get_settings

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
AUDIENCE_ROLES = {"unit": {Role.UNIT}, "office": {Role.SUPERVISOR},
                  "discipline": {Role.DISCIPLINE}, "filer": {Role.COMPANY}}


def unread_count(session: Session, *, actor: Actor) -> int:
    return session.exec(select(func.count()).select_from(InboxMessage).where(
        InboxMessage.user_id == actor.user_id, col(InboxMessage.read_at).is_(None))).one()


def messages(session: Session, *, actor: Actor, unread_only: bool = False, page: int = 1,
             page_size: int = 20) -> tuple[list[dict], int]:
    """The actor's messages, newest first, one page at a time."""
    condition = InboxMessage.user_id == actor.user_id
    if unread_only:
        condition = condition & col(InboxMessage.read_at).is_(None)
    total = session.exec(select(func.count()).select_from(InboxMessage).where(condition)).one()
    rows = session.exec(select(InboxMessage).where(condition)
                        .order_by(col(InboxMessage.id).desc())
                        .offset((max(page, 1) - 1) * page_size).limit(page_size)).all()
    return [{"id": m.id, "event": m.event, "subject": m.subject, "body": m.body,
             "link": m.link, "created_at": m.created_at, "read": m.read_at is not None}
            for m in rows], total


def mark_read(session: Session, *, actor: Actor, message_ids: list[int]) -> int:
    """Mark the actor's own messages read (others' ids are ignored)."""
    if not message_ids:
        return 0
    result = session.exec(update(InboxMessage).where(
        InboxMessage.user_id == actor.user_id, col(InboxMessage.id).in_(message_ids),
        col(InboxMessage.read_at).is_(None)).values(read_at=clock.now()))
    session.commit()
    return result.rowcount


def mark_all_read(session: Session, *, actor: Actor) -> int:
    result = session.exec(update(InboxMessage).where(
        InboxMessage.user_id == actor.user_id,
        col(InboxMessage.read_at).is_(None)).values(read_at=clock.now()))
    session.commit()
    return result.rowcount


def events_for(actor: Actor) -> list[str]:
    """The event types that can reach this user, by role."""
    return [code for code, spec in EVENTS.items()
            if spec.audience in AUDIENCE_ROLES and actor.roles & AUDIENCE_ROLES[spec.audience]]


def choices(event: str) -> tuple[str, ...]:
    """A filer hears by SMS only through the form's opt-in: the account chooses the inbox."""
    return ("inbox",) if EVENTS[event].audience == "filer" else USER_CHANNELS


def _account(session: Session, actor: Actor) -> User:
    """Settings belong to an account: an actor without one is refused, not a crash."""
    user = session.get(User, actor.user_id)
    if user is None:
        raise PermissionDenied()
    return user


def preferences(session: Session, *, actor: Actor) -> dict:
    """Channels per event (the template's defaults until the user chose), digest, quiet hours."""
    user = _account(session, actor)
    pref = session.get(NotificationPreference, actor.user_id)
    chosen = json.loads(pref.channels) if pref else {}
    templates = {t.event: t for t in session.exec(select(NotificationTemplate))}
    channels = {}
    for event in events_for(actor):
        template = templates.get(event)
        if template is None:
            continue
        offered = choices(event)
        defaults = [c for c in template.channels.split(",") if c in offered]
        channels[event] = {"label": template.label, "offered": list(offered),
                           "channels": [c for c in chosen.get(event, defaults) if c in offered]}
    settings = get_settings()
    return {"email": user.email or "", "mobile": user.mobile or "", "digest": pref.digest if pref else False,
            "quiet_start": pref.quiet_start if pref else settings.notify_quiet_start,
            "quiet_end": pref.quiet_end if pref else settings.notify_quiet_end,
            "channels": channels}


def save_preferences(session: Session, *, actor: Actor, email: str, digest: bool,
                     quiet_start: int, quiet_end: int, channels: dict[str, list[str]],
                     mobile: str | None = None) -> None:
    """Save the actor's own settings; `mobile` None leaves the account's mobile as it is."""
    user = _account(session, actor)
    email = text_rules.check_chars((email or "").strip(), field="email", single_line=True)
    if email and (len(email) > 120 or not EMAIL.match(email)):
        raise ValidationError("error.notify_email_invalid", field="email")
    mobile = None if mobile is None else mobile.strip()
    if mobile and not is_valid_mobile(mobile):
        raise ValidationError("error.mobile_invalid", field="mobile")
    if not (0 <= quiet_start <= 23 and 0 <= quiet_end <= 23):
        raise ValidationError("error.notify_quiet_hours", field="quiet")
    allowed = set(events_for(actor))
    clean = {event: sorted(set(chosen) & set(choices(event)))
             for event, chosen in channels.items() if event in allowed}
    pref = session.get(NotificationPreference, actor.user_id) or NotificationPreference(
        user_id=actor.user_id)
    pref.channels = json.dumps(clean, ensure_ascii=False)
    pref.digest, pref.quiet_start, pref.quiet_end = digest, quiet_start, quiet_end
    session.add(pref)
    user.email = email or None
    if mobile is not None:
        user.mobile = mobile or None
    session.add(user)
    session.commit()
