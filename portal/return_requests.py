"""A unit's return of a wrongly assigned report is a request the office decides.

Allowed only before the unit responds (or while its respond window is still open), with a
reason. The office approves (the report comes back and is re-assigned, its clocks starting
afresh) or refuses (it stays with the unit, clocks unchanged). The unit's pending notices are
settled by the outcome, never silently withdrawn. The office has 1 working day (the `intake`
window) to decide, like every report waiting for it.
"""

from datetime import date

from sqlmodel import Session, col, func, select

from portal import audit, cards, clock, escalation, text_rules, workdays
from portal.errors import NotFound, PermissionDenied, ValidationError
from portal.models import Report, ReportEvent, ReturnRequest, Unit
from portal.report_types import Status
from portal.roles import Actor, Role
from portal.settings import get_settings

APPROVED, REFUSED = "approved", "refused"
MAX_TEXT = 2000


def open_for(session: Session, report_id: int) -> ReturnRequest | None:
    return session.exec(select(ReturnRequest).where(
        ReturnRequest.report_id == report_id, col(ReturnRequest.decision).is_(None))).first()


def check_may_request(session: Session, report: Report) -> None:
    """Only before responding, or within the respond window; one open request at a time."""
    responded_late = report.responded_at is not None and (
        report.respond_due is None or clock.today() > report.respond_due)
    if report.status not in (Status.ASSIGNED, Status.ACKNOWLEDGED) or responded_late:
        raise ValidationError("error.return_too_late")
    if open_for(session, report.id) is not None:
        raise ValidationError("error.return_request_open")


def open_request(session: Session, *, report: Report, actor: Actor, reason: str
                 ) -> ReturnRequest:
    due, _ = workdays.deadline(clock.now(), workdays.sla_days(session, "intake"),
                               session=session, cutoff_hour=get_settings().deadline_cutoff_hour)
    request = ReturnRequest(report_id=report.id, unit_id=report.unit_id,
                            requested_by_id=actor.user_id, requested_at=clock.now(),
                            reason=reason.strip(), office_due=due)
    session.add(request)
    session.flush()
    return request


def _decidable(session: Session, actor: Actor, request_id: int, note: str,
               note_required: bool) -> tuple[ReturnRequest, Report]:
    if not actor.has(Role.SUPERVISOR):
        raise PermissionDenied()
    if note_required and not note.strip():
        raise ValidationError("error.note_required_return_refuse", field="note")
    if len(note) > MAX_TEXT:
        raise ValidationError("error.note_too_long", field="note", max=MAX_TEXT)
    text_rules.check_chars(note, field="note")
    request = session.get(ReturnRequest, request_id)
    if request is None:
        raise NotFound()
    if request.decision is not None:
        raise ValidationError("error.return_request_decided")
    report = session.exec(select(Report).where(Report.id == request.report_id)
                          .with_for_update()).one()
    return request, report


def _event(session: Session, report: Report, actor: Actor, action: str, note: str,
           to_status: str, unit_id: int | None, public: bool) -> None:
    session.add(ReportEvent(report_id=report.id, at=clock.now(), actor_id=actor.user_id,
                            action=action, from_status=report.status, to_status=to_status,
                            unit_id=unit_id, note=note, public=public, note_public=False))


