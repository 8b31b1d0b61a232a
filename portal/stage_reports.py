"""报送事项 (#14): the office asks some or all units for a report by a date (seed 001: "3月22日前报送
第一阶段工作开展情况及典型案例"), with a text and files; each addressed unit submits once, the
office accepts the submission or returns it with a reason, and a returned one is due again.

Every addressed unit has its own row (`StageReport`): the row is the unit's item on the 三单一函
ladder (portal/supervised.py), so a unit that has not submitted by the due date draws its own
提醒单 … 移交函, and its submission discharges them.

The office (supervisor, admin) creates and reviews; a unit user sees only the requests
addressed to its unit and only its own submission.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, case
from sqlmodel import Session, col, func, select

from portal import attachments, audit, cards, clock, escalation, numbering, text_rules, workdays
from portal.attachments import Upload
from portal.errors import FieldChecks, NotFound, PermissionDenied, ValidationError
from portal.models import (
    StageReport,
    StageReportFile,
    StageReportRound,
    StageRequest,
    StageRequestFile,
    Unit,
)
from portal.roles import Actor, Role, require

PENDING, SUBMITTED, ACCEPTED, RETURNED = "pending", "submitted", "accepted", "returned"
OPEN = (PENDING, RETURNED)  # due from the unit: not submitted, or returned
# what the office's status table shows for a unit
NOT_SUBMITTED, ON_TIME, LATE = "not_submitted", "on_time", "late"
STATES = (NOT_SUBMITTED, ON_TIME, LATE, RETURNED, ACCEPTED)
OFFICE = (Role.SUPERVISOR, Role.ADMIN)
MAX_TEXT = 10000
RESUBMIT_DAYS = 3  # a returned submission is due again within 3 working days (or by the due date)


@dataclass
class RequestInput:
    title: str
    due_on: date | None
    unit_ids: list[int] = field(default_factory=list)
    all_units: bool = False
    content: str = ""
    uploads: list[Upload] = field(default_factory=list)


@dataclass
class SubmissionInput:
    content: str
    uploads: list[Upload] = field(default_factory=list)


# ---- who sees what ------------------------------------------------------------------------

def _is_office(actor: Actor | None) -> bool:
    return actor is not None and actor.has(*OFFICE)


def _unit(actor: Actor | None) -> Actor:
    if actor is None or not actor.has(Role.UNIT) or actor.unit_id is None:
        raise PermissionDenied()
    return actor


def _reader(actor: Actor | None) -> Actor:
    return actor if _is_office(actor) else _unit(actor)


def _own_row(session: Session, actor: Actor, request_id: int) -> StageReport:
    row = session.exec(select(StageReport).where(StageReport.request_id == request_id,
                                                 StageReport.unit_id == actor.unit_id)).first()
    if row is None:
        raise NotFound()  # not addressed to the unit: as if it did not exist
    return row


def state_column() -> ColumnElement:
    """not_submitted / on_time / late / returned / accepted of each row, as a SQL CASE."""
    return case((StageReport.status == PENDING, NOT_SUBMITTED),
                (StageReport.status == RETURNED, RETURNED),
                (StageReport.status == ACCEPTED, ACCEPTED),
                (col(StageReport.late).is_(True), LATE), else_=ON_TIME)


# ---- the office: requests -----------------------------------------------------------------

def _clean_request(session: Session, data: RequestInput) -> dict:
    checks = FieldChecks()
    checks.check("title", lambda: text_rules.clean(
        data.title, field="title", max_len=100, single_line=True,
        required_key="error.stage_title_required"))
    checks.check("content", lambda: text_rules.clean(data.content, field="content",
                                                     max_len=MAX_TEXT))

    def due() -> date:
        if data.due_on is None:
            raise ValidationError("error.stage_due_required", field="due_on")
        text_rules.check_year(data.due_on.year, field="due_on")
        if data.due_on < clock.today():
            raise ValidationError("error.stage_due_past", field="due_on")
        return data.due_on

    def units() -> list[int]:
        active = list(session.exec(select(Unit.id).where(col(Unit.active).is_(True))
                                   .order_by(Unit.sort_order, Unit.id)).all())
        if data.all_units:
            return active
        ids = list(dict.fromkeys(data.unit_ids))
        if not ids:
            raise ValidationError("error.stage_units_required", field="units")
        if not set(ids) <= set(active):
            raise ValidationError("error.stage_unit_inactive", field="units")
        return ids

    checks.check("due_on", due)
    checks.check("units", units)
    checks.check("uploads", lambda: attachments.check(data.uploads))
    checks.raise_if_any()
    return checks.clean


def create_request(session: Session, *, actor: Actor, data: RequestInput) -> StageRequest:
    """A request with its number (报送〔2026〕3号), a row for each addressed unit and its files."""
    require(actor, *OFFICE)
    clean = _clean_request(session, data)
    year = clock.today().year
    seq = numbering.next_value(session, f"stage:{year}")
    request = StageRequest(number=f"报送〔{year}〕{seq}号", title=clean["title"],
                           content=clean["content"], due_on=clean["due_on"],
                           all_units=bool(data.all_units), created_at=clock.now(),
                           created_by_id=actor.user_id)
    session.add(request)
    session.flush()
    for unit_id in clean["units"]:
        session.add(StageReport(request_id=request.id, unit_id=unit_id, due_on=request.due_on))
    for upload, content_type in clean["uploads"]:
        session.add(StageRequestFile(request_id=request.id, filename=upload.filename,
                                     content_type=content_type, size=len(upload.data),
                                     data=upload.data))
    audit.record(session, actor=actor, action="stage.create", entity="stage_request",
                 entity_id=request.id, detail=f"{request.number} {len(clean['units'])} units")
    session.commit()
    return request


def _request_dict(request: StageRequest) -> dict:
    return {"id": request.id, "number": request.number, "title": request.title,
            "content": request.content, "due_on": request.due_on,
            "all_units": request.all_units, "created_at": request.created_at}


def list_requests(session: Session, *, actor: Actor, page: int = 1, page_size: int = 20
                  ) -> tuple[list[dict], int]:
    """A page of requests, the latest due first, each with how many units it addressed, how
    many submitted (accepted included), how many of those late, and how many are overdue."""
    require(actor, *OFFICE)
    today = clock.today()
    submitted = col(StageReport.status).in_([SUBMITTED, ACCEPTED])
    overdue = and_(col(StageReport.status).in_(OPEN), col(StageReport.due_on) < today)
    counts = (select(StageReport.request_id,
                     func.count().label("addressed"),
                     func.sum(case((submitted, 1), else_=0)).label("submitted"),
                     func.sum(case((and_(submitted, col(StageReport.late).is_(True)), 1),
                                   else_=0)).label("late"),
                     func.sum(case((overdue, 1), else_=0)).label("overdue"))
              .group_by(StageReport.request_id).subquery())
    total = session.exec(select(func.count()).select_from(StageRequest)).one()
    rows = session.exec(select(StageRequest, counts.c.addressed, counts.c.submitted,
                               counts.c.late, counts.c.overdue)
                        .outerjoin(counts, counts.c.request_id == StageRequest.id)
                        .order_by(col(StageRequest.due_on).desc(), col(StageRequest.id).desc())
                        .offset((max(page, 1) - 1) * page_size).limit(page_size)).all()
    return [{**_request_dict(r), "addressed": int(a or 0), "submitted": int(s or 0),
             "late": int(late or 0), "overdue": int(o or 0)}
            for r, a, s, late, o in rows], total


def get_request(session: Session, *, actor: Actor, request_id: int) -> dict:
    """One request with its files (names); a unit only one addressed to it, with its own row."""
    actor = _reader(actor)
    request = session.get(StageRequest, request_id)
    if request is None:
        raise NotFound()
    found = _request_dict(request)
    if not _is_office(actor):
        found["mine"] = _report_dict(_own_row(session, actor, request_id))
    found["files"] = [{"id": i, "filename": name} for i, name in session.exec(
        select(StageRequestFile.id, StageRequestFile.filename)
        .where(StageRequestFile.request_id == request_id).order_by(StageRequestFile.id)).all()]
    return found


def request_status(session: Session, *, actor: Actor, request_id: int, state: str | None = None,
                   page: int = 1, page_size: int = 20) -> tuple[list[dict], int]:
    """The addressed units of one request with their state (not submitted, on time, late,
    returned, accepted), units that owe the report first."""
    require(actor, *OFFICE)
    if session.get(StageRequest, request_id) is None:
        raise NotFound()
    state_col = state_column()
    query = (select(StageReport, Unit.name, state_col.label("state"))
             .join(Unit, col(Unit.id) == StageReport.unit_id)
             .where(StageReport.request_id == request_id))
    if state:
        query = query.where(state_col == state)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    order = case(*((state_col == s, n) for n, s in enumerate(
        (NOT_SUBMITTED, RETURNED, LATE, ON_TIME, ACCEPTED))), else_=9)
    rows = session.exec(query.order_by(order, Unit.sort_order, Unit.id)
                        .offset((max(page, 1) - 1) * page_size).limit(page_size)).all()
    card = _carder(session)
    return [{**_report_dict(r), "unit": unit, "state": st, "card": card(r)}
            for r, unit, st in rows], total


def state_counts(session: Session, *, actor: Actor, request_id: int) -> dict[str, int]:
    """How many addressed units are in each state (GROUP BY)."""
    require(actor, *OFFICE)
    state_col = state_column()
    counts = dict.fromkeys(STATES, 0)
    counts.update(dict(session.exec(select(state_col, func.count())
                                    .where(StageReport.request_id == request_id)
                                    .group_by(state_col)).all()))
    return counts


def _carder(session: Session):  # noqa: ANN202
    """红黄牌 of a unit's report it still owes (not submitted, or returned): red past its due
    date, yellow on it or the working day before, on the same calendar as every deadline."""
    today = clock.today()
    yellow_until = workdays.add_working_days(today, 1, session=session)

    def card(row: StageReport) -> str | None:
        if row.status not in OPEN:
            return None
        return cards.classify(row.due_on, today, yellow_until)

    return card


def _report_dict(row: StageReport) -> dict:
    return {"id": row.id, "request_id": row.request_id, "unit_id": row.unit_id,
            "due_on": row.due_on, "status": row.status, "content": row.content,
            "submitted_at": row.submitted_at, "late": row.late, "reviewed_at": row.reviewed_at,
            "review_note": row.review_note}


# ---- the unit -----------------------------------------------------------------------------

def my_requests(session: Session, *, actor: Actor) -> list[dict]:
    """The requests addressed to the actor's unit, what it owes first, with its own row."""
    actor = _unit(actor)
    state_col = state_column()
    order = case((col(StageReport.status).in_(OPEN), 0), else_=1)
    rows = session.exec(select(StageRequest, StageReport, state_col)
                        .join(StageReport, col(StageReport.request_id) == StageRequest.id)
                        .where(StageReport.unit_id == actor.unit_id)
                        .order_by(order, StageReport.due_on, StageRequest.id)).all()
    card = _carder(session)
    return [{**_request_dict(request), "mine": {**_report_dict(row), "state": st,
                                                "card": card(row)}}
            for request, row, st in rows]


