"""Ratings as records, the office's follow-up calls (回访) and closing unrated replies.

Every rating is its own row (report_ratings: who, when, channel, rating, comment, round), so
a reopened report keeps its earlier 不满意 and 首次满意率 / 最终满意率 / 差评整改率 can be
computed from history. A reply unrated after N working days (`followup` window, default 3)
enters the office's 回访 queue; its call is recorded as a rating with channel 回访 (or as
联系不上). A reply still unrated after M working days (`close_unrated`, default 10) closes as
已办结（未评价）: the daily job runs `python -m portal close-unrated`.
"""

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from portal import audit, clock, report_flow, text_rules, workdays
from portal.db import take_job_lock
from portal.errors import JobRunning, NotFound, PermissionDenied, ValidationError
from portal.models import Report, ReportEvent, ReportRating, Unit
from portal.report_types import FollowupResult, RatingChannel, Status
from portal.roles import Actor, Role

MAX_COMMENT = 500


def working_days_back(today: date, n: int, *, session: Session | None = None) -> date:
    """The n-th working day counting back from today (today itself counts when working)."""
    day, found = today, 0
    while True:
        if workdays.is_working_day(day, session=session):
            found += 1
            if found >= n:
                return day
        day -= timedelta(days=1)


def _replied_before(session: Session, today: date, window: str) -> datetime:
    """Replies before this moment have waited the window's working days unrated."""
    days = workdays.sla_days(session, window)
    return datetime.combine(working_days_back(today, days, session=session), time.min)


def waiting_count(session: Session, *, today: date) -> int:
    """How many replies wait for a 回访 call today (for the office's daily reminder)."""
    since = _replied_before(session, today, "followup")
    return session.exec(select(func.count()).select_from(Report).where(
        Report.status == Status.REPLIED, col(Report.replied_at) < since)).one()


def queue(session: Session, *, actor: Actor, today: date | None = None, page: int = 1,
          page_size: int = 20) -> tuple[list[dict], int]:
    """Replies waiting for a rating longer than the follow-up window, oldest first."""
    if not actor.has(Role.SUPERVISOR):
        raise PermissionDenied()
    since = _replied_before(session, today or clock.today(), "followup")
    condition = sa.and_(Report.status == Status.REPLIED, col(Report.replied_at) < since)
    attempts = (select(func.count()).select_from(ReportRating)
                .where(ReportRating.report_id == Report.id,
                       ReportRating.round == Report.reopen_count,
                       ReportRating.channel == RatingChannel.FOLLOWUP).scalar_subquery())
    total = session.exec(select(func.count()).select_from(Report).where(condition)).one()
    rows = session.exec(
        select(Report, Unit.name, attempts).outerjoin(Unit, col(Unit.id) == Report.unit_id)
        .where(condition).order_by(Report.replied_at, Report.id)
        .offset((max(page, 1) - 1) * page_size).limit(page_size)).all()
    return [{"id": r.id, "tracking_no": r.tracking_no, "title": r.title, "unit": unit,
             "replied_at": r.replied_at, "reply_outcome": r.reply_outcome,
             "contact_name": r.contact_name, "contact_mobile": r.contact_mobile,
             "anonymous": r.anonymous, "attempts": n} for r, unit, n in rows], total


def record(session: Session, *, actor: Actor, report_id: int, result: str,
           comment: str = "") -> Report:
    """The result of a 回访 call: a rating with channel 回访, or 联系不上 (the report waits on)."""
    if not actor.has(Role.SUPERVISOR):
        raise PermissionDenied()
    if result not in set(FollowupResult):
        raise ValidationError("error.followup_result_required", field="result")
    if len(comment) > MAX_COMMENT:
        raise ValidationError("error.note_too_long", field="comment", max=MAX_COMMENT)
    text_rules.check_chars(comment, field="comment")
    report = session.exec(select(Report).where(Report.id == report_id).with_for_update()).first()
    if report is None:
        raise NotFound("error.report_not_found")
    if report.status != Status.REPLIED:
        raise ValidationError("error.transition_not_allowed", status=report.status)
    if result != FollowupResult.UNREACHABLE:
        return report_flow._rate(session, report, actor, result, comment,
                                 channel=RatingChannel.FOLLOWUP)
    now = clock.now()
    session.add(ReportRating(report_id=report.id, unit_id=report.unit_id,
                             round=report.reopen_count, at=now, actor_id=actor.user_id,
                             channel=RatingChannel.FOLLOWUP, rating=result,
                             comment=comment.strip()))
    session.add(ReportEvent(report_id=report.id, at=now, actor_id=actor.user_id,
                            action="followup_unreachable", from_status=report.status,
                            to_status=report.status, unit_id=report.unit_id,
                            note=comment.strip(), public=False, note_public=False))
    audit.record(session, actor=actor, action="followup.unreachable", entity="report",
                 entity_id=report.id)
    session.commit()
    return report


