"""`enqueue`: turn one event into inbox rows and outbox rows inside the caller's transaction.

Nothing here commits. The change that causes an event and its messages are committed (or
rolled back) together, so a change that did not happen is never announced. Recipients are
resolved in a few set-based queries, whatever their number.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import insert, or_
from sqlmodel import Session, col, select

from portal import clock
from portal.db import bulk_insert, insert_returning_ids
from portal.models import Report, User, UserRole
from portal.notifications.events import EVENTS, FILER, render
from portal.notifications.tables import (
    InboxMessage,
    NotificationEvent,
    NotificationPreference,
    NotificationTemplate,
    OutboxMessage,
    UnitWebhook,
)
from portal.roles import Role
from portal.settings import get_settings


@dataclass(frozen=True)
class Texts:
    subject: str
    body: str
    sms: str


def link(path: str) -> str:
    """An absolute link into the portal (PUBLIC_URL + page path)."""
    return f"{get_settings().public_url.rstrip('/')}/{path.lstrip('/')}"


def texts(template: NotificationTemplate, context: dict) -> Texts:
    return Texts(render(template.subject, context), render(template.body, context),
                 render(template.sms_body, context))


def robot_card(text: Texts, context: dict) -> str:
    """The markdown card of a work-chat robot: the item, its deadline and a link."""
    lines = [f"#### {text.subject}", "", text.body]
    if context.get("deadline"):
        lines += ["", f"**办理期限：** {context['deadline']}"]
    if context.get("link"):
        lines += ["", f"[在平台中查看]({context['link']})"]
    return "\n".join(lines)


def _recipients(session: Session, *, units: set[int], roles: set[Role],
                users: set[int]) -> list[tuple[User, NotificationPreference | None]]:
    """Active accounts: unit users of `units`, holders of `roles`, and `users` — one query."""
    roles = {r.value for r in roles}
    conditions = []
    if units:
        conditions.append(col(User.id).in_(
            select(UserRole.user_id).join(User, col(User.id) == UserRole.user_id).where(
                UserRole.role == Role.UNIT.value, col(User.unit_id).in_(units))))
    if roles:
        conditions.append(col(User.id).in_(
            select(UserRole.user_id).where(col(UserRole.role).in_(roles))))
    if users:
        conditions.append(col(User.id).in_(users))
    if not conditions:
        return []
    rows = session.exec(
        select(User, NotificationPreference)
        .join(NotificationPreference, col(NotificationPreference.user_id) == User.id,
              isouter=True)
        .where(col(User.active).is_(True), or_(*conditions)).order_by(User.id)).all()
    return list(rows)


def _channels(template: NotificationTemplate, pref: NotificationPreference | None) -> set[str]:
    defaults = {c for c in template.channels.split(",") if c}
    if pref is None:
        return defaults
    chosen = json.loads(pref.channels or "{}").get(template.event)
    return defaults if chosen is None else set(chosen)


def enqueue(session: Session, *, event: str, context: dict, units: Iterable[int] = (),
            roles: Iterable[Role] = (), users: Iterable[int] = (), filer: Report | None = None,
            dedupe_key: str | None = None) -> int | None:
    """Record `event` for its recipients; returns the event id (None: disabled or a duplicate).

    units: unit users of these units and the units' work-chat robots; roles: every holder
    (e.g. the office); users: named accounts; filer: the report's filer, by SMS when they
    opted in on the form and in their company account.
    """
    if event not in EVENTS:
        raise KeyError(event)
    # Plain INSERTs on the caller's connection, without flushing the caller's pending
    # objects: in a batch (the morning escalation) a flush per message costs O(session size).
    with session.no_autoflush:
        return _enqueue(session, event=event, context=context, units=set(units),
                        roles=set(roles), users=set(users), filer=filer, dedupe_key=dedupe_key)


def _enqueue(session: Session, *, event: str, context: dict, units: set[int], roles: set[Role],
             users: set[int], filer: Report | None, dedupe_key: str | None) -> int | None:
    template = session.get(NotificationTemplate, event)
    if template is None or not template.enabled:
        return None
    if dedupe_key is not None and session.exec(select(NotificationEvent.id).where(
            NotificationEvent.dedupe_key == dedupe_key)).first() is not None:
        return None
    now = clock.now()
    event_id = session.exec(insert(NotificationEvent).values(
        event=event, dedupe_key=dedupe_key, created_at=now)
        .returning(NotificationEvent.id)).scalar_one()
    if filer is not None and filer.filer_user_id is not None:
        users = users | {filer.filer_user_id}
    robots: list[UnitWebhook] = []
    if units and "robot" in _defaults(template):
        robots = list(session.exec(select(UnitWebhook).where(
            col(UnitWebhook.unit_id).in_(units), col(UnitWebhook.active).is_(True))).all())
    letters, messages = _rows(
        template, context, event_id=event_id, now=now,
        recipients=[_recipient(template, user, pref) for user, pref in _recipients(
            session, units=units, roles=roles, users=users)],
        robots=robots, filer=filer)
    _insert(session, letters, messages)
    return event_id


@dataclass(frozen=True)
class Announcement:
    """One event of a batch: its fields and the units and roles it goes to."""

    context: dict
    units: frozenset[int] = frozenset()
    roles: frozenset[Role] = frozenset()


def enqueue_many(session: Session, *, event: str, announcements: list[Announcement]) -> None:
    """`enqueue` for many events of one type (the morning escalation: one per notice): the
    same rows, from a handful of statements whatever their number — recipients are read once
    per batch, events, inbox and outbox rows inserted in bulk."""
    if event not in EVENTS:
        raise KeyError(event)
    if not announcements:
        return
    with session.no_autoflush:
        template = session.get(NotificationTemplate, event)
        if template is None or not template.enabled:
            return
        now = clock.now()
        units = set().union(*(a.units for a in announcements))
        roles = set().union(*(a.roles for a in announcements))
        by_unit, by_role = _unit_recipients(session, units), _role_recipients(session, roles)
        robots: dict[int, list[UnitWebhook]] = {}
        if units and "robot" in _defaults(template):
            for hook in session.exec(select(UnitWebhook).where(
                    col(UnitWebhook.unit_id).in_(units), col(UnitWebhook.active).is_(True))):
                robots.setdefault(hook.unit_id, []).append(hook)
        event_ids = insert_returning_ids(
            session, NotificationEvent.__table__,
            [{"event": event, "dedupe_key": None, "created_at": now}] * len(announcements))
        letters: list[dict] = []
        messages: list[dict] = []
        # each recipient's address and channels worked out once for the batch
        of_unit = {unit_id: [_recipient(template, user, pref) for user, pref in found]
                   for unit_id, found in by_unit.items()}
        of_role = {role: [_recipient(template, user, pref) for user, pref in found]
                   for role, found in by_role.items()}
        for announcement, event_id in zip(announcements, event_ids, strict=True):
            found = {r.id: r for unit_id in announcement.units for r in of_unit.get(unit_id, [])}
            found |= {r.id: r for role in announcement.roles for r in of_role.get(role, [])}
            these_letters, these_messages = _rows(
                template, announcement.context, event_id=event_id, now=now,
                recipients=[found[user_id] for user_id in sorted(found)],
                robots=[hook for unit_id in sorted(announcement.units)
                        for hook in robots.get(unit_id, [])], filer=None)
            letters += these_letters
            messages += these_messages
        _insert(session, letters, messages)


def _unit_recipients(session: Session, units: set[int]
                     ) -> dict[int, list[tuple[User, NotificationPreference | None]]]:
    """The active unit users of each unit, in one query."""
    found: dict[int, list] = {}
    if units:
        for user, pref in _recipients(session, units=units, roles=set(), users=set()):
            found.setdefault(user.unit_id, []).append((user, pref))
    return found


def _role_recipients(session: Session, roles: set[Role]
                     ) -> dict[Role, list[tuple[User, NotificationPreference | None]]]:
    """The active holders of each role, in one query."""
    found: dict[Role, list] = {}
    if roles:
        rows = session.exec(
            select(User, NotificationPreference, UserRole.role)
            .join(UserRole, col(UserRole.user_id) == User.id)
            .join(NotificationPreference, col(NotificationPreference.user_id) == User.id,
                  isouter=True)
            .where(col(User.active).is_(True), col(UserRole.role).in_({r.value for r in roles}))
            .order_by(User.id)).all()
        for user, pref, role in rows:
            found.setdefault(Role(role), []).append((user, pref))
    return found


def _defaults(template: NotificationTemplate) -> set[str]:
    return {c for c in template.channels.split(",") if c}


class Recipient(NamedTuple):
    """What the messages of one account need: its addresses and the channels it takes."""

    id: int
    email: str | None
    mobile: str | None
    channels: set[str]
    digest: bool


def _recipient(template: NotificationTemplate, user: User,
               pref: NotificationPreference | None) -> Recipient:
    return Recipient(user.id, user.email, user.mobile, _channels(template, pref),
                     bool(pref is not None and pref.digest))


def _rows(template: NotificationTemplate, context: dict, *, event_id: int, now: datetime,
          recipients: list[Recipient], robots: list[UnitWebhook], filer: Report | None
          ) -> tuple[list[dict], list[dict]]:
    """The inbox rows and the outbox rows of one event."""
    event, quiet_exempt = template.event, template.quiet_exempt
    text = texts(template, context)
    subject = text.subject[:200]
    url = context.get("link", "")[:300]
    defaults = _defaults(template)
    messages: list[dict] = []
    letters: list[dict] = []

    def outbox(channel: str, address: str, *, user_id: int | None = None,
               unit_id: int | None = None, to_filer: bool = False, body: str) -> None:
        messages.append({
            "event_id": event_id, "event": event, "channel": channel, "user_id": user_id,
            "unit_id": unit_id, "address": address, "subject": subject,
            "body": body, "link": url, "to_filer": to_filer,
            "quiet_exempt": quiet_exempt, "status": "pending", "attempts": 0,
            "next_attempt_at": now, "last_error": "", "created_at": now})

    for_filer = EVENTS[event].audience == FILER
    for user in recipients:
        if "inbox" in user.channels:
            letters.append({"user_id": user.id, "event_id": event_id, "event": event,
                            "subject": subject, "body": text.body, "link": url,
                            "created_at": now})
        if for_filer:
            continue  # a filer's SMS goes only to the mobile they opted in with, below
        digest_later = user.digest and event != "digest"
        if "email" in user.channels and user.email and not digest_later:
            outbox("email", user.email, user_id=user.id, body=text.body)
        if "sms" in user.channels and user.mobile:
            outbox("sms", user.mobile, user_id=user.id, body=text.sms)
    if filer is not None and filer.sms_opt_in and filer.contact_mobile and "sms" in defaults:
        outbox("sms", filer.contact_mobile, to_filer=True, body=text.sms)
    for hook in robots:
        outbox(hook.kind, str(hook.id), unit_id=hook.unit_id, body=robot_card(text, context))
    return letters, messages


def _insert(session: Session, letters: list[dict], messages: list[dict]) -> None:
    """Plain executemany INSERTs (no ORM bookkeeping: a batch writes tens of thousands)."""
    bulk_insert(session, InboxMessage.__table__, letters)
    bulk_insert(session, OutboxMessage.__table__, messages)
