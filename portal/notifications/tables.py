"""Tables of the notifications (created by migration 0010)."""

from pydantic import NaiveDatetime
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.clock import now


class NotificationTemplate(SQLModel, table=True):
    """An event type's Chinese texts and default channels; admins edit these rows."""

    __tablename__ = "notification_templates"

    event: str = Field(primary_key=True, max_length=40)
    audience: str = Field(max_length=16)
    label: str = Field(max_length=60)
    subject: str = Field(max_length=200)
    body: str
    sms_body: str
    channels: str = Field(max_length=100)  # comma separated: inbox,email,sms,robot
    quiet_exempt: bool = False  # may send SMS during quiet hours (red cards, if allowed)
    enabled: bool = True
    updated_at: NaiveDatetime | None = None
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")


class NotificationEvent(SQLModel, table=True):
    """One occurrence of an event; `dedupe_key` keeps daily jobs from notifying twice."""

    __tablename__ = "notification_events"

    id: int | None = Field(default=None, primary_key=True)
    event: str = Field(max_length=40)
    dedupe_key: str | None = Field(default=None, max_length=120, unique=True)
    created_at: NaiveDatetime = Field(default_factory=now)


class OutboxMessage(SQLModel, table=True):
    """One message for one recipient on one channel; the worker claims, sends and records it."""

    __tablename__ = "notification_outbox"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="notification_events.id", index=True)
    event: str = Field(max_length=40)
    channel: str = Field(max_length=16)  # email, sms, dingtalk, wecom
    user_id: int | None = Field(default=None, foreign_key="users.id")
    unit_id: int | None = Field(default=None, foreign_key="units.id")
    address: str = Field(max_length=500)  # e-mail, mobile, or the webhook's id
    subject: str = Field(max_length=200)
    body: str
    link: str = Field(default="", max_length=300)
    to_filer: bool = False
    quiet_exempt: bool = False
    status: str = Field(max_length=12)  # pending, sent, failed
    attempts: int = 0
    next_attempt_at: NaiveDatetime = Field(default_factory=now)
    claimed_at: NaiveDatetime | None = None
    claimed_by: str | None = Field(default=None, max_length=80)
    sent_at: NaiveDatetime | None = None
    last_error: str = Field(default="", max_length=500)
    created_at: NaiveDatetime = Field(default_factory=now)


class DeliveryAttempt(SQLModel, table=True):
    __tablename__ = "notification_attempts"

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int = Field(foreign_key="notification_outbox.id", index=True)
    at: NaiveDatetime = Field(default_factory=now)
    worker: str = Field(max_length=80)
    result: str = Field(max_length=12)  # sent, error, deferred
    detail: str = Field(default="", max_length=500)
    duration_ms: int = 0


class InboxMessage(SQLModel, table=True):
    """站内信: written in the same transaction as the change, read in the portal."""

    __tablename__ = "inbox_messages"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    event_id: int = Field(foreign_key="notification_events.id")
    event: str = Field(max_length=40)
    subject: str = Field(max_length=200)
    body: str
    link: str = Field(default="", max_length=300)
    created_at: NaiveDatetime = Field(default_factory=now)
    read_at: NaiveDatetime | None = None


class NotificationPreference(SQLModel, table=True):
    """A user's channels per event type (JSON), daily digest and quiet hours."""

    __tablename__ = "notification_preferences"

    user_id: int = Field(foreign_key="users.id", primary_key=True)
    channels: str = "{}"
    digest: bool = False
    quiet_start: int = 21
    quiet_end: int = 8


class UnitWebhook(SQLModel, table=True):
    """A unit's 钉钉 or 企业微信 group robot."""

    __tablename__ = "unit_webhooks"
    __table_args__ = (UniqueConstraint("unit_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="units.id")
    kind: str = Field(max_length=16)  # dingtalk, wecom
    url: str = Field(max_length=500)
    secret: str = Field(default="", max_length=200)
    active: bool = True
    updated_at: NaiveDatetime | None = None
