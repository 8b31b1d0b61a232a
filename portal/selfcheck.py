"""Quarterly self-checks (seeds 000, 001, 004): each unit checks itself against the 32
categories and keeps the four lists (problem, risk, measure, responsibility) per category.

A category may hold several problems: one row per problem, numbered by `position`; a category
answered 不存在 (or not yet answered) has one row at position 1.

draft -> submitted (locked) -> accepted, or -> returned (editable again) -> submitted …
Problems of the unit's latest submitted form that are not 已销号 are carried into the next form
(portal/rectification.py keeps the ledger of them).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from portal import audit, cards, clock, text_rules, workdays
from portal.catalogue import list_categories
from portal.errors import NotFound, PermissionDenied, PortalError, ValidationError
from portal.models import (
    Notice,
    RectificationEvidence,
    SelfcheckCampaign,
    SelfcheckCampaignUnit,
    SelfcheckForm,
    SelfcheckRow,
    Unit,
)
from portal.notifications import hooks
from portal.roles import Actor, Role

DRAFT, SUBMITTED, ACCEPTED, RETURNED = "draft", "submitted", "accepted", "returned"
EDITABLE = (DRAFT, RETURNED)
PROGRESS = ("open", "in_progress", "done")  # 未整改 / 整改中 / 已整改
RISK_LEVELS = ("high", "medium", "low")  # 风险等级 高 / 中 / 低
DUE_WORKING_DAYS = 10
TEXT_LIMIT = 1000
MAX_PROBLEMS = 20  # problems in one category of one form
REVIEW_NOTE_LIMIT = 500


class EditConflict(PortalError):
    """Someone else saved the form since it was loaded; nothing was overwritten."""


class FormIncomplete(PortalError):
    """Rows that stop a submission: {category number: [missing field, …]}."""

    def __init__(self, missing: dict[int, list[str]]) -> None:
        super().__init__("error.selfcheck_incomplete",
                         rows="、".join(str(n) for n in sorted(missing)))
        self.missing = missing


@dataclass
class RowInput:
    category_number: int
    has_problem: bool | None = None
    description: str = ""
    risk: str = ""
    measure: str = ""
    person: str = ""
    deadline: date | None = None
    progress: str = "open"
    risk_level: str = ""
    department: str = ""
    position: int = 1  # the problem's number within its category


def campaign_name(year: int, quarter: int) -> str:
    return f"{year}年第{'一二三四'[quarter - 1]}季度"


def quarter_start(year: int, quarter: int) -> date:
    return date(year, quarter * 3 - 2, 1)


def quarter_end(year: int, quarter: int) -> date:
    if quarter == 4:
        return date(year, 12, 31)
    return date(year, quarter * 3 + 1, 1) - timedelta(days=1)


def default_due(session: Session, year: int, quarter: int) -> tuple[date, bool]:
    """The 10th working day after the quarter ends, and whether that rests on the fallback."""
    due = workdays.add_working_days(quarter_end(year, quarter), DUE_WORKING_DAYS, session=session)
    return due, not workdays.is_official(due.year, session=session)


# ---- campaigns ---------------------------------------------------------------------------

def _require_office(actor: Actor) -> None:
    if not actor.has(Role.SUPERVISOR):
        raise PermissionDenied()


def open_campaign(session: Session, *, actor: Actor, year: int, quarter: int,
                  due_date: date | None = None, unit_ids: list[int] | None = None
                  ) -> SelfcheckCampaign:
    """Open a quarter for the given units (default: every active unit)."""
    _require_office(actor)
    if quarter not in (1, 2, 3, 4) or not text_rules.YEAR_MIN <= year <= text_rules.YEAR_MAX:
        raise ValidationError("error.selfcheck_quarter", field="quarter")
    if session.exec(select(SelfcheckCampaign.id).where(
            SelfcheckCampaign.year == year, SelfcheckCampaign.quarter == quarter)).first():
        raise ValidationError("error.selfcheck_campaign_exists", name=campaign_name(year, quarter))
    estimated = False
    if due_date is None:
        due_date, estimated = default_due(session, year, quarter)
    if due_date < quarter_start(year, quarter):
        raise ValidationError("error.selfcheck_due_too_early", field="due_date")
    if unit_ids is None:
        unit_ids = list(session.exec(select(Unit.id).where(col(Unit.active).is_(True))))
    if not unit_ids:
        raise ValidationError("error.selfcheck_no_units", field="units")
    campaign = SelfcheckCampaign(year=year, quarter=quarter, due_date=due_date,
                                 due_estimated=estimated, opened_by_id=actor.user_id)
    session.add(campaign)
    session.flush()
    for unit_id in sorted(set(unit_ids)):
        session.add(SelfcheckCampaignUnit(campaign_id=campaign.id, unit_id=unit_id))
    audit.record(session, actor=actor, action="selfcheck.open", entity="campaign",
                 entity_id=campaign.id, detail=campaign_name(year, quarter))
    hooks.selfcheck_opened(session, campaign, sorted(set(unit_ids)),
                           campaign_name(year, quarter))
    session.commit()
    return campaign


def _next_quarter(session: Session) -> tuple[int, int]:
    """The quarter after the newest campaign (or the current quarter when there is none)."""
    latest = session.exec(select(SelfcheckCampaign).order_by(
        col(SelfcheckCampaign.year).desc(), col(SelfcheckCampaign.quarter).desc())).first()
    if latest is None:
        today = clock.today()
        return today.year, (today.month - 1) // 3 + 1
    return (latest.year + 1, 1) if latest.quarter == 4 else (latest.year, latest.quarter + 1)


def preview_next_campaign(session: Session, *, actor: Actor) -> dict:
    """What "开启下一季度自查" will do, for the confirmation: quarter, due date, unit count."""
    _require_office(actor)
    year, quarter = _next_quarter(session)
    due, estimated = default_due(session, year, quarter)
    units = session.exec(select(func.count()).select_from(Unit)
                         .where(col(Unit.active).is_(True))).one()
    return {"year": year, "quarter": quarter, "name": campaign_name(year, quarter),
            "due_date": due, "due_estimated": estimated, "units": units}


def open_next_campaign(session: Session, *, actor: Actor) -> SelfcheckCampaign:
    """One click: the quarter after the newest campaign (or the current quarter)."""
    _require_office(actor)
    year, quarter = _next_quarter(session)
    return open_campaign(session, actor=actor, year=year, quarter=quarter)


def list_campaigns(session: Session) -> list[dict]:
    rows = session.exec(select(SelfcheckCampaign).order_by(
        col(SelfcheckCampaign.year).desc(), col(SelfcheckCampaign.quarter).desc())).all()
    return [{"id": c.id, "name": campaign_name(c.year, c.quarter), "year": c.year,
             "quarter": c.quarter, "due_date": c.due_date, "due_estimated": c.due_estimated}
            for c in rows]


def _campaign(session: Session, campaign_id: int) -> SelfcheckCampaign:
    campaign = session.get(SelfcheckCampaign, campaign_id)
    if campaign is None:
        raise NotFound()
    return campaign


def campaigns_for_unit(session: Session, *, actor: Actor) -> list[dict]:
    """The campaigns the actor's unit must report in, newest first."""
    if not actor.has(Role.UNIT) or actor.unit_id is None:
        raise PermissionDenied()
    mine = set(session.exec(select(SelfcheckCampaignUnit.campaign_id).where(
        SelfcheckCampaignUnit.unit_id == actor.unit_id)))
    return [c for c in list_campaigns(session) if c["id"] in mine]


