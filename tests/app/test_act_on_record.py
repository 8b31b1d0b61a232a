"""#12, staff report pages: rows open records, confirmations name the record, one primary
action per state, dialogs before irreversible steps, coloured cards, no emoji."""

import re
from datetime import date
from pathlib import Path

from portal import cases, escalation, report_flow, reports
from portal.models import Report, Unit, User
from portal.users import load_actor
from tests.app.conftest import ROOT, confirm, select_row, texts
from tests.app.test_notice_pages import assigned
from tests.factories import unit_id
from tests.services.test_reports import valid_input


def button(app, label):
    return next(b for b in app.button if b.label == label)


def headings(app) -> list[str]:
    return [h.value for h in app.subheader]


def dialog_text(app) -> str:
    return "\n".join(t.value for t in app.text)


# ---- rows open records ---------------------------------------------------------------------

def test_a_selected_row_opens_the_record_and_there_is_no_second_picker(open_page, demo_session):
    filed = reports.file_report(demo_session, actor=None, data=valid_input(title="点行打开的件"))
    app = open_page("pages/intake.py", "supervisor")
    assert not any(s.key == "intake_pick" for s in app.selectbox)
    assert not any(filed.tracking_no in h for h in headings(app))  # nothing open yet
    select_row(app, "intake_table", filed.tracking_no)
    assert f"{filed.tracking_no}\u3000点行打开的件" in headings(app)
    app.run()  # any rerun: the record stays open
    assert f"{filed.tracking_no}\u3000点行打开的件" in headings(app)
    app.session_state["intake_table"] = {"selection": {"rows": [], "columns": []}}
    app.run()  # the user clears the row: the record closes
    assert not any(filed.tracking_no in h for h in headings(app))


def test_after_an_action_the_list_and_the_record_refresh_and_the_record_stays_open(
        open_page, demo_session):
    filed = assigned(demo_session, "响应后仍打开的件")
    app = open_page("pages/unit_reports.py", "unit_fgj")
    select_row(app, "unit_table", filed.tracking_no)
    app.text_area(key="unit_respond_text").input("已签收，正在核查")
    button(app, "确认响应").click().run()
    assert not app.exception
    due = demo_session.get(Report, filed.report_id)
    demo_session.refresh(due)
    assert f"已确认响应 {filed.tracking_no}，答复期限 " \
           f"{due.reply_due.year}年{due.reply_due.month}月{due.reply_due.day}日。" in texts(app)
    assert f"{filed.tracking_no}\u3000响应后仍打开的件" in headings(app)  # still open
    table = next(f for f in app.dataframe if f.key == "unit_table").value
    row = table[table["受理编号"] == filed.tracking_no].iloc[0]
    assert row["状态"] == "办理中"  # the list shows the new state
    highlighted = app.session_state["unit_table"]["selection"]["rows"]
    assert table.iloc[highlighted[0]]["受理编号"] == filed.tracking_no  # the row follows it


def test_the_selection_follows_the_record_when_the_list_changes_order(open_page, demo_session):
    filed = reports.file_report(demo_session, actor=None, data=valid_input(title="先选中的件"))
    app = open_page("pages/intake.py", "supervisor")
    select_row(app, "intake_table", filed.tracking_no)
    newer = reports.file_report(demo_session, actor=None, data=valid_input(title="后来的新件"))
    app.run()  # a newer report now heads the list
    assert f"{filed.tracking_no}\u3000先选中的件" in headings(app)
    table = next(f for f in app.dataframe if f.key == "intake_table").value
    assert table.iloc[0]["受理编号"] == newer.tracking_no
    rows = app.session_state["intake_table"]["selection"]["rows"]
    assert table.iloc[rows[0]]["受理编号"] == filed.tracking_no


def test_paging_still_works_and_another_page_does_not_show_the_open_record(open_page,
                                                                         demo_session):
    extra = [reports.file_report(demo_session, actor=None,
                                 data=valid_input(title=f"翻页用的件{n}")).report_id
             for n in range(21)]  # more than one page
    try:
        paging(open_page)
    finally:  # out of the triage list again, which the other tests share
        supervisor = load_actor(demo_session, username="supervisor")
        for report_id in extra:
            report_flow.reject(demo_session, actor=supervisor, report_id=report_id,
                               reason="测试翻页后清理")
        demo_session.commit()


