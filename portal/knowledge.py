"""知识库: questions and answers with their policy basis, suggested when a unit writes a reply.

A unit proposes an entry from a good reply to one of its reports; the office approves or
rejects it. Only approved entries within their validity dates are suggested (and shown in the
public FAQ). The office and admins write entries directly; admins import and export Excel.
"""

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from portal import audit, clock, duplicates, exports, text_rules
from portal.errors import FieldChecks, NotFound, PermissionDenied, PortalError, ValidationError
from portal.models import Category, KnowledgeEntry, Report, ReportEvent, Unit
from portal.report_types import Status
from portal.roles import Actor, Role, require

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
MAX_CANDIDATES = 500  # the newest valid entries of the same unit or category; scored on text
EXCEL_HEADERS = ["问题", "答复", "政策依据", "单位", "问题类别", "生效日期", "失效日期"]


@dataclass
class EntryInput:
    question: str
    answer: str
    policy_basis: str = ""
    unit_id: int | None = None
    category_number: int | None = None
    valid_from: date | None = None
    valid_until: date | None = None


def _clean(session: Session, data: EntryInput) -> dict:
    fields = FieldChecks()

    def text(name: str, value: str, low: int, high: int) -> str:
        value = text_rules.check_chars((value or "").strip(), field=name)
        if not low <= len(value) <= high:
            raise ValidationError(f"error.kb_{name}_length", field=name, min=low, max=high)
        return value

    def unit() -> int | None:
        if data.unit_id is not None and session.get(Unit, data.unit_id) is None:
            raise ValidationError("error.unit_inactive", field="unit")
        return data.unit_id

    def category() -> int | None:
        if data.category_number is not None and not 1 <= data.category_number <= 32:
            raise ValidationError("error.category_unknown", field="category")
        return data.category_number

    def until() -> date | None:
        if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
            raise ValidationError("error.kb_validity_order", field="valid_until")
        return data.valid_until

    fields.check("question", lambda: text("question", data.question, 4, 500))
    fields.check("answer", lambda: text("answer", data.answer, 4, 5000))
    fields.check("policy_basis", lambda: text("policy_basis", data.policy_basis, 0, 2000))
    fields.check("unit", unit)
    fields.check("category", category)
    fields.check("valid_until", until)
    fields.raise_if_any()
    return fields.clean


def _save(session: Session, actor: Actor, data: EntryInput, *, status: str,
          report_id: int | None = None) -> KnowledgeEntry:
    clean = _clean(session, data)
    now = clock.now()
    entry = KnowledgeEntry(question=clean["question"], answer=clean["answer"],
                           policy_basis=clean["policy_basis"], unit_id=clean["unit"],
                           category_number=clean["category"], valid_from=data.valid_from,
                           valid_until=clean["valid_until"], status=status,
                           source_report_id=report_id, created_by_id=actor.user_id,
                           created_at=now)
    if status == APPROVED:
        entry.reviewed_by_id, entry.reviewed_at = actor.user_id, now
    session.add(entry)
    session.flush()
    audit.record(session, actor=actor, action=f"kb_{status}", entity="knowledge",
                 entity_id=entry.id, detail=entry.question[:100])
    session.commit()
    return entry


def create(session: Session, *, actor: Actor, data: EntryInput) -> KnowledgeEntry:
    """The office or an admin writes an entry; it is approved at once."""
    require(actor, Role.SUPERVISOR, Role.ADMIN)
    return _save(session, actor, data, status=APPROVED)


def reply_of(session: Session, *, actor: Actor, report_id: int) -> dict:
    """What a unit's reply to its report offers as an entry: question, answer, unit, category."""
    require(actor, Role.UNIT)
    report = session.get(Report, report_id)
    if report is None or report.unit_id != actor.unit_id or actor.unit_id is None:
        raise NotFound("error.report_not_found")
    if report.status not in (Status.REPLIED, Status.CLOSED):
        raise ValidationError("error.kb_not_replied")
    answer = session.exec(select(ReportEvent.note).where(
        ReportEvent.report_id == report.id, ReportEvent.action == "reply")
        .order_by(col(ReportEvent.id).desc())).first() or ""
    number = session.exec(select(Category.number).where(
        Category.id == report.category_id)).first() if report.category_id else None
    return {"question": report.title, "answer": answer, "unit_id": report.unit_id,
            "category_number": number}


