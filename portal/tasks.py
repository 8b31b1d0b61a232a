"""The key-task ledger (重点任务清单, #14): tasks with 牵头 and 责任 units, a progress schedule, the
units' progress reports and the office's review, 挂图作战 and the Excel template, import and export.

Progress reports are due on a schedule: the report of a month (or a quarter) by the REPORT_DAY-th
of the month after it, moved to the next working day. The task keeps the next due date, the
percentage of its latest report not returned and the day it was done, so that every list
computes the state in SQL (`state_column`):

- done: the office accepted a report of 100%;
- overdue: a progress report missed its due date, or the deadline passed below 100%;
- at risk: the next report is due within RISK_REPORT_DAYS working days, or the deadline is
  within RISK_DEADLINE_DAYS working days below RISK_PERCENT;
- on track: everything else.

A unit user sees and reports only the tasks its unit leads or shares; the office (supervisor,
admin) sees and manages all of them.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from io import BytesIO

from sqlalchemy import ColumnElement, and_, case, exists, or_
from sqlmodel import Session, col, func, select

from portal import attachments, audit, clock, escalation, exports, text_rules, workdays
from portal.attachments import Upload
from portal.errors import FieldChecks, NotFound, PermissionDenied, ValidationError
from portal.models import KeyTask, KeyTaskUnit, TaskProgress, TaskProgressFile, Unit
from portal.roles import Actor, Role, require

LEAD, SUPPORT = "lead", "support"
MONTHLY, QUARTERLY = "monthly", "quarterly"
CADENCES = (MONTHLY, QUARTERLY)
PENDING, ACCEPTED, RETURNED = "pending", "accepted", "returned"
ON_TRACK, AT_RISK, OVERDUE, DONE = "on_track", "at_risk", "overdue", "done"
STATES = (ON_TRACK, AT_RISK, OVERDUE, DONE)
REPORT_DAY = 10  # 每月10日前报送上月进展（每季度：季度结束后次月10日前）
RISK_REPORT_DAYS = 3
RISK_DEADLINE_DAYS = 10
RISK_PERCENT = 80
OFFICE = (Role.SUPERVISOR, Role.ADMIN)
MAX_TEXT = 5000
MAX_ROWS = 2000

# The Excel template: header → field; the first four columns are required.
HEADERS = ("编号", "任务名称", "牵头单位", "完成时限", "专项行动", "任务内容", "责任单位", "其他责任方",
           "开始日期", "任务类型", "报送周期", "指标/目标", "来源文件")
REQUIRED_HEADERS = HEADERS[:4]
KIND_TEXT = {False: "限时完成", True: "常态化"}
CADENCE_TEXT = {MONTHLY: "每月", QUARTERLY: "每季度"}
_UNIT_SPLIT = re.compile(r"[、，,;；\s]+")
_MONTH_END = re.compile(r"(\d{4})年(\d{1,2})月(?:底|末)")


@dataclass
class TaskInput:
    number: str
    title: str
    lead_unit_ids: list[int]
    due_on: date | None
    support_unit_ids: list[int] = field(default_factory=list)
    content: str = ""
    area: str = ""
    start_on: date | None = None
    recurring: bool = False
    cadence: str = MONTHLY
    indicator: str = ""
    source: str = ""
    other_parties: str = ""


@dataclass
class ProgressInput:
    progress: str
    percent: int
    problems: str = ""
    evidence: str = ""
    uploads: list[Upload] = field(default_factory=list)


@dataclass
class ImportRow:
    number: int  # the row in the sheet (the header is row 1)
    data: TaskInput | None
    errors: list[tuple[str, dict]] = field(default_factory=list)  # (i18n key, params)
    values: dict = field(default_factory=dict)  # the row as read, for the preview


class WorkbookRefused(ValidationError):
    """A workbook with bad rows: nothing of it was imported; `rows` says what is wrong where."""

    def __init__(self, rows: list[ImportRow]) -> None:
        super().__init__("error.task_import_refused", count=len(rows),
                         rows="、".join(str(r.number) for r in rows[:50]))
        self.rows = rows


# ---- the schedule -------------------------------------------------------------------------

def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _period_end(day: date, cadence: str) -> date:
    """The last day of the month (or quarter) that holds `day`."""
    if cadence == QUARTERLY:
        day = date(day.year, (day.month - 1) // 3 * 3 + 3, 1)
    return _month_end(day)


def _period_start(end: date, cadence: str) -> date:
    return _add_months(end.replace(day=1), -2 if cadence == QUARTERLY else 0)


def _working_on_or_after(session: Session, day: date) -> date:
    while not workdays.is_working_day(day, session=session):
        day += timedelta(days=1)
    return day


def report_due(session: Session, period_end: date) -> date:
    """When the report of the period ending on `period_end` is due."""
    return _working_on_or_after(session, _add_months(period_end.replace(day=1), 1)
                                .replace(day=REPORT_DAY))


def first_report_due(session: Session, task: KeyTask) -> date:
    return report_due(session, _period_end(task.start_on, task.cadence))


def due_after(session: Session, task: KeyTask, period_due: date) -> date | None:
    """The next scheduled report after the one due on `period_due`; None past the deadline."""
    answered = _month_end(_add_months(period_due.replace(day=1), -1))
    following = _period_end(_add_months(answered.replace(day=1), 1), task.cadence)
    if _period_start(following, task.cadence) > task.due_on:
        return None
    return report_due(session, following)


def _latest_standing(session: Session, task_id: int) -> TaskProgress | None:
    """The newest report not returned: it carries the task's percentage and schedule."""
    return session.exec(select(TaskProgress).where(
        TaskProgress.task_id == task_id, TaskProgress.status != RETURNED)
        .order_by(col(TaskProgress.submitted_at).desc(), col(TaskProgress.id).desc())).first()