def paging(open_page) -> None:
    app = open_page("pages/intake.py", "supervisor")
    first = next(f for f in app.dataframe if f.key == "intake_table").value.iloc[0]["受理编号"]
    select_row(app, "intake_table", first)
    assert any(first in h for h in headings(app))
    app.number_input(key="intake_page").set_value(2).run()
    assert not app.exception
    second_page = next(f for f in app.dataframe if f.key == "intake_table").value
    assert first not in set(second_page["受理编号"])
    assert not any(first in h for h in headings(app))
    app.number_input(key="intake_page").set_value(1).run()
    assert any(first in h for h in headings(app))  # back on its page, it is open again


def test_return_requests_followups_and_transfer_letters_are_picked_from_their_tables():
    for page in ("pages/return_requests.py", "pages/followup.py", "pages/transfers.py",
                 "pages/cases.py", "pages/my_reports.py"):
        source = (ROOT / page).read_text(encoding="utf-8")
        assert "pick_row(" in source or "report_table(" in source, page
        assert "_pick\"" not in source, page


# ---- one primary action per state ----------------------------------------------------------

def action_buttons(app) -> list:
    return [b for b in app.button if b.label in ("确认响应", "答复办结", "申请退回营商办")]


def test_a_new_assignment_offers_respond_first_then_reply(open_page, demo_session):
    filed = assigned(demo_session, "先确认响应的件")
    app = open_page("pages/unit_reports.py", "unit_fgj")
    select_row(app, "unit_table", filed.tracking_no)
    shown = action_buttons(app)
    assert [b.label for b in shown][:2] == ["确认响应", "答复办结"]
    assert [b.proto.type for b in shown] == ["primary", "secondary", "secondary"]
    app.text_area(key="unit_respond_text").input("已签收")
    button(app, "确认响应").click().run()
    shown = action_buttons(app)
    assert [b.label for b in shown][0] == "答复办结" and shown[0].proto.type == "primary"
    assert "确认响应" not in [b.label for b in shown]


def test_the_office_sees_assign_as_the_one_primary_action(open_page, demo_session):
    filed = reports.file_report(demo_session, actor=None, data=valid_input(title="待分办的件"))
    app = open_page("pages/intake.py", "supervisor")
    select_row(app, "intake_table", filed.tracking_no)
    kinds = {b.label: b.proto.type for b in app.button
             if b.label in ("受理并分办", "不予受理", "添加备注")}
    assert kinds == {"受理并分办": "primary", "不予受理": "secondary", "添加备注": "secondary"}
    assert "其他操作" in [e.label for e in app.expander]  # the rare ones are folded away


# ---- confirmations name the record and the result -------------------------------------------

def test_a_reply_names_the_report_and_its_outcome(open_page, demo_session):
    filed = assigned(demo_session, "答复后点名的件")
    app = open_page("pages/unit_reports.py", "unit_fgj")
    select_row(app, "unit_table", filed.tracking_no)
    app.text_area(key="unit_reply_text").input("已办结")
    app.radio(key="unit_reply_outcome").set_value("partly")
    button(app, "答复办结").click().run()
    assert f"已答复 {filed.tracking_no}（部分解决），等待反映人评价。" in texts(app)
    app.run()  # kept across the rerun
    assert f"已答复 {filed.tracking_no}（部分解决）" in texts(app)
    assert "操作已完成。" not in texts(app)


def test_a_return_request_is_named(open_page, demo_session):
    filed = assigned(demo_session, "申请退回点名的件")
    app = open_page("pages/unit_reports.py", "unit_fgj")
    select_row(app, "unit_table", filed.tracking_no)
    app.text_area(key="unit_return_to_office_text").input("属区住建局职责")
    button(app, "申请退回营商办").click().run()
    assert f"已为 {filed.tracking_no} 申请退回营商办" in texts(app)


# ---- a dialog before every irreversible step --------------------------------------------------

def test_rejecting_asks_first_and_cancel_changes_nothing(open_page, demo_session):
    filed = reports.file_report(demo_session, actor=None, data=valid_input(title="拟不予受理的件"))
    app = open_page("pages/intake.py", "supervisor")
    select_row(app, "intake_table", filed.tracking_no)
    app.text_area(key="intake_reject_text").input("不属于受理范围")
    button(app, "不予受理").click().run()
    assert (f"将对 {filed.tracking_no}「拟不予受理的件」不予受理，理由：不属于受理范围。"
            in dialog_text(app))
    next(b for b in app.button if b.key == "confirm_no").click().run()
    demo_session.commit()  # end the test's read snapshot
    assert demo_session.get(Report, filed.report_id).status == "submitted"
    app.text_area(key="intake_reject_text").input("不属于受理范围")
    button(app, "不予受理").click().run()
    confirm(app)
    assert not app.exception
    demo_session.commit()  # end the test's read snapshot
    assert demo_session.get(Report, filed.report_id).status == "rejected"
    assert f"已对 {filed.tracking_no} 不予受理" in texts(app)


