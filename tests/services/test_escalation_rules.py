"""#11: a notice is discharged by the action it demands and never shortens a running window;
returns are requests the office decides; reports waiting for the office carry a deadline."""

from datetime import date, datetime

import pytest
from sqlmodel import select

from portal import cards, clock, escalation, report_flow, reports, return_requests
from portal.errors import PermissionDenied, ValidationError
from portal.models import Notice, Report, ReportEvent
from portal.report_types import Status
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services.test_reports import valid_input

MONDAY_9 = datetime(2026, 11, 2, 9, 0)  # respond by Tue 3 Nov, reply by Mon 9 Nov


@pytest.fixture
def at(monkeypatch):
    moment = {"now": MONDAY_9}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def people(session):
    return {"supervisor": make_user(session, Role.SUPERVISOR),
            "unit": make_user(session, Role.UNIT, unit="区发改局"),
            "other": make_user(session, Role.UNIT, unit="区住建局")}


def assigned(session, people):
    filed = reports.file_report(session, actor=None, data=valid_input())
    report_flow.assign(session, actor=people["supervisor"], report_id=filed.report_id,
                       unit_id=unit_id(session), category_number=None)
    return session.get(Report, filed.report_id)


def notices(session, report_id):
    return list(session.exec(select(Notice).where(Notice.report_id == report_id)
                             .order_by(Notice.id)))


def test_the_issue_example_a_response_discharges_the_reminder_and_the_reply_clock_runs(
        session, people, at):
    report = assigned(session, people)
    at["now"] = datetime(2026, 11, 4, 8, 30)
    (issued,) = escalation.escalate(session, today=date(2026, 11, 4))
    assert issued.kind == "reminder"
    at["now"] = datetime(2026, 11, 4, 15, 0)
    report_flow.respond(session, actor=people["unit"], report_id=report.id, note="已签收")
    reminder = notices(session, report.id)[0]
    assert reminder.complied is True and reminder.settled_by == "respond"
    assert session.get(Report, report.id).current_due == date(2026, 11, 9)
    assert escalation.escalate(session, today=date(2026, 11, 9)) == []


def test_a_response_does_not_discharge_a_notice_for_a_missed_reply(session, people, at):
    report = assigned(session, people)
    at["now"] = datetime(2026, 11, 3, 9, 0)
    report_flow.respond(session, actor=people["unit"], report_id=report.id, note="已签收")
    escalation.escalate(session, today=date(2026, 11, 10))  # reply due 9 Nov missed
    (notice,) = notices(session, report.id)
    assert notice.demands == "reply" and notice.complied is None
    at["now"] = datetime(2026, 11, 11, 9, 0)
    report_flow.reply(session, actor=people["unit"], report_id=report.id, result="已办",
                      outcome="partly")
    notice = notices(session, report.id)[0]
    assert notice.complied is True and notice.settled_by == "reply"


def test_a_notice_never_shortens_a_running_window(session, people, at):
    report = assigned(session, people)
    report_flow.respond(session, actor=people["unit"], report_id=report.id, note="已签收")
    notice = escalation.issue_by_hand(session, actor=people["supervisor"], report_id=report.id,
                                      reason="企业来电催问")
    assert notice.deadline == date(2026, 11, 4)
    assert session.get(Report, report.id).current_due == date(2026, 11, 9)
    assert escalation.escalate(session, today=date(2026, 11, 6)) == []


def test_after_compliance_a_later_episode_starts_again_at_the_reminder(session, people, at):
    report = assigned(session, people)
    escalation.escalate(session, today=date(2026, 11, 4))
    escalation.escalate(session, today=date(2026, 11, 9))  # reminder missed: 催办单
    at["now"] = datetime(2026, 11, 10, 9, 0)
    report_flow.respond(session, actor=people["unit"], report_id=report.id, note="已签收")
    assert [n.kind for n in notices(session, report.id)] == ["reminder", "urging"]
    assert notices(session, report.id)[1].settled_by == "respond"
    # reply due 9 Nov has passed too: a new episode for the reply, at the reminder
    escalation.escalate(session, today=date(2026, 11, 11))
    assert [n.kind for n in notices(session, report.id)] == ["reminder", "urging", "reminder"]


def test_overdue_days_count_working_days_and_calendar_days(session, people, at):
    at["now"] = datetime(2026, 11, 5, 9, 0)  # Thursday: respond by Fri 6 Nov
    report = assigned(session, people)
    (issued,) = escalation.escalate(session, today=date(2026, 11, 10))  # Tuesday
    notice = notices(session, report.id)[0]
    assert issued.overdue_days == 2 and notice.overdue_days == 2  # Mon 9, Tue 10
    assert notice.overdue_calendar_days == 4


def test_escalate_on_a_non_working_day_issues_nothing_unless_forced(session, people, at):
    assigned(session, people)
    saturday = date(2026, 11, 7)
    assert escalation.escalate(session, today=saturday) == []
    assert [i.kind for i in escalation.escalate(session, today=saturday, force=True)] == [
        "reminder"]


def test_yellow_card_only_the_day_before_for_windows_longer_than_one_day():
    monday, tuesday = date(2026, 11, 2), date(2026, 11, 3)
    assert cards.card(tuesday, monday, window=1) is None  # just assigned, 1-day window
    assert cards.card(tuesday, tuesday, window=1) == "yellow"
    assert cards.card(tuesday, monday, window=5) == "yellow"
    assert cards.card(date(2026, 11, 2), tuesday, window=1) == "red"


