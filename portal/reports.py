"""Filing reports and reading them: each reader sees only what their role allows."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal import attachments, audit, cards, clock, numbering, text_rules, throttle, workdays
from portal.db import write_with_retry
from portal.errors import (
    FieldChecks,
    NotFound,
    PermissionDenied,
    PortalError,
    ValidationError,
)
from portal.identifiers import is_valid_credit_code, is_valid_mobile
from portal.models import Attachment, Category, Report, ReportEvent, Unit, User
from portal.notifications import hooks
from portal.report_types import Channel, Kind, Rating, Status
from portal.roles import Actor, Role
from portal.settings import get_settings
from portal.workdays import add_working_days

QUERY_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
QUERY_CODE_LENGTH = 8
HASH_ITERATIONS = 120_000  # of hashes stored before the cost was configurable


class TrackingFailed(PortalError):
    """Unknown tracking number or wrong query code: one neutral message for both."""


@dataclass
class ReportInput:
    kind: str
    title: str
    description: str
    concerned_unit_id: int | None = None
    category_number: int | None = None
    occurred_on: date | None = None
    place: str = ""
    anonymous: bool = False
    contact_name: str = ""
    contact_mobile: str = ""
    company_name: str = ""
    credit_code: str = ""
    confidential: bool = True
    sms_opt_in: bool = False  # SMS on acceptance, reply and rejection to contact_mobile
    uploads: list[attachments.Upload] = field(default_factory=list)


@dataclass(frozen=True)
class Filed:
    report_id: int
    tracking_no: str
    query_code: str


# ---- query codes -------------------------------------------------------------------------

def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def hash_query_code(code: str, salt: bytes | None = None, iterations: int | None = None) -> str:
    """PBKDF2-SHA256 as `iterations$salt$digest` (QUERY_CODE_ITERATIONS, stored with the hash
    so the cost can change without invalidating old codes)."""
    salt = salt or secrets.token_bytes(16)
    iterations = iterations or get_settings().query_code_iterations
    digest = hashlib.pbkdf2_hmac("sha256", code.strip().upper().encode(), salt, iterations)
    return f"{iterations}${salt.hex()}${digest.hex()}"


def query_code_matches(code: str, stored: str) -> bool:
    parts = stored.split("$")
    if len(parts) == 2:  # before the cost was stored: "salt$digest" at 120,000 iterations
        salt_hex, digest_hex, iterations = parts[0], parts[1], HASH_ITERATIONS
    else:
        iterations, salt_hex, digest_hex = int(parts[0]), parts[1], parts[2]
    digest = hashlib.pbkdf2_hmac("sha256", code.strip().upper().encode(), bytes.fromhex(salt_hex),
                                 iterations)
    return hmac.compare_digest(digest.hex(), digest_hex)


# ---- filing ------------------------------------------------------------------------------

def _validate(session: Session, data: ReportInput) -> tuple[dict, list]:
    fields = FieldChecks()
    check = fields.check

    def kind() -> str:
        if data.kind not in set(Kind):
            raise ValidationError("error.kind_required", field="kind")
        return data.kind

    def text(name: str, value: str, low: int, high: int, single_line: bool = True) -> str:
        value = text_rules.check_chars((value or "").strip(), field=name,
                                       single_line=single_line)
        if not value:
            raise ValidationError(f"error.{name}_required", field=name)
        if not low <= len(value) <= high:
            raise ValidationError(f"error.{name}_length", field=name, min=low, max=high)
        return value

    def unit() -> int | None:
        if data.concerned_unit_id is None:
            return None
        found = session.get(Unit, data.concerned_unit_id)
        if found is None or not found.active:
            raise ValidationError("error.unit_inactive", field="unit")
        return found.id

    def category() -> int | None:
        if data.category_number is None:
            return None
        return category_id(session, data.category_number)

    def occurred() -> date | None:
        if data.occurred_on and data.occurred_on > clock.today():
            raise ValidationError("error.date_in_future", field="occurred_on")
        return data.occurred_on

    def place() -> str:
        return text_rules.clean(data.place, field="place", max_len=100, single_line=True,
                                too_long_key="error.place_length")

    check("kind", kind)
    check("title", lambda: text("title", data.title, 4, 100))
    check("description", lambda: text("description", data.description, 10, 5000, False))
    check("unit", unit)
    check("category", category)
    check("occurred_on", occurred)
    check("place", place)
    if not data.anonymous:
        check("contact_name", lambda: text("contact_name", data.contact_name, 1, 40))
        check("contact_mobile", lambda: clean_mobile(data.contact_mobile))
        check("company_name", lambda: _optional(data.company_name, "company_name", 100))
        check("credit_code", lambda: clean_credit_code(data.credit_code, required=False))
    check("attachments", lambda: attachments.check(data.uploads))
    fields.raise_if_any()
    return fields.clean, fields.clean["attachments"]


def clean_mobile(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError("error.mobile_required", field="contact_mobile")
    if not is_valid_mobile(value):
        raise ValidationError("error.mobile_invalid", field="contact_mobile")
    return value


def clean_credit_code(value: str, *, required: bool) -> str | None:
    value = (value or "").strip().upper()
    if not value:
        if required:
            raise ValidationError("error.credit_code_required", field="credit_code")
        return None
    if not is_valid_credit_code(value):
        raise ValidationError("error.credit_code_invalid", field="credit_code")
    return value


def _optional(value: str, name: str, high: int) -> str | None:
    return text_rules.clean(value, field=name, max_len=high, single_line=True,
                            too_long_key=f"error.{name}_length") or None


def category_id(session: Session, number: int) -> int:
    """The id of category `number` in the catalogue version in force today."""
    from portal.catalogue import effective_year

    year = effective_year(session, year=clock.today().year)
    found = session.exec(select(Category.id).where(Category.year == year,
                                                   Category.number == number)).first()
    if found is None:
        raise ValidationError("error.category_unknown", field="category")
    return found


def file_report(session: Session, *, actor: Actor | None, data: ReportInput,
                channel: str = Channel.WEB) -> Filed:
    """Save a valid report with its attachments and first event, or nothing at all.

    Never refused because of load: the write is retried while the database is busy."""
    if channel != Channel.WEB and (actor is None or not actor.has(Role.SUPERVISOR)):
        raise PermissionDenied()
    if channel not in set(Channel):
        raise ValidationError("error.channel_unknown", field="channel")
    clean, checked = _validate(session, data)
    session.commit()  # end the read: no transaction is open while the code is hashed
    code = new_query_code()
    code_hash = hash_query_code(code)
    office = channel != Channel.WEB
    filer = actor.user_id if actor and actor.has(Role.COMPANY) and not office else None

    def write() -> Filed:  # run again, from scratch, if the database was busy
        now = clock.now()
        tracking_no = f"YS{now.year}-{numbering.next_value(session, f'report:{now.year}'):06d}"
        report = Report(
            tracking_no=tracking_no, query_code_hash=code_hash, kind=clean["kind"],
            channel=channel, title=clean["title"], description=clean["description"],
            concerned_unit_id=clean["unit"], category_id=clean["category"],
            occurred_on=clean["occurred_on"], place=clean["place"], anonymous=data.anonymous,
            contact_name=None if data.anonymous else clean["contact_name"],
            contact_mobile=None if data.anonymous else clean["contact_mobile"],
            company_name=None if data.anonymous else clean["company_name"],
            credit_code=None if data.anonymous else clean["credit_code"],
            confidential=True if data.anonymous else data.confidential,
            filer_user_id=filer, entered_by_id=actor.user_id if office else None,
            status=Status.SUBMITTED, created_at=now, updated_at=now,
            sms_opt_in=data.sms_opt_in and not data.anonymous)
        _start_office_clock(session, report, now)
        session.add(report)
        session.flush()
        for upload, content_type in checked:
            session.add(Attachment(report_id=report.id, filename=upload.filename[:200],
                                   content_type=content_type, size=len(upload.data),
                                   data=upload.data, uploaded_at=now))
        session.add(ReportEvent(report_id=report.id, at=now,
                                actor_id=actor.user_id if actor else None, action="file",
                                to_status=Status.SUBMITTED, public=True, note_public=False))
        hooks.report_filed(session, report)
        # the audit row names staff who entered a call or letter, never a public filer; it is
        # written last, as it locks the chain's head until the commit (PostgreSQL)
        audit.record(session, actor=actor if office else None, action="report.file",
                     entity="report", entity_id=report.id, detail=f"channel={channel}")
        return Filed(report_id=report.id, tracking_no=tracking_no, query_code=code)

    return write_with_retry(session, write)


def _start_office_clock(session: Session, report: Report, now: datetime) -> None:
    """件件有人管: a report waiting for triage carries the office's deadline (`intake` window)."""
    days = workdays.sla_days(session, "intake")
    report.office_due, report.deadline_estimated = workdays.deadline(
        now, days, session=session, cutoff_hour=get_settings().deadline_cutoff_hour)
    report.clock_start, report.current_due, report.due_window = now.date(), report.office_due, days