# ---- the unit's form ---------------------------------------------------------------------

def _previous_open_rows(session: Session, campaign: SelfcheckCampaign,
                        unit_id: int) -> dict[int, list[SelfcheckRow]]:
    """Problems not yet 已销号 (nor reported 已整改) in the unit's latest submitted form before
    this campaign: submitted is enough, the office need not have accepted it yet."""
    earlier = (SelfcheckCampaign.year * 10 + SelfcheckCampaign.quarter) < (
        campaign.year * 10 + campaign.quarter)
    form = session.exec(
        select(SelfcheckForm).join(SelfcheckCampaign,
                                   col(SelfcheckCampaign.id) == SelfcheckForm.campaign_id)
        .where(SelfcheckForm.unit_id == unit_id,
               col(SelfcheckForm.status).in_([SUBMITTED, ACCEPTED]), earlier)
        .order_by(col(SelfcheckCampaign.year).desc(), col(SelfcheckCampaign.quarter).desc())
    ).first()
    if form is None:
        return {}
    rows = session.exec(select(SelfcheckRow).where(
        SelfcheckRow.form_id == form.id, col(SelfcheckRow.has_problem).is_(True),
        SelfcheckRow.progress != "done", SelfcheckRow.rectify_status != "closed")
        .order_by(SelfcheckRow.category_number, SelfcheckRow.position)).all()
    carried: dict[int, list[SelfcheckRow]] = {}
    for row in rows:
        carried.setdefault(row.category_number, []).append(row)
    return carried