def _reschedule(session: Session, task: KeyTask) -> None:
    """Set the task's next due report and percentage from its reports (after an edit)."""
    last = _latest_standing(session, task.id) if task.id else None
    task.percent = last.percent if last else 0
    if task.done_on is not None or (last and last.percent == 100):
        task.next_report_due = None
    elif last is None:
        task.next_report_due = first_report_due(session, task)
    else:
        task.next_report_due = due_after(session, task, last.period_due or last.submitted_at
                                         .date())


# ---- the state, in SQL --------------------------------------------------------------------

def _thresholds(session: Session, today: date) -> tuple[date, date]:
    return (workdays.add_working_days(today, RISK_REPORT_DAYS, session=session),
            workdays.add_working_days(today, RISK_DEADLINE_DAYS, session=session))


def state_column(session: Session, today: date) -> ColumnElement:
    """on_track / at_risk / overdue / done of each task row, as a SQL CASE."""
    report_soon, deadline_soon = _thresholds(session, today)
    return case(
        (col(KeyTask.done_on).is_not(None), DONE),
        (or_(col(KeyTask.next_report_due) < today,
             and_(col(KeyTask.due_on) < today, col(KeyTask.percent) < 100)), OVERDUE),
        (or_(col(KeyTask.next_report_due) <= report_soon,
             and_(col(KeyTask.due_on) <= deadline_soon,
                  col(KeyTask.percent) < RISK_PERCENT)), AT_RISK),
        else_=ON_TRACK)


_STATE_ORDER = {OVERDUE: 0, AT_RISK: 1, ON_TRACK: 2, DONE: 3}


# ---- who sees what ------------------------------------------------------------------------

def _is_office(actor: Actor | None) -> bool:
    return actor is not None and actor.has(*OFFICE)


def _reader(actor: Actor | None) -> Actor:
    """The office, or a unit user with a unit; anyone else is refused."""
    if _is_office(actor):
        return actor
    if actor is not None and actor.has(Role.UNIT) and actor.unit_id is not None:
        return actor
    raise PermissionDenied()


def _involves(unit_id: int) -> ColumnElement:
    return exists().where(KeyTaskUnit.task_id == KeyTask.id, KeyTaskUnit.unit_id == unit_id)


def _visible_task(session: Session, actor: Actor | None, task_id: int) -> KeyTask:
    actor = _reader(actor)
    task = session.get(KeyTask, task_id)
    if task is None:
        raise NotFound()
    if not _is_office(actor) and actor.unit_id not in _unit_ids(session, task.id):
        raise PermissionDenied()
    return task


def _unit_ids(session: Session, task_id: int, role: str | None = None) -> list[int]:
    query = select(KeyTaskUnit.unit_id).where(KeyTaskUnit.task_id == task_id)
    if role:
        query = query.where(KeyTaskUnit.role == role)
    return list(session.exec(query).all())


def lead_unit_ids(session: Session, task_id: int) -> list[int]:
    """The 牵头单位 of a task: each is supervised on the 三单一函 ladder for it."""
    return _unit_ids(session, task_id, LEAD)


