"""The rectification ledger (问题整改台账, #14): every problem a unit found in its submitted
self-checks, across quarters, closed by evidence (销号).

A problem is identified by its first row (`origin_id`, None on that row); a later quarter's form
carries it as a new row of the same problem. The ledger shows each problem once, as its row in
the unit's latest submitted form. Status: 整改中 (open) -> 待销号 (pending, evidence submitted)
-> 已销号 (closed, the office accepted) or back to 整改中 with the office's reason.
An open problem past its deadline is overdue and supervised on the 三单一函 ladder
(portal/supervised.py, kind "problem"); submitting evidence discharges its notices.

The unit sees only its own unit's problems; the office (supervisor, admin) sees every unit's.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, exists
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from portal import attachments, audit, clock, escalation, exports, text_rules, workdays
from portal.attachments import Upload
from portal.errors import FieldChecks, NotFound, PermissionDenied, ValidationError
from portal.models import (
    RectificationEvidence,
    RectificationFile,
    SelfcheckCampaign,
    SelfcheckForm,
    SelfcheckRow,
    Unit,
)
from portal.roles import Actor, Role, require
from portal.selfcheck import ACCEPTED, SUBMITTED

OPEN, PENDING, CLOSED, OVERDUE = "open", "pending", "closed", "overdue"
STATUSES = (OPEN, PENDING, CLOSED)
FILTERS = (OVERDUE, OPEN, PENDING, CLOSED)  # overdue: open and past the deadline
STATUS_TEXT = {OPEN: "整改中", PENDING: "待销号", CLOSED: "已销号"}
RISK_TEXT = {"high": "高", "medium": "中", "low": "低", "": ""}
OFFICE = (Role.SUPERVISOR, Role.ADMIN)
ACCEPT, REFUSE = "accepted", "refused"
MAX_TEXT = 2000
YELLOW_DAYS = 3  # due within 3 working days: yellow card
HEADERS = ("序号", "单位", "自查季度", "问题类别", "问题描述", "风险等级", "整改措施", "责任科室",
           "责任人", "整改时限", "整改状态", "销号日期", "已历时天数")

Origin = aliased(SelfcheckRow)
OriginForm = aliased(SelfcheckForm)
OriginCampaign = aliased(SelfcheckCampaign)
SHOWN = (SUBMITTED, ACCEPTED)


@dataclass
class EvidenceInput:
    text: str
    uploads: list[Upload] = field(default_factory=list)


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}年第{quarter}季度"


def problem_id(row: SelfcheckRow) -> int:
    return row.origin_id or row.id


def _problem_col(row) -> ColumnElement:  # noqa: ANN001
    return func.coalesce(row.origin_id, row.id)


# ---- who sees what ------------------------------------------------------------------------

def _is_office(actor: Actor | None) -> bool:
    return actor is not None and actor.has(*OFFICE)


def _reader(actor: Actor | None) -> Actor:
    if _is_office(actor):
        return actor
    if actor is not None and actor.has(Role.UNIT) and actor.unit_id is not None:
        return actor
    raise PermissionDenied()


def _require_unit(actor: Actor | None) -> Actor:
    if actor is None or not actor.has(Role.UNIT) or actor.unit_id is None:
        raise PermissionDenied()
    return actor


# ---- the ledger in SQL ----------------------------------------------------------------------

def latest_row() -> ColumnElement:
    """The row is its problem's row in the unit's latest submitted form. A later row of the
    problem is a carried one (the first row never comes later), so it is found through the
    index on origin_id — not by comparing every row's problem with every other's (#17:
    20 quarters of 200 units hold 128,000 rows)."""
    later, later_form, later_campaign = (aliased(SelfcheckRow), aliased(SelfcheckForm),
                                         aliased(SelfcheckCampaign))
    return ~exists().where(
        later.origin_id == _problem_col(SelfcheckRow), later.id != SelfcheckRow.id,
        later_form.id == later.form_id, col(later_form.status).in_(SHOWN),
        later_campaign.id == later_form.campaign_id,
        later_campaign.year * 10 + later_campaign.quarter
        > SelfcheckCampaign.year * 10 + SelfcheckCampaign.quarter)


def _overdue(today: date) -> ColumnElement:
    return and_(SelfcheckRow.rectify_status == OPEN, col(SelfcheckRow.deadline) < today)


def _base(today: date):  # noqa: ANN202
    """Every problem once, with its unit, quarter and quarter of origin."""
    overdue = case((_overdue(today), True), else_=False).label("overdue")
    return (select(SelfcheckRow, Unit.name, SelfcheckCampaign.year, SelfcheckCampaign.quarter,
                   OriginCampaign.year, OriginCampaign.quarter, OriginForm.submitted_at,
                   overdue)
            .join(SelfcheckForm, col(SelfcheckForm.id) == SelfcheckRow.form_id)
            .join(SelfcheckCampaign, col(SelfcheckCampaign.id) == SelfcheckForm.campaign_id)
            .join(Unit, col(Unit.id) == SelfcheckForm.unit_id)
            .join(Origin, Origin.id == _problem_col(SelfcheckRow))
            .join(OriginForm, OriginForm.id == Origin.form_id)
            .join(OriginCampaign, OriginCampaign.id == OriginForm.campaign_id)
            .where(col(SelfcheckRow.has_problem).is_(True), col(SelfcheckForm.status).in_(SHOWN),
                   latest_row()))


def _filtered(query, *, today: date, unit_id: int | None, status: str | None,  # noqa: ANN001, ANN202
              campaign_id: int | None):
    if unit_id is not None:
        query = query.where(SelfcheckForm.unit_id == unit_id)
    if campaign_id is not None:
        query = query.where(OriginCampaign.id == campaign_id)
    if status == OVERDUE:
        query = query.where(_overdue(today))
    elif status in STATUSES:
        query = query.where(SelfcheckRow.rectify_status == status)
    elif status is not None:
        raise ValidationError("error.rectify_status", field="status")
    return query


def _card(row: SelfcheckRow, today: date, yellow_until: date) -> str | None:
    """红牌 when an open problem is past its deadline, 黄牌 when it is due within 3 working days."""
    if row.rectify_status != OPEN or row.deadline is None:
        return None
    if row.deadline < today:
        return "red"
    return "yellow" if row.deadline <= yellow_until else None


def _found_on(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.fromisoformat(value).date()
    return value if isinstance(value, date) else None


def _dicts(session: Session, found: list, today: date) -> list[dict]:  # noqa: ANN001
    yellow_until = workdays.add_working_days(today, YELLOW_DAYS, session=session)
    result = []
    for row, unit, year, quarter, origin_year, origin_quarter, found_at, overdue in found:
        found_on = _found_on(found_at)
        end = row.closed_on if row.rectify_status == CLOSED and row.closed_on else today
        result.append({
            "id": row.id, "problem_id": problem_id(row), "unit": unit,
            "quarter": quarter_label(year, quarter),
            "origin": quarter_label(origin_year, origin_quarter),
            "category_number": row.category_number, "position": row.position,
            "description": row.description,
            "risk_level": row.risk_level, "risk": row.risk, "measure": row.measure,
            "department": row.department, "person": row.person, "deadline": row.deadline,
            "status": row.rectify_status, "closed_on": row.closed_on,
            "overdue": bool(overdue), "found_on": found_on,
            "age_days": max(0, (end - found_on).days) if found_on else 0,
            "card": _card(row, today, yellow_until)})
    return result


def _order(today: date) -> list:
    rank = case((_overdue(today), 0), (SelfcheckRow.rectify_status == PENDING, 1),
                (SelfcheckRow.rectify_status == OPEN, 2), else_=3)
    return [rank, col(SelfcheckRow.deadline).is_(None), SelfcheckRow.deadline, SelfcheckRow.id]


def _page(session: Session, *, unit_id: int | None, status: str | None,
          campaign_id: int | None, page: int, page_size: int) -> tuple[list[dict], int]:
    today = clock.today()
    query = _filtered(_base(today), today=today, unit_id=unit_id, status=status,
                      campaign_id=campaign_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    found = session.exec(query.order_by(*_order(today))
                         .offset((max(page, 1) - 1) * page_size).limit(page_size)).all()
    return _dicts(session, found, today), total


def unit_ledger(session: Session, *, actor: Actor, status: str | None = None,
                campaign_id: int | None = None, page: int = 1, page_size: int = 20
                ) -> tuple[list[dict], int]:
    """本单位整改台账: a page of the actor's unit's problems, overdue first."""
    actor = _require_unit(actor)
    return _page(session, unit_id=actor.unit_id, status=status, campaign_id=campaign_id,
                 page=page, page_size=page_size)


def office_ledger(session: Session, *, actor: Actor, status: str | None = None,
                  campaign_id: int | None = None, unit_id: int | None = None, page: int = 1,
                  page_size: int = 20) -> tuple[list[dict], int]:
    """整改台账 across units, for the office; filters by unit, status and quarter of origin."""
    require(actor, *OFFICE)
    return _page(session, unit_id=unit_id, status=status, campaign_id=campaign_id, page=page,
                 page_size=page_size)


def status_counts(session: Session, *, actor: Actor, unit_id: int | None = None,
                  campaign_id: int | None = None) -> dict[str, int]:
    """Problems per status, and how many open ones are overdue (GROUP BY); a unit its own."""
    actor = _reader(actor)
    if not _is_office(actor):
        unit_id = actor.unit_id
    today = clock.today()
    query = _filtered(_base(today), today=today, unit_id=unit_id, status=None,
                      campaign_id=campaign_id).subquery()
    counts = dict.fromkeys((*STATUSES, OVERDUE), 0)
    for status, overdue, count in session.exec(
            select(query.c.rectify_status, query.c.overdue, func.count())
            .group_by(query.c.rectify_status, query.c.overdue)).all():
        counts[status] = counts.get(status, 0) + count
        if overdue:
            counts[OVERDUE] += count
    return counts


def quarters(session: Session) -> list[dict]:
    """The quarters (campaigns) a problem can come from, newest first, for the filter."""
    rows = session.exec(select(SelfcheckCampaign).order_by(
        col(SelfcheckCampaign.year).desc(), col(SelfcheckCampaign.quarter).desc())).all()
    return [{"id": c.id, "name": quarter_label(c.year, c.quarter)} for c in rows]


# ---- one problem ------------------------------------------------------------------------------

def _visible_row(session: Session, actor: Actor, row_id: int) -> tuple[SelfcheckRow, int]:
    actor = _reader(actor)
    found = session.exec(select(SelfcheckRow, SelfcheckForm.unit_id, SelfcheckForm.status)
                         .join(SelfcheckForm, col(SelfcheckForm.id) == SelfcheckRow.form_id)
                         .where(SelfcheckRow.id == row_id)).first()
    if found is None or not found[0].has_problem or found[2] not in SHOWN:
        raise NotFound()
    row, unit_id, _status = found
    if not _is_office(actor) and unit_id != actor.unit_id:
        raise NotFound()  # never hint that another unit's problem exists
    return row, unit_id


def _chain(session: Session, pid: int) -> list[SelfcheckRow]:
    """Every quarter's row of one problem."""
    return list(session.exec(select(SelfcheckRow).where(
        _problem_col(SelfcheckRow) == pid).with_for_update()).all())