# ---- reading -----------------------------------------------------------------------------

@dataclass(frozen=True)
class EventView:
    at: datetime
    action: str
    to_status: str | None
    unit: str | None
    note: str
    actor: str | None


@dataclass(frozen=True)
class ReportView:
    id: int
    tracking_no: str
    kind: str
    channel: str
    title: str
    description: str
    status: str
    created_at: datetime
    concerned_unit: str | None
    category_number: int | None
    category_text: str | None
    occurred_on: date | None
    place: str
    unit_id: int | None
    unit: str | None
    respond_due: date | None
    reply_due: date | None
    deadline_estimated: bool
    rating: str | None
    reopen_count: int
    identity_hidden: bool
    anonymous: bool
    contact_name: str | None
    contact_mobile: str | None
    company_name: str | None
    credit_code: str | None
    events: list[EventView]
    attachments: list[dict]


def _load(session: Session, report_id: int) -> Report:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound("error.report_not_found")
    return report


def can_read(actor: Actor, report: Report) -> bool:
    """Supervisors and discipline read all reports; a unit only those assigned to it now."""
    if actor.has(Role.SUPERVISOR, Role.DISCIPLINE):
        return True
    if actor.has(Role.UNIT) and actor.unit_id is not None and report.unit_id == actor.unit_id:
        return True
    return actor.has(Role.COMPANY) and report.filer_user_id == actor.user_id