def propose_from_reply(session: Session, *, actor: Actor, report_id: int,
                       data: EntryInput) -> KnowledgeEntry:
    """A unit turns a good reply into an entry; it waits for the office's approval."""
    offered = reply_of(session, actor=actor, report_id=report_id)
    data.unit_id = offered["unit_id"]
    return _save(session, actor, data, status=PENDING, report_id=report_id)


def review(session: Session, *, actor: Actor, entry_id: int, approve: bool,
           note: str = "") -> KnowledgeEntry:
    require(actor, Role.SUPERVISOR)
    entry = session.get(KnowledgeEntry, entry_id)
    if entry is None:
        raise NotFound()
    if entry.status != PENDING:
        raise ValidationError("error.kb_not_pending")
    if not approve and not note.strip():
        raise ValidationError("error.kb_reject_reason", field="note")
    entry.status = APPROVED if approve else REJECTED
    entry.reviewed_by_id, entry.reviewed_at, entry.review_note = (actor.user_id, clock.now(),
                                                                  note.strip())
    session.add(entry)
    audit.record(session, actor=actor, action=f"kb_{entry.status}", entity="knowledge",
                 entity_id=entry.id)
    session.commit()
    return entry


def _valid(today: date):  # noqa: ANN202
    return (KnowledgeEntry.status == APPROVED,
            or_(col(KnowledgeEntry.valid_from).is_(None), col(KnowledgeEntry.valid_from) <= today),
            or_(col(KnowledgeEntry.valid_until).is_(None),
                col(KnowledgeEntry.valid_until) >= today))


def _row(entry: KnowledgeEntry, units: dict[int, str], score: float | None = None) -> dict:
    return {"id": entry.id, "question": entry.question, "answer": entry.answer,
            "policy_basis": entry.policy_basis, "unit": units.get(entry.unit_id),
            "category_number": entry.category_number, "valid_from": entry.valid_from,
            "valid_until": entry.valid_until, "status": entry.status,
            "review_note": entry.review_note, "score": score}


def _units(session: Session) -> dict[int, str]:
    return dict(session.exec(select(Unit.id, Unit.name)).all())


def similar_entries(session: Session, *, actor: Actor, report_id: int, limit: int = 3,
                    min_score: float = 0.12) -> list[dict]:
    """Approved, valid entries most like a report, for the unit writing its reply."""
    from portal.reports import readable

    report = readable(session, actor=actor, report_id=report_id)
    if not actor.has(Role.UNIT, Role.SUPERVISOR):
        raise PermissionDenied()
    number = session.exec(select(Category.number).where(
        Category.id == report.category_id)).first() if report.category_id else None
    near = [col(KnowledgeEntry.unit_id) == report.unit_id] if report.unit_id else []
    if number:
        near.append(col(KnowledgeEntry.category_number) == number)
    query = select(KnowledgeEntry).where(*_valid(clock.today()))
    candidates = list(session.exec((query.where(or_(*near)) if near else query)
                                   .order_by(col(KnowledgeEntry.id).desc())
                                   .limit(MAX_CANDIDATES)))
    scores = duplicates.text_similarity(f"{report.title}。{report.description}",
                                        [e.question for e in candidates])
    units = _units(session)
    ranked = sorted(((s, e) for s, e in zip(scores, candidates, strict=True) if s >= min_score),
                    key=lambda pair: -pair[0])
    return [_row(e, units, round(s, 2)) for s, e in ranked[:limit]]


def list_entries(session: Session, *, actor: Actor, status: str | None = None, search: str = "",
                 page: int = 1, page_size: int = 20) -> tuple[list[dict], int]:
    """Entries for the office and admins (all), or a unit (approved ones and its own)."""
    query = select(KnowledgeEntry)
    if actor.has(Role.SUPERVISOR, Role.ADMIN, Role.DISCIPLINE):
        pass
    elif actor.has(Role.UNIT) and actor.unit_id is not None:
        query = query.where(or_(KnowledgeEntry.status == APPROVED,
                                KnowledgeEntry.unit_id == actor.unit_id))
    else:
        raise PermissionDenied()
    if status:
        query = query.where(KnowledgeEntry.status == status)
    if search.strip():
        like = f"%{search.strip()}%"
        query = query.where(or_(col(KnowledgeEntry.question).like(like),
                                col(KnowledgeEntry.answer).like(like)))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(KnowledgeEntry.id).desc())
                        .offset((max(page, 1) - 1) * page_size).limit(page_size)).all()
    units = _units(session)
    return [_row(e, units) for e in rows], total