def open_form(session: Session, *, actor: Actor, campaign_id: int) -> SelfcheckForm:
    """The unit's form of the campaign, created on first opening with carried-over rows."""
    if not actor.has(Role.UNIT) or actor.unit_id is None:
        raise PermissionDenied()
    campaign = _campaign(session, campaign_id)
    if session.get(SelfcheckCampaignUnit, (campaign.id, actor.unit_id)) is None:
        raise NotFound("error.selfcheck_not_required")
    form = session.exec(select(SelfcheckForm).where(
        SelfcheckForm.campaign_id == campaign.id, SelfcheckForm.unit_id == actor.unit_id)).first()
    if form is not None:
        return form
    form = SelfcheckForm(campaign_id=campaign.id, unit_id=actor.unit_id, status=DRAFT,
                         updated_by_id=actor.user_id)
    session.add(form)
    session.flush()
    carried = _previous_open_rows(session, campaign, actor.unit_id)
    for entry in list_categories(session, year=campaign.year):
        olds = carried.get(entry.number)
        if not olds:
            session.add(SelfcheckRow(form_id=form.id, category_number=entry.number))
        for position, old in enumerate(olds or [], start=1):
            session.add(SelfcheckRow(
                form_id=form.id, category_number=entry.number, position=position,
                has_problem=True, description=old.description, risk=old.risk,
                measure=old.measure, person=old.person, deadline=old.deadline,
                progress=old.progress, carried_from_id=old.id,
                origin_id=old.origin_id or old.id, risk_level=old.risk_level,
                department=old.department, rectify_status=old.rectify_status))
    session.commit()
    return form


def _readable_form(session: Session, actor: Actor, form_id: int) -> SelfcheckForm:
    form = session.get(SelfcheckForm, form_id)
    if form is None:
        raise NotFound()
    if actor.has(Role.SUPERVISOR, Role.DISCIPLINE):
        return form
    if actor.has(Role.UNIT) and actor.unit_id == form.unit_id:
        return form
    raise NotFound()  # never hint that another unit's form exists


def form_view(session: Session, *, actor: Actor, form_id: int) -> dict:
    """The form's rows in catalogue order (a category's problems by position), with areas and
    carried-over history."""
    form = _readable_form(session, actor, form_id)
    campaign = _campaign(session, form.campaign_id)
    entries = {e.number: e for e in list_categories(session, year=campaign.year)}
    rows = session.exec(select(SelfcheckRow).where(SelfcheckRow.form_id == form.id)
                        .order_by(SelfcheckRow.category_number, SelfcheckRow.position)).all()
    history = _history(session, [r.carried_from_id for r in rows if r.carried_from_id])
    today = clock.today()
    yellow_until = workdays.add_working_days(today, 1, session=session)

    def card(row: SelfcheckRow) -> str | None:
        """红黄牌 of an open rectification, on the same calendar as every other deadline."""
        if not row.has_problem or row.progress == "done":
            return None
        return cards.classify(row.deadline, today, yellow_until)

    return {
        "id": form.id, "status": form.status, "version": form.version, "late": form.late,
        "submitted_at": form.submitted_at, "review_comment": form.review_comment,
        "updated_at": form.updated_at,
        "campaign": campaign_name(campaign.year, campaign.quarter), "campaign_id": campaign.id,
        "due_date": campaign.due_date, "due_estimated": campaign.due_estimated,
        "unit": session.get(Unit, form.unit_id).name,
        "rows": [{"category_number": r.category_number, "position": r.position,
                  "area": entries[r.category_number].area if r.category_number in entries
                  else "", "category": entries[r.category_number].text
                  if r.category_number in entries else "",
                  "has_problem": r.has_problem, "description": r.description, "risk": r.risk,
                  "measure": r.measure, "person": r.person, "deadline": r.deadline,
                  "risk_level": r.risk_level, "department": r.department,
                  "rectify_status": r.rectify_status,
                  "progress": r.progress, "carried": r.carried_from_id is not None,
                  "history": history.get(r.carried_from_id, ""), "card": card(r),
                  "review_note": r.review_note}
                 for r in rows],
    }


