"""#11: replies record their outcome; every rating is its own record; 回访 and closing unrated."""

from datetime import date, datetime

import pytest
from sqlmodel import select

from portal import clock, followup, report_flow, reports
from portal.errors import PermissionDenied, ValidationError
from portal.models import Report, ReportRating
from portal.report_types import Rating, Status
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services.test_reports import valid_input


@pytest.fixture
def at(monkeypatch):
    moment = {"now": datetime(2026, 11, 2, 9, 0)}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def people(session):
    return {"supervisor": make_user(session, Role.SUPERVISOR),
            "unit": make_user(session, Role.UNIT, unit="区发改局"),
            "other": make_user(session, Role.UNIT, unit="区住建局")}


def replied(session, people, outcome="resolved"):
    filed = reports.file_report(session, actor=None, data=valid_input())
    report_flow.assign(session, actor=people["supervisor"], report_id=filed.report_id,
                       unit_id=unit_id(session), category_number=None)
    report_flow.reply(session, actor=people["unit"], report_id=filed.report_id,
                      result="已为企业办理", outcome=outcome)
    return filed


def test_a_reply_records_its_outcome(session, people, at):
    filed = reports.file_report(session, actor=None, data=valid_input())
    report_flow.assign(session, actor=people["supervisor"], report_id=filed.report_id,
                       unit_id=unit_id(session), category_number=None)
    with pytest.raises(ValidationError) as error:
        report_flow.reply(session, actor=people["unit"], report_id=filed.report_id,
                          result="已办", outcome=None)
    assert error.value.key == "error.reply_outcome_required"
    report_flow.reply(session, actor=people["unit"], report_id=filed.report_id, result="已解释",
                      outcome="unresolved")
    assert session.get(Report, filed.report_id).reply_outcome == "unresolved"


def test_every_rating_is_kept_so_a_reopened_report_keeps_its_first_unsatisfied(
        session, people, at):
    filed = replied(session, people)
    report_flow.rate_with_code(session, tracking_no=filed.tracking_no,
                               query_code=filed.query_code, rating=Rating.UNSATISFIED,
                               comment="只回复了电话，证照仍未办")
    report_flow.reply(session, actor=people["unit"], report_id=filed.report_id,
                      result="证照已送达", outcome="resolved")
    report_flow.rate_with_code(session, tracking_no=filed.tracking_no,
                               query_code=filed.query_code, rating=Rating.SATISFIED)
    rows = session.exec(select(ReportRating).where(ReportRating.report_id == filed.report_id)
                        .order_by(ReportRating.id)).all()
    assert [(r.round, r.rating, r.channel) for r in rows] == [
        (0, "unsatisfied", "web"), (1, "satisfied", "web")]
    assert rows[0].comment == "只回复了电话，证照仍未办" and rows[0].unit_id == unit_id(session)


def test_the_unit_sees_its_ratings_and_the_complaint_behind_a_reopened_report(
        session, people, at):
    filed = replied(session, people)
    report_flow.rate_with_code(session, tracking_no=filed.tracking_no,
                               query_code=filed.query_code, rating=Rating.UNSATISFIED,
                               comment="问题没有解决")
    mine = followup.for_report(session, actor=people["unit"], report_id=filed.report_id)
    assert followup.reopen_complaints(mine) == ["问题没有解决"]
    rows, total = followup.unit_ratings(session, actor=people["unit"])
    assert total == 1 and rows[0]["comment"] == "问题没有解决"
    assert followup.unit_ratings(session, actor=people["other"])[1] == 0


def test_unrated_replies_enter_the_followup_queue_after_three_working_days(session, people, at):
    at["now"] = datetime(2026, 11, 6, 15, 0)  # Friday
    filed = replied(session, people)
    for today, expected in ((date(2026, 11, 10), 0), (date(2026, 11, 11), 1)):
        rows, total = followup.queue(session, actor=people["supervisor"], today=today)
        assert total == expected, today
    with pytest.raises(PermissionDenied):
        followup.queue(session, actor=people["unit"])
    at["now"] = datetime(2026, 11, 11, 10, 0)
    followup.record(session, actor=people["supervisor"], report_id=filed.report_id,
                    result="unreachable", comment="两次无人接听")
    rows, _ = followup.queue(session, actor=people["supervisor"], today=date(2026, 11, 11))
    assert rows[0]["attempts"] == 1
    followup.record(session, actor=people["supervisor"], report_id=filed.report_id,
                    result="basically", comment="电话回访，基本满意")
    report = session.get(Report, filed.report_id)
    assert report.status == Status.CLOSED and report.rating == "basically"
    channels = session.exec(select(ReportRating.channel, ReportRating.rating).where(
        ReportRating.report_id == filed.report_id).order_by(ReportRating.id)).all()
    assert channels == [("followup", "unreachable"), ("followup", "basically")]


def test_a_reply_unrated_after_ten_working_days_closes_as_closed_unrated(session, people, at):
    at["now"] = datetime(2026, 11, 2, 15, 0)
    filed = replied(session, people)
    assert followup.close_unrated(session, today=date(2026, 11, 13)) == 0
    assert followup.close_unrated(session, today=date(2026, 11, 16)) == 1
    report = session.get(Report, filed.report_id)
    assert report.status == Status.CLOSED_UNRATED and report.rating is None
    assert session.exec(select(ReportRating).where(
        ReportRating.report_id == filed.report_id)).all() == []
    with pytest.raises(ValidationError):
        report_flow.rate_with_code(session, tracking_no=filed.tracking_no,
                                   query_code=filed.query_code, rating=Rating.SATISFIED)


def test_closed_unrated_replies_count_as_closed_on_the_board(session, people, at):
    from portal import board

    at["now"] = datetime(2026, 11, 2, 15, 0)
    replied(session, people)
    followup.close_unrated(session, today=date(2026, 11, 16))
    figures = {f["unit"]: f for f in board.unit_figures(session)}["区发改局"]
    assert figures["closed"] == 1 and figures["satisfaction"] is None