def public_faq(session: Session, *, search: str = "", page: int = 1,
               page_size: int = 20) -> tuple[list[dict], int]:
    """Approved, valid entries for everyone: question, answer, policy basis, unit."""
    query = select(KnowledgeEntry).where(*_valid(clock.today()))
    if search.strip():
        query = query.where(col(KnowledgeEntry.question).like(f"%{search.strip()}%"))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(KnowledgeEntry.id).desc())
                        .offset((max(page, 1) - 1) * page_size).limit(page_size)).all()
    units = _units(session)
    return [{k: v for k, v in _row(e, units).items() if k not in ("status", "review_note",
                                                                  "score")} for e in rows], total


# ---- Excel -------------------------------------------------------------------------------

def safe_cell(value: object) -> object:
    """Text that Excel would run as a formula (= + - @, tab, CR) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_excel(session: Session, *, actor: Actor) -> bytes:
    """Every approved entry, in the columns the import reads."""
    require(actor, Role.ADMIN)
    units = _units(session)
    rows = session.exec(select(KnowledgeEntry).where(KnowledgeEntry.status == APPROVED)
                        .order_by(KnowledgeEntry.id)).all()
    return exports.workbook("知识库", EXCEL_HEADERS, [
        [safe_cell(v) for v in (e.question, e.answer, e.policy_basis, units.get(e.unit_id, ""),
                                e.category_number or "", e.valid_from, e.valid_until)]
        for e in rows])


def _date(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def import_excel(session: Session, *, actor: Actor, data: bytes) -> int:
    """Add the workbook's entries as approved; any bad row refuses the whole file, with rows."""
    from openpyxl import load_workbook

    require(actor, Role.ADMIN)
    try:
        sheet = load_workbook(BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file
        raise ValidationError("error.import_unreadable") from exc
    if not rows or [str(h or "").strip() for h in rows[0][:len(EXCEL_HEADERS)]] != EXCEL_HEADERS:
        raise ValidationError("error.kb_excel_headers", headers="、".join(EXCEL_HEADERS))
    units = {name: uid for uid, name in _units(session).items()}
    entries, bad = [], []
    for number, values in enumerate(rows[1:], start=2):
        values = [*values, *[None] * len(EXCEL_HEADERS)][:len(EXCEL_HEADERS)]
        if all(v in (None, "") for v in values):
            continue
        question, answer, basis, unit, category, start, end = values
        try:
            unit_id = units[str(unit).strip()] if unit not in (None, "") else None
            data_in = EntryInput(question=str(question or ""), answer=str(answer or ""),
                                 policy_basis=str(basis or ""), unit_id=unit_id,
                                 category_number=int(category) if category not in (None, "")
                                 else None, valid_from=_date(start), valid_until=_date(end))
            _clean(session, data_in)
            entries.append(data_in)
        except (KeyError, ValueError, TypeError, PortalError):
            bad.append(number)
    if bad:
        raise ValidationError("error.kb_excel_rows", rows="、".join(map(str, bad[:50])))
    now = clock.now()
    for item in entries:
        session.add(KnowledgeEntry(question=item.question.strip(), answer=item.answer.strip(),
                                   policy_basis=item.policy_basis.strip(), unit_id=item.unit_id,
                                   category_number=item.category_number,
                                   valid_from=item.valid_from, valid_until=item.valid_until,
                                   status=APPROVED, created_by_id=actor.user_id, created_at=now,
                                   reviewed_by_id=actor.user_id, reviewed_at=now))
    audit.record(session, actor=actor, action="kb_import", entity="knowledge",
                 detail=f"{len(entries)} entries")
    session.commit()
    return len(entries)