def test_a_newly_assigned_report_is_not_yellow_at_once(session, people, at):
    report = assigned(session, people)
    counts = reports.card_counts(session, actor=people["unit"])
    assert counts == {"red": 0, "yellow": 0}
    rows, _ = reports.unit_queue(session, actor=people["unit"])
    assert rows[0]["id"] == report.id and rows[0]["card"] is None
    at["now"] = datetime(2026, 11, 3, 9, 0)
    assert reports.card_counts(session, actor=people["unit"])["yellow"] == 1


def test_reports_waiting_for_the_office_carry_a_deadline_and_cards(session, people, at):
    filed = reports.file_report(session, actor=None, data=valid_input())
    report = session.get(Report, filed.report_id)
    assert report.office_due == date(2026, 11, 3) and report.current_due == date(2026, 11, 3)
    at["now"] = datetime(2026, 11, 4, 9, 0)
    rows, _ = reports.office_queue(session, actor=people["supervisor"], card="red")
    assert [r["id"] for r in rows] == [report.id]
    assert escalation.escalate(session, today=date(2026, 11, 4)) == []  # the office's own


def test_a_return_is_a_request_the_office_approves_with_a_fresh_clock(session, people, at):
    report = assigned(session, people)
    with pytest.raises(ValidationError):
        report_flow.return_to_office(session, actor=people["unit"], report_id=report.id,
                                     reason=" ")
    at["now"] = datetime(2026, 11, 4, 8, 0)
    escalation.escalate(session, today=date(2026, 11, 4))
    report_flow.return_to_office(session, actor=people["unit"], report_id=report.id,
                                 reason="属区住建局职责")
    assert session.get(Report, report.id).unit_id == unit_id(session)  # still the unit's
    with pytest.raises(ValidationError):  # one open request at a time
        report_flow.return_to_office(session, actor=people["unit"], report_id=report.id,
                                     reason="再次申请")
    (request,), total = return_requests.pending(session, actor=people["supervisor"])
    assert total == 1 and request["office_due"] == date(2026, 11, 5)
    with pytest.raises(PermissionDenied):
        return_requests.approve(session, actor=people["unit"], request_id=request["id"])
    at["now"] = datetime(2026, 11, 4, 10, 0)
    return_requests.approve(session, actor=people["supervisor"], request_id=request["id"],
                            new_unit_id=unit_id(session, "区住建局"))
    report = session.get(Report, report.id)
    assert report.status == Status.ASSIGNED and report.unit_id == unit_id(session, "区住建局")
    assert (report.respond_due, report.reply_due) == (date(2026, 11, 5), date(2026, 11, 11))
    (reminder,) = notices(session, report.id)
    assert reminder.settled_by == "return_approved" and not reminder.withdrawn
    assert escalation.next_rung(session, report.id) == "reminder"


def test_a_refused_return_leaves_the_report_its_clocks_and_notices(session, people, at):
    report = assigned(session, people)
    at["now"] = datetime(2026, 11, 4, 8, 0)
    escalation.escalate(session, today=date(2026, 11, 4))
    report_flow.return_to_office(session, actor=people["unit"], report_id=report.id,
                                 reason="不属本单位")
    (request,), _ = return_requests.pending(session, actor=people["supervisor"])
    with pytest.raises(ValidationError):
        return_requests.refuse(session, actor=people["supervisor"], request_id=request["id"],
                               note="")
    return_requests.refuse(session, actor=people["supervisor"], request_id=request["id"],
                           note="属本单位职责，请依法办理")
    report = session.get(Report, report.id)
    assert report.status == Status.ASSIGNED and report.unit_id == unit_id(session)
    assert (report.respond_due, report.current_due) == (date(2026, 11, 3), date(2026, 11, 6))
    (reminder,) = notices(session, report.id)
    assert reminder.complied is None and reminder.settled_at is None
    mine = return_requests.for_report(session, actor=people["unit"], report_id=report.id)
    assert mine[0]["decision"] == "refused" and mine[0]["decision_note"] == "属本单位职责，请依法办理"
    assert session.exec(select(ReportEvent.action).where(
        ReportEvent.report_id == report.id, ReportEvent.action == "return_refused")).one()


def test_a_return_is_refused_after_a_response_outside_the_respond_window(session, people, at):
    report = assigned(session, people)
    at["now"] = datetime(2026, 11, 3, 9, 0)
    report_flow.respond(session, actor=people["unit"], report_id=report.id, note="已签收")
    report_flow.return_to_office(session, actor=people["unit"], report_id=report.id,
                                 reason="当天发现不属本单位")  # still within the window
    (request,), _ = return_requests.pending(session, actor=people["supervisor"])
    return_requests.refuse(session, actor=people["supervisor"], request_id=request["id"],
                           note="请办理")
    at["now"] = datetime(2026, 11, 4, 9, 0)
    with pytest.raises(ValidationError):
        report_flow.return_to_office(session, actor=people["unit"], report_id=report.id,
                                     reason="已响应后再退回")


def test_the_office_decides_a_return_by_report_too(session, people, at):
    report = assigned(session, people)
    report_flow.return_to_office(session, actor=people["unit"], report_id=report.id,
                                 reason="属区住建局职责")
    report_flow.approve_return(session, actor=people["supervisor"], report_id=report.id,
                               unit_id=unit_id(session, "区住建局"))
    assert session.get(Report, report.id).unit_id == unit_id(session, "区住建局")
    with pytest.raises(ValidationError):
        report_flow.refuse_return(session, actor=people["supervisor"], report_id=report.id,
                                  reason="没有待处理的申请")
