"""The report pages, driven through AppTest."""


from portal import report_flow, reports
from portal.report_types import Channel
from portal.users import load_actor
from tests.app.conftest import select_row, texts
from tests.factories import unit_id
from tests.services.test_reports import valid_input

VALID_CODE = "91350100M000100Y43"


def fill(app, prefix, **values):
    for name, value in values.items():
        app.session_state[f"{prefix}_{name}"] = value


def test_filing_shows_tracking_number_and_code_once(open_page):
    app = open_page("pages/report.py")
    assert not app.exception
    app.radio(key="report_kind").set_value("undone")
    app.text_input(key="report_title").input("办理施工许可证被多次要求补件")
    app.text_area(key="report_description").input("窗口每次只告知一项缺件，前后跑了四次仍未受理。")
    app.text_input(key="report_contact_name").input("赵强")
    app.text_input(key="report_contact_mobile").input("13912345678")
    app.text_input(key="report_credit_code").input(VALID_CODE)
    next(b for b in app.button if b.label == "提交").click().run()
    assert not app.exception
    assert "提交成功" in texts(app)
    shown = {m.label: m.value for m in app.metric}
    assert shown["受理编号"].startswith("YS") and len(shown["查询码"]) == 8
    assert "去查询进度" in texts(app) and "查询码只显示这一次" in texts(app)
    app.run()
    assert not app.metric  # shown once


def test_the_home_pages_type_link_chooses_the_type_even_after_a_run_without_it(open_page):
    """投诉举报 on the portal home opens the form with the type chosen, also when the page
    ran once before the link's query arrived (the radio was then registered with none)."""
    app = open_page("pages/report.py")
    assert app.radio(key="report_kind").value is None
    app.query_params["kind"] = "complaint"
    app.run()
    assert app.radio(key="report_kind").value == "complaint"
    app.radio(key="report_kind").set_value("undone").run()  # the user's own choice stays
    assert app.radio(key="report_kind").value == "undone"


def test_filing_errors_appear_in_chinese_beside_the_fields(open_page):
    app = open_page("pages/report.py")
    app.text_input(key="report_title").input("短")
    app.text_input(key="report_contact_mobile").input("123")
    app.text_input(key="report_credit_code").input("91350100M000100Y44")
    next(b for b in app.button if b.label == "提交").click().run()
    content = texts(app)
    assert "请按提示修改标红的内容" in content
    assert "请选择反映类型。" in content and "标题需 4–100 个字。" in content
    assert "手机号码应为 1 开头的 11 位数字。" in content
    assert "统一社会信用代码应为 18 位且校验位正确，请核对。" in content
    assert not app.metric


def test_tracking_page_shows_the_public_timeline(open_page, demo_session):
    filed = reports.file_report(demo_session, actor=None, data=valid_input())
    app = open_page("pages/track.py")
    app.text_input(key="track_no").input(filed.tracking_no)
    app.text_input(key="track_code").input(filed.query_code)
    app.button[0].click().run()
    assert not app.exception
    assert "待受理" in texts(app) and "已提交" in texts(app)


def test_tracking_with_a_wrong_code_gets_one_neutral_message(open_page, demo_session):
    filed = reports.file_report(demo_session, actor=None, data=valid_input())
    app = open_page("pages/track.py")
    app.text_input(key="track_no").input(filed.tracking_no)
    app.text_input(key="track_code").input("AAAAAAAA")
    app.button[0].click().run()
    assert "未查到该件，请核对受理编号和查询码。" in texts(app)
    assert app.session_state["track_failures"] == 1


def test_filer_rates_unsatisfied_and_the_report_reopens(open_page, demo_session):
    filed = reports.file_report(demo_session, actor=None, data=valid_input())
    supervisor = load_actor(demo_session, username="supervisor")
    unit = load_actor(demo_session, username="unit_fgj")
    report_flow.assign(demo_session, actor=supervisor, report_id=filed.report_id,
                       unit_id=unit_id(demo_session), category_number=14)
    report_flow.reply(demo_session, actor=unit, report_id=filed.report_id, result="已补办", outcome="resolved")
    app = open_page("pages/track.py")
    app.text_input(key="track_no").input(filed.tracking_no)
    app.text_input(key="track_code").input(filed.query_code)
    app.button[0].click().run()
    content = texts(app)
    assert "区发改局的答复" in content and "已补办" in content  # the answer, on top
    app.text_area(key="track_comment").input("仍未补办")
    app.button(key="track_rate_unsatisfied").click().run()  # one tap rates
    assert not app.exception
    assert "已转入差评整改" in texts(app) and "差评整改中" in texts(app)
    assert not [b for b in app.button if b.key and b.key.startswith("track_rate_")]


