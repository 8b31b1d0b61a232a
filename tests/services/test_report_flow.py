from datetime import datetime

import pytest

from portal import clock, report_flow, reports, return_requests
from portal.attachments import Upload
from portal.errors import NotFound, PermissionDenied, ValidationError
from portal.report_types import Rating, Status
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services.test_reports import PNG, valid_input

MONDAY_MORNING = datetime(2026, 11, 23, 9, 30)


@pytest.fixture(autouse=True)
def monday_morning(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: MONDAY_MORNING)


@pytest.fixture
def people(session):
    return {
        "supervisor": make_user(session, Role.SUPERVISOR),
        "discipline": make_user(session, Role.DISCIPLINE),
        "fgj": make_user(session, Role.UNIT, unit="区发改局"),
        "zjj": make_user(session, Role.UNIT, unit="区住建局"),
        "company": make_user(session, Role.COMPANY),
        "admin": make_user(session, Role.ADMIN),
    }


def file(session, **changes):
    return reports.file_report(session, actor=None, data=valid_input(**changes))


def assigned(session, people, unit="区发改局", **changes):
    filed = file(session, **changes)
    report_flow.assign(session, actor=people["supervisor"], report_id=filed.report_id,
                       unit_id=unit_id(session, unit), category_number=16)
    return filed


def test_the_transition_table_is_explicit():
    assert report_flow.allowed_actions(Status.SUBMITTED, None) == []
    assert set(report_flow.TRANSITIONS) == {"assign", "reject", "note", "respond", "return",
                                            "reply", "rate"}
    assert report_flow.TRANSITIONS["reply"].sources == {Status.ASSIGNED, Status.ACKNOWLEDGED,
                                                        Status.REOPENED}


def test_assignment_starts_the_clocks_on_working_days(session, people):
    filed = assigned(session, people)
    report = session.get(reports.Report, filed.report_id)
    assert report.status == Status.ASSIGNED
    assert report.respond_due.isoformat() == "2026-11-24"  # 1 working day
    assert report.reply_due.isoformat() == "2026-11-30"  # 5 working days, over the weekend
    assert not report.deadline_estimated


def test_the_whole_road_with_a_bad_rating_and_a_second_reply(session, people):
    filed = assigned(session, people)
    fgj = people["fgj"]
    report_flow.respond(session, actor=fgj, report_id=filed.report_id, note="已签收，已电话联系")
    report_flow.reply(session, actor=fgj, report_id=filed.report_id, result="已办结许可证", outcome="resolved")
    reopened = report_flow.rate_with_code(session, tracking_no=filed.tracking_no,
                                          query_code=filed.query_code,
                                          rating=Rating.UNSATISFIED, comment="仍未拿到证")
    assert reopened.status == Status.REOPENED and reopened.reopen_count == 1
    assert reopened.reply_due.isoformat() == "2026-11-30"
    report_flow.reply(session, actor=fgj, report_id=filed.report_id, result="证照已送达", outcome="resolved")
    closed = report_flow.rate_with_code(session, tracking_no=filed.tracking_no,
                                        query_code=filed.query_code, rating=Rating.SATISFIED)
    assert closed.status == Status.CLOSED
    view = reports.public_view(session, tracking_no=filed.tracking_no,
                               query_code=filed.query_code)
    assert [e.action for e in view.events] == [
        "file", "assign", "respond", "reply", "rate_unsatisfied", "reply", "rate_satisfied"]
    assert view.events[3].note == "已办结许可证" and view.events[4].note == "仍未拿到证"


def test_rating_needs_the_query_code_and_a_reply(session, people):
    filed = assigned(session, people)
    with pytest.raises(ValidationError):
        report_flow.rate_with_code(session, tracking_no=filed.tracking_no,
                                   query_code=filed.query_code, rating=Rating.SATISFIED)
    report_flow.reply(session, actor=people["fgj"], report_id=filed.report_id, result="已办", outcome="resolved")
    with pytest.raises(PermissionDenied):
        report_flow.rate_with_code(session, tracking_no=filed.tracking_no,
                                   query_code="WRONG123", rating=Rating.SATISFIED)
    with pytest.raises(ValidationError):
        report_flow.rate_with_code(session, tracking_no=filed.tracking_no,
                                   query_code=filed.query_code, rating="great")


