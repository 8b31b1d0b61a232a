"""The escalation ladder (三单一函, seed 003): 提醒单 -> 催办单 -> 督办单 -> 移交函, one code path
for every supervised item (portal/supervised.py: complaint reports, key tasks, stage reports and
self-check problems of the 整改台账).

A notice gives the unit a new deadline (working days from the `sla_windows` rows) but never
shortens a running window: the current deadline is the later of the two. A notice is
discharged by the action it demands (the response, or the reply); a later overdue episode
starts again at the reminder. A missed one leads to the next rung. The 移交函 hands the
matter to the discipline office and ends the ladder. Overdue days count working days.

A ladder runs per item and owner unit: a task with two lead units gives each its own notices;
a stage report's item is the addressed unit's own row, so each unit has its own ladder.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import NamedTuple

from sqlalchemy import and_, bindparam, text, update
from sqlmodel import Session, col, select

from portal import audit, clock, numbering, supervised, text_rules, workdays
from portal.db import insert_returning_ids, take_job_lock
from portal.errors import JobRunning, NotFound, PermissionDenied, ValidationError
from portal.models import (
    KeyTask,
    Notice,
    Report,
    SelfcheckCampaign,
    SelfcheckForm,
    SelfcheckRow,
    StageReport,
    StageRequest,
    Unit,
)
from portal.notifications import hooks
from portal.report_types import WITH_UNIT
from portal.roles import Actor, Role

LADDER = ("reminder", "urging", "supervision", "transfer")
PREFIX = {"reminder": "提醒", "urging": "催办", "supervision": "督办", "transfer": "移交"}
TITLE = {"reminder": "提醒单", "urging": "催办单", "supervision": "督办单", "transfer": "移交函"}


@dataclass(frozen=True)
class Issued:
    number: str
    kind: str
    tracking_no: str  # the item's reference: 受理编号 of a report, 任务编号 of a task
    unit: str
    overdue_days: int
    deadline: date | None
    item_kind: str = supervised.REPORT


base_due = supervised.report_due


def _of(kind: str, item_id: int, unit_id: int | None = None):  # noqa: ANN202
    """The notices of one item (and owner unit, when given)."""
    where = and_(Notice.item_kind == kind, Notice.item_id == item_id,
                 col(Notice.withdrawn).is_(False))
    return where if unit_id is None else and_(where, Notice.unit_id == unit_id)


def _pending_of(session: Session, kind: str, item_id: int, unit_id: int | None = None
                ) -> list[Notice]:
    return list(session.exec(select(Notice).where(
        _of(kind, item_id, unit_id), col(Notice.complied).is_(None),
        col(Notice.settled_at).is_(None), Notice.kind != "transfer")).all())


def _pending(session: Session, report_id: int, kind: str = supervised.REPORT,
             unit_id: int | None = None) -> Notice | None:
    pending = _pending_of(session, kind, report_id, unit_id)
    return pending[0] if pending else None


def _last(session: Session, item_id: int, kind: str = supervised.REPORT,
          unit_id: int | None = None) -> Notice | None:
    return session.exec(select(Notice).where(_of(kind, item_id, unit_id))
                        .order_by(col(Notice.id).desc())).first()


DISCHARGED = frozenset({"respond", "reply", "return_approved", "progress", "finish", "submit",
                        "rectify"})
# what an action discharges: None for any demand
DISCHARGES = {"respond": {"respond"}, "progress": {"progress"}, "reply": None, "finish": None,
              "submit": None, "rectify": {"rectify"}}


def next_rung(session: Session, report_id: int, kind: str = supervised.REPORT,
              unit_id: int | None = None) -> str | None:
    """Reminder to start a new overdue episode (also after a notice was discharged by the
    action it demanded, even late); the rung after a missed notice; nothing after a transfer."""
    return _rung_after(_last(session, report_id, kind, unit_id))


def _rung_after(last: Notice | None) -> str | None:
    if last is None or last.complied or last.settled_by in DISCHARGED:
        return "reminder"
    if last.kind == "transfer":
        return None
    return LADDER[LADDER.index(last.kind) + 1]


def current_deadline(session: Session, report: Report, *, pending: Notice | None = None,
                     known: bool = False) -> tuple[date | None, str | None]:
    """The later of the SLA deadline that applies and the pending notice's deadline (a notice
    never shortens a running window), with the name of the window behind it. `known`: the
    caller passes the pending notice (None for none) instead of it being read."""
    base = base_due(report)
    window = supervised.report_window(report.status, report.responded_at)
    if report.status not in WITH_UNIT:
        return base, window
    if not known:
        pending = _pending(session, report.id) if report.id else None
    if pending is not None and pending.deadline is not None and (
            base is None or pending.deadline > base):
        return pending.deadline, pending.kind
    return base, window


def refresh_due(session: Session, report: Report, *, pending: Notice | None = None,
                known: bool = False) -> None:
    """Recompute `current_due` and the length of the window behind it (for the yellow card)."""
    report.current_due, window = current_deadline(session, report, pending=pending, known=known)
    report.due_window = workdays.sla_days(session, window) if window else None
    session.add(report)


def settle_on_action(session: Session, report: Report, action: str) -> None:
    """The unit did what a pending notice demands: a response discharges a notice for a missed
    response, a reply discharges any. On time when done by the current deadline."""
    settle_item(session, kind=supervised.REPORT, item_id=report.id, action=action,
                due=report.current_due)


def settle_item(session: Session, *, kind: str, item_id: int, action: str,
                due: date | None = None) -> None:
    """Every pending notice of the item that the action answers is complied with: on time
    when done by the notice's deadline (or `due`, the item's current deadline)."""
    answers = DISCHARGES.get(action, set())
    now = clock.now()
    for pending in _pending_of(session, kind, item_id):
        if answers is not None and pending.demands not in answers:
            continue
        deadline = due or pending.deadline
        pending.complied = deadline is None or now.date() <= deadline
        pending.settled_at, pending.settled_by = now, action
        session.add(pending)


def settle_on_reply(session: Session, report: Report) -> None:
    settle_on_action(session, report, "reply")


def settle_on_return(session: Session, report: Report, *, approved: bool) -> None:
    """An approved return ends the unit's notices (it was not the right owner); a refused one
    leaves them in force: either way the outcome settles them, nothing is silently withdrawn."""
    if not approved:
        return
    pending = _pending(session, report.id)
    if pending is not None:
        pending.settled_at, pending.settled_by = clock.now(), "return_approved"
        session.add(pending)


class _Clock:
    """One day's ladder arithmetic, each answer computed once: the new deadline of each rung,
    the working days overdue of each missed deadline and the length of each window (all read
    the calendar or the SLA rows)."""

    def __init__(self, session: Session, today: date) -> None:
        self.session, self.today = session, today
        self._deadlines: dict[str, tuple[date | None, bool]] = {}
        self._overdue: dict[date, int] = {}
        self._windows: dict[str, int] = {}

    def deadline(self, kind: str) -> tuple[date | None, bool]:
        """The deadline a notice of rung `kind` issued today gives, and whether estimated."""
        if kind not in self._deadlines:
            if kind == "transfer":
                self._deadlines[kind] = (None, False)
            else:
                deadline = workdays.add_working_days(self.today, self.window(kind),
                                                     session=self.session)
                self._deadlines[kind] = (
                    deadline, not workdays.is_official(deadline.year, session=self.session))
        return self._deadlines[kind]

    def overdue(self, due: date | None) -> int:
        if due is None:
            return 0
        if due not in self._overdue:
            self._overdue[due] = workdays.working_days_between(due, self.today,
                                                               session=self.session)
        return self._overdue[due]

    def window(self, name: str) -> int:
        """Working days of SLA window (or rung) `name`."""
        if name not in self._windows:
            self._windows[name] = workdays.sla_days(self.session, name)
        return self._windows[name]


def _issue(session: Session, item: supervised.Item, kind: str, *, today: date, reason: str,
           actor: Actor | None) -> Notice:
    """One notice (issued by hand): the morning run's code path with one item."""
    notice_id = _issue_many(session, [(item, kind, reason)], today=today, actor=actor,
                            days=_Clock(session, today))[0]["id"]
    return session.get(Notice, notice_id)