def get_problem(session: Session, *, actor: Actor, row_id: int) -> dict:
    """One problem as in the ledger, with its evidence submissions (and their files' names)."""
    row, _unit = _visible_row(session, actor, row_id)
    today = clock.today()
    found = session.exec(_base(today).where(_problem_col(SelfcheckRow) == problem_id(row))).all()
    if not found:
        raise NotFound()
    problem = _dicts(session, found, today)[0]
    problem["evidence"] = _evidence(session, problem["problem_id"])
    return problem


def _evidence(session: Session, pid: int) -> list[dict]:
    found = session.exec(select(RectificationEvidence).where(
        RectificationEvidence.problem_id == pid).order_by(
        col(RectificationEvidence.submitted_at).desc(), col(RectificationEvidence.id).desc())
    ).all()
    ids = [e.id for e in found]
    files: dict[int, list[dict]] = {i: [] for i in ids}
    if ids:
        for file_id, evidence_id, name in session.exec(
                select(RectificationFile.id, RectificationFile.evidence_id,
                       RectificationFile.filename)
                .where(col(RectificationFile.evidence_id).in_(ids))
                .order_by(RectificationFile.id)).all():
            files[evidence_id].append({"id": file_id, "filename": name})
    return [{"id": e.id, "text": e.text, "submitted_at": e.submitted_at,
             "decision": e.decision, "reason": e.reason, "decided_at": e.decided_at,
             "files": files[e.id]} for e in found]