def readable(session: Session, *, actor: Actor, report_id: int) -> Report:
    report = _load(session, report_id)
    if not can_read(actor, report):
        raise NotFound("error.report_not_found")  # no hint that the report exists
    return report


def _unit_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(session.exec(select(Unit.id, Unit.name).where(col(Unit.id).in_(ids))).all())


FILER_ACTIONS = frozenset({"file", *(f"rate_{rating}" for rating in Rating)})


def _is_filer_event(report: Report, event: ReportEvent) -> bool:
    """Filed or rated by the filer: the acting account is the filer's own."""
    return event.action in FILER_ACTIONS or (
        report.filer_user_id is not None and event.actor_id == report.filer_user_id)


def _view(session: Session, report: Report, *, events: list[ReportEvent], hide_identity: bool,
          public_only: bool, mask_filer: bool = False) -> ReportView:
    """`mask_filer`: the reader is a unit, which never learns who filed or rated."""
    names = _unit_names(session, {report.unit_id, report.concerned_unit_id,
                                  *(e.unit_id for e in events)})
    actors = dict(session.exec(select(User.id, User.display_name).where(
        col(User.id).in_({e.actor_id for e in events if e.actor_id}))).all()) if events else {}
    category = session.get(Category, report.category_id) if report.category_id else None
    files = session.exec(select(Attachment.id, Attachment.filename, Attachment.size,
                                Attachment.content_type)
                         .where(Attachment.report_id == report.id).order_by(Attachment.id)).all()
    return ReportView(
        id=report.id, tracking_no=report.tracking_no, kind=report.kind, channel=report.channel,
        title=report.title, description=report.description, status=report.status,
        created_at=report.created_at, concerned_unit=names.get(report.concerned_unit_id),
        category_number=category.number if category else None,
        category_text=category.text if category else None, occurred_on=report.occurred_on,
        place=report.place, unit_id=report.unit_id, unit=names.get(report.unit_id),
        respond_due=report.respond_due, reply_due=report.reply_due,
        deadline_estimated=report.deadline_estimated, rating=report.rating,
        reopen_count=report.reopen_count, identity_hidden=hide_identity,
        anonymous=report.anonymous,
        contact_name=None if hide_identity else report.contact_name,
        contact_mobile=None if hide_identity else report.contact_mobile,
        company_name=None if hide_identity else report.company_name,
        credit_code=None if hide_identity else report.credit_code,
        events=[EventView(at=e.at, action=e.action, to_status=e.to_status,
                          unit=names.get(e.unit_id),
                          note=e.note if (e.note_public or not public_only) else "",
                          actor=None if public_only or (mask_filer and _is_filer_event(report, e))
                          else actors.get(e.actor_id))
                for e in events],
        attachments=[] if public_only else [
            {"id": i, "filename": n, "size": s, "content_type": t} for i, n, s, t in files],
    )


