"""The report state machine: an explicit table of who may do what from which status.

Every transition writes a ReportEvent row (who, when, from, to, note); the filer's timeline
and the audit trail are both read from those rows.
"""

from dataclasses import dataclass

from sqlmodel import Session, select

from portal import audit, clock, duplicates, escalation, text_rules, workdays
from portal.errors import PermissionDenied, ValidationError
from portal.models import Report, ReportEvent, ReportRating, Unit
from portal.notifications import hooks
from portal.report_types import Rating, RatingChannel, ReplyOutcome, Status
from portal.reports import can_read, category_id, query_code_matches
from portal.roles import Actor, Role
from portal.settings import get_settings

S = Status
FILER = "filer"  # the person who filed: proven by query code or by owning the company account


@dataclass(frozen=True)
class Rule:
    sources: frozenset[Status]
    target: Status | None  # None: the status does not change (internal note) or depends on input
    who: str  # a Role value, or FILER
    public: bool  # shown on the filer's timeline
    note_public: bool  # the note text is shown there too
    note_required: bool


TRANSITIONS: dict[str, Rule] = {
    "assign": Rule(frozenset({S.SUBMITTED, S.RETURNED}), S.ASSIGNED, Role.SUPERVISOR, True,
                   False, False),
    "reject": Rule(frozenset({S.SUBMITTED, S.RETURNED}), S.REJECTED, Role.SUPERVISOR, True,
                   True, True),
    "note": Rule(frozenset(Status), None, Role.SUPERVISOR, False, False, True),
    "respond": Rule(frozenset({S.ASSIGNED}), S.ACKNOWLEDGED, Role.UNIT, True, True, True),
    # A unit's return is a request the office decides (portal/return_requests.py).
    "return": Rule(frozenset({S.ASSIGNED, S.ACKNOWLEDGED}), None, Role.UNIT, False, False,
                   True),
    "reply": Rule(frozenset({S.ASSIGNED, S.ACKNOWLEDGED, S.REOPENED}), S.REPLIED, Role.UNIT,
                  True, True, True),
    "rate": Rule(frozenset({S.REPLIED}), None, FILER, True, True, False),
}
MAX_NOTE = 2000


def allowed_actions(report_status: str, actor: Actor | None) -> list[str]:
    """Actions the actor's roles allow from this status (unit scope is checked on the call)."""
    roles = {r.value for r in actor.roles} if actor else set()
    return [name for name, rule in TRANSITIONS.items()
            if report_status in rule.sources and rule.who in roles]


def _locked(session: Session, report_id: int) -> Report:
    report = session.exec(select(Report).where(Report.id == report_id).with_for_update()).first()
    if report is None:
        raise ValidationError("error.report_not_found")
    return report


def _check(report: Report, action: str, actor: Actor | None, note: str) -> Rule:
    rule = TRANSITIONS[action]
    if rule.who != FILER:
        if actor is None or not actor.has(Role(rule.who)) or not can_read(actor, report):
            raise PermissionDenied()
        if rule.who == Role.UNIT and report.unit_id != actor.unit_id:
            raise PermissionDenied()
    duplicates.refuse_if_merged(report, action)
    if report.status not in rule.sources:
        raise ValidationError("error.transition_not_allowed", status=report.status)
    text_rules.check_chars(note, field="note")
    if rule.note_required and not note.strip():
        raise ValidationError(f"error.note_required_{action}", field="note")
    if len(note) > MAX_NOTE:
        raise ValidationError("error.note_too_long", field="note", max=MAX_NOTE)
    return rule