def _history(session: Session, row_ids: list[int]) -> dict[int, str]:
    """For each carried-over source row: the campaign it came from."""
    if not row_ids:
        return {}
    found = session.exec(
        select(SelfcheckRow.id, SelfcheckCampaign.year, SelfcheckCampaign.quarter)
        .join(SelfcheckForm, col(SelfcheckForm.id) == SelfcheckRow.form_id)
        .join(SelfcheckCampaign, col(SelfcheckCampaign.id) == SelfcheckForm.campaign_id)
        .where(col(SelfcheckRow.id).in_(row_ids))).all()
    return {i: campaign_name(y, q) for i, y, q in found}


def _clean(row: RowInput) -> RowInput:
    for name in ("description", "risk", "measure"):
        setattr(row, name, text_rules.clean(getattr(row, name), field=name, max_len=TEXT_LIMIT,
                                            too_long_key="error.selfcheck_text_too_long",
                                            row=row.category_number))
    row.person = text_rules.clean(row.person, field="person", max_len=40, single_line=True,
                                  too_long_key="error.selfcheck_person_too_long",
                                  row=row.category_number)
    row.department = text_rules.clean(row.department, field="department", max_len=40,
                                      single_line=True,
                                      too_long_key="error.selfcheck_department_too_long",
                                      row=row.category_number)
    if row.progress not in PROGRESS:
        row.progress = "open"
    if row.risk_level not in RISK_LEVELS:
        row.risk_level = ""
    return row


def answer_rest_no(rows: list[RowInput]) -> list[RowInput]:
    """Mark every unanswered category 不存在: most categories have no problem."""
    for row in rows:
        if row.has_problem is None:
            row.has_problem = False
    return rows


def fill_progress(rows: list[RowInput]) -> dict[str, int]:
    """已填 answered/total categories, and how many problems still lack what submission needs."""
    answers = {r.category_number: r.has_problem for r in rows if r.position == 1}
    return {"answered": sum(a is not None for a in answers.values()), "total": len(answers),
            "incomplete": sum(bool(r.has_problem) and bool(missing_fields(r)) for r in rows)}


def missing_fields(row: RowInput) -> list[str]:
    """What a row lacks for submission: an answer, and for 存在 the four lists' essentials."""
    if row.has_problem is None:
        return ["has_problem"]
    if not row.has_problem:
        return []
    return [name for name in ("description", "risk_level", "measure", "person", "deadline")
            if not getattr(row, name)]


def missing_by_category(rows: list[RowInput]) -> dict[int, list[str]]:
    """{category number: missing fields of any of its problems} for every category that stops
    a submission."""
    missing: dict[int, list[str]] = {}
    for row in rows:
        for name in missing_fields(row):
            if name not in missing.setdefault(row.category_number, []):
                missing[row.category_number].append(name)
    return {n: m for n, m in missing.items() if m}


def _write(session: Session, actor: Actor, form_id: int, version: int,
           rows: list[RowInput]) -> SelfcheckForm:
    if not actor.has(Role.UNIT) or actor.unit_id is None:
        raise PermissionDenied()
    form = session.exec(select(SelfcheckForm).where(SelfcheckForm.id == form_id)
                        .with_for_update()).first()
    if form is None or form.unit_id != actor.unit_id:
        raise NotFound()
    if form.status not in EDITABLE:
        raise ValidationError("error.selfcheck_locked")
    if form.version != version:
        raise EditConflict("error.selfcheck_conflict")
    rows = _problems_only_where_found(rows)
    stored = {(r.category_number, r.position): r for r in session.exec(
        select(SelfcheckRow).where(SelfcheckRow.form_id == form.id))}
    categories = {number for number, _position in stored}
    given_keys = {(r.category_number, r.position) for r in rows
                  if r.category_number in categories}
    for number in sorted({n for n, _p in given_keys}):
        positions = sorted(p for n, p in given_keys if n == number)
        if positions != list(range(1, len(positions) + 1)) or len(positions) > MAX_PROBLEMS:
            raise ValidationError("error.selfcheck_problem_count", row=number,
                                  limit=MAX_PROBLEMS)
    touched = {n for n, _p in given_keys}
    dropped = [row for key, row in stored.items() if key[0] in touched and key not in given_keys]
    _drop_problems(session, dropped)
    for given in rows:
        key = (given.category_number, given.position)
        if given.category_number not in categories:
            continue
        given = _clean(given)
        row = stored.get(key) or SelfcheckRow(form_id=form.id, category_number=key[0],
                                              position=key[1])
        row.has_problem, row.description, row.risk = (given.has_problem, given.description,
                                                      given.risk)
        row.measure, row.person, row.deadline, row.progress = (given.measure, given.person,
                                                               given.deadline, given.progress)
        row.risk_level, row.department = given.risk_level, given.department
        session.add(row)
    form.version += 1
    form.updated_at, form.updated_by_id = clock.now(), actor.user_id
    session.add(form)
    return form


