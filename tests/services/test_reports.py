from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from portal import clock, reports
from portal.attachments import MAX_BYTES, Upload
from portal.errors import FormInvalid, NotFound, PermissionDenied
from portal.identifiers import credit_code_check_char, is_valid_credit_code
from portal.models import Attachment, Report, ReportEvent
from portal.report_types import Channel, Status
from portal.reports import ReportInput, TrackingFailed
from portal.roles import Role
from tests.factories import make_user, unit_id

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64
VALID_CODE = "91350100M000100Y43"


def valid_input(**changes) -> ReportInput:
    values = {"kind": "undone", "title": "开办餐饮许可证多次跑腿",
              "description": "申请食品经营许可证，窗口要求补交材料三次仍未办结。",
              "contact_name": "赵强", "contact_mobile": "13912345678",
              "company_name": "通辽市恒达科技有限公司", "credit_code": VALID_CODE}
    return ReportInput(**(values | changes))


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_credit_codes_are_checked_by_their_check_character():
    assert is_valid_credit_code(VALID_CODE)
    assert is_valid_credit_code("91110000600037341L")
    assert not is_valid_credit_code("91350100M000100Y44")
    assert not is_valid_credit_code("91350100M000100Y4")
    assert not is_valid_credit_code("91350100M000100I43")  # I is not in the alphabet
    assert credit_code_check_char("91350100M000100Y4") == "3"


def test_a_valid_report_gets_a_tracking_number_and_a_query_code_stored_only_as_hash(session):
    filed = reports.file_report(session, actor=None, data=valid_input(
        uploads=[Upload("现场.png", PNG), Upload("通知书.pdf", PDF)]))
    assert filed.tracking_no == f"YS{clock.today().year}-{filed.tracking_no[-6:]}"
    assert len(filed.query_code) == 8
    report = session.get(Report, filed.report_id)
    assert report.status == Status.SUBMITTED and report.channel == Channel.WEB
    assert filed.query_code not in report.query_code_hash
    assert reports.query_code_matches(filed.query_code.lower(), report.query_code_hash)
    types = session.exec(select(Attachment.content_type).where(
        Attachment.report_id == report.id).order_by(Attachment.id)).all()
    assert types == ["image/png", "application/pdf"]
    events = session.exec(select(ReportEvent.action).where(
        ReportEvent.report_id == report.id)).all()
    assert events == ["file"]


def test_tracking_numbers_count_up(session):
    first = reports.file_report(session, actor=None, data=valid_input())
    second = reports.file_report(session, actor=None, data=valid_input())
    assert int(second.tracking_no[-6:]) == int(first.tracking_no[-6:]) + 1


def test_every_bad_field_is_reported_and_nothing_is_saved(session):
    before = count(session, Report)
    with pytest.raises(FormInvalid) as invalid:
        reports.file_report(session, actor=None, data=valid_input(
            kind="", title="短", description="太短", contact_mobile="12345",
            credit_code="91350100M000100Y44", occurred_on=clock.today() + timedelta(days=1),
            uploads=[Upload("伪装.jpg", b"just text")]))
    assert {f: e.key for f, e in invalid.value.errors.items()} == {
        "kind": "error.kind_required", "title": "error.title_length",
        "description": "error.description_length", "contact_mobile": "error.mobile_invalid",
        "credit_code": "error.credit_code_invalid", "occurred_on": "error.date_in_future",
        "attachments": "error.file_type"}
    assert count(session, Report) == before
    assert count(session, Attachment) == 0


def test_attachments_are_limited_in_number_and_size(session):
    with pytest.raises(FormInvalid) as too_many:
        reports.file_report(session, actor=None,
                            data=valid_input(uploads=[Upload(f"{i}.png", PNG) for i in range(6)]))
    assert too_many.value.errors["attachments"].key == "error.too_many_files"
    big = PDF + b"0" * MAX_BYTES
    with pytest.raises(FormInvalid) as too_big:
        reports.file_report(session, actor=None, data=valid_input(uploads=[Upload("大.pdf", big)]))
    assert too_big.value.errors["attachments"].key == "error.file_too_large"