def _issue_many(session: Session, plans: list[tuple[supervised.Item, str, str]], *,
                today: date, actor: Actor | None, days: _Clock) -> list[dict]:
    """Notices for (item, rung, reason) in a few set-based statements whatever their number:
    numbers reserved per rung in one upsert, the notices, their audit rows and their messages
    inserted in bulk, the reports' current deadlines updated in one batch. The notices' rows,
    in the order of `plans`."""
    if not plans:
        return []
    first: dict[str, int] = {}
    for kind, count in Counter(kind for _, kind, _ in plans).items():
        first[kind] = numbering.next_block(session, f"notice:{kind}:{today.year}", count)
    moment = _moment(today)
    rows = []
    for item, kind, reason in plans:
        deadline, estimated = days.deadline(kind)
        number, first[kind] = first[kind], first[kind] + 1
        rows.append({
            "kind": kind, "number": f"{PREFIX[kind]}〔{today.year}〕{number}号",
            "item_kind": item.kind, "item_id": item.id,
            "report_id": item.id if item.kind == supervised.REPORT else None,
            "unit_id": item.unit_id, "issued_by_id": actor.user_id if actor else None,
            "issued_on": today, "issued_at": moment, "reason": reason.strip(),
            "overdue_days": days.overdue(item.due),
            "overdue_calendar_days": max(0, (today - item.due).days) if item.due else 0,
            "deadline": deadline, "deadline_estimated": estimated, "demands": item.demands,
            "complied": None, "settled_at": None, "settled_by": None, "withdrawn": False,
            "withdrawn_reason": "", "withdrawn_by_id": None})
    ids = insert_returning_ids(session, Notice.__table__, rows)
    for row, notice_id in zip(rows, ids, strict=True):
        row["id"] = notice_id
    audit.record_many(session, actor=actor, events=[
        (f"notice.{row['kind']}", item.kind, item.id, row["number"])
        for row, (item, _, _) in zip(rows, plans, strict=True)])
    _move_report_deadlines(session, plans, rows, days)
    hooks.notices_issued(session, [(row, item) for row, (item, _, _) in zip(rows, plans,
                                                                            strict=True)])
    return rows