def _problems_only_where_found(rows: list[RowInput]) -> list[RowInput]:
    """A category answered 不存在 (or not yet) keeps one row: further problems the clerk added
    before changing the answer are dropped with the next save (unless the ledger knows them)."""
    not_found = {r.category_number for r in rows if r.position == 1 and not r.has_problem}
    return [r for r in rows if r.position == 1 or r.category_number not in not_found]


def _drop_problems(session: Session, rows: list[SelfcheckRow]) -> None:
    """Delete problems the clerk removed, unless the ledger already knows them: a problem
    carried from an earlier quarter (or carried on into a later one), or one with evidence or
    notices, stays until it is 销号."""
    if not rows:
        return
    ids = [r.id for r in rows]
    known = set(session.exec(select(SelfcheckRow.carried_from_id).where(
        col(SelfcheckRow.carried_from_id).in_(ids))).all())
    known |= set(session.exec(select(RectificationEvidence.row_id).where(
        col(RectificationEvidence.row_id).in_(ids))).all())
    known |= set(session.exec(select(Notice.item_id).where(
        Notice.item_kind == "problem", col(Notice.item_id).in_(ids))).all())
    for row in rows:
        if row.carried_from_id is not None or row.origin_id is not None or row.id in known:
            raise ValidationError("error.selfcheck_problem_kept", row=row.category_number)
    session.flush()
    for row in rows:
        session.delete(row)
    session.flush()


def save_draft(session: Session, *, actor: Actor, form_id: int, version: int,
               rows: list[RowInput]) -> SelfcheckForm:
    """Save whatever is there; refused if someone saved since `version` was loaded."""
    form = _write(session, actor, form_id, version, rows)
    session.commit()
    return form


def submit(session: Session, *, actor: Actor, form_id: int, version: int,
           rows: list[RowInput]) -> SelfcheckForm:
    """Save and lock the form; every row must be complete. Late submissions are flagged."""
    missing = missing_by_category(rows)
    if missing:
        raise FormIncomplete(missing)
    form = _write(session, actor, form_id, version, rows)
    campaign = _campaign(session, form.campaign_id)
    now = clock.now()
    form.status, form.submitted_at = SUBMITTED, now
    form.late = now.date() > campaign.due_date
    form.review_comment = ""
    session.add(form)
    audit.record(session, actor=actor, action="selfcheck.submit", entity="selfcheck_form",
                 entity_id=form.id, detail="late" if form.late else "")
    hooks.selfcheck_submitted(session, form, campaign_name(campaign.year, campaign.quarter))
    session.commit()
    return form


def _review(session: Session, actor: Actor, form_id: int) -> SelfcheckForm:
    _require_office(actor)
    form = session.get(SelfcheckForm, form_id)
    if form is None:
        raise NotFound()
    if form.status != SUBMITTED:
        raise ValidationError("error.selfcheck_not_submitted")
    return form


def accept(session: Session, *, actor: Actor, form_id: int) -> SelfcheckForm:
    form = _review(session, actor, form_id)
    form.status, form.reviewed_at, form.reviewed_by_id = ACCEPTED, clock.now(), actor.user_id
    session.add(form)
    audit.record(session, actor=actor, action="selfcheck.accept", entity="selfcheck_form",
                 entity_id=form.id)
    session.commit()
    return form