def _events(session: Session, report_id: int, *, public_only: bool, internal: bool
            ) -> list[ReportEvent]:
    query = select(ReportEvent).where(ReportEvent.report_id == report_id)
    if public_only:
        query = query.where(col(ReportEvent.public).is_(True))
    if not internal:
        query = query.where(ReportEvent.action != "note")
    return list(session.exec(query.order_by(ReportEvent.at, ReportEvent.id)))


def staff_view(session: Session, *, actor: Actor, report_id: int) -> ReportView:
    """The full record for staff; a unit never sees a confidential filer or internal notes."""
    report = readable(session, actor=actor, report_id=report_id)
    office = actor.has(Role.SUPERVISOR, Role.DISCIPLINE)
    if not office and not actor.has(Role.UNIT):
        raise NotFound("error.report_not_found")
    hide = not office and (report.confidential or report.anonymous)
    events = _events(session, report.id, public_only=False, internal=office)
    return _view(session, report, events=events, hide_identity=hide, public_only=False,
                 mask_filer=not office)


def public_view(session: Session, *, tracking_no: str, query_code: str) -> ReportView:
    """What the filer sees with tracking number and query code: the public timeline only."""
    report = session.exec(select(Report).where(
        Report.tracking_no == (tracking_no or "").strip().upper())).first()
    if report is None or not query_code_matches(query_code or "", report.query_code_hash):
        if report is None:
            hash_query_code(query_code or "")  # same work either way
        raise TrackingFailed("error.tracking_failed")
    return _filer_view(session, report)


def track(session: Session, *, tracking_no: str, query_code: str, client: str = ""
          ) -> ReportView:
    """The filer's look-up, throttled per tracking number and per client in the database.

    After 5 wrong codes a number is locked for 5 s, doubling up to 10 minutes; a client after
    10 wrong codes (any numbers) for 5 s, doubling up to an hour. During a lock the attempt is
    refused unchecked; otherwise the right code always gets in and clears the number's count,
    so a filer whose number is being guessed waits at most 10 minutes.
    """
    number = (tracking_no or "").strip().upper()[:20]
    client_key = throttle.client_key(client)
    now = clock.now()
    until = max(filter(None, [throttle.locked_until(session, throttle.TRACK_NUMBER, number, now),
                              throttle.locked_until(session, throttle.TRACK_CLIENT, client_key,
                                                    now)]), default=None)
    stored = session.exec(select(Report.id, Report.query_code_hash)
                          .where(Report.tracking_no == number)).first()
    session.commit()  # end the read: no transaction is open while the code is hashed
    if until:
        raise TrackingFailed("error.tracking_throttled", until=until)
    if stored is not None and query_code_matches(query_code or "", stored[1]):
        if throttle.failures(session, throttle.TRACK_NUMBER, number):
            write_with_retry(session,
                             lambda: throttle.clear(session, throttle.TRACK_NUMBER, number))
        return _filer_view(session, _load(session, stored[0]))
    if stored is None:
        hash_query_code(query_code or "")  # same work either way

    def count_failure() -> None:
        throttle.record_failure(session, throttle.TRACK_NUMBER, number, now)
        throttle.record_failure(session, throttle.TRACK_CLIENT, client_key, now)

    write_with_retry(session, count_failure)
    raise TrackingFailed("error.tracking_failed")