def _move_report_deadlines(session: Session, plans: list[tuple[supervised.Item, str, str]],
                           rows: list[dict], days: _Clock) -> None:
    """Each report's new notice is now its one pending notice (a transfer leaves none): its
    current deadline is the later of the notice's and the SLA's (`current_deadline`), and
    `due_window` the length of the window behind it — one batched UPDATE."""
    changes = []
    for (item, kind, _), row in zip(plans, rows, strict=True):
        if item.kind != supervised.REPORT:
            continue
        due, window = item.due, item.window
        if kind != "transfer" and row["deadline"] is not None and (
                due is None or row["deadline"] > due):
            due, window = row["deadline"], kind
        changes.append({"b_id": item.id, "b_due": due,
                        "b_window": days.window(window) if window else None})
    if not changes:
        return
    table = Report.__table__
    if session.get_bind().dialect.name == "postgresql":  # one statement, three arrays
        session.execute(text(
            "UPDATE reports SET current_due = given.due, due_window = given.days "
            "FROM unnest(CAST(:ids AS integer[]), CAST(:dues AS date[]), "
            "CAST(:days AS integer[])) AS given(id, due, days) WHERE reports.id = given.id"),
            {"ids": [c["b_id"] for c in changes], "dues": [c["b_due"] for c in changes],
             "days": [c["b_window"] for c in changes]})
    else:  # SQLite: an executemany of one compiled statement is as quick
        session.execute(update(table).where(table.c.id == bindparam("b_id"))
                        .values(current_due=bindparam("b_due"),
                                due_window=bindparam("b_window")), changes)
    _expire(session, Report, [change["b_id"] for change in changes])


