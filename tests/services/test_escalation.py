from datetime import date, datetime
from io import BytesIO

import pytest
from docx import Document
from sqlmodel import select

from portal import cards, clock, escalation, notice_doc, report_flow, reports
from portal.errors import NotFound, PermissionDenied, ValidationError
from portal.models import Notice, Report
from portal.report_types import Rating
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services.test_reports import valid_input

ASSIGNED_AT = datetime(2026, 11, 2, 9, 0)  # Monday: respond by 3 Nov, reply by 9 Nov


@pytest.fixture
def at(monkeypatch):
    moment = {"now": ASSIGNED_AT}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def people(session):
    return {"supervisor": make_user(session, Role.SUPERVISOR),
            "unit": make_user(session, Role.UNIT, unit="区发改局"),
            "other": make_user(session, Role.UNIT, unit="区住建局"),
            "discipline": make_user(session, Role.DISCIPLINE)}


def assigned(session, people):
    filed = reports.file_report(session, actor=None, data=valid_input())
    report_flow.assign(session, actor=people["supervisor"], report_id=filed.report_id,
                       unit_id=unit_id(session), category_number=None)
    return session.get(Report, filed.report_id)


def kinds(session, report_id):
    return [n.kind for n in session.exec(select(Notice).where(Notice.report_id == report_id)
                                         .order_by(Notice.id))]


def test_cards_are_yellow_today_or_next_working_day_and_red_after():
    friday = date(2026, 11, 20)
    assert cards.card(date(2026, 11, 19), friday) == "red"
    assert cards.card(friday, friday) == "yellow"
    assert cards.card(date(2026, 11, 23), friday) == "yellow"  # Monday is the next working day
    assert cards.card(date(2026, 11, 24), friday) is None
    assert cards.card(None, friday) is None


def test_the_current_deadline_follows_the_report(session, people, at):
    report = assigned(session, people)
    assert report.current_due == date(2026, 11, 3)  # respond first
    report_flow.respond(session, actor=people["unit"], report_id=report.id, note="已签收")
    assert session.get(Report, report.id).current_due == date(2026, 11, 9)
    report_flow.reply(session, actor=people["unit"], report_id=report.id, result="已办", outcome="resolved")
    assert session.get(Report, report.id).current_due is None


def test_the_ladder_climbs_one_rung_per_missed_deadline_and_stops_at_transfer(
        session, people, at):
    report = assigned(session, people)
    schedule = [(date(2026, 11, 3), []), (date(2026, 11, 4), ["reminder"]),
                (date(2026, 11, 6), ["reminder"]), (date(2026, 11, 9), ["reminder", "urging"]),
                (date(2026, 11, 12), ["reminder", "urging", "supervision"]),
                (date(2026, 11, 17), ["reminder", "urging", "supervision"]),
                (date(2026, 11, 18), ["reminder", "urging", "supervision", "transfer"]),
                (date(2026, 11, 30), ["reminder", "urging", "supervision", "transfer"])]
    for today, expected in schedule:
        escalation.escalate(session, today=today)
        escalation.escalate(session, today=today)  # a second run the same day issues nothing
        assert kinds(session, report.id) == expected, today
    first = session.exec(select(Notice).where(Notice.report_id == report.id)
                         .order_by(Notice.id)).first()  # the oldest: heap order is not kept
    assert first.number == "提醒〔2026〕1号" and first.deadline == date(2026, 11, 6)
    assert first.complied is False and first.overdue_days == 1


def test_a_notice_complied_with_in_time_stops_the_ladder(session, people, at):
    filed = reports.file_report(session, actor=None, data=valid_input())
    report_flow.assign(session, actor=people["supervisor"], report_id=filed.report_id,
                       unit_id=unit_id(session), category_number=None)
    report = session.get(Report, filed.report_id)
    escalation.escalate(session, today=date(2026, 11, 4))
    at["now"] = datetime(2026, 11, 5, 10, 0)
    report_flow.reply(session, actor=people["unit"], report_id=report.id, result="已办", outcome="resolved")
    notice = session.exec(select(Notice).where(Notice.report_id == report.id)).one()
    assert notice.complied is True
    assert escalation.escalate(session, today=date(2026, 11, 20)) == []
    # a bad rating reopens it; if that deadline is missed, the ladder starts again at 提醒单
    report_flow.rate_with_code(session, tracking_no=filed.tracking_no,
                               query_code=filed.query_code, rating=Rating.UNSATISFIED)
    escalation.escalate(session, today=date(2026, 11, 20))
    assert kinds(session, report.id) == ["reminder", "reminder"]


def test_a_run_reads_the_items_notices_once_not_once_per_item(session, people, at):
    """The morning batch (#17): one read of the notices of every overdue item, then the
    ladder of each item is climbed from memory."""
    from sqlalchemy import event

    overdue = [assigned(session, people) for _ in range(6)]
    escalation.escalate(session, today=date(2026, 11, 4))  # a reminder each
    reads: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        # the ladders: the notices of given items (not the new notices' ids read back)
        if statement.lstrip().upper().startswith("SELECT") and "FROM notices" in statement \
                and "notices.item_kind =" in statement:
            reads.append(statement)

    event.listen(session.get_bind(), "before_cursor_execute", note)
    try:
        issued = escalation.escalate(session, today=date(2026, 11, 9))  # reminders missed
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", note)
    assert sorted(i.tracking_no for i in issued) == sorted(r.tracking_no for r in overdue)
    assert {i.kind for i in issued} == {"urging"}
    assert len(reads) == 1