def submit(session: Session, *, actor: Actor, request_id: int,
           data: SubmissionInput) -> StageReport:
    """The unit's submission; late when after its due date. Again after a return, the returned
    submission (text, files, the office's reason) is kept as an earlier round. It discharges
    the unit's notices for this request."""
    actor = _unit(actor)
    checks = FieldChecks()
    checks.check("content", lambda: text_rules.clean(
        data.content, field="content", max_len=MAX_TEXT,
        required_key="error.stage_content_required"))
    checks.check("uploads", lambda: attachments.check(data.uploads))
    checks.raise_if_any()
    row = session.exec(select(StageReport).where(StageReport.request_id == request_id,
                                                 StageReport.unit_id == actor.unit_id)
                       .with_for_update()).first()
    if row is None:
        raise NotFound()
    if row.status not in OPEN:
        raise ValidationError("error.stage_already_submitted")
    if row.round and row.submitted_at is not None:  # returned: keep what was returned
        session.add(StageReportRound(
            stage_report_id=row.id, round=row.round, content=row.content,
            submitted_at=row.submitted_at, late=row.late, review_note=row.review_note,
            reviewed_at=row.reviewed_at))
    row.round += 1
    row.content, row.status = checks.clean["content"], SUBMITTED
    row.submitted_at, row.submitted_by_id = clock.now(), actor.user_id
    row.late = clock.today() > row.due_on
    session.add(row)
    for upload, content_type in checks.clean["uploads"]:
        session.add(StageReportFile(stage_report_id=row.id, round=row.round,
                                    filename=upload.filename,
                                    content_type=content_type, size=len(upload.data),
                                    data=upload.data))
    escalation.settle_item(session, kind="stage_report", item_id=row.id, action="submit")
    audit.record(session, actor=actor, action="stage.submit", entity="stage_request",
                 entity_id=request_id, detail=f"unit {actor.unit_id}{' late' if row.late else ''}")
    session.commit()
    return row