def approve(session: Session, *, actor: Actor, request_id: int, note: str = "",
            new_unit_id: int | None = None, category_number: int | None = None) -> Report:
    """Take the report back; re-assign it now (fresh clocks) or leave it 退回待分办 with the
    office's 1-working-day deadline. The unit's pending notice ends as 退回已同意."""
    request, report = _decidable(session, actor, request_id, note, False)
    old_unit = report.unit_id
    request.decision, request.decided_by_id = APPROVED, actor.user_id
    request.decided_at, request.decision_note = clock.now(), note.strip()
    request.new_unit_id = new_unit_id
    escalation.settle_on_return(session, report, approved=True)
    _event(session, report, actor, "return_approved", request.reason, Status.RETURNED, old_unit,
           True)
    report.status, report.unit_id = Status.RETURNED, None
    report.respond_due = report.reply_due = report.responded_at = None
    report.office_due, report.deadline_estimated = workdays.deadline(
        clock.now(), workdays.sla_days(session, "intake"), session=session,
        cutoff_hour=get_settings().deadline_cutoff_hour)
    report.clock_start, report.updated_at = clock.today(), clock.now()
    session.add(request)
    session.flush()
    escalation.refresh_due(session, report)
    audit.record(session, actor=actor, action="return.approve", entity="report",
                 entity_id=report.id, detail=f"request {request.id}")
    session.commit()
    if new_unit_id is not None:
        from portal import report_flow

        report_flow.assign(session, actor=actor, report_id=report.id, unit_id=new_unit_id,
                           category_number=category_number, note=note)
    return report


def refuse(session: Session, *, actor: Actor, request_id: int, note: str) -> Report:
    """Keep the report with the unit (the reason is shown to it); clocks and notices unchanged."""
    request, report = _decidable(session, actor, request_id, note, True)
    request.decision, request.decided_by_id = REFUSED, actor.user_id
    request.decided_at, request.decision_note = clock.now(), note.strip()
    session.add(request)
    _event(session, report, actor, "return_refused", note.strip(), report.status,
           report.unit_id, False)
    audit.record(session, actor=actor, action="return.refuse", entity="report",
                 entity_id=report.id, detail=f"request {request.id}")
    session.commit()
    return report


def _rows(session: Session, rows: list) -> list[dict]:  # noqa: ANN001
    today = clock.today()
    yellow_until = workdays.add_working_days(today, 1, session=session)
    return [{"id": r.id, "report_id": r.report_id, "tracking_no": no, "title": title,
             "unit": unit, "reason": r.reason, "requested_at": r.requested_at,
             "office_due": r.office_due, "decision": r.decision,
             "decision_note": r.decision_note, "decided_at": r.decided_at,
             "card": cards.classify(r.office_due, today, yellow_until) if r.decision is None
             else None}
            for r, no, title, unit in rows]


def _select():  # noqa: ANN202
    return (select(ReturnRequest, Report.tracking_no, Report.title, Unit.name)
            .join(Report, col(Report.id) == ReturnRequest.report_id)
            .join(Unit, col(Unit.id) == ReturnRequest.unit_id))


def pending(session: Session, *, actor: Actor, page: int = 1, page_size: int = 20
            ) -> tuple[list[dict], int]:
    """Return requests waiting for the office's decision, the oldest deadline first."""
    if not actor.has(Role.SUPERVISOR, Role.DISCIPLINE):
        raise PermissionDenied()
    waiting = col(ReturnRequest.decision).is_(None)
    total = session.exec(select(func.count()).select_from(ReturnRequest).where(waiting)).one()
    rows = session.exec(_select().where(waiting)
                        .order_by(ReturnRequest.office_due, ReturnRequest.id)
                        .offset((max(page, 1) - 1) * page_size).limit(page_size)).all()
    return _rows(session, rows), total


def for_report(session: Session, *, actor: Actor, report_id: int) -> list[dict]:
    """The report's return requests; a unit sees only its own."""
    from portal.reports import readable

    readable(session, actor=actor, report_id=report_id)
    query = _select().where(ReturnRequest.report_id == report_id)
    if not actor.has(Role.SUPERVISOR, Role.DISCIPLINE):
        query = query.where(ReturnRequest.unit_id == actor.unit_id)
    return _rows(session, session.exec(query.order_by(ReturnRequest.id)).all())


def overdue_count(session: Session, *, today: date) -> int:
    return session.exec(select(func.count()).select_from(ReturnRequest).where(
        col(ReturnRequest.decision).is_(None), col(ReturnRequest.office_due) < today)).one()