# ---- 销号 -------------------------------------------------------------------------------------

def submit_evidence(session: Session, *, actor: Actor, row_id: int,
                    data: EvidenceInput) -> RectificationEvidence:
    """The unit shows the problem is rectified (text, files) and asks for 销号: 待销号. Its
    pending 三单一函 notices are discharged by this action."""
    actor = _require_unit(actor)
    checks = FieldChecks()
    checks.check("text", lambda: text_rules.clean(
        data.text, field="text", max_len=MAX_TEXT, required_key="error.rectify_text_required"))
    checks.check("uploads", lambda: attachments.check(data.uploads))
    checks.raise_if_any()
    row, unit_id = _visible_row(session, actor, row_id)
    chain = _chain(session, problem_id(row))
    if any(r.rectify_status == CLOSED for r in chain):
        raise ValidationError("error.rectify_closed")
    if any(r.rectify_status == PENDING for r in chain):
        raise ValidationError("error.rectify_pending")
    evidence = RectificationEvidence(row_id=row.id, problem_id=problem_id(row), unit_id=unit_id,
                                     text=checks.clean["text"], submitted_by_id=actor.user_id,
                                     submitted_at=clock.now())
    session.add(evidence)
    session.flush()
    for upload, content_type in checks.clean["uploads"]:
        session.add(RectificationFile(evidence_id=evidence.id, filename=upload.filename,
                                      content_type=content_type, size=len(upload.data),
                                      data=upload.data))
    for member in chain:
        member.rectify_status = PENDING
        session.add(member)
        escalation.settle_item(session, kind="problem", item_id=member.id, action="rectify")
    audit.record(session, actor=actor, action="rectify.evidence", entity="selfcheck_row",
                 entity_id=row.id, detail=f"evidence {evidence.id}")
    session.commit()
    return evidence


