"""Stored deadlines follow the calendar: when an admin changes a date, the deadlines of open
reports (and pending notices) whose windows contain it are recomputed, set-based, each report
getting a timeline event "节假日安排调整，期限由…调整为…".

A window is (start, due]: the n-th working day after the day its clock started. n is taken
under the old calendar (the changed days' old status corrects today's count), then counted
again from the same start under the new one. Reports sharing (start, due) move together in one
INSERT … SELECT and one UPDATE.
"""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from portal import clock, workdays
from portal.i18n import format_date
from portal.models import CalendarYear, Notice, Report, ReportEvent
from portal.report_types import OFFICE_WAITING, OPEN_STATUSES, WITH_UNIT, Status
from portal.roles import Actor

CHUNK = 500
COLUMNS = (("respond_due", (Status.ASSIGNED,), "响应期限"),
           ("reply_due", tuple(WITH_UNIT), "答复期限"),
           ("office_due", tuple(OFFICE_WAITING), "受理分办期限"))


def _note(old: date, new: date, what: str) -> str:
    return f"节假日安排调整，期限由{format_date(old)}调整为{format_date(new)}（{what}）"


def _moved(session: Session, changed: dict[date, tuple[bool, bool]], start: date,
           due: date) -> date | None:
    inside = [(was, now) for day, (was, now) in changed.items() if start < day <= due]
    if not inside:
        return None
    n = workdays.working_days_between(start, due, session=session)
    n -= sum(int(now) - int(was) for was, now in inside)
    new = workdays.add_working_days(start, max(n, 1), session=session)
    return new if new != due else None


def _event_rows(where: sa.ColumnElement, note: str, actor: Actor | None):  # noqa: ANN202
    return select(Report.id, sa.literal(clock.now(), sa.DateTime),
                  sa.literal(actor.user_id if actor else None, sa.Integer),
                  sa.literal("calendar", sa.String), Report.status, Report.status,
                  Report.unit_id, sa.literal(note, sa.Text), sa.true(), sa.true()).where(where)


EVENT_COLUMNS = ["report_id", "at", "actor_id", "action", "from_status", "to_status", "unit_id",
                 "note", "public", "note_public"]


def recompute_after_calendar_change(session: Session, *, actor: Actor | None,
                                    before: dict[date, bool]) -> int:
    """Move the stored deadlines touched by the changed days; returns the reports moved."""
    changed = {}
    for day, was in before.items():
        now = workdays.is_working_day(day, session=session)
        if now != was:
            changed[day] = (was, now)
    if not changed:
        return 0
    low, high = min(changed), max(changed)
    touched: set[int] = set()
    for name, statuses, what in COLUMNS:
        column = getattr(Report, name)
        scope = sa.and_(col(Report.status).in_(statuses), col(Report.clock_start).is_not(None))
        pairs = session.exec(select(Report.clock_start, column).where(
            scope, col(Report.clock_start) < high, column >= low).distinct()).all()
        for start, due in pairs:
            new = _moved(session, changed, start, due)
            if new is None:
                continue
            where = sa.and_(scope, Report.clock_start == start, column == due)
            touched.update(session.exec(select(Report.id).where(where)).all())
            session.execute(sa.insert(ReportEvent).from_select(
                EVENT_COLUMNS, _event_rows(where, _note(due, new, what), actor)))
            session.execute(sa.update(Report).where(where).values({name: new}))
    touched |= _move_notices(session, changed, low, high, actor)
    _refresh_current_due(session, touched)
    session.flush()
    return len(touched)


def _pending_notice():  # noqa: ANN202
    return sa.and_(col(Notice.withdrawn).is_(False), col(Notice.complied).is_(None),
                   col(Notice.settled_at).is_(None), Notice.kind != "transfer",
                   col(Notice.deadline).is_not(None))


def _move_notices(session: Session, changed: dict, low: date, high: date,
                  actor: Actor | None) -> set[int]:
    touched: set[int] = set()
    pairs = session.exec(select(Notice.issued_on, Notice.deadline).where(
        _pending_notice(), col(Notice.issued_on) < high, col(Notice.deadline) >= low)
        .distinct()).all()
    for start, due in pairs:
        new = _moved(session, changed, start, due)
        if new is None:
            continue
        where = sa.and_(_pending_notice(), Notice.issued_on == start, Notice.deadline == due)
        ids = set(session.exec(select(Notice.report_id).where(where)).all())
        touched |= ids
        session.execute(sa.update(Notice).where(where).values(deadline=new))
        for chunk in _chunks(ids):
            session.execute(sa.insert(ReportEvent).from_select(
                EVENT_COLUMNS, _event_rows(col(Report.id).in_(chunk),
                                           _note(due, new, "督办通知期限"), actor)))
    return touched


def _chunks(ids: set[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def _refresh_current_due(session: Session, ids: set[int]) -> None:
    """current_due = the later of the applicable SLA deadline and a pending notice's, in SQL."""
    base = sa.case(
        (col(Report.status).in_(list(OFFICE_WAITING)), Report.office_due),
        (sa.and_(Report.status == Status.ASSIGNED, col(Report.responded_at).is_(None)),
         Report.respond_due),
        (col(Report.status).in_(list(WITH_UNIT)), Report.reply_due), else_=None)
    notice_due = (select(sa.func.max(Notice.deadline))
                  .where(Notice.report_id == Report.id, _pending_notice()).scalar_subquery())
    for chunk in _chunks(ids):
        session.execute(sa.update(Report).where(col(Report.id).in_(chunk))
                        .values(current_due=base))
        session.execute(sa.update(Report).where(
            col(Report.id).in_(chunk), col(Report.status).in_(list(WITH_UNIT)),
            sa.or_(col(Report.current_due).is_(None), notice_due > Report.current_due))
            .values(current_due=notice_due))


def refresh_estimates(session: Session, year: int) -> None:
    """After a year's official flag changed: deadlines resting on the Mon–Fri fallback are
    estimates, the others not. One UPDATE per (start year, due year) combination."""
    due = sa.func.coalesce(Report.reply_due, Report.office_due)
    official = {y: workdays.is_official(y, session=session) for y in range(year - 1, year + 2)}
    for first in (year - 1, year):
        for last in (year, year + 1):
            estimated = any(not official[y] for y in range(first, last + 1))
            session.execute(sa.update(Report).where(
                col(Report.status).in_(list(OPEN_STATUSES)),
                col(Report.clock_start) >= date(first, 1, 1),
                col(Report.clock_start) <= date(first, 12, 31),
                due >= date(last, 1, 1), due <= date(last, 12, 31))
                .values(deadline_estimated=estimated))
    session.execute(sa.update(Notice).where(
        _pending_notice(), col(Notice.deadline) >= date(year, 1, 1),
        col(Notice.deadline) <= date(year, 12, 31)).values(deadline_estimated=not official[year]))


def official_years(session: Session) -> dict[int, bool]:
    return dict(session.exec(select(CalendarYear.year, CalendarYear.official)).all())