def test_a_company_rates_its_own_report_from_its_account(session, people):
    filed = reports.file_report(session, actor=people["company"], data=valid_input())
    report_flow.assign(session, actor=people["supervisor"], report_id=filed.report_id,
                       unit_id=unit_id(session), category_number=None)
    report_flow.reply(session, actor=people["fgj"], report_id=filed.report_id, result="已办", outcome="resolved")
    with pytest.raises(PermissionDenied):
        report_flow.rate_as_owner(session, actor=make_user(session, Role.COMPANY),
                                  report_id=filed.report_id, rating=Rating.SATISFIED)
    rated = report_flow.rate_as_owner(session, actor=people["company"], report_id=filed.report_id,
                                      rating=Rating.BASICALLY)
    assert rated.status == Status.CLOSED


def test_reject_shows_the_reason_to_the_filer(session, people):
    filed = file(session)
    with pytest.raises(ValidationError):
        report_flow.reject(session, actor=people["supervisor"], report_id=filed.report_id,
                           reason=" ")
    report_flow.reject(session, actor=people["supervisor"], report_id=filed.report_id,
                       reason="与 YS2026-000001 重复")
    view = reports.public_view(session, tracking_no=filed.tracking_no,
                               query_code=filed.query_code)
    assert view.status == Status.REJECTED and view.events[-1].note == "与 YS2026-000001 重复"


def test_a_unit_returns_a_wrongly_assigned_report_to_the_office(session, people):
    filed = assigned(session, people)
    report_flow.return_to_office(session, actor=people["fgj"], report_id=filed.report_id,
                                 reason="属区住建局职责")
    # #11: the return is a request; the report leaves the unit once the office approves it
    assert session.get(reports.Report, filed.report_id).status == Status.ASSIGNED
    (request,), _ = return_requests.pending(session, actor=people["supervisor"])
    return_requests.approve(session, actor=people["supervisor"], request_id=request["id"])
    report = session.get(reports.Report, filed.report_id)
    assert report.status == Status.RETURNED and report.unit_id is None
    with pytest.raises(NotFound):
        reports.staff_view(session, actor=people["fgj"], report_id=filed.report_id)
    rows, _ = reports.office_queue(session, actor=people["supervisor"])
    assert rows[0]["id"] == filed.report_id  # waiting for triage again: first in the queue
    report_flow.assign(session, actor=people["supervisor"], report_id=filed.report_id,
                       unit_id=unit_id(session, "区住建局"), category_number=None)
    view = reports.public_view(session, tracking_no=filed.tracking_no,
                               query_code=filed.query_code)
    assert view.events[2].note == ""  # the unit's reason is internal
    assert view.unit == "区住建局"


def test_internal_notes_reach_neither_the_filer_nor_the_unit(session, people):
    filed = assigned(session, people)
    report_flow.add_note(session, actor=people["supervisor"], report_id=filed.report_id,
                         note="反映人情绪激动，注意沟通")
    public = reports.public_view(session, tracking_no=filed.tracking_no,
                                 query_code=filed.query_code)
    unit = reports.staff_view(session, actor=people["fgj"], report_id=filed.report_id)
    office = reports.staff_view(session, actor=people["discipline"], report_id=filed.report_id)
    assert "note" not in [e.action for e in public.events + unit.events]
    assert "反映人情绪激动，注意沟通" in [e.note for e in office.events]


ROLE_ACTIONS = {
    "assign": "supervisor", "reject": "supervisor", "add_note": "supervisor",
    "respond": "fgj", "reply": "fgj", "return_to_office": "fgj",
}


@pytest.mark.parametrize("action", list(ROLE_ACTIONS))
@pytest.mark.parametrize("who", ["supervisor", "discipline", "fgj", "zjj", "company", "admin"])
def test_each_action_is_allowed_only_to_its_role(session, people, action, who):
    filed = file(session) if action in ("assign", "reject", "add_note") else assigned(session,
                                                                                     people)
    kwargs = {"assign": {"unit_id": unit_id(session), "category_number": None},
              "reject": {"reason": "不属于受理范围"}, "add_note": {"note": "备注"},
              "respond": {"note": "已签收"}, "reply": {"result": "已办结", "outcome": "resolved"},
              "return_to_office": {"reason": "非本单位职责"}}[action]
    call = getattr(report_flow, action)
    if who == ROLE_ACTIONS[action]:
        call(session, actor=people[who], report_id=filed.report_id, **kwargs)
    else:
        with pytest.raises(PermissionDenied):
            call(session, actor=people[who], report_id=filed.report_id, **kwargs)