def _expire(session: Session, model: type, ids: list[int]) -> None:
    """Objects of rows just changed by a bulk statement are read again when next used."""
    for row_id in ids:
        loaded = session.identity_map.get(session.identity_key(model, row_id))
        if loaded is not None:
            session.expire(loaded)


def _moment(day: date) -> datetime:
    """Now, or the morning of `day` when the ladder is run for another day (--today)."""
    now = clock.now()
    return now if day == now.date() else datetime.combine(day, time(8, 30))


def _miss(session: Session, notice: Notice, when: datetime) -> None:
    notice.complied, notice.settled_at, notice.settled_by = False, when, "missed"
    session.add(notice)


def escalate(session: Session, *, today: date, dry_run: bool = False, force: bool = False,
             kinds: tuple[str, ...] = supervised.KINDS) -> list[Issued]:
    """Issue the next notice for every supervised item whose current deadline has passed.

    Nothing on a non-working day unless `force`. Idempotent: a notice issued today carries a
    deadline after today, so a second run on the same day finds nothing overdue. One run at a
    time: while another node's run is under way this one raises `JobRunning` (nothing done).
    Set-based: a query per kind finds the items, one more per kind reads their ladders, and
    the notices of the run are written together (`_issue_many`).
    """
    if not force and not workdays.is_working_day(today, session=session):
        return []
    if not take_job_lock(session, "escalate"):
        raise JobRunning("error.job_running")
    items = supervised.overdue(session, today=today, kinds=kinds)
    ladders, days = _ladders(session, items), _Clock(session, today)
    missed: list[int] = []
    plans = []
    for item in items:
        kind = _next_rung_of(item, ladders.get((item.kind, item.id, item.unit_id), []),
                             today=today, missed=missed)
        if kind is not None:
            plans.append((item, kind, supervised.reason(item, TITLE[kind])))
    _miss_all(session, missed, _moment(today))
    rows = _issue_many(session, plans, today=today, actor=None, days=days)
    unit_names = dict(session.exec(select(Unit.id, Unit.name).where(
        col(Unit.id).in_({item.unit_id for item, _, _ in plans}))).all())
    issued = [Issued(number=row["number"], kind=row["kind"], tracking_no=item.ref,
                     unit=unit_names.get(item.unit_id, ""), overdue_days=row["overdue_days"],
                     deadline=row["deadline"], item_kind=item.kind)
              for row, (item, _, _) in zip(rows, plans, strict=True)]
    if dry_run:
        session.rollback()
    else:
        session.commit()
    return issued


LADDER_CHUNK = 5000  # item ids per IN list


class _Rung(NamedTuple):
    """What the ladder needs of a notice."""

    id: int
    item_kind: str
    item_id: int
    unit_id: int
    kind: str
    issued_on: date
    deadline: date | None
    complied: bool | None
    settled_at: datetime | None
    settled_by: str | None


def _ladders(session: Session, items: list[supervised.Item]
             ) -> dict[tuple[str, int, int], list[_Rung]]:
    """The notices of every item of the run, read once (a query per kind and 5,000 items):
    {(kind, item id, owner unit): its notices, oldest first}."""
    ids: dict[str, set[int]] = {}
    for item in items:
        ids.setdefault(item.kind, set()).add(item.id)
    found: dict[tuple[str, int, int], list[_Rung]] = {}
    for kind, members in ids.items():
        ordered = sorted(members)
        for start in range(0, len(ordered), LADDER_CHUNK):
            for row in session.exec(select(*(getattr(Notice, name) for name in _Rung._fields))
                                    .where(Notice.item_kind == kind,
                                           col(Notice.item_id).in_(
                                               ordered[start:start + LADDER_CHUNK]),
                                           col(Notice.withdrawn).is_(False))
                                    .order_by(Notice.id)):
                rung = _Rung(*row)
                found.setdefault((kind, rung.item_id, rung.unit_id), []).append(rung)
    return found