def owner_view(session: Session, *, actor: Actor, report_id: int) -> ReportView:
    """A company account's own report, as the filer sees it."""
    report = _load(session, report_id)
    if report.filer_user_id != actor.user_id:
        raise NotFound("error.report_not_found")
    return _filer_view(session, report)


def _filer_view(session: Session, report: Report) -> ReportView:
    events = _events(session, report.id, public_only=True, internal=False)
    return _view(session, report, events=events, hide_identity=False, public_only=True)


def attachment(session: Session, *, actor: Actor, attachment_id: int) -> Attachment:
    found = session.get(Attachment, attachment_id)
    if found is None:
        raise NotFound()
    report = readable(session, actor=actor, report_id=found.report_id)
    if not actor.has(Role.SUPERVISOR, Role.DISCIPLINE, Role.UNIT) or report is None:
        raise NotFound()
    return found


# ---- lists -------------------------------------------------------------------------------

def _list(session: Session, query, count, page: int, page_size: int) -> tuple[list[dict], int]:  # noqa: ANN001
    total = session.exec(count).one()
    rows = session.exec(query.offset((max(page, 1) - 1) * page_size).limit(page_size)).all()
    return _rows(session, rows), total


def _rows(session: Session, rows: list[Report]) -> list[dict]:
    names = _unit_names(session, {r.unit_id for r in rows})
    today = clock.today()
    yellow_until = add_working_days(today, 1, session=session)
    return [{"id": r.id, "tracking_no": r.tracking_no, "kind": r.kind, "channel": r.channel,
             "title": r.title, "status": r.status, "unit": names.get(r.unit_id),
             "created_at": r.created_at, "respond_due": r.respond_due, "reply_due": r.reply_due,
             "current_due": r.current_due,
             "card": cards.classify(r.current_due, today, yellow_until, r.due_window),
             "deadline_estimated": r.deadline_estimated, "rating": r.rating} for r in rows]


def _filtered(session: Session, query, count, *, statuses: list[str] | None,  # noqa: ANN001
              card: str | None):
    if statuses:
        query = query.where(col(Report.status).in_(statuses))
        count = count.where(col(Report.status).in_(statuses))
    if card:
        condition = cards.condition(card, clock.today(), session=session)
        query, count = query.where(condition), count.where(condition)
    return query, count


BY_DEADLINE = (col(Report.current_due).is_(None), Report.current_due, Report.id)