def return_form(session: Session, *, actor: Actor, form_id: int, comment: str,
                category_notes: dict[int, str] | None = None) -> SelfcheckForm:
    """Send a submitted form back to the unit with a comment (and notes on single categories);
    it becomes editable again. Notes of an earlier return are replaced."""
    comment = text_rules.clean(comment, field="comment", max_len=text_rules.COMMENT)
    notes = {int(n): text_rules.clean(text, field="comment", max_len=REVIEW_NOTE_LIMIT,
                                      too_long_key="error.selfcheck_note_too_long", row=n)
             for n, text in (category_notes or {}).items()}
    notes = {n: text for n, text in notes.items() if text}
    if not comment and not notes:
        raise ValidationError("error.selfcheck_comment_required", field="comment")
    form = _review(session, actor, form_id)
    for row in session.exec(select(SelfcheckRow).where(SelfcheckRow.form_id == form.id)):
        row.review_note = notes.get(row.category_number, "")
        session.add(row)
    form.status, form.review_comment = RETURNED, comment
    form.reviewed_at, form.reviewed_by_id = clock.now(), actor.user_id
    form.version += 1
    session.add(form)
    audit.record(session, actor=actor, action="selfcheck.return", entity="selfcheck_form",
                 entity_id=form.id, detail=comment[:200])
    campaign = _campaign(session, form.campaign_id)
    hooks.selfcheck_returned(session, form, campaign_name(campaign.year, campaign.quarter))
    session.commit()
    return form


# ---- review: completion and summary ------------------------------------------------------

def completion(session: Session, *, actor: Actor, campaign_id: int) -> list[dict]:
    """Per required unit: status, submission time, problems found, open rectifications."""
    if not actor.has(Role.SUPERVISOR, Role.DISCIPLINE):
        raise PermissionDenied()
    campaign = _campaign(session, campaign_id)
    problems = func.sum(case((col(SelfcheckRow.has_problem).is_(True), 1), else_=0))
    open_rows = func.sum(case((col(SelfcheckRow.has_problem).is_(True)
                               & (SelfcheckRow.progress != "done"), 1), else_=0))
    counts = {form_id: (p or 0, o or 0) for form_id, p, o in session.exec(
        select(SelfcheckRow.form_id, problems, open_rows)
        .join(SelfcheckForm, col(SelfcheckForm.id) == SelfcheckRow.form_id)
        .where(SelfcheckForm.campaign_id == campaign.id).group_by(SelfcheckRow.form_id))}
    rows = session.exec(
        select(Unit.id, Unit.name, SelfcheckForm.id, SelfcheckForm.status,
               SelfcheckForm.submitted_at, SelfcheckForm.late)
        .join(SelfcheckCampaignUnit, col(SelfcheckCampaignUnit.unit_id) == Unit.id)
        .join(SelfcheckForm, (col(SelfcheckForm.unit_id) == Unit.id)
              & (col(SelfcheckForm.campaign_id) == campaign.id), isouter=True)
        .where(SelfcheckCampaignUnit.campaign_id == campaign.id)
        .order_by(Unit.sort_order, Unit.id)).all()
    result = []
    for unit_id, name, form_id, status, submitted_at, late in rows:
        if form_id is None:
            state = "missing"
        elif status == SUBMITTED and late:
            state = "late"
        else:
            state = status
        found, still_open = counts.get(form_id, (0, 0))
        result.append({"unit": name, "unit_id": unit_id, "form_id": form_id,
                       "state": state, "submitted_at": submitted_at, "late": bool(late),
                       "problems": found, "open": still_open,
                       "waiting": form_id is None or status in EDITABLE})
    return result


def summary(session: Session, *, actor: Actor, campaign_id: int) -> dict:
    """Problems found per category and area, rectification progress, and the previous quarter."""
    if not actor.has(Role.SUPERVISOR, Role.DISCIPLINE):
        raise PermissionDenied()
    campaign = _campaign(session, campaign_id)
    entries = {e.number: e for e in list_categories(session, year=campaign.year)}

    def per_category(target: SelfcheckCampaign | None) -> dict[int, int]:
        if target is None:
            return {}
        return dict(session.exec(
            select(SelfcheckRow.category_number, func.count())
            .join(SelfcheckForm, col(SelfcheckForm.id) == SelfcheckRow.form_id)
            .where(SelfcheckForm.campaign_id == target.id,
                   col(SelfcheckRow.has_problem).is_(True))
            .group_by(SelfcheckRow.category_number)).all())

    previous = session.exec(select(SelfcheckCampaign).where(
        (SelfcheckCampaign.year * 10 + SelfcheckCampaign.quarter)
        < campaign.year * 10 + campaign.quarter)
        .order_by(col(SelfcheckCampaign.year).desc(), col(SelfcheckCampaign.quarter).desc())
    ).first()
    now_counts, before_counts = per_category(campaign), per_category(previous)
    progress = dict(session.exec(
        select(SelfcheckRow.progress, func.count())
        .join(SelfcheckForm, col(SelfcheckForm.id) == SelfcheckRow.form_id)
        .where(SelfcheckForm.campaign_id == campaign.id, col(SelfcheckRow.has_problem).is_(True))
        .group_by(SelfcheckRow.progress)).all())
    categories = [{"number": n, "area": e.area, "text": e.text, "count": now_counts.get(n, 0),
                   "previous": before_counts.get(n, 0)} for n, e in entries.items()]
    areas: dict[str, dict] = {}
    for c in categories:
        area = areas.setdefault(c["area"], {"area": c["area"], "count": 0, "previous": 0})
        area["count"] += c["count"]
        area["previous"] += c["previous"]
    return {"categories": categories, "areas": list(areas.values()),
            "progress": {p: progress.get(p, 0) for p in PROGRESS},
            "previous": campaign_name(previous.year, previous.quarter) if previous else None}


