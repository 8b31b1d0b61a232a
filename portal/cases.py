"""Typical cases (典型案例, seed 001): registered by a unit or the discipline office, or opened
from a 移交函 or a report; 线索 -> 核查中 -> 已办结 -> 已审核. Only the discipline office
verifies, and only verified cases count towards a quota."""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, delete, func, select

from portal import attachments, audit, catalogue, clock, text_rules
from portal.errors import FieldChecks, NotFound, PermissionDenied, ValidationError
from portal.models import CaseAttachment, CaseOutcome, CaseReport, Notice, Report, TypicalCase, Unit
from portal.notifications import hooks
from portal.roles import Actor, Role

STATUSES = ("clue", "checking", "concluded", "verified")  # 线索 / 核查中 / 已办结 / 已审核
SOURCES = ("self_check", "report", "inspection", "transfer", "other")
OUTCOMES = ("party", "government", "organisational", "admonition", "judicial", "other")
SANCTIONS = ("party", "government", "judicial")  # what the quota calls a sanctioned case


@dataclass
class CaseInput:
    unit_id: int | None
    category_number: int | None
    title: str
    summary: str
    found_on: date | None
    source: str
    concluded_on: date | None = None
    outcomes: list[str] = field(default_factory=list)
    persons_handled: int = 0
    report_ids: list[int] = field(default_factory=list)
    uploads: list[attachments.Upload] = field(default_factory=list)


def _scope(actor: Actor, unit_id: int | None) -> None:
    """Discipline may act for any unit; a unit only for itself."""
    if actor.has(Role.DISCIPLINE):
        return
    if actor.has(Role.UNIT) and actor.unit_id is not None and unit_id == actor.unit_id:
        return
    raise PermissionDenied()


def _validate(session: Session, data: CaseInput, actor: Actor,
              linked: frozenset[int] = frozenset()) -> dict:
    """`linked`: reports the case already links (kept even if since reassigned)."""
    fields = FieldChecks()

    def unit() -> int:
        found = session.get(Unit, data.unit_id) if data.unit_id else None
        if found is None:
            raise ValidationError("error.unit_inactive", field="unit")
        return found.id

    def category() -> int:
        if data.category_number is None or not 1 <= data.category_number <= 32:
            raise ValidationError("error.category_unknown", field="category")
        return data.category_number

    def text(name: str, value: str, high: int) -> str:
        return text_rules.clean(value, field=name, max_len=high, single_line=name == "title",
                                required_key=f"error.case_{name}_required",
                                too_long_key="error.note_too_long")

    def found_on() -> date:
        if data.found_on is None:
            raise ValidationError("error.case_found_on_required", field="found_on")
        if data.found_on > clock.today():
            raise ValidationError("error.date_in_future", field="found_on")
        return data.found_on

    def concluded_on() -> date | None:
        if data.concluded_on and data.found_on and data.concluded_on < data.found_on:
            raise ValidationError("error.case_concluded_before_found", field="concluded_on")
        if data.concluded_on and data.concluded_on > clock.today():
            raise ValidationError("error.date_in_future", field="concluded_on")
        return data.concluded_on

    def choice(name: str, value: str, allowed: tuple) -> str:
        if value not in allowed:
            raise ValidationError(f"error.case_{name}_required", field=name)
        return value

    def outcomes() -> list[str]:
        if any(o not in OUTCOMES for o in data.outcomes):
            raise ValidationError("error.case_outcome_unknown", field="outcomes")
        return sorted(set(data.outcomes))

    def persons() -> int:
        if not 0 <= int(data.persons_handled or 0) <= 999:
            raise ValidationError("error.case_persons", field="persons_handled")
        return int(data.persons_handled or 0)

    def reports() -> list[int]:
        """Only reports the actor may read: a unit links its own reports, never another's."""
        from portal.reports import can_read

        ids = sorted(set(data.report_ids))
        found = list(session.exec(select(Report).where(col(Report.id).in_(ids)))) if ids else []
        readable = {r.id for r in found
                    if r.id in linked or actor.has(Role.DISCIPLINE) or can_read(actor, r)}
        if readable != set(ids):
            raise ValidationError("error.report_not_found", field="reports")
        return ids

    fields.check("unit", unit)
    fields.check("category", category)
    fields.check("title", lambda: text("title", data.title, 100))
    fields.check("summary", lambda: text("summary", data.summary, 5000))
    fields.check("found_on", found_on)
    fields.check("concluded_on", concluded_on)
    fields.check("source", lambda: choice("source", data.source, SOURCES))
    fields.check("outcomes", outcomes)
    fields.check("persons_handled", persons)
    fields.check("reports", reports)
    fields.check("attachments", lambda: attachments.check(data.uploads))
    fields.raise_if_any()
    return fields.clean