# ---- checking input -----------------------------------------------------------------------

def _clean(session: Session, data: TaskInput, *, task_id: int | None = None) -> dict:
    checks = FieldChecks()

    def text(name: str, value: str, max_len: int, required: bool = False,
             single_line: bool = False) -> None:
        checks.check(name, lambda: text_rules.clean(
            value, field=name, max_len=max_len, single_line=single_line,
            required_key=f"error.task_{name}_required" if required else None))

    text("number", data.number, 20, True, True)
    text("title", data.title, 100, True, True)
    text("content", data.content, MAX_TEXT)
    text("area", data.area, 40, single_line=True)
    text("indicator", data.indicator, 2000)
    text("source", data.source, 200, single_line=True)
    text("other_parties", data.other_parties, 200, single_line=True)
    active = set(session.exec(select(Unit.id).where(col(Unit.active).is_(True))).all())

    def leads() -> list[int]:
        ids = list(dict.fromkeys(data.lead_unit_ids))
        if not ids:
            raise ValidationError("error.task_lead_required", field="leads")
        if not set(ids) <= active:
            raise ValidationError("error.task_unit_inactive", field="leads")
        return ids

    def supports() -> list[int]:
        ids = [u for u in dict.fromkeys(data.support_unit_ids) if u not in data.lead_unit_ids]
        if not set(ids) <= active:
            raise ValidationError("error.task_unit_inactive", field="supports")
        return ids

    def due() -> date:
        if data.due_on is None:
            raise ValidationError("error.task_due_required", field="due_on")
        text_rules.check_year(data.due_on.year, field="due_on")
        return data.due_on

    def start() -> date:
        start_on = data.start_on or min(clock.today(), data.due_on or clock.today())
        text_rules.check_year(start_on.year, field="start_on")
        if data.due_on is not None and start_on > data.due_on:
            raise ValidationError("error.task_start_after_due", field="start_on")
        return start_on

    def cadence() -> str:
        if data.cadence not in CADENCES:
            raise ValidationError("error.task_cadence", field="cadence")
        return data.cadence

    checks.check("leads", leads)
    checks.check("supports", supports)
    checks.check("due_on", due)
    checks.check("start_on", start)
    checks.check("cadence", cadence)
    number = checks.clean.get("number")
    if number:
        taken = session.exec(select(KeyTask.id).where(KeyTask.number == number)).first()
        if taken is not None and taken != task_id:
            checks.errors["number"] = ValidationError("error.task_number_exists", field="number",
                                                      number=number)
    checks.raise_if_any()
    return {**checks.clean, "recurring": bool(data.recurring)}


def _apply(session: Session, task: KeyTask, clean: dict) -> None:
    for name in ("number", "title", "content", "area", "indicator", "source", "other_parties",
                 "start_on", "recurring", "cadence"):
        setattr(task, name, clean[name])
    task.due_on, task.updated_at = clean["due_on"], clock.now()
    session.add(task)
    session.flush()
    for link in session.exec(select(KeyTaskUnit).where(KeyTaskUnit.task_id == task.id)):
        session.delete(link)
    session.flush()
    for role, ids in ((LEAD, clean["leads"]), (SUPPORT, clean["supports"])):
        for unit_id in ids:
            session.add(KeyTaskUnit(task_id=task.id, unit_id=unit_id, role=role))
    _reschedule(session, task)
    session.add(task)
    session.flush()


# ---- the office: tasks by hand ------------------------------------------------------------

def create_task(session: Session, *, actor: Actor, data: TaskInput) -> KeyTask:
    """A task entered by hand; its first progress report is scheduled from its start date."""
    require(actor, *OFFICE)
    clean = _clean(session, data)
    task = KeyTask(number=clean["number"], title=clean["title"], start_on=clean["start_on"],
                   due_on=clean["due_on"], created_by_id=actor.user_id)
    _apply(session, task, clean)
    audit.record(session, actor=actor, action="task.create", entity="key_task",
                 entity_id=task.id, detail=task.number)
    session.commit()
    return task


def update_task(session: Session, *, actor: Actor, task_id: int, data: TaskInput) -> KeyTask:
    """Change a task; its schedule follows the new dates, its reports stay."""
    require(actor, *OFFICE)
    task = session.exec(select(KeyTask).where(KeyTask.id == task_id).with_for_update()).first()
    if task is None:
        raise NotFound()
    clean = _clean(session, data, task_id=task_id)
    _apply(session, task, clean)
    audit.record(session, actor=actor, action="task.update", entity="key_task",
                 entity_id=task.id, detail=task.number)
    session.commit()
    return task