def office_queue(session: Session, *, actor: Actor, statuses: list[str] | None = None,
                 card: str | None = None, by_deadline: bool = False, page: int = 1,
                 page_size: int = 20) -> tuple[list[dict], int]:
    """All reports for supervisors and discipline; those waiting for triage come first
    (or the most overdue first, `by_deadline`)."""
    if not actor.has(Role.SUPERVISOR, Role.DISCIPLINE):
        raise PermissionDenied()
    count = select(func.count()).select_from(Report)
    if by_deadline:
        query, count = _filtered(session, select(Report).order_by(*BY_DEADLINE), count,
                                 statuses=statuses, card=card)
        return _list(session, query, count, page, page_size)
    # Waiting reports first, newest first within each part. Two index-friendly queries
    # instead of one ORDER BY CASE, which would sort the whole table for every page.
    waiting = col(Report.status).in_([Status.SUBMITTED, Status.RETURNED])
    newest = (col(Report.created_at).desc(), col(Report.id).desc())
    first, first_count = _filtered(session, select(Report).where(waiting).order_by(*newest),
                                   count.where(waiting), statuses=statuses, card=card)
    rest, rest_count = _filtered(session, select(Report).where(~waiting).order_by(*newest),
                                 count.where(~waiting), statuses=statuses, card=card)
    if card is None:  # one GROUP BY on the status index instead of two counting scans
        per_status = _counts_by_status(session, statuses)
        in_first = per_status.get(Status.SUBMITTED, 0) + per_status.get(Status.RETURNED, 0)
        total = sum(per_status.values())
    else:
        in_first = session.exec(first_count).one()
        total = in_first + session.exec(rest_count).one()
    offset = (max(page, 1) - 1) * page_size
    rows = list(session.exec(first.offset(offset).limit(page_size))) if offset < in_first else []
    if len(rows) < page_size:
        rows += session.exec(rest.offset(max(0, offset - in_first))
                             .limit(page_size - len(rows))).all()
    return _rows(session, rows), total


def unit_queue(session: Session, *, actor: Actor, statuses: list[str] | None = None,
               card: str | None = None, by_deadline: bool = True, page: int = 1,
               page_size: int = 20) -> tuple[list[dict], int]:
    """The reports assigned to the actor's unit, nearest deadline first."""
    if not actor.has(Role.UNIT) or actor.unit_id is None:
        raise PermissionDenied()
    mine = Report.unit_id == actor.unit_id
    order = BY_DEADLINE if by_deadline else (col(Report.created_at).desc(), col(Report.id).desc())
    query, count = _filtered(session, select(Report).where(mine).order_by(*order),
                             select(func.count()).select_from(Report).where(mine),
                             statuses=statuses, card=card)
    return _list(session, query, count, page, page_size)


def card_counts(session: Session, *, actor: Actor) -> dict[str, int]:
    """Red and yellow cards today over what the actor may see (the unit's own, or all)."""
    today = clock.today()
    result = {}
    for which in (cards.RED, cards.YELLOW):
        # current_due is set while a unit or the office holds the report: the index answers
        query = select(func.count()).select_from(Report).where(
            cards.condition(which, today, session=session))
        if not actor.has(Role.SUPERVISOR, Role.DISCIPLINE):
            if not actor.has(Role.UNIT) or actor.unit_id is None:
                raise PermissionDenied()
            query = query.where(Report.unit_id == actor.unit_id)
        result[which] = session.exec(query).one()
    return result


def my_reports(session: Session, *, actor: Actor, page: int = 1, page_size: int = 20
               ) -> tuple[list[dict], int]:
    if not actor.has(Role.COMPANY):
        raise PermissionDenied()
    condition = Report.filer_user_id == actor.user_id
    query = select(Report).where(condition).order_by(col(Report.created_at).desc(),
                                                     col(Report.id).desc())
    count = select(func.count()).select_from(Report).where(condition)
    return _list(session, query, count, page, page_size)


def _counts_by_status(session: Session, statuses: list[str] | None) -> dict[str, int]:
    query = select(Report.status, func.count()).group_by(Report.status)
    if statuses:
        query = query.where(col(Report.status).in_(statuses))
    return dict(session.exec(query).all())


def status_counts(session: Session, *, actor: Actor) -> dict[str, int]:
    """Reports per status (GROUP BY), over what the actor may see."""
    query = select(Report.status, func.count()).group_by(Report.status)
    if not actor.has(Role.SUPERVISOR, Role.DISCIPLINE):
        if not actor.has(Role.UNIT) or actor.unit_id is None:
            raise PermissionDenied()
        query = query.where(Report.unit_id == actor.unit_id)
    return dict(session.exec(query).all())


def tracking_delay(failures: int) -> float:
    """Seconds to wait before the next look-up after `failures` wrong codes in one session."""
    if failures < 3:
        return 0.0
    return float(min(2 ** (failures - 3), 30))
