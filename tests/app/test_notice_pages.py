"""Notices and cards on the pages, driven through AppTest."""

import re
from datetime import date

from portal import escalation, report_flow, reports
from portal.models import Report
from portal.users import load_actor
from tests.app.conftest import confirm, select_row, texts
from tests.factories import unit_id
from tests.services.test_reports import valid_input


def assigned(session, title, unit="区发改局"):
    filed = reports.file_report(session, actor=None, data=valid_input(title=title))
    report_flow.assign(session, actor=load_actor(session, username="supervisor"),
                       report_id=filed.report_id, unit_id=unit_id(session, unit),
                       category_number=None)
    return filed


def make_overdue(session, report_id):
    report = session.get(Report, report_id)
    report.current_due = date(2026, 1, 5)
    session.add(report)
    session.commit()


def test_supervisor_issues_a_reminder_by_hand_on_the_report(open_page, demo_session):
    filed = assigned(demo_session, "逾期未响应的件")
    app = open_page("pages/intake.py", "supervisor")
    select_row(app, "intake_table", filed.tracking_no)
    assert "暂无督办通知。" in texts(app)
    app.text_input(key="intake_issue_reason").input("企业多次来电催问")
    next(b for b in app.button if b.label == "发出提醒单").click().run()
    assert f"将对 {filed.tracking_no}（承办单位：区发改局）发出提醒单，理由：企业多次来电催问。" \
        in texts(app)
    confirm(app)
    assert not app.exception
    content = texts(app)
    assert re.search(rf"已发出 提醒〔2026〕\d+号（{filed.tracking_no}），整改期限 2026年", content)
    assert "待落实" in content
    assert any(b.label.startswith("下载 提醒〔") for b in app.get("download_button"))


def test_unit_home_lists_its_notices_and_cards(open_page, demo_session):
    filed = assigned(demo_session, "被督办的件")
    supervisor = load_actor(demo_session, username="supervisor")
    escalation.issue_by_hand(demo_session, actor=supervisor, report_id=filed.report_id,
                             reason="超期未办")
    app = open_page("pages/home.py", "unit_fgj")
    assert not app.exception
    content = texts(app)
    assert "本单位收到的督办通知" in content and "被督办的件" in content
    assert "本单位红牌" in content
    other = open_page("pages/home.py", "unit_zjj")
    assert "被督办的件" not in texts(other)


def test_unit_queue_filters_red_cards(open_page, demo_session):
    late = assigned(demo_session, "已经超期的件")
    make_overdue(demo_session, late.report_id)
    assigned(demo_session, "尚未到期的件")
    app = open_page("pages/unit_reports.py", "unit_fgj")
    app.selectbox(key="unit_card").set_value("red").run()
    content = texts(app)
    assert "已经超期的件" in content and "尚未到期的件" not in content and "红牌" in content
    assert "\U0001f534" not in content  # a coloured cell, not an emoji the desktop cannot draw
    styles = str(app.dataframe[0].proto.arrow_data.styler.styles)
    assert "background-color: #c62828" in styles


def test_discipline_inbox_holds_the_transfer_letter(open_page, demo_session):
    filed = assigned(demo_session, "层层督办仍未办结的件", unit="区住建局")
    supervisor = load_actor(demo_session, username="supervisor")
    for reason in ("提醒", "催办", "督办", "移交"):
        escalation.issue_by_hand(demo_session, actor=supervisor, report_id=filed.report_id,
                                 reason=reason)
    app = open_page("pages/transfers.py", "discipline")
    assert not app.exception
    content = texts(app)
    assert "层层督办仍未办结的件" in content and "移交〔" in content
    refused = open_page("pages/transfers.py", "unit_zjj")
    assert "您的账号没有访问本页面的权限。" in texts(refused)


def test_a_case_is_opened_from_a_transfer_letter(open_page, demo_session):
    filed = assigned(demo_session, "移交后立案的件", unit="区住建局")
    supervisor = load_actor(demo_session, username="supervisor")
    for reason in ("提醒", "催办", "督办", "移交"):
        escalation.issue_by_hand(demo_session, actor=supervisor, report_id=filed.report_id,
                                 reason=reason)
    app = open_page("pages/transfers.py", "discipline")
    assert not any(b.label == "据此登记典型案例" for b in app.button)  # no letter open yet
    select_row(app, "transfers_table", filed.tracking_no)
    next(b for b in app.button if b.label == "据此登记典型案例").click().run()
    letter = app.session_state["case_from_letter"]
    assert letter["tracking_no"] == filed.tracking_no
    cases_page = open_page("pages/cases.py", "discipline")
    cases_page.session_state["case_from_letter"] = letter
    cases_page.run()
    assert "来自移交函 移交〔" in texts(cases_page)