def close_unrated(session: Session, *, today: date, dry_run: bool = False) -> int:
    """Close replies unrated after the `close_unrated` window as 已办结（未评价）, in SQL."""
    since = _replied_before(session, today, "close_unrated")
    days = workdays.sla_days(session, "close_unrated")
    condition = sa.and_(Report.status == Status.REPLIED, col(Report.replied_at) < since)
    count = session.exec(select(func.count()).select_from(Report).where(condition)).one()
    if dry_run or not count:
        return count
    if not take_job_lock(session, "close_unrated"):
        raise JobRunning("error.job_running")
    now = clock.now() if clock.today() == today else datetime.combine(today, time(7, 30))
    note = f"答复后 {days} 个工作日内未评价，按已办结（未评价）结案"
    session.execute(sa.insert(ReportEvent).from_select(
        ["report_id", "at", "actor_id", "action", "from_status", "to_status", "unit_id", "note",
         "public", "note_public"],
        select(Report.id, sa.literal(now, sa.DateTime), sa.literal(None, sa.Integer),
               sa.literal("close_unrated", sa.String), Report.status,
               sa.literal(Status.CLOSED_UNRATED.value, sa.String), Report.unit_id,
               sa.literal(note, sa.Text), sa.true(), sa.true()).where(condition)))
    session.execute(sa.update(Report).where(condition).values(
        status=Status.CLOSED_UNRATED, updated_at=now, current_due=None))
    session.commit()
    return count


def for_report(session: Session, *, actor: Actor, report_id: int) -> list[dict]:
    """The report's ratings, oldest first; a unit sees the ratings of its own replies."""
    from portal.reports import readable

    readable(session, actor=actor, report_id=report_id)
    query = select(ReportRating).where(ReportRating.report_id == report_id)
    if not actor.has(Role.SUPERVISOR, Role.DISCIPLINE):
        if not actor.has(Role.UNIT):
            raise PermissionDenied()
        query = query.where(ReportRating.unit_id == actor.unit_id)
    return [{"at": r.at, "round": r.round, "channel": r.channel, "rating": r.rating,
             "comment": r.comment}
            for r in session.exec(query.order_by(ReportRating.at, ReportRating.id))]


def reopen_complaints(ratings: list[dict]) -> list[str]:
    """The 差评 comments behind a reopened report, for the banner the unit sees."""
    return [r["comment"] for r in ratings if r["rating"] == "unsatisfied" and r["comment"]]


def unit_ratings(session: Session, *, actor: Actor, page: int = 1, page_size: int = 20
                 ) -> tuple[list[dict], int]:
    """All ratings of the actor's unit, newest first, with the report they rate."""
    if not actor.has(Role.UNIT) or actor.unit_id is None:
        raise PermissionDenied()
    mine = ReportRating.unit_id == actor.unit_id
    total = session.exec(select(func.count()).select_from(ReportRating).where(mine)).one()
    rows = session.exec(select(ReportRating, Report.tracking_no, Report.title)
                        .join(Report, col(Report.id) == ReportRating.report_id).where(mine)
                        .order_by(col(ReportRating.at).desc(), col(ReportRating.id).desc())
                        .offset((max(page, 1) - 1) * page_size).limit(page_size)).all()
    return [{"report_id": r.report_id, "tracking_no": no, "title": title, "at": r.at,
             "round": r.round, "channel": r.channel, "rating": r.rating,
             "comment": r.comment} for r, no, title in rows], total