def _next_rung_of(item: supervised.Item, ladder: list[_Rung], *, today: date,
                  missed: list[int]) -> str | None:
    """The next rung for one overdue item, unless its pending notice still runs or the ladder
    ended or it already had a notice today; a pending notice past its deadline goes to
    `missed`. `ladder`: the item's notices, oldest first."""
    pending = next((n for n in ladder if n.complied is None and n.settled_at is None
                    and n.kind != "transfer"), None)
    if pending is not None and pending.deadline is not None:
        if pending.deadline >= today:
            return None  # a notice never shortens a running window
        missed.append(pending.id)
    kind = _rung_after(ladder[-1] if ladder else None)
    if kind is None or any(n.issued_on == today for n in ladder):
        return None
    return kind


def _miss_all(session: Session, notice_ids: list[int], when: datetime) -> None:
    """`_miss` for many notices, in one UPDATE per 5,000."""
    for start in range(0, len(notice_ids), LADDER_CHUNK):
        chunk = notice_ids[start:start + LADDER_CHUNK]
        session.execute(update(Notice.__table__).where(Notice.__table__.c.id.in_(chunk))
                        .values(complied=False, settled_at=when, settled_by="missed"))
    _expire(session, Notice, notice_ids)


def _reason(reason: str) -> str:
    return text_rules.clean(reason, field="reason", max_len=text_rules.REASON,
                            required_key="error.notice_reason_required")


def issue_by_hand(session: Session, *, actor: Actor, reason: str, report_id: int | None = None,
                  task_id: int | None = None, unit_id: int | None = None,
                  stage_report_id: int | None = None, problem_id: int | None = None) -> Notice:
    """A supervisor issues the next rung now, with a reason; a pending notice counts as missed.
    For a report, its unit; for a task, the lead unit `unit_id`; for a stage report, the
    addressed unit of that row (while it owes the report); for a self-check problem (its row id
    in the 整改台账), the form's unit."""
    if not actor.has(Role.SUPERVISOR):
        raise PermissionDenied()
    reason = _reason(reason)
    if report_id is not None:
        report = session.exec(select(Report).where(Report.id == report_id)
                              .with_for_update()).first()
        if report is None:
            raise NotFound("error.report_not_found")
        if report.status not in WITH_UNIT or report.unit_id is None:
            raise ValidationError("error.notice_not_with_unit")
        item = supervised.report_item(report)
    elif stage_report_id is not None:
        item = supervised.stage_item(session, stage_report_id=stage_report_id)
        if item is None:
            raise ValidationError("error.notice_stage_not_open")
    elif problem_id is not None:
        item = supervised.problem_item(session, row_id=problem_id)
        if item is None:
            raise ValidationError("error.notice_problem_not_open")
    else:
        item = supervised.task_item(session, task_id=task_id, unit_id=unit_id,
                                    today=clock.today())
        if item is None:
            raise ValidationError("error.notice_task_not_open")
    pending = _pending(session, item.id, item.kind, item.unit_id)
    if pending is not None:
        _miss(session, pending, clock.now())
        session.flush()
    kind = next_rung(session, item.id, item.kind, item.unit_id)
    if kind is None:
        raise ValidationError("error.notice_ladder_ended")
    notice = _issue(session, item, kind, today=clock.today(), reason=reason, actor=actor)
    session.commit()
    return notice


def withdraw(session: Session, *, actor: Actor, notice_id: int, reason: str) -> Notice:
    """Take a notice back (issued in error); a report's deadline falls back."""
    if not actor.has(Role.SUPERVISOR):
        raise PermissionDenied()
    reason = _reason(reason)
    notice = session.get(Notice, notice_id)
    if notice is None or notice.withdrawn:
        raise NotFound()
    notice.withdrawn, notice.withdrawn_reason = True, reason.strip()
    notice.withdrawn_by_id = actor.user_id
    session.add(notice)
    session.flush()
    if notice.item_kind == supervised.REPORT:
        refresh_due(session, session.get(Report, notice.item_id))
    audit.record(session, actor=actor, action="notice.withdraw", entity=notice.item_kind,
                 entity_id=notice.item_id, detail=f"{notice.number}: {reason.strip()}")
    session.commit()
    return notice


# ---- reading -----------------------------------------------------------------------------