def _write_links(session: Session, case_id: int, outcomes: list[str],
                 report_ids: list[int]) -> None:
    session.exec(delete(CaseOutcome).where(col(CaseOutcome.case_id) == case_id))
    session.exec(delete(CaseReport).where(col(CaseReport.case_id) == case_id))
    for outcome in outcomes:
        session.add(CaseOutcome(case_id=case_id, outcome=outcome))
    for report_id in report_ids:
        session.add(CaseReport(case_id=case_id, report_id=report_id))


def _store_files(session: Session, case_id: int, checked: list) -> None:
    for upload, content_type in checked:
        session.add(CaseAttachment(case_id=case_id, filename=upload.filename[:200],
                                   content_type=content_type, size=len(upload.data),
                                   data=upload.data, uploaded_at=clock.now()))


def case_files(session: Session, *, actor: Actor, case_id: int) -> list:
    """The decision documents of a case the actor may read (names, not contents)."""
    _load(session, actor, case_id)
    return list(session.exec(
        select(CaseAttachment.id, CaseAttachment.filename, CaseAttachment.content_type,
               CaseAttachment.size)
        .where(CaseAttachment.case_id == case_id).order_by(CaseAttachment.id)).all())


def case_file_data(session: Session, *, actor: Actor, file_id: int) -> bytes:
    found = session.get(CaseAttachment, file_id)
    if found is None:
        raise NotFound()
    _load(session, actor, found.case_id)
    return found.data


def register(session: Session, *, actor: Actor, data: CaseInput,
             notice_id: int | None = None) -> TypicalCase:
    """Register a case as a clue (or from a 移交函 when `notice_id` is given)."""
    _scope(actor, data.unit_id)
    clean = _validate(session, data, actor)
    if notice_id is not None:
        notice = session.get(Notice, notice_id)
        if notice is None or notice.kind != "transfer" or not actor.has(Role.DISCIPLINE):
            raise PermissionDenied()
    case = TypicalCase(unit_id=clean["unit"], category_number=clean["category"],
                       title=clean["title"], summary=clean["summary"],
                       found_on=clean["found_on"], concluded_on=clean["concluded_on"],
                       source=clean["source"], status="clue",
                       persons_handled=clean["persons_handled"], notice_id=notice_id,
                       created_by_id=actor.user_id, created_at=clock.now())
    session.add(case)
    session.flush()
    _write_links(session, case.id, clean["outcomes"], clean["reports"])
    _store_files(session, case.id, clean["attachments"])
    audit.record(session, actor=actor, action="case.register", entity="case",
                 entity_id=case.id, detail=clean["title"])
    session.commit()
    return case


def _load(session: Session, actor: Actor, case_id: int) -> TypicalCase:
    case = session.get(TypicalCase, case_id)
    if case is None:
        raise NotFound()
    try:
        _scope(actor, case.unit_id)
    except PermissionDenied as denied:
        raise NotFound() from denied  # a unit never learns of another unit's case
    return case


