"""#11 on the pages: reply outcome, return requests, ratings banner, 回访, calendar bulk entry."""

from datetime import timedelta

from portal import clock, report_flow, reports
from portal.models import Report
from portal.users import load_actor
from tests.app.conftest import confirm, in_order, select_row, texts
from tests.factories import unit_id
from tests.services.test_reports import valid_input


def assigned(session, title):
    filed = reports.file_report(session, actor=None, data=valid_input(title=title))
    report_flow.assign(session, actor=load_actor(session, username="supervisor"),
                       report_id=filed.report_id, unit_id=unit_id(session), category_number=None)
    return filed


def button(app, label):
    return next(b for b in app.button if b.label == label)


def test_a_reply_needs_its_outcome(open_page, demo_session):  # noqa: F811
    filed = assigned(demo_session, "答复须选办理结果")
    app = open_page("pages/unit_reports.py", "unit_fgj")
    select_row(app, "unit_table", filed.tracking_no)
    app.text_area(key="unit_reply_text").input("已为企业办结")
    button(app, "答复办结").click().run()
    assert "请选择办理结果" in texts(app)
    app.text_area(key="unit_reply_text").input("已为企业办结")
    app.radio(key="unit_reply_outcome").set_value("partly")
    button(app, "答复办结").click().run()
    assert not app.exception
    assert demo_session.get(Report, filed.report_id).reply_outcome == "partly"


def test_a_return_request_is_refused_by_the_office(open_page, demo_session):  # noqa: F811
    filed = assigned(demo_session, "申请退回的件")
    unit = open_page("pages/unit_reports.py", "unit_fgj")
    select_row(unit, "unit_table", filed.tracking_no)
    unit.text_area(key="unit_return_to_office_text").input("属区住建局职责")
    button(unit, "申请退回营商办").click().run()
    assert not unit.exception and "待营商办处理" in texts(unit)
    office = open_page("pages/return_requests.py", "supervisor")
    assert "申请退回的件" in texts(office)
    select_row(office, "returns_table", filed.tracking_no)
    office.text_area(key="returns_ret_note").input("属本单位职责，请继续办理")
    button(office, "不同意退回").click().run()
    assert f"将不同意区发改局对 {filed.tracking_no} 的退回申请，仍由区发改局办理" in texts(office)
    confirm(office)
    assert not office.exception
    assert f"已不同意 {filed.tracking_no} 的退回申请，仍由区发改局办理。" in texts(office)
    again = open_page("pages/unit_reports.py", "unit_fgj")
    select_row(again, "unit_table", filed.tracking_no)
    assert "属本单位职责，请继续办理" in texts(again)


def test_the_unit_sees_the_complaint_of_a_reopened_report(open_page, demo_session):  # noqa: F811
    filed = assigned(demo_session, "差评整改的件")
    unit = load_actor(demo_session, username="unit_fgj")
    report_flow.reply(demo_session, actor=unit, report_id=filed.report_id, result="已办",
                      outcome="resolved")
    report_flow.rate_with_code(demo_session, tracking_no=filed.tracking_no,
                               query_code=filed.query_code, rating="unsatisfied",
                               comment="材料还是被退回了")
    app = open_page("pages/unit_reports.py", "unit_fgj")
    select_row(app, "unit_table", filed.tracking_no)
    content = texts(app)
    banner = app.error[0].value
    assert banner.startswith("反映人不满意：材料还是被退回了，请于 2026年") and "前重新答复" in banner
    shown = [str(getattr(e, "value", "")) for e in in_order(app.main)]
    top = next(i for i, v in enumerate(shown) if v.startswith("反映人不满意"))
    assert top < shown.index(f"{filed.tracking_no}\u3000差评整改的件")  # the banner is on top
    assert "评价记录" in content


def test_the_office_records_a_followup_call(open_page, demo_session):  # noqa: F811
    filed = assigned(demo_session, "等待回访的件")
    unit = load_actor(demo_session, username="unit_fgj")
    report_flow.reply(demo_session, actor=unit, report_id=filed.report_id, result="已办",
                      outcome="resolved")
    report = demo_session.get(Report, filed.report_id)
    report.replied_at = clock.now() - timedelta(days=8)
    demo_session.add(report)
    demo_session.commit()
    app = open_page("pages/followup.py", "supervisor")
    assert not app.exception and "等待回访的件" in texts(app)
    select_row(app, "followup_table", filed.tracking_no)
    app.radio(key="followup_result").set_value("basically")
    button(app, "登记回访结果").click().run()
    assert not app.exception
    demo_session.expire_all()
    assert demo_session.get(Report, filed.report_id).status == "closed"


def test_admin_previews_and_saves_a_years_schedule(open_page):
    app = open_page("pages/admin_calendar.py", "admin")
    year = app.selectbox(key="calendar_year").value
    app.text_area(key="calendar_bulk_text").input(f"{year}-01-01~{year}-01-03 休 元旦")
    button(app, "预览").click().run()
    assert not app.exception and "共 3 天" in texts(app)
    button(app, "保存整年安排").click().run()
    assert f"将保存 {year} 年 3 天的安排" in texts(app)
    confirm(app)
    assert not app.exception and "已保存 3 天" in texts(app)


def test_the_unit_page_lists_the_units_ratings(open_page, demo_session):  # noqa: F811
    filed = assigned(demo_session, "本单位的评价")
    unit = load_actor(demo_session, username="unit_fgj")
    report_flow.reply(demo_session, actor=unit, report_id=filed.report_id, result="已办",
                      outcome="resolved")
    report_flow.rate_with_code(demo_session, tracking_no=filed.tracking_no,
                               query_code=filed.query_code, rating="basically",
                               comment="处理较快")
    app = open_page("pages/unit_reports.py", "unit_fgj")
    assert not app.exception and "处理较快" in texts(app)
    other = open_page("pages/unit_reports.py", "unit_zjj")
    assert "处理较快" not in texts(other)
