"""报送事项 (#14): the office asks units for a report by a date, units submit, the office accepts
or returns; who sees what; the counts; and late units on the one 三单一函 ladder."""

from datetime import date, datetime
from io import BytesIO

import pytest
from docx import Document
from sqlmodel import col, select

from portal import clock, escalation, notice_doc, stage_reports, stats, workdays
from portal.attachments import Upload
from portal.errors import FormInvalid, NotFound, PermissionDenied, ValidationError
from portal.models import Notice, StageReport, Unit
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services.test_reports import PNG

MONDAY = date(2026, 12, 7)
DUE = date(2026, 12, 11)  # a Friday


@pytest.fixture(autouse=True)
def monday(monkeypatch):
    _at(monkeypatch, MONDAY)


def _at(monkeypatch, day: date) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime.combine(day, datetime.min.time())
                        .replace(hour=9, minute=30))
    monkeypatch.setattr(clock, "today", lambda: day)


@pytest.fixture
def office(session):
    return make_user(session, Role.SUPERVISOR)


@pytest.fixture
def fgj(session):
    return make_user(session, Role.UNIT, unit="区发改局")


@pytest.fixture
def zjj(session):
    return make_user(session, Role.UNIT, unit="区住建局")


def ask(session, office, units=("区发改局", "区住建局", "区市场监管局"), **changes):
    data = stage_reports.RequestInput(
        title="第一阶段工作开展情况及典型案例", due_on=DUE,
        unit_ids=[unit_id(session, name) for name in units],
        content="请报送第一阶段工作开展情况及典型案例。", **changes)
    return stage_reports.create_request(session, actor=office, data=data)


def send(session, actor, request, text="第一阶段已完成自查自纠，梳理典型案例 2 件。", uploads=()):
    return stage_reports.submit(session, actor=actor, request_id=request.id,
                                data=stage_reports.SubmissionInput(text, list(uploads)))


def row_of(session, request, unit: str) -> StageReport:
    return session.exec(select(StageReport).where(
        StageReport.request_id == request.id,
        StageReport.unit_id == unit_id(session, unit))).one()


def _stage_notices(session, row) -> list[Notice]:
    return list(session.exec(select(Notice).where(Notice.item_kind == "stage_report",
                                                  Notice.item_id == row.id)
                             .order_by(Notice.id)).all())


# ---- requests, submissions, review --------------------------------------------------------

def test_a_request_gets_a_number_a_row_per_unit_and_its_files(session, office):
    request = ask(session, office, uploads=[Upload("模板.png", PNG)])
    assert request.number.startswith("报送〔2026〕") and request.number.endswith("号")
    rows, total = stage_reports.request_status(session, actor=office, request_id=request.id)
    assert total == 3 and {r["state"] for r in rows} == {"not_submitted"}
    assert all(r["due_on"] == DUE for r in rows)
    found = stage_reports.get_request(session, actor=office, request_id=request.id)
    assert [f["filename"] for f in found["files"]] == ["模板.png"]


def test_all_units_addresses_every_active_unit(session, office):
    request = ask(session, office, units=(), all_units=True)
    active = len(session.exec(select(Unit.id).where(col(Unit.active).is_(True))).all())
    assert stage_reports.request_status(session, actor=office, request_id=request.id)[1] == active


def test_a_request_needs_a_title_units_and_a_due_date_not_past(session, office):
    with pytest.raises(FormInvalid) as refused:
        stage_reports.create_request(session, actor=office, data=stage_reports.RequestInput(
            title=" ", due_on=date(2026, 12, 1), unit_ids=[]))
    assert set(refused.value.errors) == {"title", "due_on", "units"}


def test_a_unit_submits_and_the_office_accepts_or_returns(session, office, fgj, zjj,
                                                          monkeypatch):
    request = ask(session, office)
    mine = send(session, fgj, request, uploads=[Upload("典型案例.png", PNG)])
    assert (mine.status, mine.late) == ("submitted", False)
    with pytest.raises(ValidationError):  # once, until returned
        send(session, fgj, request)
    stage_reports.accept(session, actor=office, report_id=mine.id)
    assert row_of(session, request, "区发改局").status == "accepted"
    theirs = send(session, zjj, request)
    _at(monkeypatch, date(2026, 12, 14))
    stage_reports.return_report(session, actor=office, report_id=theirs.id,
                                reason="典型案例缺少处理结果，请补充。")
    returned = row_of(session, request, "区住建局")
    assert returned.status == "returned" and returned.review_note == "典型案例缺少处理结果，请补充。"
    assert returned.due_on == date(2026, 12, 17)  # due again: 3 working days after the return
    [mine_again] = stage_reports.my_requests(session, actor=zjj)
    assert mine_again["mine"]["state"] == "returned"
    again = send(session, zjj, request, text="补充了处理结果。")
    assert (again.status, again.late) == ("submitted", False)
    with pytest.raises(ValidationError):  # reviewed already
        stage_reports.accept(session, actor=office, report_id=mine.id)


