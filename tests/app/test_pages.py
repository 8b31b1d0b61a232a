"""Every page, logged out and as each role: who sees what."""

import pytest
from sqlmodel import select

from tests.app.conftest import texts

PROTECTED = ["pages/home.py", "pages/account.py", "pages/admin_users.py", "pages/admin_units.py",
             "pages/admin_catalogue.py", "pages/admin_calendar.py", "pages/admin_audit.py",
             "pages/intake.py", "pages/intake_entry.py", "pages/unit_reports.py",
             "pages/my_reports.py", "pages/transfers.py", "pages/selfcheck.py",
             "pages/selfcheck_review.py", "pages/cases.py", "pages/quota_dashboard.py",
             "pages/admin_quotas.py", "pages/followup.py", "pages/return_requests.py",
             "pages/import_12345.py", "pages/knowledge.py", "pages/stats_dashboard.py",
             "pages/dispatch.py", "pages/admin_scoring.py", "pages/tasks.py",
             "pages/my_tasks.py", "pages/stage_reports.py", "pages/my_stage_reports.py",
             "pages/rectify.py", "pages/my_rectify.py"]
ADMIN_ONLY = ["pages/admin_users.py", "pages/admin_units.py", "pages/admin_catalogue.py",
              "pages/admin_calendar.py", "pages/admin_audit.py", "pages/admin_quotas.py",
              "pages/admin_scoring.py"]
ROLE_ONLY = {"pages/intake.py": ["unit_fgj", "company", "admin"],
             "pages/intake_entry.py": ["discipline", "unit_fgj", "company", "admin"],
             "pages/unit_reports.py": ["supervisor", "discipline", "company", "admin"],
             "pages/my_reports.py": ["supervisor", "discipline", "unit_fgj", "admin"],
             "pages/transfers.py": ["supervisor", "unit_fgj", "company", "admin"],
             "pages/selfcheck.py": ["supervisor", "discipline", "company", "admin"],
             "pages/selfcheck_review.py": ["unit_fgj", "company", "admin"],
             "pages/cases.py": ["supervisor", "company", "admin"],
             "pages/quota_dashboard.py": ["unit_fgj", "company", "admin"],
             "pages/followup.py": ["discipline", "unit_fgj", "company", "admin"],
             "pages/return_requests.py": ["discipline", "unit_fgj", "company", "admin"],
             "pages/import_12345.py": ["discipline", "unit_fgj", "company", "admin"],
             "pages/knowledge.py": ["company"],
             "pages/stats_dashboard.py": ["unit_fgj", "company", "admin"],
             "pages/dispatch.py": ["unit_fgj", "company", "admin"],
             "pages/tasks.py": ["discipline", "unit_fgj", "company"],
             "pages/my_tasks.py": ["supervisor", "discipline", "company", "admin"],
             "pages/stage_reports.py": ["discipline", "unit_fgj", "company"],
             "pages/my_stage_reports.py": ["supervisor", "discipline", "company", "admin"],
             "pages/rectify.py": ["discipline", "unit_fgj", "company"],
             "pages/my_rectify.py": ["supervisor", "discipline", "company", "admin"]}
NON_ADMINS = ["supervisor", "discipline", "unit_fgj", "company"]


@pytest.mark.parametrize("script", PROTECTED)
def test_logged_out_visitors_get_the_login_form_not_the_page(open_page, script):
    app = open_page(script)
    assert not app.exception
    assert "请先登录后再访问本页面。" in texts(app)
    assert [i.label for i in app.text_input] == ["用户名", "密码"]
    assert not app.dataframe


@pytest.mark.parametrize("script", ADMIN_ONLY)
@pytest.mark.parametrize("username", NON_ADMINS)
def test_non_admins_are_refused_admin_pages(open_page, script, username):
    app = open_page(script, username)
    assert not app.exception
    assert "您的账号没有访问本页面的权限。" in texts(app)
    assert not app.dataframe and not app.text_input


@pytest.mark.parametrize(("script", "username"),
                         [(s, u) for s, users in ROLE_ONLY.items() for u in users])
def test_report_pages_refuse_other_roles(open_page, script, username):
    app = open_page(script, username)
    assert not app.exception
    assert "您的账号没有访问本页面的权限。" in texts(app)
    assert not app.dataframe


@pytest.mark.parametrize(("script", "text"), [
    ("pages/report.py", "受理编号和查询码"), ("pages/track.py", "查询码"), ("pages/board.py", "典型案例通报曝光"),
    ("pages/faq.py", "仅供参考")])
def test_public_pages_open_without_login(open_page, script, text):
    app = open_page(script)
    assert not app.exception
    assert text in texts(app)


