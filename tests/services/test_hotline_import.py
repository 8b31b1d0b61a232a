"""12345 工单 import: mapping, row errors, batches refused whole, idempotent re-imports."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func
from sqlmodel import select

from portal import clock, hotline_import, report_flow, reports
from portal.errors import PermissionDenied, ValidationError
from portal.models import Report, ReportEvent
from portal.report_types import Channel, Status
from portal.roles import Role
from tests.factories import make_user, unit_id

NOW = datetime(2026, 11, 23, 9, 0)
HEADER = ["工单编号", "受理时间", "来电人", "联系电话", "诉求类型", "诉求内容", "涉及单位", "办结时限"]


@pytest.fixture(autouse=True)
def monday(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def order(n: int, **changes) -> list:
    values = {"工单编号": f"GD2026110{n:04d}", "受理时间": datetime(2026, 11, 20, 10, n % 60),
              "来电人": "孙先生", "联系电话": "13912340000", "诉求类型": "投诉",
              "诉求内容": f"反映某小区门前道路施工占道第{n}处，影响企业车辆进出，希望尽快恢复。",
              "涉及单位": "区住建局", "办结时限": "2026-11-27"}
    values.update(changes)
    return [values[h] for h in HEADER]


def workbook(rows: list[list], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def imported(session) -> int:
    return session.exec(select(func.count()).select_from(Report).where(
        Report.channel == Channel.HOTLINE_ORDER)).one()


def test_headers_of_a_12345_export_are_mapped_by_their_names():
    mapping = hotline_import.guess_mapping(HEADER)
    assert mapping["order_no"] == "工单编号" and mapping["content"] == "诉求内容"
    assert mapping["received_at"] == "受理时间" and mapping["due"] == "办结时限"


def test_an_import_keeps_the_original_time_and_deadline_and_waits_for_triage(session):
    boss = make_user(session, Role.SUPERVISOR)
    checked, outcome = hotline_import.import_file(
        session, actor=boss, filename="orders.xlsx", data=workbook([order(1), order(2)]))
    assert outcome.imported == 2 and not outcome.refused_batches
    report = session.exec(select(Report).where(Report.external_no == "GD20261100001")).one()
    assert report.channel == Channel.HOTLINE_ORDER and report.status == Status.SUBMITTED
    assert report.created_at == datetime(2026, 11, 20, 10, 1)
    assert report.original_due == date(2026, 11, 27)
    assert report.concerned_unit_id == unit_id(session, "区住建局")
    assert report.contact_mobile == "13912340000" and report.confidential
    event = session.exec(select(ReportEvent).where(ReportEvent.report_id == report.id)).one()
    assert event.action == "import" and "GD20261100001" in event.note
    report_flow.assign(session, actor=boss, report_id=report.id,
                       unit_id=unit_id(session, "区住建局"), category_number=14)
    assert session.get(Report, report.id).reply_due == date(2026, 11, 27)  # the hotline's


def test_a_re_import_creates_no_duplicates(session):
    data = workbook([order(1), order(2)])
    hotline_import.import_file(session, actor=None, filename="a.xlsx", data=data)
    checked, outcome = hotline_import.import_file(
        session, actor=None, filename="a.xlsx", data=workbook([order(1), order(2), order(3)]))
    assert outcome.imported == 1 and outcome.skipped == 2
    assert [r.already_imported for r in checked] == [True, True, False]
    assert imported(session) == 3


def test_a_batch_with_a_bad_row_is_refused_whole_with_its_row_numbers(session, monkeypatch):
    monkeypatch.setattr(hotline_import, "BATCH_SIZE", 3)
    rows = [order(1), order(2), order(3),  # batch rows 2–4: fine
            order(4), order(5, 受理时间="昨天上午"), order(6, 诉求内容=""),  # rows 5–7: two bad
            order(7)]  # row 8: fine
    checked, outcome = hotline_import.import_file(session, actor=None, filename="b.xlsx",
                                                  data=workbook(rows))
    assert outcome.imported == 4
    assert outcome.refused_batches == [{"first_row": 5, "last_row": 7, "bad_rows": [6, 7]}]
    numbers = set(session.exec(select(Report.external_no).where(
        Report.channel == Channel.HOTLINE_ORDER)).all())
    assert "GD20261100004" not in numbers  # nothing of the refused batch
    assert {"GD20261100001", "GD20261100007"} <= numbers
    errors = {r.number: [k for k, _ in r.errors] for r in checked if r.errors}
    assert errors == {6: ["error.import_bad_time"], 7: ["error.import_content_required"]}


def test_row_checks_name_each_problem(session):
    rows = [order(1, 工单编号=""), order(2, 联系电话="打不通"), order(3, 受理时间="2026-12-30 08:00"),
            order(4), order(4, 来电人="又一行"), order(5, 联系电话="0475-8123456", 涉及单位="区外某局")]
    header, data = hotline_import.read_table("c.xlsx", workbook(rows))
    checked = hotline_import.check_rows(session, header=header, rows=data,
                                        mapping=hotline_import.guess_mapping(header))
    keys = [[k for k, _ in r.errors] for r in checked]
    assert keys[0] == ["error.import_order_no_required"]
    assert keys[1] == ["error.import_bad_phone"]
    assert keys[2] == ["error.import_received_future"]
    assert keys[3] == [] and keys[4] == ["error.import_order_no_twice"]
    assert keys[5] == [] and checked[5].values["mobile"] is None
    assert "0475-8123456" in checked[5].values["description"]
    assert checked[5].warnings == [("import.warn_unit_unknown", {"unit": "区外某局"})]


def test_csv_in_gbk_is_read_too(session):
    text = ",".join(HEADER) + "\n" + ",".join(str(v) for v in order(1, 受理时间="2026/11/20 10:30"))
    header, rows = hotline_import.read_table("d.csv", text.encode("gb18030"))
    checked = hotline_import.check_rows(session, header=header, rows=rows,
                                        mapping=hotline_import.guess_mapping(header))
    assert not checked[0].errors
    assert checked[0].values["received_at"] == datetime(2026, 11, 20, 10, 30)


def test_a_saved_mapping_is_used_for_the_next_file_of_the_source(session):
    boss = make_user(session, Role.SUPERVISOR)
    header = ["单号", "时间", "内容"]
    with pytest.raises(ValidationError, match="error.import_mapping_missing"):
        hotline_import.save_mapping(session, actor=boss, source="市热线",
                                    mapping={"order_no": "单号"})
    hotline_import.save_mapping(session, actor=boss, source="市热线",
                                mapping={"order_no": "单号", "received_at": "时间",
                                         "content": "内容"})
    data = workbook([["A-1", "2026-11-21 08:00", "门口道路被挖开一个月没人管，企业货车进不来。"]],
                    header=header)
    _, outcome = hotline_import.import_file(session, actor=boss, filename="e.xlsx", data=data,
                                            source="市热线")
    assert outcome.imported == 1
    with pytest.raises(PermissionDenied):
        hotline_import.save_mapping(session, actor=make_user(session, Role.UNIT), source="x",
                                    mapping={})


def test_imported_orders_cannot_be_tracked_with_a_query_code(session):
    hotline_import.import_file(session, actor=None, filename="f.xlsx", data=workbook([order(1)]))
    report = session.exec(select(Report).where(Report.external_no == "GD20261100001")).one()
    with pytest.raises(reports.TrackingFailed):
        reports.public_view(session, tracking_no=report.tracking_no, query_code="AAAAAAAA")


def test_only_the_office_imports(session):
    with pytest.raises(PermissionDenied):
        hotline_import.import_file(session, actor=make_user(session, Role.UNIT),
                                   filename="g.xlsx", data=workbook([order(1)]))


def test_the_preview_suggests_a_category_and_flags_an_earlier_look_alike(session):
    boss = make_user(session, Role.SUPERVISOR)
    hotline_import.import_file(session, actor=boss, filename="h.xlsx", data=workbook([order(1)]))
    again = order(2, 诉求内容="反映某小区门前道路施工占道第1处，影响企业车辆进出，希望尽快恢复正常通行。")
    fresh = order(3, 联系电话="13700001234",
                  诉求内容="执法人员到店里检查后要我们请吃饭，还要了两条烟，不给就说下次再来查。")
    header, data = hotline_import.read_table("i.xlsx", workbook([again, fresh]))
    checked = hotline_import.check_rows(session, header=header, rows=data,
                                        mapping=hotline_import.guess_mapping(header))
    hints = hotline_import.preview_hints(session, actor=boss, rows=checked)
    first = session.exec(select(Report).where(Report.external_no == "GD20261100001")).one()
    assert hints[2]["similar"] == first.tracking_no
    assert hints[3]["similar"] is None and hints[3]["category"] == 25


def test_a_missing_received_time_is_named_even_when_the_deadline_is_bad(session):
    header, data = hotline_import.read_table("j.xlsx", workbook([order(1, 受理时间=None,
                                                                       办结时限="下周")]))
    checked = hotline_import.check_rows(session, header=header, rows=data,
                                        mapping=hotline_import.guess_mapping(header))
    assert [k for k, _ in checked[0].errors] == ["error.import_bad_time",
                                                 "error.import_received_required"]
