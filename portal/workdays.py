"""Working days on the State Council's schedule, with admin overrides and a Mon–Fri fallback.

`chinesecalendar` knows the official holidays and make-up working days (调休) of 2004–2026.
An admin can enter any date as holiday or working day (next year's schedule the day it is
published); those rows win. For a year with neither, Monday–Friday is assumed and callers
must say so (see `is_official`).
"""

from datetime import date, datetime, timedelta

import chinese_calendar
from sqlmodel import Session, select

from portal import audit, text_rules
from portal.errors import NotFound, ValidationError
from portal.models import CalendarOverride, CalendarYear, SlaWindow
from portal.roles import Actor, Role, require

BUILTIN_FIRST_YEAR = 2004
BUILTIN_LAST_YEAR = 2026
MAX_NOTE = 100


def _builtin_knows(year: int) -> bool:
    return BUILTIN_FIRST_YEAR <= year <= BUILTIN_LAST_YEAR


def _builtin_is_working_day(day: date) -> bool:
    if _builtin_knows(day.year):
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            pass
    return day.weekday() < 5


def _overrides(session: Session | None, start: date, end: date) -> dict[date, bool]:
    if session is None:
        return {}
    rows = session.exec(select(CalendarOverride.day, CalendarOverride.is_working_day)
                        .where(CalendarOverride.day >= start, CalendarOverride.day <= end))
    return dict(rows.all())


def is_working_day(day: date, *, session: Session | None = None) -> bool:
    """Whether `day` is a working day; a database override for that date wins."""
    override = _overrides(session, day, day).get(day)
    return override if override is not None else _builtin_is_working_day(day)


_is_working = is_working_day  # for functions whose parameter shadows the name


def add_working_days(start: date, n: int, *, session: Session | None = None) -> date:
    """The n-th working day strictly after `start` (start itself when n == 0)."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return start
    # Long holidays are at most ~9 days, so 3n + 20 calendar days always hold n working days;
    # fetch the overrides of that window in one query and widen it if ever needed.
    window = 3 * n + 20
    day, found = start, 0
    while True:
        overrides = _overrides(session, day + timedelta(days=1), day + timedelta(days=window))
        for _ in range(window):
            day += timedelta(days=1)
            working = overrides.get(day)
            if working if working is not None else _builtin_is_working_day(day):
                found += 1
                if found == n:
                    return day


def working_days_between(start: date, end: date, *, session: Session | None = None) -> int:
    """Working days d with start < d <= end (0 when end <= start): overdue days, for one."""
    if end <= start:
        return 0
    overrides = _overrides(session, start + timedelta(days=1), end)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        working = overrides.get(day)
        count += working if working is not None else _builtin_is_working_day(day)
    return count


def is_official(year: int, *, session: Session | None = None) -> bool:
    """True when the year's schedule is known: built in, or marked complete by an admin.

    A few dates entered for a year do not make it official; the admin says when it is complete.
    """
    if _builtin_knows(year):
        return True
    if session is None:
        return False
    row = session.get(CalendarYear, year)
    return bool(row and row.official)


def deadline(assigned_at: datetime, working_days: int, *, session: Session | None = None,
             cutoff_hour: int = 17) -> tuple[date, bool]:
    """Due date of an item assigned at `assigned_at`, and whether it rests on the fallback.

    An assignment at or after the cut-off hour counts from the next working day.
    """
    start = assigned_at.date()
    if assigned_at.hour >= cutoff_hour:
        start = add_working_days(start, 1, session=session)
    due = add_working_days(start, working_days, session=session)
    estimated = any(not is_official(year, session=session)
                    for year in range(assigned_at.year, due.year + 1))
    return due, estimated


# ---- admin: overrides --------------------------------------------------------------------

def list_overrides(session: Session, *, actor: Actor, year: int) -> list[CalendarOverride]:
    """The year's admin-entered dates, in order, for the calendar admin page."""
    require(actor, Role.ADMIN)
    return list(session.exec(select(CalendarOverride).where(
        CalendarOverride.day >= date(year, 1, 1), CalendarOverride.day <= date(year, 12, 31))
        .order_by(CalendarOverride.day)))


def set_override(session: Session, *, actor: Actor, day: date, is_working_day: bool,
                 note: str) -> CalendarOverride:
    """Enter or change one date's status, e.g. next year's 调休 schedule once published."""
    require(actor, Role.ADMIN)
    note = text_rules.clean(note, field="note", max_len=MAX_NOTE, single_line=True,
                            too_long_key="error.calendar_note_too_long")
    before = _is_working(day, session=session)
    row = session.get(CalendarOverride, day) or CalendarOverride(day=day, is_working_day=True)
    row.is_working_day, row.note = is_working_day, note
    session.add(row)
    audit.record(session, actor=actor, action="calendar.set", entity="calendar",
                 detail=f"{day.isoformat()} {'working' if is_working_day else 'holiday'} {note}")
    session.flush()
    _recompute(session, actor, {day: before})
    session.commit()
    return row


def delete_override(session: Session, *, actor: Actor, day: date) -> None:
    """Drop a date's override so the built-in calendar (or Mon–Fri) applies again."""
    require(actor, Role.ADMIN)
    row = session.get(CalendarOverride, day)
    if row is None:
        raise NotFound()
    before = row.is_working_day
    session.delete(row)
    audit.record(session, actor=actor, action="calendar.delete", entity="calendar",
                 detail=day.isoformat())
    session.flush()
    _recompute(session, actor, {day: before})
    session.commit()


def _recompute(session: Session, actor: Actor, before: dict[date, bool]) -> None:
    from portal import deadlines  # deadlines reads this module; imported late to avoid a cycle

    deadlines.recompute_after_calendar_change(session, actor=actor, before=before)


# ---- SLA windows -------------------------------------------------------------------------

def sla_days(session: Session, name: str) -> int:
    """A deadline clock's length, read from the database so admins can change it."""
    window = session.get(SlaWindow, name)
    if window is None:
        raise NotFound()
    return window.working_days


SLA_ORDER = ("intake", "respond", "reply", "reopen", "reminder", "urging", "supervision",
             "followup", "close_unrated")


def list_sla_windows(session: Session) -> list[SlaWindow]:
    """All deadline clocks in the order the process runs, for the admin page."""
    windows = session.exec(select(SlaWindow)).all()
    return sorted(windows, key=lambda w: (SLA_ORDER + (w.name,)).index(w.name))


def set_sla_window(session: Session, *, actor: Actor, name: str, working_days: int) -> SlaWindow:
    """Change a deadline clock; applies to deadlines computed from now on."""
    require(actor, Role.ADMIN)
    window = session.get(SlaWindow, name)
    if window is None:
        raise NotFound()
    if not 1 <= working_days <= 60:
        raise ValidationError("error.sla_days_range", field="working_days", min=1, max=60)
    before = window.working_days
    window.working_days = working_days
    session.add(window)
    audit.record(session, actor=actor, action="sla.set", entity="sla",
                 detail=f"{name}: {before} -> {working_days}")
    session.commit()
    return window