def update(session: Session, *, actor: Actor, case_id: int, data: CaseInput) -> TypicalCase:
    """Edit a case that is not yet verified (its unit cannot be changed by a unit)."""
    case = _load(session, actor, case_id)
    if case.status == "verified":
        raise ValidationError("error.case_verified_locked")
    _scope(actor, data.unit_id)
    linked = frozenset(session.exec(select(CaseReport.report_id)
                                    .where(CaseReport.case_id == case.id)))
    clean = _validate(session, data, actor, linked)
    case.unit_id, case.category_number = clean["unit"], clean["category"]
    case.title, case.summary, case.found_on = clean["title"], clean["summary"], clean["found_on"]
    case.concluded_on, case.source = clean["concluded_on"], clean["source"]
    case.persons_handled = clean["persons_handled"]
    session.add(case)
    _write_links(session, case.id, clean["outcomes"], clean["reports"])
    _store_files(session, case.id, clean["attachments"])
    audit.record(session, actor=actor, action="case.update", entity="case", entity_id=case.id)
    session.commit()
    return case


def advance(session: Session, *, actor: Actor, case_id: int, to: str) -> TypicalCase:
    """Move a case on: 线索 -> 核查中 -> 已办结 -> 已审核 (the last step: discipline only)."""
    case = _load(session, actor, case_id)
    if to not in STATUSES or STATUSES.index(to) != STATUSES.index(case.status) + 1:
        raise ValidationError("error.case_transition")
    if to == "verified":
        if not actor.has(Role.DISCIPLINE):
            raise PermissionDenied()
        if case.concluded_on is None:
            raise ValidationError("error.case_concluded_on_required")
        case.verified_by_id, case.verified_at = actor.user_id, clock.now()
    if to == "concluded" and case.concluded_on is None:
        raise ValidationError("error.case_concluded_on_required")
    case.status = to
    session.add(case)
    audit.record(session, actor=actor, action=f"case.{to}", entity="case", entity_id=case.id)
    if to == "concluded":
        hooks.case_awaiting_review(session, case)
    session.commit()
    return case


def expose(session: Session, *, actor: Actor, case_id: int, public_summary: str) -> TypicalCase:
    """通报曝光: only a verified case, only by discipline, with an anonymised summary."""
    if not actor.has(Role.DISCIPLINE):
        raise PermissionDenied()
    case = _load(session, actor, case_id)
    if case.status != "verified":
        raise ValidationError("error.case_not_verified")
    summary = text_rules.clean(public_summary, field="public_summary",
                               max_len=text_rules.PUBLIC_SUMMARY,
                               required_key="error.case_public_summary_required")
    case.exposed, case.public_summary = True, summary
    session.add(case)
    audit.record(session, actor=actor, action="case.expose", entity="case", entity_id=case.id)
    session.commit()
    return case


def list_cases(session: Session, *, actor: Actor, unit_id: int | None = None,
               status: str | None = None, page: int = 1, page_size: int = 20
               ) -> tuple[list[dict], int]:
    """Cases, newest first: all for discipline, the own unit's for a unit."""
    if actor.has(Role.DISCIPLINE):
        condition = TypicalCase.unit_id == unit_id if unit_id else None
    elif actor.has(Role.UNIT) and actor.unit_id is not None:
        condition = TypicalCase.unit_id == actor.unit_id
    else:
        raise PermissionDenied()
    query = select(TypicalCase, Unit.name).join(Unit, col(Unit.id) == TypicalCase.unit_id)
    count = select(func.count()).select_from(TypicalCase)
    if condition is not None:
        query, count = query.where(condition), count.where(condition)
    if status:
        query = query.where(TypicalCase.status == status)
        count = count.where(TypicalCase.status == status)
    total = session.exec(count).one()
    rows = session.exec(query.order_by(col(TypicalCase.id).desc())
                        .offset((max(page, 1) - 1) * page_size).limit(page_size)).all()
    outcomes: dict[int, list[str]] = {c.id: [] for c, _ in rows}
    reports: dict[int, list[str]] = {c.id: [] for c, _ in rows}
    if rows:
        for case_id, outcome in session.exec(select(CaseOutcome.case_id, CaseOutcome.outcome)
                                             .where(col(CaseOutcome.case_id).in_(outcomes))):
            outcomes[case_id].append(outcome)
        for case_id, number in session.exec(
                select(CaseReport.case_id, Report.tracking_no)
                .join(Report, col(Report.id) == CaseReport.report_id)
                .where(col(CaseReport.case_id).in_(reports))):
            reports[case_id].append(number)
    return [{"id": c.id, "unit": name, "unit_id": c.unit_id, "category_number": c.category_number,
             "title": c.title, "summary": c.summary, "found_on": c.found_on,
             "concluded_on": c.concluded_on, "source": c.source, "status": c.status,
             "persons_handled": c.persons_handled, "outcomes": sorted(outcomes[c.id]),
             "reports": sorted(reports[c.id]), "exposed": c.exposed,
             "notice_id": c.notice_id} for c, name in rows], total