def untrue_answers(session: Session, *, actor: Actor, year: int) -> list[dict]:
    """自查不实: a unit answered 不存在 for a category in which, the same year, it has a
    verified typical case or a report that was handled as its own."""
    from portal.models import Category as CategoryRow
    from portal.models import Report, TypicalCase

    if not actor.has(Role.DISCIPLINE, Role.SUPERVISOR):
        raise PermissionDenied()
    said_no = (select(SelfcheckForm.unit_id, SelfcheckRow.category_number,
                      SelfcheckCampaign.quarter)
               .join(SelfcheckForm, col(SelfcheckForm.id) == SelfcheckRow.form_id)
               .join(SelfcheckCampaign, col(SelfcheckCampaign.id) == SelfcheckForm.campaign_id)
               .where(SelfcheckCampaign.year == year, col(SelfcheckRow.has_problem).is_(False),
                      col(SelfcheckForm.status).in_([SUBMITTED, ACCEPTED])))
    answers: dict[tuple[int, int], list[int]] = {}
    for unit_id, number, quarter in session.exec(said_no).all():
        answers.setdefault((unit_id, number), []).append(quarter)
    if not answers:
        return []
    start, end = date(year, 1, 1), date(year, 12, 31)
    evidence: dict[tuple[int, int], list[str]] = {}
    if actor.has(Role.DISCIPLINE):
        for unit_id, number, title in session.exec(
                select(TypicalCase.unit_id, TypicalCase.category_number, TypicalCase.title)
                .where(TypicalCase.status == "verified", col(TypicalCase.found_on) >= start,
                       col(TypicalCase.found_on) <= end)).all():
            evidence.setdefault((unit_id, number), []).append(f"典型案例：{title}")
    else:  # the office sees counts of cases only, never their titles
        for unit_id, number, count in session.exec(
                select(TypicalCase.unit_id, TypicalCase.category_number, func.count())
                .where(TypicalCase.status == "verified", col(TypicalCase.found_on) >= start,
                       col(TypicalCase.found_on) <= end)
                .group_by(TypicalCase.unit_id, TypicalCase.category_number)).all():
            evidence.setdefault((unit_id, number), []).append(f"已审核典型案例 {count} 件")
    # the year's handled reports counted per unit and category in SQL (a province's year holds
    # some 100,000): the count and the first number, not every number
    for unit_id, number, count, first in session.exec(
            select(Report.unit_id, CategoryRow.number, func.count(), func.min(Report.tracking_no))
            .join(CategoryRow, col(CategoryRow.id) == Report.category_id)
            .where(col(Report.status).in_(["replied", "closed", "closed_unrated"]),
                   col(Report.created_at) >= datetime(year, 1, 1),
                   col(Report.created_at) < datetime(year + 1, 1, 1))
            .group_by(Report.unit_id, CategoryRow.number)).all():
        if (unit_id, number) in answers:
            evidence.setdefault((unit_id, number), []).append(
                f"反映问题：{first}" if count == 1 else f"反映问题 {count} 件：{first} 等")
    names = dict(session.exec(select(Unit.id, Unit.name)).all())
    return [{"unit": names.get(unit_id, ""), "category_number": number,
             "quarters": [campaign_name(year, q) for q in sorted(set(quarters))],
             "evidence": evidence[(unit_id, number)]}
            for (unit_id, number), quarters in sorted(answers.items())
            if (unit_id, number) in evidence]