def test_a_returned_submission_is_kept_when_the_unit_submits_again(session, office, zjj,
                                                                     monkeypatch):
    request = ask(session, office)
    first = send(session, zjj, request, text="第一阶段已完成。",
                 uploads=[Upload("第一稿.png", PNG)])
    stage_reports.return_report(session, actor=office, report_id=first.id,
                                reason="请补充典型案例的处理结果。")
    _at(monkeypatch, date(2026, 12, 8))
    send(session, zjj, request, text="补充了两件典型案例的处理结果。",
         uploads=[Upload("第二稿.png", PNG)])
    shown = stage_reports.submission(session, actor=office, report_id=first.id)
    assert shown["content"] == "补充了两件典型案例的处理结果。"
    assert [f["filename"] for f in shown["files"]] == ["第二稿.png"]
    [earlier] = shown["earlier"]
    assert (earlier["round"], earlier["content"], earlier["review_note"]) == (
        1, "第一阶段已完成。", "请补充典型案例的处理结果。")
    assert earlier["submitted_at"].date() == MONDAY
    assert [f["filename"] for f in earlier["files"]] == ["第一稿.png"]
    old_file = stage_reports.submission_file(session, actor=zjj,
                                             file_id=earlier["files"][0]["id"])
    assert old_file.data == PNG  # the unit and the office can still open it
    assert stage_reports.submission(session, actor=zjj, report_id=first.id)["earlier"]


def test_a_submission_after_the_due_date_is_late(session, office, fgj, monkeypatch):
    request = ask(session, office)
    _at(monkeypatch, date(2026, 12, 14))
    assert send(session, fgj, request).late is True
    rows, _ = stage_reports.request_status(session, actor=office, request_id=request.id)
    assert {r["unit"]: r["state"] for r in rows}["区发改局"] == "late"


def test_units_that_still_owe_the_report_carry_yellow_then_red_cards(session, office, fgj,
                                                                    monkeypatch):
    request = ask(session, office)
    cards = lambda: {r["unit"]: r["card"] for r in stage_reports.request_status(  # noqa: E731
        session, actor=office, request_id=request.id)[0]}
    assert set(cards().values()) == {None}  # Monday, due Friday
    _at(monkeypatch, date(2026, 12, 10))  # the working day before
    assert set(cards().values()) == {"yellow"}
    send(session, fgj, request)
    _at(monkeypatch, date(2026, 12, 14))
    assert cards() == {"区发改局": None, "区住建局": "red", "区市场监管局": "red"}
    mine = stage_reports.my_requests(session, actor=fgj)
    assert [r["mine"]["card"] for r in mine] == [None]


def test_a_unit_sees_only_its_requests_and_its_own_submission(session, office, fgj, zjj):
    request = ask(session, office, units=("区发改局", "区住建局"))
    other = ask(session, office, units=("区市场监管局",))
    mine = send(session, fgj, request, uploads=[Upload("材料.png", PNG)])
    assert [r["id"] for r in stage_reports.my_requests(session, actor=zjj)] == [request.id]
    with pytest.raises(NotFound):
        stage_reports.submission(session, actor=zjj, report_id=mine.id)
    file_id = stage_reports.submission(session, actor=fgj, report_id=mine.id)["files"][0]["id"]
    assert stage_reports.submission_file(session, actor=fgj, file_id=file_id).data == PNG
    with pytest.raises(NotFound):
        stage_reports.submission_file(session, actor=zjj, file_id=file_id)
    with pytest.raises(NotFound):
        stage_reports.get_request(session, actor=zjj, request_id=other.id)
    with pytest.raises(NotFound):
        send(session, zjj, other)
    with pytest.raises(PermissionDenied):
        stage_reports.request_status(session, actor=zjj, request_id=request.id)
    assert stage_reports.get_request(session, actor=zjj, request_id=request.id)["mine"][
        "status"] == "pending"


def test_the_list_counts_submitted_addressed_late_and_overdue(session, office, fgj, zjj,
                                                              monkeypatch):
    request = ask(session, office)
    send(session, fgj, request)
    _at(monkeypatch, date(2026, 12, 14))
    send(session, zjj, request)
    rows, total = stage_reports.list_requests(session, actor=office)
    found = next(r for r in rows if r["id"] == request.id)
    assert (found["addressed"], found["submitted"], found["late"], found["overdue"]) == (
        3, 2, 1, 1)
    assert stage_reports.state_counts(session, actor=office, request_id=request.id) == {
        "not_submitted": 1, "on_time": 1, "late": 1, "returned": 0, "accepted": 0}


