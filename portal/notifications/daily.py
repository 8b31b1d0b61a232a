"""The morning run (`portal notify --daily`): red/yellow cards, self-checks due in 3 working
days, quota checkpoints at risk; and the evening digest (`portal notify --digest`).

Each notification carries a dedupe key, so running twice on one day, or on consecutive days
while nothing changed, notifies once: a card once per episode (same report, same deadline).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal import cards, followup, quotas, workdays
from portal.db import take_job_lock
from portal.errors import JobRunning
from portal.models import Report, SelfcheckCampaign, SelfcheckCampaignUnit, SelfcheckForm, User
from portal.notifications import hooks
from portal.notifications.outbox import enqueue, link
from portal.notifications.tables import (
    InboxMessage,
    NotificationEvent,
    NotificationPreference,
)
from portal.selfcheck import ACCEPTED, SUBMITTED, campaign_name

SELFCHECK_WARNING_DAYS = 3


@dataclass
class DailyResult:
    cards: int = 0
    selfchecks: int = 0
    quotas: int = 0
    followups: int = 0


def _new(session: Session, keys: dict[str, object]) -> list:
    """The items whose dedupe key has not been used yet (one query for all of them)."""
    if not keys:
        return []
    used = set(session.exec(select(NotificationEvent.dedupe_key).where(
        col(NotificationEvent.dedupe_key).in_(list(keys)))))
    return [item for key, item in keys.items() if key not in used]


def run_daily(session: Session, *, today: date) -> DailyResult:
    """The morning's cards, self-check and quota warnings, and 回访 reminders; one node at a
    time (`JobRunning` while another run is under way)."""
    if not take_job_lock(session, "daily"):
        raise JobRunning("error.job_running")
    result = DailyResult()
    for which in (cards.RED, cards.YELLOW):
        carded = session.exec(select(Report).where(
            cards.condition(which, today, session=session),
            col(Report.unit_id).is_not(None)).order_by(Report.id)).all()
        for report in _new(session, {f"card:{which}:{r.id}:{r.current_due}": r
                                     for r in carded}):
            hooks.card(session, report, which)
            result.cards += 1
    warn_until = workdays.add_working_days(today, SELFCHECK_WARNING_DAYS, session=session)
    due = session.exec(
        select(SelfcheckCampaign, SelfcheckCampaignUnit.unit_id)
        .join(SelfcheckCampaignUnit,
              col(SelfcheckCampaignUnit.campaign_id) == SelfcheckCampaign.id)
        .join(SelfcheckForm, (col(SelfcheckForm.campaign_id) == SelfcheckCampaign.id)
              & (col(SelfcheckForm.unit_id) == SelfcheckCampaignUnit.unit_id), isouter=True)
        .where(col(SelfcheckCampaign.due_date) >= today,
               col(SelfcheckCampaign.due_date) <= warn_until,
               (col(SelfcheckForm.id).is_(None))
               | col(SelfcheckForm.status).not_in([SUBMITTED, ACCEPTED]))).all()
    for campaign, unit_id in _new(session, {f"selfcheck_due:{c.id}:{u}": (c, u)
                                            for c, u in due}):
        hooks.selfcheck_due(session, campaign, unit_id, campaign_name(campaign.year,
                                                                       campaign.quarter))
        result.selfchecks += 1
    for row in quotas.compute(session, year=today.year, on=today):
        for mark in row["checkpoints"]:
            if mark["code"] != quotas.AT_RISK:
                continue
            key = f"quota:{row['unit_id']}:{date.fromisoformat(mark['date'])}"
            if _new(session, {key: True}):
                hooks.quota_at_risk(session, unit_id=row["unit_id"], unit=row["unit"],
                                    checkpoint=date.fromisoformat(mark["date"]),
                                    cases=mark["cases"], sanctioned=mark["sanctioned"])
                result.quotas += 1
    waiting = followup.waiting_count(session, today=today)
    if waiting and _new(session, {f"followup:{today.isoformat()}": True}):
        hooks.followup_due(session, today=today, count=waiting)
        result.followups = waiting
    session.commit()
    return result


def run_digest(session: Session, *, today: date) -> int:
    """One e-mail per digest user with unread messages of the last day; once per day."""
    since = today - timedelta(days=1)
    counts = session.exec(
        select(InboxMessage.user_id, func.count())
        .join(NotificationPreference, col(NotificationPreference.user_id) == InboxMessage.user_id)
        .join(User, col(User.id) == InboxMessage.user_id)
        .where(col(NotificationPreference.digest).is_(True), col(InboxMessage.read_at).is_(None),
               col(InboxMessage.created_at) >= since, col(User.email).is_not(None))
        .group_by(InboxMessage.user_id)).all()
    sent = 0
    for user_id, count in counts:
        subjects = session.exec(
            select(InboxMessage.subject).where(InboxMessage.user_id == user_id,
                                               col(InboxMessage.read_at).is_(None),
                                               col(InboxMessage.created_at) >= since)
            .order_by(col(InboxMessage.id).desc()).limit(20)).all()
        sent += _digest_email(session, user_id, count, subjects, today) is not None
    session.commit()
    return sent


def _digest_email(session: Session, user_id: int, count: int, subjects: list[str],
                  today: date) -> int | None:
    """The digest goes by e-mail only: the inbox already holds the messages it lists."""
    return enqueue(session, event="digest", users=[user_id],
                   dedupe_key=f"digest:{user_id}:{today}",
                   context={"count": count, "items": "\n".join(f"- {s}" for s in subjects),
                            "link": link("inbox")})