def statements_of_a_run(session, people, count: int) -> tuple[int, list]:
    """How many statements a morning run takes to issue a reminder and then an urging notice
    to `count` overdue reports."""
    from sqlalchemy import event

    for _ in range(count):
        assigned(session, people)
    escalation.escalate(session, today=date(2026, 11, 4))  # a reminder each
    sent: list[str] = []
    note = lambda *args: sent.append(args[2])  # noqa: E731
    event.listen(session.get_bind(), "before_cursor_execute", note)
    try:
        issued = escalation.escalate(session, today=date(2026, 11, 9))  # reminders missed
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", note)
    return len(sent), issued


@pytest.mark.parametrize("count", [3, 12])
def test_a_run_takes_as_many_statements_for_twelve_items_as_for_three(
        session, people, at, count):
    """Set-based (#17): the notices, their numbers, audit rows, messages and the reports' new
    deadlines are written in bulk, so the statements of a run do not grow with its items."""
    statements, issued = statements_of_a_run(session, people, count)
    assert len(issued) == count and {i.kind for i in issued} == {"urging"}
    assert statements <= 40, statements


def test_a_batched_run_gives_each_report_its_notice_deadline_and_messages(session, people, at):
    """What the batch writes is what issuing one by one wrote: consecutive numbers, the
    missed reminder settled, the report's current deadline moved to the notice's, an audit
    row per notice (the chain still verifies) and the unit's inbox letter."""
    from portal import audit
    from portal.notifications.tables import InboxMessage

    first, second = assigned(session, people), assigned(session, people)
    escalation.escalate(session, today=date(2026, 11, 4))
    issued = escalation.escalate(session, today=date(2026, 11, 9))
    assert sorted(i.number for i in issued) == ["催办〔2026〕1号", "催办〔2026〕2号"]
    for report in (first, second):
        reminder, urging = session.exec(select(Notice).where(Notice.report_id == report.id)
                                        .order_by(Notice.id)).all()
        assert (reminder.complied, reminder.settled_by) == (False, "missed")
        assert urging.deadline is not None and urging.complied is None
        # the unit has not responded: the notice's deadline runs past the respond deadline
        assert urging.deadline > report.respond_due
        assert session.get(Report, report.id).current_due == urging.deadline
    assert audit.verify(session).ok
    letters = session.exec(select(InboxMessage).where(
        InboxMessage.user_id == people["unit"].user_id,
        InboxMessage.event == "notice_issued")).all()
    assert sum("催办〔2026〕" in letter.body or "催办〔2026〕" in letter.subject
               for letter in letters) == 2


def test_dry_run_saves_nothing(session, people, at):
    report = assigned(session, people)
    planned = escalation.escalate(session, today=date(2026, 11, 4), dry_run=True)
    assert [(i.kind, i.tracking_no) for i in planned] == [("reminder", report.tracking_no)]
    assert kinds(session, report.id) == []


def test_supervisors_issue_and_withdraw_by_hand(session, people, at):
    report = assigned(session, people)
    with pytest.raises(ValidationError):
        escalation.issue_by_hand(session, actor=people["supervisor"], report_id=report.id,
                                 reason=" ")
    notice = escalation.issue_by_hand(session, actor=people["supervisor"], report_id=report.id,
                                      reason="企业再次来电催问")
    assert notice.kind == "reminder" and notice.deadline == date(2026, 11, 4)
    assert session.get(Report, report.id).current_due == date(2026, 11, 4)
    second = escalation.issue_by_hand(session, actor=people["supervisor"], report_id=report.id,
                                      reason="仍无进展")
    assert second.kind == "urging" and session.get(Notice, notice.id).complied is False
    escalation.withdraw(session, actor=people["supervisor"], notice_id=second.id,
                        reason="误发")
    assert session.get(Report, report.id).current_due == date(2026, 11, 3)
    for who in ("unit", "discipline"):
        with pytest.raises(PermissionDenied):
            escalation.issue_by_hand(session, actor=people[who], report_id=report.id,
                                     reason="越权")
        with pytest.raises(PermissionDenied):
            escalation.withdraw(session, actor=people[who], notice_id=notice.id, reason="越权")


def test_the_unit_sees_its_notices_and_the_discipline_office_its_transfer_letters(
        session, people, at):
    report = assigned(session, people)
    for today in (date(2026, 11, 4), date(2026, 11, 9), date(2026, 11, 12), date(2026, 11, 18)):
        escalation.escalate(session, today=today)
    mine = escalation.unit_notices(session, actor=people["unit"])
    assert [n["kind"] for n in mine] == ["transfer", "supervision", "urging", "reminder"]
    assert escalation.unit_notices(session, actor=people["other"]) == []
    inbox, total = escalation.transfer_inbox(session, actor=people["discipline"])
    assert total == 1 and inbox[0]["tracking_no"] == report.tracking_no
    with pytest.raises(PermissionDenied):
        escalation.transfer_inbox(session, actor=people["unit"])
    with pytest.raises(NotFound):
        escalation.notice_for_download(session, actor=people["other"], notice_id=mine[0]["id"])


def test_the_word_notice_carries_number_unit_and_deadline(session, people, at):
    report = assigned(session, people)
    escalation.escalate(session, today=date(2026, 11, 4))
    notice = escalation.unit_notices(session, actor=people["unit"])[0]
    document = Document(BytesIO(notice_doc.render(notice)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "营商环境问题提醒单" in text
    assert "提醒〔2026〕1号" in text and "区发改局：" in text
    assert "2026年11月6日" in text and report.tracking_no in text and "1 天" in text
