"""#11: the calendar is authoritative, also for next year: bulk entry with preview, official
years, stored deadlines that follow a calendar change."""

from datetime import date, datetime

import pytest
from sqlmodel import select

from portal import calendar_schedule, clock, escalation, report_flow, reports, workdays
from portal.errors import PermissionDenied, ValidationError
from portal.models import Notice, Report, ReportEvent
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services.test_reports import valid_input

SCHEDULE_2027 = """2027-01-01~2027-01-03 休 元旦
2027-02-06~2027-02-12 休 春节
2027-02-07 班 春节调休
2027-02-20 班
"""


@pytest.fixture
def at(monkeypatch):
    moment = {"now": datetime(2026, 11, 2, 9, 0)}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def admin(session):
    return make_user(session, Role.ADMIN)


def assigned(session, when_unit="区发改局"):
    supervisor = make_user(session, Role.SUPERVISOR)
    filed = reports.file_report(session, actor=None, data=valid_input())
    report_flow.assign(session, actor=supervisor, report_id=filed.report_id,
                       unit_id=unit_id(session, when_unit), category_number=None)
    return session.get(Report, filed.report_id)


def test_lines_of_the_state_council_notice_are_parsed_into_days():
    entries = calendar_schedule.parse(SCHEDULE_2027)
    by_day = {e.day: e for e in entries}
    assert [d for d in by_day if d.month == 1] == [date(2027, 1, d) for d in (1, 2, 3)]
    assert by_day[date(2027, 2, 7)].is_working_day  # the later line wins inside a range
    assert not by_day[date(2027, 2, 8)].is_working_day and by_day[date(2027, 2, 8)].note == "春节"
    assert by_day[date(2027, 2, 20)].is_working_day


def test_a_csv_upload_reads_the_same_way():
    csv_text = "开始日期,结束日期,类型,备注\n2027-05-01,2027-05-05,休,劳动节\n2027-04-25,,班,调休\n"
    entries = calendar_schedule.parse(csv_text)
    assert len(entries) == 6 and entries[0].day == date(2027, 4, 25) and entries[0].is_working_day


@pytest.mark.parametrize("bad", ["2027-13-01 休", "2027-01-01 放假", "2027-01-05~2027-01-01 休",
                                 "", "2027-01-01~2027-03-01 休"])
def test_bad_lines_are_refused_with_the_line_number(bad):
    with pytest.raises(ValidationError) as error:
        calendar_schedule.parse(bad)
    assert error.value.key in ("error.calendar_line", "error.calendar_empty")


def test_preview_shows_before_and_after_and_saves_nothing(session, admin):
    rows = calendar_schedule.preview(session, actor=admin, year=2027, text=SCHEDULE_2027)
    first = rows[0]
    assert (first.day, first.before, first.after) == (date(2027, 1, 1), True, False)
    assert not workdays.list_overrides(session, actor=admin, year=2027)
    with pytest.raises(ValidationError):
        calendar_schedule.preview(session, actor=admin, year=2028, text=SCHEDULE_2027)
    with pytest.raises(PermissionDenied):
        calendar_schedule.preview(session, actor=make_user(session, Role.SUPERVISOR), year=2027,
                                  text=SCHEDULE_2027)


def test_saving_a_schedule_does_not_make_the_year_official_until_marked(session, admin):
    saved, _ = calendar_schedule.save(session, actor=admin, year=2027, text=SCHEDULE_2027)
    assert saved == 11  # 1–3 Jan, 6–12 Feb (7 Feb a working day), 20 Feb
    assert not workdays.is_working_day(date(2027, 2, 8), session=session)
    assert workdays.is_working_day(date(2027, 2, 7), session=session)
    assert not workdays.is_official(2027, session=session)
    calendar_schedule.set_official(session, actor=admin, year=2027, official=True)
    assert workdays.is_official(2027, session=session)


def test_the_issue_example_a_new_holiday_moves_the_reply_deadline(session, admin, at):
    report = assigned(session)
    assert report.reply_due == date(2026, 11, 9)
    calendar_schedule.save(session, actor=admin, year=2026, text="2026-11-05 休 临时调整")
    report = session.get(Report, report.id)
    assert report.reply_due == date(2026, 11, 10)
    assert report.respond_due == date(2026, 11, 3)  # its window does not contain 5 Nov
    notes = session.exec(select(ReportEvent.note).where(
        ReportEvent.report_id == report.id, ReportEvent.action == "calendar")).all()
    assert notes == ["节假日安排调整，期限由2026年11月9日调整为2026年11月10日（答复期限）"]


def test_a_single_date_change_moves_deadlines_too_and_back_again(session, admin, at):
    report = assigned(session)
    report_flow.respond(session, actor=make_user(session, Role.UNIT), report_id=report.id,
                        note="已签收")
    workdays.set_override(session, actor=admin, day=date(2026, 11, 5), is_working_day=False,
                          note="")
    assert session.get(Report, report.id).current_due == date(2026, 11, 10)
    workdays.delete_override(session, actor=admin, day=date(2026, 11, 5))
    assert session.get(Report, report.id).current_due == date(2026, 11, 9)


def test_a_calendar_change_moves_a_pending_notice_and_the_current_deadline(session, admin, at):
    report = assigned(session)
    at["now"] = datetime(2026, 11, 4, 8, 0)
    escalation.escalate(session, today=date(2026, 11, 4))  # reminder, deadline 6 Nov
    calendar_schedule.save(session, actor=admin, year=2026, text="2026-11-05 休")
    notice = session.exec(select(Notice).where(Notice.report_id == report.id)).one()
    assert notice.deadline == date(2026, 11, 9)
    assert session.get(Report, report.id).current_due == date(2026, 11, 9)


def test_deadlines_on_the_fallback_are_estimates_until_the_year_is_official(session, admin, at):
    at["now"] = datetime(2026, 12, 28, 9, 0)
    report = assigned(session)
    assert report.reply_due == date(2027, 1, 4) and report.deadline_estimated
    calendar_schedule.save(session, actor=admin, year=2027, text="2027-01-01 休 元旦")
    assert session.get(Report, report.id).deadline_estimated
    calendar_schedule.set_official(session, actor=admin, year=2027, official=True)
    assert not session.get(Report, report.id).deadline_estimated


def test_escalate_skips_a_holiday_the_admin_entered(session, admin, at):
    assigned(session)
    calendar_schedule.save(session, actor=admin, year=2026, text="2026-11-10 休")
    assert escalation.escalate(session, today=date(2026, 11, 10)) == []