def _record(session: Session, report: Report, action: str, rule: Rule, actor: Actor | None,
            note: str, target: Status | None, *, unit_id: int | None = None) -> None:
    """Write the event row, move the report and its current deadline, and commit.

    `action` names the event (e.g. rate_unsatisfied); `unit_id` is the unit acting when the
    report no longer names it (a return).
    """
    now = clock.now()
    session.add(ReportEvent(report_id=report.id, at=now, actor_id=actor.user_id if actor else None,
                            action=action, from_status=report.status,
                            to_status=target or report.status,
                            unit_id=unit_id or report.unit_id, note=note.strip(),
                            public=rule.public, note_public=rule.note_public))
    if target is not None:
        report.status = target
    if action in ("respond", "reply"):
        escalation.settle_on_action(session, report, action)
    report.updated_at = now
    session.flush()
    escalation.refresh_due(session, report)
    _notify(session, report, action, note, unit_id)
    # the chained audit log names staff only: a filer (public or company) is never recorded
    staff = actor if actor is not None and not actor.has(Role.COMPANY) else None
    audit.record(session, actor=staff, action=f"report.{action}"[:40], entity="report",
                 entity_id=report.id, detail=f"{report.status}")
    duplicates.follow_main(session, report, action=action, actor=actor, note=note,
                           public=rule.public, note_public=rule.note_public)
    session.commit()


def _notify(session: Session, report: Report, action: str, note: str,
            unit_id: int | None) -> None:
    """Messages of this step, in the same transaction (see portal/notifications)."""
    if action == "assign":
        hooks.report_assigned(session, report)
    elif action == "reject":
        hooks.report_rejected(session, report)
    elif action == "reply":
        hooks.report_replied(session, report)
    elif action in ("return", "return_request"):
        hooks.report_returned(session, report, unit_id=unit_id, reason=note)
    elif action == "rate_unsatisfied":
        hooks.report_reopened(session, report)


def _due(session: Session, window: str) -> tuple:
    days = workdays.sla_days(session, window)
    return workdays.deadline(clock.now(), days, session=session,
                             cutoff_hour=get_settings().deadline_cutoff_hour)


def assign(session: Session, *, actor: Actor, report_id: int, unit_id: int,
           category_number: int | None, note: str = "") -> Report:
    """Accept a report and give it to a unit, which starts the respond and reply clocks."""
    report = _locked(session, report_id)
    rule = _check(report, "assign", actor, note)
    unit = session.get(Unit, unit_id)
    if unit is None or not unit.active:
        raise ValidationError("error.unit_inactive", field="unit")
    if category_number is not None:
        report.category_id = category_id(session, category_number)
    report.unit_id = unit.id
    report.respond_due, respond_estimated = _due(session, "respond")
    report.reply_due, reply_estimated = _due(session, "reply")
    if report.original_due is not None:  # a 12345 工单 keeps the hotline's deadline
        report.reply_due, reply_estimated = report.original_due, False
    report.deadline_estimated = respond_estimated or reply_estimated
    report.clock_start, report.office_due = clock.now().date(), None
    report.responded_at = report.replied_at = None
    report.accepted_on = report.accepted_on or report.clock_start
    if report.first_replied_at is None:  # the deadline the first reply will be judged by
        report.first_reply_due = report.reply_due
    _record(session, report, "assign", rule, actor, note, S.ASSIGNED)
    return report


def reject(session: Session, *, actor: Actor, report_id: int, reason: str) -> Report:
    """Refuse a report (out of scope, duplicate …); the filer sees the reason."""
    report = _locked(session, report_id)
    rule = _check(report, "reject", actor, reason)
    _record(session, report, "reject", rule, actor, reason, S.REJECTED)
    return report


def add_note(session: Session, *, actor: Actor, report_id: int, note: str) -> None:
    """An internal note for the office: never on the public timeline, never shown to units."""
    report = _locked(session, report_id)
    rule = _check(report, "note", actor, note)
    _record(session, report, "note", rule, actor, note, None)


def respond(session: Session, *, actor: Actor, report_id: int, note: str) -> Report:
    report = _locked(session, report_id)
    rule = _check(report, "respond", actor, note)
    report.responded_at = clock.now()
    _record(session, report, "respond", rule, actor, note, S.ACKNOWLEDGED)
    return report


def return_to_office(session: Session, *, actor: Actor, report_id: int, reason: str) -> Report:
    """A unit asks the office to take back a wrongly assigned report (a request, decided by
    the office); the report stays with the unit and its clocks run on meanwhile."""
    from portal import return_requests

    report = _locked(session, report_id)
    rule = _check(report, "return", actor, reason)
    return_requests.check_may_request(session, report)
    request = return_requests.open_request(session, report=report, actor=actor, reason=reason)
    _record(session, report, "return_request", rule, actor,
            f"{reason.strip()}（申请编号 {request.id}）", None)
    return report