def attempt(session, action, actor, report_id):
    """Call the service behind `action` with harmless arguments."""
    calls = {
        "assign": lambda: report_flow.assign(session, actor=actor, report_id=report_id,
                                             unit_id=unit_id(session), category_number=None),
        "reject": lambda: report_flow.reject(session, actor=actor, report_id=report_id,
                                             reason="x"),
        "respond": lambda: report_flow.respond(session, actor=actor, report_id=report_id,
                                               note="x"),
        "return": lambda: report_flow.return_to_office(session, actor=actor,
                                                       report_id=report_id, reason="x"),
        "reply": lambda: report_flow.reply(session, actor=actor, report_id=report_id,
                                           result="x", outcome="resolved"),
    }
    return calls[action]()


@pytest.mark.parametrize("steps", [[], ["respond"], ["reply"], ["reject"]])
def test_forbidden_transitions_from_each_status_are_refused(session, people, steps):
    filed = file(session) if steps == ["reject"] else assigned(session, people)
    for step in steps:
        actor = people["supervisor"] if step == "reject" else people["fgj"]
        attempt(session, step, actor, filed.report_id)
    status = session.get(reports.Report, filed.report_id).status
    refused = [a for a, rule in report_flow.TRANSITIONS.items()
               if status not in rule.sources and a not in ("note", "rate")]
    assert refused
    for action in refused:
        rule = report_flow.TRANSITIONS[action]
        actor = people["supervisor"] if rule.who == "supervisor" else people["fgj"]
        with pytest.raises((ValidationError, PermissionDenied)):
            attempt(session, action, actor, filed.report_id)
    assert session.get(reports.Report, filed.report_id).status == status


def test_a_unit_never_reads_another_units_report(session, people):
    filed = assigned(session, people, uploads=[Upload("证据.png", PNG)])
    zjj = people["zjj"]
    with pytest.raises(NotFound):
        reports.staff_view(session, actor=zjj, report_id=filed.report_id)
    view = reports.staff_view(session, actor=people["fgj"], report_id=filed.report_id)
    with pytest.raises(NotFound):
        reports.attachment(session, actor=zjj, attachment_id=view.attachments[0]["id"])
    assert reports.unit_queue(session, actor=zjj) == ([], 0)
    assert reports.status_counts(session, actor=zjj) == {}
    with pytest.raises(PermissionDenied):
        reports.office_queue(session, actor=zjj)
    with pytest.raises(PermissionDenied):
        report_flow.reply(session, actor=zjj, report_id=filed.report_id, result="越权", outcome="resolved")


def test_a_unit_never_sees_a_confidential_filer(session, people):
    filed = assigned(session, people, confidential=True)
    view = reports.staff_view(session, actor=people["fgj"], report_id=filed.report_id)
    assert view.identity_hidden
    assert view.contact_name is None and view.contact_mobile is None
    assert view.company_name is None and view.credit_code is None
    office = reports.staff_view(session, actor=people["supervisor"], report_id=filed.report_id)
    assert office.contact_name == "赵强" and office.contact_mobile == "13912345678"
    open_filed = assigned(session, people, confidential=False)
    assert reports.staff_view(session, actor=people["fgj"],
                              report_id=open_filed.report_id).contact_name == "赵强"


def test_the_unit_queue_lists_own_reports_nearest_deadline_first(session, people):
    first = assigned(session, people)
    assigned(session, people, unit="区住建局")
    rows, total = reports.unit_queue(session, actor=people["fgj"])
    assert total == 1 and rows[0]["id"] == first.report_id
    assert reports.status_counts(session, actor=people["fgj"]) == {"assigned": 1}


def test_report_steps_appear_in_the_admin_audit_log(session, people):
    from portal import audit

    filed = assigned(session, people)
    rows, total = audit.list_report_events(session, actor=people["admin"], page_size=5)
    assert total >= 2
    assert [(r["tracking_no"], r["action"], r["to"]) for r in rows[:2]] == [
        (filed.tracking_no, "assign", "assigned"), (filed.tracking_no, "file", "submitted")]
    with pytest.raises(PermissionDenied):
        audit.list_report_events(session, actor=people["supervisor"])


def test_the_office_queue_pages_across_waiting_and_handled_reports(session, people):
    handled = [assigned(session, people).report_id for _ in range(3)]
    waiting = [file(session).report_id for _ in range(3)]
    pages = [reports.office_queue(session, actor=people["supervisor"], page=p, page_size=2)
             for p in (1, 2, 3)]
    ids = [r["id"] for rows, _ in pages for r in rows]
    assert pages[0][1] == 6
    assert ids == waiting[::-1] + handled[::-1]  # waiting first, each part newest first