def test_withdrawing_a_notice_asks_first_naming_it(open_page, demo_session):
    filed = assigned(demo_session, "撤回通知的件")
    supervisor = load_actor(demo_session, username="supervisor")
    notice = escalation.issue_by_hand(demo_session, actor=supervisor, report_id=filed.report_id,
                                      reason="催问")
    demo_session.commit()
    app = open_page("pages/intake.py", "supervisor")
    select_row(app, "intake_table", filed.tracking_no)
    app.text_input(key="intake_withdraw_reason").input("误发")
    button(app, "撤回").click().run()
    assert f"将撤回 {notice.number}（{filed.tracking_no}），理由：误发。" in dialog_text(app)
    confirm(app)
    assert not app.exception and f"已撤回 {notice.number}（{filed.tracking_no}）。" in texts(app)


def test_approving_a_return_asks_first_and_says_where_it_went(open_page, demo_session):
    filed = assigned(demo_session, "同意退回的件")
    unit = load_actor(demo_session, username="unit_fgj")
    report_flow.return_to_office(demo_session, actor=unit, report_id=filed.report_id,
                                 reason="属区住建局职责")
    demo_session.commit()
    app = open_page("pages/return_requests.py", "supervisor")
    select_row(app, "returns_table", filed.tracking_no)
    app.selectbox(key="returns_new_unit").set_value(unit_id(demo_session, "区住建局"))
    button(app, "同意退回").click().run()
    assert f"将同意区发改局对 {filed.tracking_no} 的退回申请，并改派至区住建局。" \
        in dialog_text(app)
    confirm(app)
    assert not app.exception
    assert f"已同意 {filed.tracking_no} 的退回申请，已改派至区住建局。" in texts(app)


def test_a_followup_call_is_named(open_page, demo_session):
    from datetime import timedelta

    from portal import clock

    filed = assigned(demo_session, "回访点名的件")
    unit = load_actor(demo_session, username="unit_fgj")
    report_flow.reply(demo_session, actor=unit, report_id=filed.report_id, result="已办",
                      outcome="resolved")
    report = demo_session.get(Report, filed.report_id)
    report.replied_at = clock.now() - timedelta(days=8)
    demo_session.add(report)
    demo_session.commit()
    app = open_page("pages/followup.py", "supervisor")
    select_row(app, "followup_table", filed.tracking_no)
    app.radio(key="followup_result").set_value("basically")
    button(app, "登记回访结果").click().run()
    assert f"已记录 {filed.tracking_no} 的回访：基本满意。" in texts(app)


def test_exposing_a_case_asks_first_with_the_public_summary(open_page, demo_session):
    discipline = load_actor(demo_session, username="discipline")
    made = cases.register(demo_session, actor=discipline, data=cases.CaseInput(
        unit_id=unit_id(demo_session), category_number=14, title="待通报曝光的案例",
        summary="推诿扯皮。", found_on=date(2026, 2, 1), concluded_on=date(2026, 3, 20),
        source="report", outcomes=["government"]))
    for step in ("checking", "concluded", "verified"):
        cases.advance(demo_session, actor=discipline, case_id=made.id, to=step)
    demo_session.commit()
    app = open_page("pages/cases.py", "discipline")
    select_row(app, "cases_table", "待通报曝光的案例")
    table = next(f for f in app.dataframe if f.key == "cases_table").value
    category = table[table["标题"] == "待通报曝光的案例"].iloc[0]["问题类别"]
    assert re.fullmatch(r"14 \S+", category)  # number and short name, never a bare number
    app.text_area[-1].input("某单位推诿扯皮，已作政务处分。")
    button(app, "通报曝光").click().run()
    assert "将通报曝光案例“待通报曝光的案例”，公开摘要：某单位推诿扯皮，已作政务处分。" in dialog_text(app)
    confirm(app)
    assert not app.exception and "已通报曝光案例“待通报曝光的案例”。" in texts(app)