# ---- the office: review -------------------------------------------------------------------

def _submitted_row(session: Session, actor: Actor, report_id: int) -> StageReport:
    require(actor, *OFFICE)
    row = session.exec(select(StageReport).where(StageReport.id == report_id)
                       .with_for_update()).first()
    if row is None:
        raise NotFound()
    if row.status != SUBMITTED:
        raise ValidationError("error.stage_not_submitted")
    return row


def accept(session: Session, *, actor: Actor, report_id: int) -> StageReport:
    """The office accepts a unit's submission."""
    row = _submitted_row(session, actor, report_id)
    row.status, row.reviewed_at, row.reviewed_by_id = ACCEPTED, clock.now(), actor.user_id
    session.add(row)
    audit.record(session, actor=actor, action="stage.accept", entity="stage_request",
                 entity_id=row.request_id, detail=f"unit {row.unit_id}")
    session.commit()
    return row


def return_report(session: Session, *, actor: Actor, report_id: int,
                  reason: str) -> StageReport:
    """Return a submission with a reason the unit sees; it is due again by the request's due
    date or within RESUBMIT_DAYS working days, whichever is later."""
    reason = text_rules.clean(reason, field="reason", max_len=text_rules.REASON,
                              required_key="error.stage_return_reason")
    row = _submitted_row(session, actor, report_id)
    request = session.get(StageRequest, row.request_id)
    again = workdays.add_working_days(clock.today(), RESUBMIT_DAYS, session=session)
    row.status, row.review_note = RETURNED, reason
    row.reviewed_at, row.reviewed_by_id = clock.now(), actor.user_id
    row.due_on = max(request.due_on, again)
    session.add(row)
    audit.record(session, actor=actor, action="stage.return", entity="stage_request",
                 entity_id=row.request_id, detail=f"unit {row.unit_id}: {reason}")
    session.commit()
    return row