def _waiting(session: Session, actor: Actor, evidence_id: int
             ) -> tuple[RectificationEvidence, list[SelfcheckRow]]:
    require(actor, *OFFICE)
    evidence = session.exec(select(RectificationEvidence).where(
        RectificationEvidence.id == evidence_id).with_for_update()).first()
    if evidence is None:
        raise NotFound()
    if evidence.decision is not None:
        raise ValidationError("error.rectify_decided")
    return evidence, _chain(session, evidence.problem_id)


def accept(session: Session, *, actor: Actor, evidence_id: int) -> RectificationEvidence:
    """销号: the office accepts the evidence; the problem is 已销号 (and 已整改)."""
    evidence, chain = _waiting(session, actor, evidence_id)
    evidence.decision, evidence.decided_by_id = ACCEPT, actor.user_id
    evidence.decided_at = clock.now()
    for member in chain:
        member.rectify_status, member.closed_on, member.progress = CLOSED, clock.today(), "done"
        session.add(member)
    session.add(evidence)
    audit.record(session, actor=actor, action="rectify.accept", entity="selfcheck_row",
                 entity_id=evidence.row_id, detail=f"evidence {evidence.id}")
    session.commit()
    return evidence


def refuse(session: Session, *, actor: Actor, evidence_id: int,
           reason: str) -> RectificationEvidence:
    """退回: the office refuses the evidence with a reason the unit sees; back to 整改中."""
    reason = text_rules.clean(reason, field="reason", max_len=text_rules.REASON,
                              required_key="error.rectify_reason_required")
    evidence, chain = _waiting(session, actor, evidence_id)
    evidence.decision, evidence.reason = REFUSE, reason
    evidence.decided_by_id, evidence.decided_at = actor.user_id, clock.now()
    for member in chain:
        member.rectify_status = OPEN
        session.add(member)
    session.add(evidence)
    audit.record(session, actor=actor, action="rectify.refuse", entity="selfcheck_row",
                 entity_id=evidence.row_id, detail=f"evidence {evidence.id}: {reason[:200]}")
    session.commit()
    return evidence


def evidence_file(session: Session, *, actor: Actor, file_id: int) -> RectificationFile:
    """An evidence file, for the office and the problem's own unit."""
    actor = _reader(actor)
    found = session.exec(select(RectificationFile, RectificationEvidence.unit_id)
                         .join(RectificationEvidence,
                               col(RectificationEvidence.id) == RectificationFile.evidence_id)
                         .where(RectificationFile.id == file_id)).first()
    if found is None or (not _is_office(actor) and found[1] != actor.unit_id):
        raise NotFound()
    return found[0]


def problem_notices(session: Session, *, actor: Actor, row_id: int) -> list[dict]:
    """The problem's 三单一函 across its quarters' rows: the office's, or the unit's own."""
    row, _unit = _visible_row(session, actor, row_id)
    ids = [r.id for r in session.exec(select(SelfcheckRow).where(
        _problem_col(SelfcheckRow) == problem_id(row))).all()]
    return escalation.notices_for_items(session, kind="problem", item_ids=ids)


# ---- Excel ------------------------------------------------------------------------------------

def export_excel(session: Session, *, actor: Actor, status: str | None = None,
                 campaign_id: int | None = None, unit_id: int | None = None) -> bytes:
    """问题整改台账 in the offices' layout; a unit exports its own. Formula-safe (exports.put)."""
    actor = _reader(actor)
    if not _is_office(actor):
        unit_id = actor.unit_id
    rows, _total = _page(session, unit_id=unit_id, status=status, campaign_id=campaign_id,
                         page=1, page_size=100_000)
    from portal.catalogue import list_categories

    names = {}
    for year in {int(r["origin"][:4]) for r in rows}:
        names.update({(year, e.number): e.text for e in list_categories(session, year=year)})
    values = [[n, r["unit"], r["origin"],
               f"{r['category_number']}. {names.get((int(r['origin'][:4]), r['category_number']), '')}",
               r["description"], RISK_TEXT.get(r["risk_level"], ""), r["measure"],
               r["department"], r["person"], r["deadline"] or "",
               STATUS_TEXT[r["status"]] + ("（逾期）" if r["overdue"] else ""),
               r["closed_on"] or "", r["age_days"]]
              for n, r in enumerate(rows, start=1)]
    return exports.workbook("问题整改台账", list(HEADERS), values)
