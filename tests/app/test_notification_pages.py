"""站内信, the bell and the admin's outbox, driven through AppTest."""

from sqlmodel import select

from portal import escalation, report_flow, reports
from portal.models import Report
from portal.notifications import inbox
from portal.notifications.tables import NotificationEvent, NotificationTemplate, OutboxMessage
from portal.users import load_actor
from tests.app.conftest import texts
from tests.factories import unit_id
from tests.services.test_reports import valid_input


def assigned(session, title):
    filed = reports.file_report(session, actor=None, data=valid_input(title=title))
    report_flow.assign(session, actor=load_actor(session, username="supervisor"),
                       report_id=filed.report_id, unit_id=unit_id(session, "区发改局"),
                       category_number=None)
    return filed


def unread(session, username):
    count = inbox.unread_count(session, actor=load_actor(session, username=username))
    session.rollback()  # a SQLite read holds the write lock until the transaction ends
    return count


def test_the_bell_shows_the_unread_count_in_the_sidebar(open_page, demo_session):
    assigned(demo_session, "铃铛计数的件")
    count = unread(demo_session, "unit_fgj")
    app = open_page("app.py", "unit_fgj")
    assert not app.exception
    labels = [link.proto.label for link in app.sidebar.get("page_link")]
    assert f"站内信（{count} 条未读）" in labels


def test_a_unit_user_reads_and_marks_messages(open_page, demo_session):
    filed = assigned(demo_session, "站内信里的新件")
    app = open_page("pages/inbox.py", "unit_fgj")
    assert not app.exception
    content = texts(app)
    assert "站内信里的新件" in content and filed.tracking_no in content and "【未读】" in content
    before = unread(demo_session, "unit_fgj")
    app.button(key=app.button[1].key).click().run()  # the first message's 标为已读
    assert unread(demo_session, "unit_fgj") == before - 1
    next(b for b in app.button if b.label == "全部标为已读").click().run()
    assert not app.exception and "已标记" in texts(app)
    assert unread(demo_session, "unit_fgj") == 0
    app.toggle(key="inbox_unread_only").set_value(True).run()
    assert "暂无站内信。" in texts(app)


def test_a_notice_link_opens_its_word_file(open_page, demo_session):
    filed = assigned(demo_session, "有督办通知的件")
    notice = escalation.issue_by_hand(demo_session, actor=load_actor(
        demo_session, username="supervisor"), report_id=filed.report_id, reason="逾期")
    demo_session.rollback()
    app = open_page("pages/inbox.py", "unit_fgj")
    app.query_params["notice"] = str(notice.id)
    app.run()
    assert not app.exception
    [button] = app.get("download_button")
    assert notice.number in button.proto.label
    other = open_page("pages/inbox.py", "unit_zjj")  # another unit: no file
    other.query_params["notice"] = str(notice.id)
    other.run()
    assert not other.get("download_button")


def test_preferences_are_saved_from_the_inbox(open_page, demo_session):
    app = open_page("pages/inbox.py", "unit_zjj")
    app.text_input(key="inbox_email").input("liuyang@example.com")
    app.checkbox(key="inbox_digest").check()
    next(b for b in app.button if b.label == "保存通知设置").click().run()
    assert not app.exception and "通知设置已保存。" in texts(app)
    prefs = inbox.preferences(demo_session, actor=load_actor(demo_session, username="unit_zjj"))
    demo_session.rollback()
    assert prefs["email"] == "liuyang@example.com" and prefs["digest"]


def test_admin_sees_the_outbox_and_resends_a_failed_message(open_page, demo_session):
    event = NotificationEvent(event="report_assigned")
    demo_session.add(event)
    demo_session.flush()
    failed = OutboxMessage(event_id=event.id, event="report_assigned", channel="sms",
                           address="13800000009", subject="发送失败的短信", body="x",
                           status="failed", attempts=5, last_error="HTTP: 503")
    demo_session.add(failed)
    demo_session.commit()
    app = open_page("pages/admin_notifications.py", "admin")
    assert not app.exception
    content = texts(app)
    assert "发送失败 " in content and "发送失败的短信" in content and "HTTP: 503" in content
    app.selectbox(key="notify_resend_pick").set_value(failed.id).run()
    next(b for b in app.button if b.label == "重新发送").click().run()
    assert not app.exception and "已放回待发送队列。" in texts(app)
    demo_session.refresh(failed)
    assert failed.status == "pending" and failed.attempts == 0
    demo_session.rollback()


def test_admin_edits_a_template_and_is_told_about_forbidden_fields(open_page, demo_session):
    app = open_page("pages/admin_notifications.py", "admin")
    app.selectbox(key="notify_template").set_value("report_filed").run()
    form_inputs = [t for t in app.text_input if t.label == "标题"]
    form_inputs[0].input("新件待受理：{tracking_no}")
    next(b for b in app.button if b.label == "保存模板").click().run()
    assert not app.exception and "模板已保存。" in texts(app)
    demo_session.expire_all()
    saved = demo_session.get(NotificationTemplate, "report_filed")
    assert saved.subject == "新件待受理：{tracking_no}"
    demo_session.rollback()
    [t for t in app.text_input if t.label == "标题"][0].input("{contact_name} 的件")
    next(b for b in app.button if b.label == "保存模板").click().run()
    assert "模板不能使用字段：contact_name" in texts(app)
    assert any("contact\\_name" in e.value for e in app.error)  # Markdown-escaped in the source


def test_pages_refuse_the_wrong_roles(open_page):
    app = open_page("pages/admin_notifications.py", "unit_fgj")
    assert app.error and "发件箱" not in texts(app)


def test_the_filing_form_stores_the_sms_opt_in(open_page, demo_session):
    app = open_page("pages/report.py")
    app.radio(key="report_kind").set_value("undone")
    app.text_input(key="report_title").input("希望短信告知办理进度的件")
    app.text_area(key="report_description").input("窗口每次只告知一项缺件，前后跑了四次仍未受理。")
    app.text_input(key="report_contact_name").input("赵强")
    app.text_input(key="report_contact_mobile").input("13912345678")
    app.checkbox(key="report_sms_opt_in").check()
    next(b for b in app.button if b.label == "提交").click().run()
    assert not app.exception and "提交成功" in texts(app)
    tracking_no = next(m.value for m in app.metric if m.label == "受理编号")
    report = demo_session.exec(select(Report).where(Report.tracking_no == tracking_no)).one()
    assert report.sms_opt_in and report.contact_mobile == "13912345678"
    demo_session.rollback()