def test_supervisor_queue_assigns_a_report(open_page, demo_session):
    filed = reports.file_report(demo_session, actor=None, data=valid_input(title="队列中的新件"))
    app = open_page("pages/intake.py", "supervisor")
    assert not app.exception
    select_row(app, "intake_table", filed.tracking_no)
    assert "赵强" in texts(app)
    next(b for b in app.button if b.label == "受理并分办").click().run()
    assert not app.exception
    content = texts(app)
    assert f"已将 {filed.tracking_no} 分办至区发改局，响应期限 2026年" in content
    assert "队列中的新件" in content  # the record stays open after the action


def test_unit_page_hides_a_confidential_filer(open_page, demo_session):
    filed = reports.file_report(demo_session, actor=None, data=valid_input(title="保密件：窗口推诿"))
    supervisor = load_actor(demo_session, username="supervisor")
    report_flow.assign(demo_session, actor=supervisor, report_id=filed.report_id,
                       unit_id=unit_id(demo_session), category_number=None)
    app = open_page("pages/unit_reports.py", "unit_fgj")
    assert not app.exception
    select_row(app, "unit_table", filed.tracking_no)
    content = texts(app)
    assert "保密件：窗口推诿" in content and "赵强" not in content and "13912345678" not in content
    assert "反映人要求对承办单位保密身份" in content


def test_the_other_unit_does_not_see_it(open_page, demo_session):
    reports.file_report(demo_session, actor=None, data=valid_input(title="只给发改局"))
    app = open_page("pages/unit_reports.py", "unit_zjj")
    assert not app.exception
    assert "只给发改局" not in texts(app)


def test_office_entry_records_the_channel(open_page, demo_session):
    app = open_page("pages/intake_entry.py", "supervisor")
    assert not app.exception
    app.selectbox(key="entry_channel").set_value(Channel.PHONE.value)
    app.radio(key="entry_kind").set_value("complaint")
    app.text_input(key="entry_title").input("12345 转来：执法人员态度生硬")
    app.text_area(key="entry_description").input("来电人反映市场监管执法时态度生硬，要求道歉。")
    app.checkbox(key="entry_anonymous").check()
    next(b for b in app.button if b.label == "提交").click().run()
    assert "提交成功" in texts(app)


def test_company_registers_and_lands_in_its_account(open_page):
    app = open_page("pages/register.py")
    fill(app, "register", company_name="通辽市示范商贸有限公司", credit_code=VALID_CODE,
         contact_name="孙丽", contact_mobile="13800001111", username="shifan",
         password="Tongliao-Mao-26", repeat="Tongliao-Mao-26")
    next(b for b in app.button if b.label == "注册").click().run()
    assert not app.exception
    assert app.session_state["actor"].username == "shifan"


def test_company_registration_errors_are_shown(open_page):
    app = open_page("pages/register.py")
    next(b for b in app.button if b.label == "注册").click().run()
    content = texts(app)
    assert "请填写企业名称。" in content and "请填写统一社会信用代码。" in content


def test_my_reports_lists_the_company_reports(open_page, demo_session):
    company = load_actor(demo_session, username="company")
    reports.file_report(demo_session, actor=company, data=valid_input(title="企业自己的件"))
    app = open_page("pages/my_reports.py", "company")
    assert not app.exception
    assert "企业自己的件" in texts(app)


def test_admin_enters_next_years_holidays(open_page):
    app = open_page("pages/admin_calendar.py", "admin")
    assert not app.exception
    app.selectbox(key="calendar_year").set_value(2027).run()
    assert "2027 年：尚无官方安排，按周一至周五计算" in texts(app)