def _rows(session: Session, query) -> list[dict]:  # noqa: ANN001
    """Notices as dicts; `tracking_no` and `report_title` name the item (a task's number and
    title for a task, the request's for a stage report), `item_kind` says which kind it is."""
    rows = session.exec(query).all()
    return [_row(*found) for found in rows]


def _row(n: Notice, number: str | None, title: str | None, task_number: str | None,
         task_title: str | None, stage_number: str | None, stage_title: str | None, unit: str,
         problem_text: str | None, problem_category: int | None, year: int | None,
         quarter: int | None) -> dict:
    if n.item_kind == supervised.PROBLEM and year is not None:
        task_number = supervised.problem_ref(year, quarter, problem_category)
        task_title = supervised.short(problem_text or "")
    return {"id": n.id, "kind": n.kind, "title": TITLE[n.kind], "number": n.number,
            "report_id": n.report_id, "item_kind": n.item_kind, "item_id": n.item_id,
            "item_kind_text": supervised.KIND_TEXT[n.item_kind],
            "tracking_no": number or task_number or stage_number,
            "report_title": title or task_title or stage_title,
            "unit": unit, "unit_id": n.unit_id, "issued_on": n.issued_on, "reason": n.reason,
            "overdue_days": n.overdue_days,
            "overdue_calendar_days": n.overdue_calendar_days, "deadline": n.deadline,
            "demands": n.demands, "settled_by": n.settled_by,
            "deadline_estimated": n.deadline_estimated, "complied": n.complied,
            "withdrawn": n.withdrawn, "withdrawn_reason": n.withdrawn_reason}


def _select():  # noqa: ANN202
    return (select(Notice, Report.tracking_no, Report.title, KeyTask.number, KeyTask.title,
                   StageRequest.number, StageRequest.title, Unit.name, SelfcheckRow.description,
                   SelfcheckRow.category_number, SelfcheckCampaign.year, SelfcheckCampaign.quarter)
            .outerjoin(Report, col(Report.id) == Notice.report_id)
            .outerjoin(KeyTask, and_(Notice.item_kind == supervised.TASK,
                                     col(KeyTask.id) == Notice.item_id))
            .outerjoin(StageReport, and_(Notice.item_kind == supervised.STAGE,
                                         col(StageReport.id) == Notice.item_id))
            .outerjoin(StageRequest, col(StageRequest.id) == StageReport.request_id)
            .outerjoin(SelfcheckRow, and_(Notice.item_kind == supervised.PROBLEM,
                                          col(SelfcheckRow.id) == Notice.item_id))
            .outerjoin(SelfcheckForm, col(SelfcheckForm.id) == SelfcheckRow.form_id)
            .outerjoin(SelfcheckCampaign, col(SelfcheckCampaign.id) == SelfcheckForm.campaign_id)
            .join(Unit, col(Unit.id) == Notice.unit_id))


def notices_for_items(session: Session, *, kind: str, item_ids: list[int]) -> list[dict]:
    """The notices of the given items of one kind; the caller has checked who may read them."""
    if not item_ids:
        return []
    return _rows(session, _select().where(Notice.item_kind == kind,
                                          col(Notice.item_id).in_(item_ids))
                 .order_by(Notice.id))


def notices_for_report(session: Session, *, actor: Actor, report_id: int) -> list[dict]:
    """Internal notices: for the office and the unit handling the report, never the filer."""
    from portal.reports import readable

    report = readable(session, actor=actor, report_id=report_id)
    office = actor.has(Role.SUPERVISOR, Role.DISCIPLINE)
    if not office and not (actor.has(Role.UNIT) and report.unit_id == actor.unit_id):
        raise NotFound("error.report_not_found")
    return _rows(session, _select().where(Notice.report_id == report_id).order_by(Notice.id))


def notices_for_task(session: Session, *, actor: Actor, task_id: int) -> list[dict]:
    """A key task's notices: all for the office, a unit's own for a unit of the task."""
    from portal import tasks

    tasks.get_task(session, actor=actor, task_id=task_id)  # refuses a unit outside the task
    query = _select().where(Notice.item_kind == supervised.TASK, Notice.item_id == task_id)
    if not actor.has(Role.SUPERVISOR, Role.DISCIPLINE, Role.ADMIN):
        query = query.where(Notice.unit_id == actor.unit_id)
    return _rows(session, query.order_by(Notice.id))