def test_deactivating_a_user_asks_first(open_page, demo_session):
    app = open_page("pages/admin_users.py", "admin")
    target = demo_session.exec(
        User.__table__.select().where(User.username == "unit_zjj")).first()
    app.selectbox(key="users_pick").set_value(target.id).run()
    button(app, "停用账号").click().run()
    assert "将停用账号 unit_zjj" in dialog_text(app)
    demo_session.commit()
    assert demo_session.get(User, target.id).active  # nothing happened yet
    next(b for b in app.button if b.key == "confirm_no").click().run()
    assert not app.exception


def test_deactivating_a_unit_asks_first(open_page, demo_session):
    app = open_page("pages/admin_units.py", "admin")
    target = demo_session.exec(Unit.__table__.select().where(Unit.name == "区住建局")).first()
    app.selectbox(key="units_pick").set_value(target.id).run()
    next(c for c in app.checkbox if c.label == "启用").uncheck()
    button(app, "保存修改").click().run()
    assert "将停用单位“区住建局”" in dialog_text(app)
    next(b for b in app.button if b.key == "confirm_no").click().run()
    demo_session.commit()
    assert demo_session.get(Unit, target.id).active


def test_marking_a_calendar_year_official_asks_first(open_page):
    app = open_page("pages/admin_calendar.py", "admin")
    app.selectbox(key="calendar_year").set_value(2027).run()
    next(b for b in app.button if b.key == "calendar_official").click().run()
    assert "将把 2027 年的节假日安排标记为官方安排" in dialog_text(app)
    confirm(app)
    assert not app.exception and "已将 2027 年标记为官方安排。" in texts(app)
    next(b for b in app.button if b.key == "calendar_official").click().run()
    confirm(app)  # and back, leaving the shared demo data as it was
    assert "已撤销 2027 年的官方安排标记。" in texts(app)


# ---- cards and dates -------------------------------------------------------------------------

EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F]")


def test_no_emoji_anywhere_in_the_ui_sources():
    for folder in ("portal", "pages"):
        for path in (ROOT / folder).rglob("*.py"):
            found = EMOJI.findall(path.read_text(encoding="utf-8"))
            assert not found, (str(Path(path).relative_to(ROOT)), found)


def test_a_detail_shows_its_card_as_a_badge(open_page, demo_session):
    filed = assigned(demo_session, "红牌徽章的件")
    report = demo_session.get(Report, filed.report_id)
    report.current_due = date(2026, 1, 5)
    demo_session.add(report)
    demo_session.commit()
    app = open_page("pages/unit_reports.py", "unit_fgj")
    select_row(app, "unit_table", filed.tracking_no)
    assert ":red-badge[红牌]" in [m.value for m in app.markdown]


def test_queue_dates_are_written_in_chinese(open_page):
    app = open_page("pages/intake.py", "supervisor")
    table = next(f for f in app.dataframe if f.key == "intake_table").value
    for column in ("提交时间", "当前期限"):
        for value in table[column]:
            assert value == "" or re.match(r"\d{4}年\d{1,2}月\d{1,2}日", value), value


def test_the_forecast_table_heads_its_checkpoints_with_chinese_dates(open_page):
    app = open_page("pages/quota_dashboard.py", "discipline")
    forecast = next(f.value for f in app.dataframe
                    if any(str(v).startswith(("实际", "预计")) for v in f.value.iloc[0]))
    headers = [c for c in forecast.columns if "节点" in str(c)]
    assert headers and all(re.match(r"\d{4}年\d{1,2}月\d{1,2}日 节点", h) for h in headers)


def test_the_audit_steps_name_states_not_codes(open_page, demo_session):
    assigned(demo_session, "审计页里的件")
    app = open_page("pages/admin_audit.py", "admin")
    steps = next(f.value for f in app.dataframe if "状态变化" in f.value.columns)
    changes = " ".join(steps["状态变化"])
    assert "→" in changes
    assert not re.search(r"\b(submitted|assigned|acknowledged|replied|reopened|closed)\b",
                         changes)
    assert "assign" not in set(steps["操作"])


def test_audit_entries_name_actions_objects_and_channels_in_chinese(open_page, demo_session):
    reports.file_report(demo_session, actor=None, data=valid_input(title="审计渠道的件"))
    demo_session.commit()
    app = open_page("pages/admin_audit.py", "admin")
    events = next(f.value for f in app.dataframe if "对象" in f.value.columns)
    filed = events[events["操作"] == "提交反映问题"].iloc[0]
    assert filed["对象"].startswith("反映问题 ") and filed["详情"] == "渠道：网上反映"
    assert not any("channel=" in str(v) for v in events["详情"])