def counts_by_unit(session: Session, *, actor: Actor) -> list[dict]:
    """Supervisors see counts only: cases per unit and status (GROUP BY)."""
    if not actor.has(Role.SUPERVISOR, Role.DISCIPLINE):
        raise PermissionDenied()
    rows = session.exec(select(Unit.name, TypicalCase.status, func.count())
                        .join(Unit, col(Unit.id) == TypicalCase.unit_id)
                        .group_by(Unit.name, TypicalCase.status)).all()
    return [{"unit": u, "status": s, "count": n} for u, s, n in rows]


def verified_by_category(session: Session, *, actor: Actor, year: int) -> dict[int, int]:
    """Verified cases concluded in `year` per category (the quota page's charts), counted in
    SQL — a province's cases are never loaded to be counted."""
    if not actor.has(Role.DISCIPLINE):
        raise PermissionDenied()
    return dict(session.exec(
        select(TypicalCase.category_number, func.count())
        .where(TypicalCase.status == "verified",
               col(TypicalCase.concluded_on) >= date(year, 1, 1),
               col(TypicalCase.concluded_on) <= date(year, 12, 31))
        .group_by(TypicalCase.category_number)).all())


def exposed_cases(session: Session, *, limit: int = 50) -> list[dict]:
    """The public board's 通报曝光: anonymised summaries of verified, exposed cases."""
    rows = session.exec(select(TypicalCase, Unit.name)
                        .join(Unit, col(Unit.id) == TypicalCase.unit_id)
                        .where(col(TypicalCase.exposed).is_(True),
                               TypicalCase.status == "verified")
                        .order_by(col(TypicalCase.verified_at).desc()).limit(limit)).all()
    texts = {e.number: e.text for e in catalogue.list_categories(session)} if rows else {}
    return [{"unit": name, "category_number": c.category_number,
             "category_text": texts.get(c.category_number, ""),
             "public_summary": c.public_summary, "concluded_on": c.concluded_on}
            for c, name in rows]


def resolve_reports(session: Session, *, actor: Actor, numbers: str) -> list[int]:
    """Tracking numbers typed by the user ("YS2026-000001, YS2026-000002") to report ids."""
    from portal.reports import can_read

    if not actor.has(Role.DISCIPLINE, Role.UNIT):
        raise PermissionDenied()
    wanted = [n.strip().upper() for n in numbers.replace("，", ",").split(",") if n.strip()]
    found = {r.tracking_no: r for r in session.exec(
        select(Report).where(col(Report.tracking_no).in_(wanted)))} if wanted else {}
    missing = [n for n in wanted if n not in found or not (
        actor.has(Role.DISCIPLINE) or can_read(actor, found[n]))]
    if missing:
        raise ValidationError("error.case_reports_unknown", field="reports",
                              numbers="、".join(missing))
    return [found[n].id for n in wanted]


def cases_for_report(session: Session, *, actor: Actor, report_id: int) -> list[dict]:
    """The typical cases a report is linked to (the other direction of the link)."""
    if not actor.has(Role.DISCIPLINE):
        return []
    rows = session.exec(select(TypicalCase.id, TypicalCase.title, TypicalCase.status)
                        .join(CaseReport, col(CaseReport.case_id) == TypicalCase.id)
                        .where(CaseReport.report_id == report_id)).all()
    return [{"id": i, "title": t, "status": s} for i, t, s in rows]
