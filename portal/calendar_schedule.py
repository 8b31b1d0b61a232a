"""A year's holiday schedule in one step: paste the State Council notice's lines (or upload a
CSV), preview, save; then mark the year complete ("official").

Lines: `2027-01-01~2027-01-03 休 元旦`, `2027-02-07 班 春节调休`. CSV rows: `开始日期,结束日期,
类型,备注` (结束日期 may be empty) or `日期,类型,备注`; 类型 is 休/班 (or 假/上班/holiday/work).
Saving recomputes the stored deadlines the changed dates touch (portal/deadlines.py).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from portal import audit, clock, deadlines, text_rules, workdays
from portal.errors import ValidationError
from portal.models import CalendarOverride, CalendarYear
from portal.roles import Actor, Role, require

KINDS = {"休": False, "假": False, "holiday": False, "off": False,
         "班": True, "上班": True, "work": True, "workday": True}
SEPARATORS = re.compile(r"\s*(?:~|～|至|到|—|－)\s*")
MAX_RANGE = 31


@dataclass(frozen=True)
class Entry:
    day: date
    is_working_day: bool
    note: str


@dataclass(frozen=True)
class PreviewRow:
    day: date
    before: bool
    after: bool
    note: str

    @property
    def changes(self) -> bool:
        return self.before != self.after


def _day(text: str, line: int) -> date:
    try:
        y, m, d = (int(part) for part in re.split(r"[-/.年月日]", text.strip()) if part)
        return date(y, m, d)
    except ValueError as exc:
        raise ValidationError("error.calendar_line", field="schedule", line=line,
                              text=text.strip()[:40]) from exc


def _fields(raw: str) -> list[str]:
    if "," in raw or "，" in raw or "\t" in raw:
        return [f.strip() for f in re.split(r"[,，\t]", raw)]
    match = re.match(r"^(\S+?)(?:" + SEPARATORS.pattern + r"(\S+))?\s+(\S+)\s*(.*)$", raw)
    if not match:
        return [raw]
    start, end, kind, note = match.groups()
    return [start, end or "", kind, note]


def parse(text: str) -> list[Entry]:
    """Every day the text names, in order; a Chinese error names the first bad line."""
    entries: dict[date, Entry] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        raw = raw.strip().lstrip("\ufeff")
        if not raw or raw.startswith("#"):
            continue
        fields = _fields(raw)
        if len(fields) == 3 and fields[1].lower() in KINDS:  # 日期,类型,备注
            fields = [fields[0], "", fields[1], fields[2]]
        if len(fields) < 3 or fields[2].lower() not in KINDS:
            if number == 1 and not re.match(r"^\d", raw):
                continue  # a CSV header
            raise ValidationError("error.calendar_line", field="schedule", line=number,
                                  text=raw[:40])
        start = _day(fields[0], number)
        end = _day(fields[1], number) if fields[1] else start
        if end < start or (end - start).days >= MAX_RANGE:
            raise ValidationError("error.calendar_line", field="schedule", line=number,
                                  text=raw[:40])
        note = text_rules.clean(fields[3] if len(fields) > 3 else "", field="schedule",
                                max_len=workdays.MAX_NOTE, too_long_key="error.calendar_note_too_long",
                                line=number)
        day = start
        while day <= end:
            entries[day] = Entry(day, KINDS[fields[2].lower()], note)
            day += timedelta(days=1)
    if not entries:
        raise ValidationError("error.calendar_empty", field="schedule")
    return sorted(entries.values(), key=lambda e: e.day)


def _checked(actor: Actor, year: int, text: str) -> list[Entry]:
    require(actor, Role.ADMIN)
    entries = parse(text)
    outside = [e.day for e in entries if e.day.year != year]
    if outside:
        raise ValidationError("error.calendar_wrong_year", field="schedule", year=year,
                              day=outside[0].isoformat())
    return entries


def preview(session: Session, *, actor: Actor, year: int, text: str) -> list[PreviewRow]:
    """What saving would do, day by day (working day before → after)."""
    entries = _checked(actor, year, text)
    return [PreviewRow(e.day, workdays.is_working_day(e.day, session=session), e.is_working_day,
                       e.note) for e in entries]


def save(session: Session, *, actor: Actor, year: int, text: str) -> tuple[int, int]:
    """Store the schedule's dates as overrides and move the deadlines they touch.

    Returns (dates saved, reports whose deadlines moved).
    """
    entries = _checked(actor, year, text)
    days = [e.day for e in entries]
    before = {e.day: workdays.is_working_day(e.day, session=session) for e in entries}
    existing = {o.day: o for o in session.exec(select(CalendarOverride).where(
        col(CalendarOverride.day).in_(days)))}
    for entry in entries:
        row = existing.get(entry.day) or CalendarOverride(day=entry.day, is_working_day=True)
        row.is_working_day, row.note = entry.is_working_day, entry.note
        session.add(row)
    audit.record(session, actor=actor, action="calendar.bulk", entity="calendar",
                 entity_id=year, detail=f"{len(entries)} 天：{days[0]}…{days[-1]}")
    session.flush()
    moved = deadlines.recompute_after_calendar_change(session, actor=actor, before=before)
    session.commit()
    return len(entries), moved


def set_official(session: Session, *, actor: Actor, year: int, official: bool) -> CalendarYear:
    """The admin says the year's schedule is complete (or not yet); estimates follow."""
    require(actor, Role.ADMIN)
    row = session.get(CalendarYear, year) or CalendarYear(year=year)
    row.official, row.marked_by_id, row.marked_at = official, actor.user_id, clock.now()
    session.add(row)
    audit.record(session, actor=actor, action="calendar.official", entity="calendar",
                 entity_id=year, detail="official" if official else "not official")
    session.flush()
    deadlines.refresh_estimates(session, year)
    session.commit()
    return row