def test_content_not_name_decides_the_type(session):
    filed = reports.file_report(session, actor=None,
                                data=valid_input(uploads=[Upload("scan.pdf", PNG)]))
    stored = session.exec(select(Attachment).where(Attachment.report_id == filed.report_id)).one()
    assert stored.content_type == "image/png"


def test_anonymous_reports_keep_no_contact_even_if_typed(session):
    filed = reports.file_report(session, actor=None, data=valid_input(anonymous=True,
                                                                       contact_mobile="bad"))
    report = session.get(Report, filed.report_id)
    assert report.contact_name is None and report.contact_mobile is None
    assert report.confidential


def test_a_contact_is_required_unless_anonymous(session):
    with pytest.raises(FormInvalid) as invalid:
        reports.file_report(session, actor=None, data=valid_input(contact_name="",
                                                                   contact_mobile=""))
    assert set(invalid.value.errors) == {"contact_name", "contact_mobile"}


def test_a_company_account_finds_its_reports_in_one_list(session):
    company = make_user(session, Role.COMPANY)
    other = make_user(session, Role.COMPANY)
    mine = reports.file_report(session, actor=company, data=valid_input())
    reports.file_report(session, actor=other, data=valid_input())
    reports.file_report(session, actor=None, data=valid_input())
    rows, total = reports.my_reports(session, actor=company)
    assert total == 1 and rows[0]["tracking_no"] == mine.tracking_no
    assert reports.owner_view(session, actor=company, report_id=mine.report_id).title
    with pytest.raises(NotFound):
        reports.owner_view(session, actor=other, report_id=mine.report_id)


def test_supervisors_enter_phone_reports_with_their_channel(session):
    supervisor = make_user(session, Role.SUPERVISOR)
    filed = reports.file_report(session, actor=supervisor, data=valid_input(),
                                channel=Channel.PHONE)
    report = session.get(Report, filed.report_id)
    assert report.channel == "phone" and report.entered_by_id == supervisor.user_id
    worker = make_user(session, Role.UNIT)
    with pytest.raises(PermissionDenied):
        reports.file_report(session, actor=worker, data=valid_input(), channel=Channel.LETTER)
    with pytest.raises(PermissionDenied):
        reports.file_report(session, actor=None, data=valid_input(), channel=Channel.VISIT)


def test_tracking_needs_the_right_code_and_says_the_same_for_both_mistakes(session):
    filed = reports.file_report(session, actor=None, data=valid_input())
    view = reports.public_view(session, tracking_no=filed.tracking_no.lower(),
                               query_code=filed.query_code)
    assert view.status == Status.SUBMITTED and [e.action for e in view.events] == ["file"]
    with pytest.raises(TrackingFailed) as wrong_code:
        reports.public_view(session, tracking_no=filed.tracking_no, query_code="AAAAAAAA")
    with pytest.raises(TrackingFailed) as wrong_number:
        reports.public_view(session, tracking_no="YS2026-999999", query_code=filed.query_code)
    assert wrong_code.value.key == wrong_number.value.key == "error.tracking_failed"


def test_repeated_tracking_failures_are_slowed_down():
    delays = [reports.tracking_delay(n) for n in range(10)]
    assert delays[:3] == [0, 0, 0]
    assert delays[3] > 0 and delays == sorted(delays) and delays[-1] <= 30


def test_the_catalogue_number_given_must_exist(session):
    with pytest.raises(FormInvalid) as invalid:
        reports.file_report(session, actor=None, data=valid_input(category_number=33))
    assert invalid.value.errors["category"].key == "error.category_unknown"
    filed = reports.file_report(session, actor=None, data=valid_input(
        category_number=16, concerned_unit_id=unit_id(session, "区住建局"),
        occurred_on=date(2026, 10, 9), place="政务服务中心二楼"))
    worker = make_user(session, Role.SUPERVISOR)
    view = reports.staff_view(session, actor=worker, report_id=filed.report_id)
    assert view.category_number == 16 and view.concerned_unit == "区住建局"