def task_next_rungs(session: Session, *, actor: Actor, task_id: int) -> list[dict]:
    """For the office's 发出 form: each lead unit of an open task with the rung it would get."""
    from portal import tasks

    if not actor.has(Role.SUPERVISOR):
        raise PermissionDenied()
    task = session.get(KeyTask, task_id)
    if task is None:
        raise NotFound()
    if task.done_on is not None:
        return []
    leads = tasks.lead_unit_ids(session, task_id)
    names = dict(session.exec(select(Unit.id, Unit.name).where(col(Unit.id).in_(leads))).all())
    rungs = [{"unit_id": unit_id, "unit": names.get(unit_id, ""),
              "kind": next_rung(session, task_id, supervised.TASK, unit_id)}
             for unit_id in leads]
    return [rung for rung in rungs if rung["kind"]]


def notices_for_stage(session: Session, *, actor: Actor, request_id: int) -> list[dict]:
    """A stage report request's notices: all for the office, a unit's own for an addressed
    unit."""
    from portal import stage_reports

    stage_reports.get_request(session, actor=actor, request_id=request_id)  # refuses others
    query = _select().where(Notice.item_kind == supervised.STAGE,
                            StageReport.request_id == request_id)
    if not actor.has(*stage_reports.OFFICE):
        query = query.where(Notice.unit_id == actor.unit_id)
    return _rows(session, query.order_by(Notice.id))


def stage_next_rungs(session: Session, *, actor: Actor, request_id: int) -> list[dict]:
    """For the office's 发出 form: each addressed unit that still owes the report, with its
    stage-report row and the rung it would get."""
    from portal import stage_reports

    if not actor.has(Role.SUPERVISOR):
        raise PermissionDenied()
    if session.get(StageRequest, request_id) is None:
        raise NotFound()
    owing = session.exec(select(StageReport.id, StageReport.unit_id, Unit.name)
                         .join(Unit, col(Unit.id) == StageReport.unit_id)
                         .where(StageReport.request_id == request_id,
                                col(StageReport.status).in_(stage_reports.OPEN))
                         .order_by(Unit.sort_order, Unit.id)).all()
    rungs = [{"stage_report_id": row_id, "unit_id": unit_id, "unit": name,
              "kind": next_rung(session, row_id, supervised.STAGE, unit_id)}
             for row_id, unit_id, name in owing]
    return [rung for rung in rungs if rung["kind"]]


def unit_notices(session: Session, *, actor: Actor, limit: int = 50) -> list[dict]:
    """The notices addressed to the actor's unit, newest first."""
    if not actor.has(Role.UNIT) or actor.unit_id is None:
        raise PermissionDenied()
    return _rows(session, _select().where(Notice.unit_id == actor.unit_id)
                 .order_by(col(Notice.id).desc()).limit(limit))


def transfer_inbox(session: Session, *, actor: Actor, page: int = 1, page_size: int = 20
                   ) -> tuple[list[dict], int]:
    """移交函 for the discipline office (the entry point of a later typical case)."""
    if not actor.has(Role.DISCIPLINE, Role.SUPERVISOR):
        raise PermissionDenied()
    from sqlmodel import func

    condition = (Notice.kind == "transfer") & col(Notice.withdrawn).is_(False)
    total = session.exec(select(func.count()).select_from(Notice).where(condition)).one()
    rows = _rows(session, _select().where(condition).order_by(col(Notice.id).desc())
                 .offset((max(page, 1) - 1) * page_size).limit(page_size))
    return rows, total


def notice_for_download(session: Session, *, actor: Actor, notice_id: int) -> dict:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFound()
    if not actor.has(Role.SUPERVISOR, Role.DISCIPLINE) and not (
            actor.has(Role.UNIT) and actor.unit_id == notice.unit_id):
        raise NotFound()
    return _rows(session, _select().where(Notice.id == notice_id))[0]