# ---- reading a submission and files -------------------------------------------------------

def _visible_row(session: Session, actor: Actor | None, report_id: int) -> StageReport:
    actor = _reader(actor)
    row = session.get(StageReport, report_id)
    if row is None or (not _is_office(actor) and row.unit_id != actor.unit_id):
        raise NotFound()
    return row


def submission(session: Session, *, actor: Actor, report_id: int) -> dict:
    """A unit's submission with its files (names), and the earlier rounds the office returned,
    newest first: for the office and the unit itself."""
    row = _visible_row(session, actor, report_id)
    files: dict[int, list[dict]] = {}
    for file_id, round_, name in session.exec(
            select(StageReportFile.id, StageReportFile.round, StageReportFile.filename)
            .where(StageReportFile.stage_report_id == row.id).order_by(StageReportFile.id)):
        files.setdefault(round_, []).append({"id": file_id, "filename": name})
    earlier = session.exec(select(StageReportRound).where(
        StageReportRound.stage_report_id == row.id)
        .order_by(col(StageReportRound.round).desc())).all()
    unit = session.get(Unit, row.unit_id)
    return {**_report_dict(row), "unit": unit.name if unit else "",
            "files": files.get(row.round, []),
            "earlier": [{"round": e.round, "content": e.content, "submitted_at": e.submitted_at,
                         "late": e.late, "review_note": e.review_note,
                         "reviewed_at": e.reviewed_at, "files": files.get(e.round, [])}
                        for e in earlier]}


def submission_file(session: Session, *, actor: Actor, file_id: int) -> StageReportFile:
    """A file of a submission, for the office and the submitting unit."""
    _reader(actor)
    file = session.get(StageReportFile, file_id)
    if file is None:
        raise NotFound()
    _visible_row(session, actor, file.stage_report_id)
    return file


def request_file(session: Session, *, actor: Actor, file_id: int) -> StageRequestFile:
    """A file of a request, for the office and the units it addresses."""
    actor = _reader(actor)
    file = session.get(StageRequestFile, file_id)
    if file is None:
        raise NotFound()
    if not _is_office(actor):
        _own_row(session, actor, file.request_id)
    return file


# ---- for the escalation ladder ------------------------------------------------------------

def overdue_rows(session: Session, *, today: date) -> list[tuple[StageReport, StageRequest]]:
    """Every addressed unit that owes its report (not submitted, or returned) after its due
    date, with the request: each is an item of the 三单一函 ladder."""
    return list(session.exec(select(StageReport, StageRequest)
                             .join(StageRequest, col(StageRequest.id) == StageReport.request_id)
                             .where(col(StageReport.status).in_(OPEN),
                                    col(StageReport.due_on) < today)
                             .order_by(StageReport.due_on, StageReport.id)).all())