def approve_return(session: Session, *, actor: Actor, report_id: int, unit_id: int | None = None,
                   category_number: int | None = None, note: str = "") -> Report:
    """The office approves the report's open return request (re-assigning it to `unit_id`)."""
    from portal import return_requests

    if not actor.has(Role.SUPERVISOR):  # before the look-up: no probing for open requests
        raise PermissionDenied()
    request = return_requests.open_for(session, report_id)
    if request is None:
        raise ValidationError("error.return_request_decided")
    return return_requests.approve(session, actor=actor, request_id=request.id, note=note,
                                   new_unit_id=unit_id, category_number=category_number)


def refuse_return(session: Session, *, actor: Actor, report_id: int, reason: str) -> Report:
    """The office refuses the report's open return request; the unit keeps it."""
    from portal import return_requests

    if not actor.has(Role.SUPERVISOR):  # before the look-up: no probing for open requests
        raise PermissionDenied()
    request = return_requests.open_for(session, report_id)
    if request is None:
        raise ValidationError("error.return_request_decided")
    return return_requests.refuse(session, actor=actor, request_id=request.id, note=reason)


def reply(session: Session, *, actor: Actor, report_id: int, result: str,
          outcome: str | None = None) -> Report:
    """The unit's answer with the result and its outcome (已解决 / 部分解决 / 未解决（已解释说明）);
    the filer is then asked to rate it."""
    report = _locked(session, report_id)
    rule = _check(report, "reply", actor, result)
    if outcome not in set(ReplyOutcome):
        raise ValidationError("error.reply_outcome_required", field="outcome")
    now = clock.now()
    report.responded_at = report.responded_at or now
    report.replied_at = now
    report.first_replied_at = report.first_replied_at or now
    report.rating = None
    report.reply_outcome = outcome
    _record(session, report, "reply", rule, actor, result, S.REPLIED)
    return report


def _rate(session: Session, report: Report, actor: Actor | None, rating: str,
          comment: str, channel: str = RatingChannel.WEB) -> Report:
    if rating not in set(Rating):
        raise ValidationError("error.rating_required", field="rating")
    rule = _check(report, "rate", None, comment)
    now = clock.now()
    session.add(ReportRating(report_id=report.id, unit_id=report.unit_id,
                             round=report.reopen_count, at=now,
                             actor_id=actor.user_id if actor else None, channel=channel,
                             rating=rating, comment=comment.strip()))
    report.rating = rating
    if rating == Rating.UNSATISFIED:
        # 差评整改: back to the same unit with a fresh reply clock.
        days = workdays.sla_days(session, "reopen")
        report.reply_due, report.deadline_estimated = workdays.deadline(
            now, days, session=session, cutoff_hour=get_settings().deadline_cutoff_hour)
        report.clock_start = now.date()
        report.reopen_count += 1
        if report.merged_into_id is not None:
            duplicates.detach_on_reopen(session, report)
        target = S.REOPENED
    else:
        target = S.CLOSED
    _record(session, report, f"rate_{rating}", rule, actor, comment, target)
    return report


def rate_with_code(session: Session, *, tracking_no: str, query_code: str, rating: str,
                   comment: str = "") -> Report:
    """The filer rates the reply, proving who they are with the query code (checked before
    the row is locked: the hash is slow and must not hold the write lock)."""
    number = tracking_no.strip().upper()
    stored = session.exec(select(Report.query_code_hash).where(Report.tracking_no == number)
                          ).first()
    if stored is None or not query_code_matches(query_code, stored):
        raise PermissionDenied()
    report = session.exec(select(Report).where(Report.tracking_no == number)
                          .with_for_update()).one()
    return _rate(session, report, None, rating, comment)


def rate_as_owner(session: Session, *, actor: Actor, report_id: int, rating: str,
                  comment: str = "") -> Report:
    """A company account rates a reply to a report it filed while logged in."""
    report = _locked(session, report_id)
    if report.filer_user_id != actor.user_id:
        raise PermissionDenied()
    return _rate(session, report, actor, rating, comment)