# ---- lists --------------------------------------------------------------------------------

def _filtered(session: Session, actor: Actor, *, area: str | None, unit_id: int | None,
              state: str | None, search: str, state_col: ColumnElement):  # noqa: ANN202
    query = select(KeyTask, state_col.label("state"))
    if not _is_office(actor):
        query = query.where(_involves(actor.unit_id))
    if unit_id is not None:
        query = query.where(_involves(unit_id))
    if area:
        query = query.where(KeyTask.area == area)
    if state:
        query = query.where(state_col == state)
    if search.strip():
        pattern = f"%{search.strip()}%"
        query = query.where(or_(col(KeyTask.title).like(pattern),
                                col(KeyTask.number).like(pattern)))
    return query


def _unit_names(session: Session, task_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """Lead and responsible unit names of the given tasks, in one query."""
    names: dict[int, dict[str, list[str]]] = {i: {LEAD: [], SUPPORT: []} for i in task_ids}
    if not task_ids:
        return names
    rows = session.exec(select(KeyTaskUnit.task_id, KeyTaskUnit.role, Unit.name)
                        .join(Unit, col(Unit.id) == KeyTaskUnit.unit_id)
                        .where(col(KeyTaskUnit.task_id).in_(task_ids))
                        .order_by(Unit.sort_order, Unit.id)).all()
    for task_id, role, name in rows:
        names[task_id][role].append(name)
    return names


def _pending_ids(session: Session, task_ids: list[int]) -> set[int]:
    if not task_ids:
        return set()
    return set(session.exec(select(TaskProgress.task_id).where(
        col(TaskProgress.task_id).in_(task_ids), TaskProgress.status == PENDING)).all())


def _rows(session: Session, actor: Actor, found: list) -> list[dict]:  # noqa: ANN001
    ids = [task.id for task, _state in found]
    names, pending = _unit_names(session, ids), _pending_ids(session, ids)
    return [{"id": task.id, "number": task.number, "title": task.title, "area": task.area,
             "content": task.content, "leads": names[task.id][LEAD],
             "supports": names[task.id][SUPPORT], "other_parties": task.other_parties,
             "start_on": task.start_on, "due_on": task.due_on, "recurring": task.recurring,
             "cadence": task.cadence, "indicator": task.indicator, "source": task.source,
             "next_report_due": task.next_report_due, "percent": task.percent,
             "done_on": task.done_on, "state": state, "pending": task.id in pending,
             "my_role": None if _is_office(actor) else
             (LEAD if actor.unit_name in names[task.id][LEAD] else SUPPORT)}
            for task, state in found]


def list_tasks(session: Session, *, actor: Actor, state: str | None = None,
               area: str | None = None, unit_id: int | None = None, search: str = "",
               page: int = 1, page_size: int = 20) -> tuple[list[dict], int]:
    """A page of the ledger, overdue first, then at risk; a unit gets only its own tasks."""
    actor = _reader(actor)
    state_col = state_column(session, clock.today())
    query = _filtered(session, actor, area=area, unit_id=unit_id, state=state, search=search,
                      state_col=state_col)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    order = case(*((state_col == s, n) for s, n in _STATE_ORDER.items()), else_=9)
    found = session.exec(query.order_by(order, col(KeyTask.next_report_due).is_(None),
                                        KeyTask.next_report_due, KeyTask.due_on, KeyTask.id)
                         .offset((max(page, 1) - 1) * page_size).limit(page_size)).all()
    return _rows(session, actor, found), total


def state_counts(session: Session, *, actor: Actor, area: str | None = None,
                 unit_id: int | None = None) -> dict[str, int]:
    """How many tasks are in each state (GROUP BY), for the page's summary line."""
    actor = _reader(actor)
    state_col = state_column(session, clock.today())
    states = _filtered(session, actor, area=area, unit_id=unit_id, state=None, search="",
                       state_col=state_col).subquery()
    counts = dict.fromkeys(STATES, 0)
    counts.update(dict(session.exec(select(states.c.state, func.count())
                                    .group_by(states.c.state)).all()))
    return counts


def get_task(session: Session, *, actor: Actor, task_id: int) -> dict:
    """One task with its units (ids and names) and state."""
    task = _visible_task(session, actor, task_id)
    state_col = state_column(session, clock.today())
    found = session.exec(select(KeyTask, state_col).where(KeyTask.id == task.id)).all()
    row = _rows(session, actor, found)[0]
    row["lead_ids"] = _unit_ids(session, task.id, LEAD)
    row["support_ids"] = _unit_ids(session, task.id, SUPPORT)
    return row


def areas(session: Session) -> list[str]:
    """The 专项行动 names in use, for the filters."""
    return sorted(a for a in session.exec(select(KeyTask.area).distinct()).all() if a)


def chart_rows(session: Session, *, actor: Actor, area: str | None = None,
               unit_id: int | None = None) -> list[dict]:
    """挂图作战: one bar per task and lead unit, from start to deadline, with the state."""
    require(actor, *OFFICE)
    state_col = state_column(session, clock.today())
    query = (select(KeyTask.number, KeyTask.title, KeyTask.start_on, KeyTask.due_on,
                    KeyTask.percent, Unit.name, state_col)
             .join(KeyTaskUnit, col(KeyTaskUnit.task_id) == KeyTask.id)
             .join(Unit, col(Unit.id) == KeyTaskUnit.unit_id)
             .where(KeyTaskUnit.role == LEAD))
    if unit_id is not None:
        query = query.where(_involves(unit_id))
    if area:
        query = query.where(KeyTask.area == area)
    rows = session.exec(query.order_by(Unit.sort_order, Unit.id, KeyTask.due_on,
                                       KeyTask.id)).all()
    return [{"number": n, "title": t, "start_on": s, "due_on": d, "percent": p, "unit": u,
             "state": st} for n, t, s, d, p, u, st in rows]


# ---- Excel: template, export, import --------------------------------------------------------

def _excel_values(task: dict) -> list:
    return [task["number"], task["title"], "、".join(task["leads"]), task["due_on"],
            task["area"], task["content"], "、".join(task["supports"]), task["other_parties"],
            task["start_on"], KIND_TEXT[task["recurring"]], CADENCE_TEXT[task["cadence"]],
            task["indicator"], task["source"]]


def template_excel() -> bytes:
    """The import template: the columns and one example row."""
    example = {"number": "1-1", "title": "推进工程建设项目审批深层次改革", "leads": ["区科创营商局"],
               "due_on": date(clock.today().year, 10, 31), "area": "办事方便",
               "content": "工程建设项目从立项到竣工验收总体审批时限压缩至60个工作日以内。",
               "supports": ["区发改局", "区住建局"], "other_parties": "",
               "start_on": date(clock.today().year, 3, 12), "recurring": False,
               "cadence": MONTHLY, "indicator": "审批时限≤60个工作日",
               "source": "营商环境建设提升年工作方案"}
    return exports.workbook("重点任务", list(HEADERS), [_excel_values(example)])


STATE_TEXT = {ON_TRACK: "正常推进", AT_RISK: "有风险", OVERDUE: "已逾期", DONE: "已完成"}


def export_excel(session: Session, *, actor: Actor, state: str | None = None,
                 area: str | None = None, unit_id: int | None = None) -> bytes:
    """The ledger as the template's columns plus state, percentage and dates (formula-safe)."""
    require(actor, *OFFICE)
    rows, total = list_tasks(session, actor=actor, state=state, area=area, unit_id=unit_id,
                             page_size=100_000)
    headers = [*HEADERS, "状态", "完成百分比", "下次进展报送期限", "完成日期"]
    return exports.workbook("重点任务清单", headers, [
        [*_excel_values(r), STATE_TEXT[r["state"]], r["percent"], r["next_report_due"] or "",
         r["done_on"] or ""] for r in rows])


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return str(value).strip()


def _cell_date(value: object) -> date | None:
    """A date cell, 2026-10-31, 2026/10/31, 2026年10月31日 or 2026年10月底."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _cell_text(value)
    month_end = _MONTH_END.fullmatch(text)
    if month_end:
        return _month_end(date(int(month_end[1]), int(month_end[2]), 1))
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not match:
        raise ValueError(text)
    return date(int(match[1]), int(match[2]), int(match[3]))


def _read_sheet(data: bytes) -> tuple[list[str], list[tuple[int, list]]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file
        raise ValidationError("error.import_unreadable") from exc
    if not rows:
        raise ValidationError("error.import_empty")
    header = [_cell_text(h) for h in rows[0]]
    missing = [h for h in REQUIRED_HEADERS if h not in header]
    if missing:
        raise ValidationError("error.task_import_headers", headers="、".join(missing))
    body = [(number, values) for number, values in enumerate(rows[1:], start=2)
            if any(v not in (None, "") for v in values)]
    if not body:
        raise ValidationError("error.import_empty")
    if len(body) > MAX_ROWS:
        raise ValidationError("error.import_too_many", max=MAX_ROWS)
    return header, body


def check_workbook(session: Session, *, actor: Actor, data: bytes) -> list[ImportRow]:
    """Each row of the workbook checked, with every problem of the row (for the preview)."""
    require(actor, *OFFICE)
    header, body = _read_sheet(data)
    units = dict(session.exec(select(Unit.name, Unit.id).where(col(Unit.active).is_(True))).all())
    checked, seen = [], {}
    for number, values in body:
        raw = {h: values[i] if i < len(values) else None for i, h in enumerate(header) if h}
        checked.append(_check_row(session, number, raw, units, seen))
    return checked


def _check_row(session: Session, number: int, raw: dict, units: dict[str, int],
               seen: dict[str, int]) -> ImportRow:
    get = {h: _cell_text(raw.get(h)) for h in HEADERS}
    row = ImportRow(number=number, data=None, values=get)

    def error(key: str, **params: object) -> None:
        row.errors.append((key, params))

    def unit_ids(column: str) -> list[int]:
        ids = []
        for name in filter(None, _UNIT_SPLIT.split(get[column])):
            if name in units:
                ids.append(units[name])
            else:
                error("error.task_import_unit", column=column, unit=name)
        return ids

    dates = {}
    for column in ("完成时限", "开始日期"):
        try:
            dates[column] = _cell_date(raw.get(column))
        except ValueError:
            error("error.task_import_date", column=column, value=get[column])
            dates[column] = None
    kind = get["任务类型"] or KIND_TEXT[False]
    if kind not in KIND_TEXT.values():
        error("error.task_import_choice", column="任务类型", value=kind,
              choices="、".join(KIND_TEXT.values()))
    cadence = {v: k for k, v in CADENCE_TEXT.items()}.get(get["报送周期"] or "每月")
    if cadence is None:
        error("error.task_import_choice", column="报送周期", value=get["报送周期"],
              choices="、".join(CADENCE_TEXT.values()))
    data = TaskInput(number=get["编号"], title=get["任务名称"], lead_unit_ids=unit_ids("牵头单位"),
                     due_on=dates["完成时限"], support_unit_ids=unit_ids("责任单位"),
                     content=get["任务内容"], area=get["专项行动"], start_on=dates["开始日期"],
                     recurring=kind == KIND_TEXT[True], cadence=cadence or MONTHLY,
                     indicator=get["指标/目标"], source=get["来源文件"],
                     other_parties=get["其他责任方"])
    try:
        _clean(session, data)
    except Exception as invalid:  # noqa: BLE001 - FormInvalid or ValidationError
        for problem in getattr(invalid, "errors", {}).values() or [invalid]:
            if problem.key == "error.task_lead_required" and get["牵头单位"]:
                continue  # the unknown names are already said
            if problem.key == "error.task_due_required" and get["完成时限"]:
                continue
            row.errors.append((problem.key, {**problem.params, "field": problem.field}))
    if get["编号"] in seen:
        error("error.task_import_twice", row=seen[get["编号"]])
    elif get["编号"]:
        seen[get["编号"]] = number
    if not row.errors:
        row.data = data
    return row


def import_workbook(session: Session, *, actor: Actor, data: bytes) -> int:
    """Add every task of the workbook, or none: any bad row refuses the whole file."""
    checked = check_workbook(session, actor=actor, data=data)
    bad = [r for r in checked if r.errors]
    if bad:
        raise WorkbookRefused(bad)
    for row in checked:
        clean = _clean(session, row.data)
        task = KeyTask(number=clean["number"], title=clean["title"], start_on=clean["start_on"],
                       due_on=clean["due_on"], created_by_id=actor.user_id)
        _apply(session, task, clean)
    audit.record(session, actor=actor, action="task.import", entity="key_task",
                 detail=f"{len(checked)} tasks")
    session.commit()
    return len(checked)


# ---- progress reports ---------------------------------------------------------------------

def _clean_progress(data: ProgressInput) -> tuple[dict, list]:
    checks = FieldChecks()
    checks.check("progress", lambda: text_rules.clean(
        data.progress, field="progress", max_len=MAX_TEXT,
        required_key="error.task_progress_required"))
    checks.check("problems", lambda: text_rules.clean(data.problems, field="problems",
                                                      max_len=MAX_TEXT))
    checks.check("evidence", lambda: text_rules.clean(data.evidence, field="evidence",
                                                      max_len=MAX_TEXT))

    def percent() -> int:
        if isinstance(data.percent, bool) or not isinstance(data.percent, int) \
                or not 0 <= data.percent <= 100:
            raise ValidationError("error.task_percent", field="percent")
        return data.percent

    checks.check("percent", percent)
    checks.check("uploads", lambda: attachments.check(data.uploads))
    checks.raise_if_any()
    return checks.clean, checks.clean["uploads"]


def submit_progress(session: Session, *, actor: Actor, task_id: int,
                    data: ProgressInput) -> TaskProgress:
    """A lead or responsible unit reports progress; it answers the next scheduled report."""
    if actor is None or not actor.has(Role.UNIT) or actor.unit_id is None:
        raise PermissionDenied()
    clean, uploads = _clean_progress(data)
    task = session.exec(select(KeyTask).where(KeyTask.id == task_id).with_for_update()).first()
    if task is None:
        raise NotFound()
    if actor.unit_id not in _unit_ids(session, task.id):
        raise PermissionDenied()
    if task.done_on is not None:
        raise ValidationError("error.task_done")
    if task.id in _pending_ids(session, [task.id]):
        raise ValidationError("error.task_progress_pending")
    today = clock.today()
    progress = TaskProgress(
        task_id=task.id, unit_id=actor.unit_id, period_due=task.next_report_due,
        next_due_before=task.next_report_due, submitted_at=clock.now(),
        submitted_by_id=actor.user_id, progress=clean["progress"], percent=clean["percent"],
        problems=clean["problems"], evidence=clean["evidence"], status=PENDING,
        late=task.next_report_due is not None and today > task.next_report_due)
    session.add(progress)
    session.flush()
    for upload, content_type in uploads:
        session.add(TaskProgressFile(progress_id=progress.id, filename=upload.filename,
                                     content_type=content_type, size=len(upload.data),
                                     data=upload.data))
    task.percent = progress.percent
    if progress.percent == 100 or task.next_report_due is None:
        task.next_report_due = None
    else:
        task.next_report_due = due_after(session, task, task.next_report_due)
    task.updated_at = clock.now()
    session.add(task)
    # the report answers a notice for a missed report; reporting 100% one for the deadline
    escalation.settle_item(session, kind="task", item_id=task.id,
                           action="finish" if progress.percent == 100 else "progress")
    audit.record(session, actor=actor, action="task.progress", entity="key_task",
                 entity_id=task.id, detail=f"{task.number} {progress.percent}%")
    session.commit()
    return progress


def review_queue(session: Session, *, actor: Actor, page: int = 1, page_size: int = 20
                 ) -> tuple[list[dict], int]:
    """Progress reports waiting for the office, the oldest first."""
    require(actor, *OFFICE)
    waiting = TaskProgress.status == PENDING
    total = session.exec(select(func.count()).select_from(TaskProgress).where(waiting)).one()
    rows = session.exec(select(TaskProgress, KeyTask.number, KeyTask.title, Unit.name)
                        .join(KeyTask, col(KeyTask.id) == TaskProgress.task_id)
                        .join(Unit, col(Unit.id) == TaskProgress.unit_id)
                        .where(waiting).order_by(TaskProgress.submitted_at, TaskProgress.id)
                        .offset((max(page, 1) - 1) * page_size).limit(page_size)).all()
    return [{**_progress_dict(p), "number": number, "title": title, "unit": unit}
            for p, number, title, unit in rows], total


def _progress_dict(progress: TaskProgress) -> dict:
    return {"id": progress.id, "task_id": progress.task_id, "period_due": progress.period_due,
            "submitted_at": progress.submitted_at, "progress": progress.progress,
            "percent": progress.percent, "problems": progress.problems,
            "evidence": progress.evidence, "late": progress.late, "status": progress.status,
            "reviewed_at": progress.reviewed_at, "review_note": progress.review_note}


def _pending_report(session: Session, actor: Actor, progress_id: int
                    ) -> tuple[TaskProgress, KeyTask]:
    require(actor, *OFFICE)
    progress = session.exec(select(TaskProgress).where(TaskProgress.id == progress_id)
                            .with_for_update()).first()
    if progress is None:
        raise NotFound()
    if progress.status != PENDING:
        raise ValidationError("error.task_progress_reviewed")
    task = session.exec(select(KeyTask).where(KeyTask.id == progress.task_id)
                        .with_for_update()).one()
    return progress, task


def accept_progress(session: Session, *, actor: Actor, progress_id: int) -> TaskProgress:
    """Accept a report; a report of 100% makes the task done."""
    progress, task = _pending_report(session, actor, progress_id)
    progress.status, progress.reviewed_by_id = ACCEPTED, actor.user_id
    progress.reviewed_at = clock.now()
    if progress.percent == 100:
        task.done_on, task.next_report_due = clock.today(), None
    task.updated_at = clock.now()
    session.add_all([progress, task])
    audit.record(session, actor=actor, action="task.accept", entity="key_task",
                 entity_id=task.id, detail=f"progress {progress.id}")
    session.commit()
    return progress


def return_progress(session: Session, *, actor: Actor, progress_id: int,
                    reason: str) -> TaskProgress:
    """Return a report with a reason the unit sees; the report it answered is due again."""
    reason = text_rules.clean(reason, field="reason", max_len=text_rules.REASON,
                              required_key="error.task_return_reason")
    progress, task = _pending_report(session, actor, progress_id)
    progress.status, progress.reviewed_by_id = RETURNED, actor.user_id
    progress.reviewed_at, progress.review_note = clock.now(), reason
    session.add(progress)
    session.flush()
    last = _latest_standing(session, task.id)
    task.percent = last.percent if last else 0
    task.next_report_due = progress.next_due_before
    task.updated_at = clock.now()
    session.add(task)
    audit.record(session, actor=actor, action="task.return", entity="key_task",
                 entity_id=task.id, detail=f"progress {progress.id}")
    session.commit()
    return progress


def progress_history(session: Session, *, actor: Actor, task_id: int) -> list[dict]:
    """A task's progress reports, newest first, with their files (names only)."""
    task = _visible_task(session, actor, task_id)
    reports = session.exec(select(TaskProgress, Unit.name)
                           .join(Unit, col(Unit.id) == TaskProgress.unit_id)
                           .where(TaskProgress.task_id == task.id)
                           .order_by(col(TaskProgress.submitted_at).desc(),
                                     col(TaskProgress.id).desc())).all()
    ids = [p.id for p, _unit in reports]
    files: dict[int, list[dict]] = {i: [] for i in ids}
    if ids:
        for file_id, progress_id, name in session.exec(
                select(TaskProgressFile.id, TaskProgressFile.progress_id,
                       TaskProgressFile.filename)
                .where(col(TaskProgressFile.progress_id).in_(ids))
                .order_by(TaskProgressFile.id)).all():
            files[progress_id].append({"id": file_id, "filename": name})
    return [{**_progress_dict(p), "unit": unit, "files": files[p.id]} for p, unit in reports]


def progress_file(session: Session, *, actor: Actor, file_id: int) -> TaskProgressFile:
    """An evidence file, for whoever may read its task."""
    _reader(actor)
    found = session.exec(select(TaskProgressFile, TaskProgress.task_id)
                         .join(TaskProgress, col(TaskProgress.id) == TaskProgressFile.progress_id)
                         .where(TaskProgressFile.id == file_id)).first()
    if found is None:
        raise NotFound()
    _visible_task(session, actor, found[1])
    return found[0]


# ---- for the escalation ladder ------------------------------------------------------------

def overdue_tasks(session: Session, *, today: date) -> list[tuple[int, int, date]]:
    """(task id, lead unit id, due date) of every overdue task: the missed progress report's
    due date, else the passed deadline. For the 三单一函 ladder; no per-row queries."""
    missed = col(KeyTask.next_report_due) < today
    late = and_(col(KeyTask.due_on) < today, col(KeyTask.percent) < 100)
    due = case((missed, KeyTask.next_report_due), else_=KeyTask.due_on)
    rows = session.exec(select(KeyTask.id, KeyTaskUnit.unit_id, due)
                        .join(KeyTaskUnit, col(KeyTaskUnit.task_id) == KeyTask.id)
                        .where(KeyTaskUnit.role == LEAD, col(KeyTask.done_on).is_(None),
                               or_(missed, late))
                        .order_by(KeyTask.id, KeyTaskUnit.unit_id)).all()
    return [(task_id, unit_id, due_on if isinstance(due_on, date) else date.fromisoformat(due_on))
            for task_id, unit_id, due_on in rows]