def test_anonymous_visitors_land_on_the_portal_home_with_staff_login_as_a_link(open_page):
    app = open_page("app.py")
    assert not app.exception
    content = texts(app)
    assert "我要反映" in content and "我们的承诺" in content
    assert "1 个工作日内响应、5 个工作日内答复" in content
    links = [link.proto.label for link in app.get("page_link")]
    assert links[:3] == ["投诉举报", "办不成事", "意见建议"]
    assert {"进度查询", "公示栏", "工作人员登录"} <= set(links)
    assert not app.text_input  # no login form in a company owner's way


def test_login_with_the_demo_admin_password(open_page):
    app = open_page("pages/login.py")
    app.text_input(key="login_username").input("admin")
    app.text_input(key="login_password").input("Demo-Admin-2026")
    app.button[0].click().run()
    assert app.session_state["actor"].username == "admin"


def test_login_with_a_wrong_password_says_so_in_chinese(open_page):
    app = open_page("pages/login.py")
    app.text_input(key="login_username").input("supervisor")
    app.text_input(key="login_password").input("not-the-password")
    app.button[0].click().run()
    assert "用户名或密码错误，或尝试过于频繁，请稍后再试。" in texts(app)
    assert app.session_state["actor"] is None


def test_home_shows_the_unit_of_a_unit_user(open_page):
    app = open_page("pages/home.py", "unit_fgj")
    assert not app.exception
    content = texts(app)
    assert "张伟（区发改局）" in content and "区发改局" in content and "责任单位" in content


def test_home_in_english(open_page):
    app = open_page("pages/home.py", "supervisor", lang="en")
    assert "Hello, 王明（区科创营商局）" in texts(app)


def test_admin_sees_the_catalogue_grouped_by_area(open_page):
    app = open_page("pages/admin_catalogue.py", "admin")
    assert not app.exception
    assert [s.value for s in app.subheader] == [
        "1. 职责落实", "2. 依法行政", "3. 工作效能", "4. 规范执法", "5. 廉洁自律"]
    assert sum(len(frame.value) for frame in app.dataframe) == 32


def test_admin_sees_units_and_can_add_one(open_page, demo_session):
    from portal.models import Unit

    app = open_page("pages/admin_units.py", "admin")
    assert not app.exception
    every_unit = demo_session.exec(select(Unit.name).order_by(Unit.sort_order, Unit.id)).all()
    assert len(every_unit) >= 18  # the district's units (other tests' demo data may add some)
    assert sorted(app.dataframe[0].value["单位名称"]) == sorted(every_unit)
    app.text_input(key="units_new_name").input("区交通运输局")
    app.checkbox(key="units_new_quota").check()
    next(b for b in app.button if b.label == "新增").click().run()
    assert "已新增单位 区交通运输局。" in texts(app)
    assert "区交通运输局" in texts(app)


def test_admin_creates_a_user_and_sees_the_password_once(open_page):
    app = open_page("pages/admin_users.py", "admin")
    assert not app.exception
    assert "unit_fgj" in texts(app)
    app.text_input(key="users_new_username").input("li_na")
    app.text_input(key="users_new_display_name").input("李娜")
    app.multiselect(key="users_new_roles").select("supervisor")
    next(b for b in app.button if b.label == "创建用户").click().run()
    assert "已创建用户 li_na" in texts(app)
    assert len(app.code) == 1 and len(app.code[0].value) == 12
    app.run()
    assert not app.code


def test_admin_user_form_reports_bad_input_in_chinese(open_page):
    app = open_page("pages/admin_users.py", "admin")
    app.text_input(key="users_new_username").input("王五")
    app.text_input(key="users_new_display_name").input("王五")
    app.multiselect(key="users_new_roles").select("unit")
    next(b for b in app.button if b.label == "创建用户").click().run()
    assert "用户名只能由 1–20 位英文字母、数字、下划线或连字符组成。" in texts(app)


def test_admin_audit_log_lists_changes(open_page, demo_db_url):
    from portal import users
    from portal.db import make_engine, session_scope

    engine = make_engine(demo_db_url)
    with session_scope(engine) as session:  # the newest change, whatever ran before
        admin = users.load_actor(session, username="admin")
        users.update_user(session, actor=admin, user_id=admin.user_id,
                          display_name="系统管理员（演示）", roles=["admin"], unit_id=None)
    engine.dispose()
    app = open_page("pages/admin_audit.py", "admin")
    assert not app.exception
    assert "修改账号" in texts(app) and "roles=admin" in texts(app)
    assert "user.update" not in texts(app)  # the action by its name, not its code


def test_account_page_changes_the_password_with_chinese_errors(open_page):
    app = open_page("pages/account.py", "company")
    assert not app.exception
    app.text_input(key="account_current").input("wrong-wrong")
    app.text_input(key="account_new").input("Another-Pass-9")
    app.text_input(key="account_repeat").input("Another-Pass-9")
    app.button[0].click().run()
    assert "当前密码不正确。" in texts(app)