# ---- the 三单一函 ladder ----------------------------------------------------------------------

def test_a_late_stage_report_draws_a_reminder_once_and_a_submission_discharges_it(
        session, office, fgj, zjj, monkeypatch):
    request = ask(session, office, units=("区发改局", "区住建局"))
    send(session, fgj, request)
    late_day = workdays.add_working_days(DUE, 1, session=session)
    issued = escalation.escalate(session, today=late_day)
    assert [(i.kind, i.tracking_no, i.unit, i.item_kind) for i in issued] == [
        ("reminder", request.number, "区住建局", "stage_report")]
    assert escalation.escalate(session, today=late_day) == []  # a second run: nothing
    row = row_of(session, request, "区住建局")
    [notice] = _stage_notices(session, row)
    assert (notice.demands, notice.report_id, notice.unit_id) == ("submit", None, row.unit_id)
    _at(monkeypatch, late_day)
    send(session, zjj, request)
    session.refresh(notice)
    assert (notice.complied, notice.settled_by) == (True, "submit")
    assert escalation.escalate(session, today=notice.deadline + (notice.deadline - late_day)
                               ) == []  # submitted: off the ladder


def test_a_missed_reminder_leads_to_the_urging_notice(session, office, monkeypatch):
    request = ask(session, office, units=("区住建局",))
    late_day = workdays.add_working_days(DUE, 1, session=session)
    escalation.escalate(session, today=late_day)
    row = row_of(session, request, "区住建局")
    deadline = _stage_notices(session, row)[0].deadline
    assert escalation.escalate(session, today=deadline) == []  # the reminder's window runs
    after = workdays.add_working_days(deadline, 1, session=session)
    assert [i.kind for i in escalation.escalate(session, today=after)] == ["urging"]
    assert [(n.kind, n.complied) for n in _stage_notices(session, row)] == [
        ("reminder", False), ("urging", None)]


def test_each_unit_has_its_own_ladder(session, office, fgj, monkeypatch):
    request = ask(session, office, units=("区发改局", "区住建局"))
    late_day = workdays.add_working_days(DUE, 1, session=session)
    assert len(escalation.escalate(session, today=late_day)) == 2
    _at(monkeypatch, late_day)
    send(session, fgj, request)  # settles the notice of 区发改局 only
    states = {n.unit_id: n.complied for n in session.exec(select(Notice).where(
        Notice.item_kind == "stage_report")).all()}
    assert states == {unit_id(session, "区发改局"): True, unit_id(session, "区住建局"): None}


def test_a_returned_report_past_its_new_due_date_is_supervised_again(session, office, zjj,
                                                                     monkeypatch):
    request = ask(session, office, units=("区住建局",))
    mine = send(session, zjj, request)
    stage_reports.return_report(session, actor=office, report_id=mine.id, reason="请补充案例。")
    assert row_of(session, request, "区住建局").due_on == DUE  # not before the request's date
    assert escalation.escalate(session, today=DUE) == []
    assert [i.kind for i in escalation.escalate(session, today=date(2026, 12, 14))] == [
        "reminder"]


def test_stage_notices_read_as_such_by_hand_in_the_inbox_word_file_and_figures(
        session, office, zjj):
    request = ask(session, office, units=("区住建局",))
    row = row_of(session, request, "区住建局")
    rungs = escalation.stage_next_rungs(session, actor=office, request_id=request.id)
    assert rungs == [{"stage_report_id": row.id, "unit_id": row.unit_id, "unit": "区住建局",
                      "kind": "reminder"}]
    notice = escalation.issue_by_hand(session, actor=office, stage_report_id=row.id,
                                      reason="请抓紧报送。")
    assert (notice.kind, notice.item_kind, notice.item_id) == ("reminder", "stage_report", row.id)
    [mine] = escalation.unit_notices(session, actor=zjj)
    assert (mine["tracking_no"], mine["report_title"]) == (request.number,
                                                           "第一阶段工作开展情况及典型案例")
    assert [n["id"] for n in escalation.notices_for_stage(
        session, actor=zjj, request_id=request.id)] == [notice.id]
    text = "\n".join(p.text for p in Document(BytesIO(notice_doc.render(mine))).paragraphs)
    assert f"你单位未按时报送“第一阶段工作开展情况及典型案例”（{request.number}）" in text
    counts = stats.notices_by_item(session, actor=office, start=MONDAY, end=MONDAY)
    assert counts["stage_report"]["reminder"] == 1
    send(session, zjj, request)
    with pytest.raises(ValidationError):  # submitted: nothing to supervise
        escalation.issue_by_hand(session, actor=office, stage_report_id=row.id, reason="催办")
    assert escalation.stage_next_rungs(session, actor=office, request_id=request.id) == []
