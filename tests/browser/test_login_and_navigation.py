"""In a real browser: each role's navigation, and protected URLs on a fresh server."""

import pytest

from portal.demo import DEMO_ACCOUNTS
from tests.browser.conftest import log_in, wait_ready

pytestmark = pytest.mark.browser

NAV = "[data-testid='stSidebarNav']"
ADMIN_PAGES = ["用户管理", "单位管理", "问题分类目录", "工作日历与时限", "典型案例指标规则", "操作日志",
               "消息通知管理", "考核评分细则"]
ROLE_PAGES = {"supervisor": ["受理分办", "代录来电来信", "退回申请", "回访", "12345工单导入", "知识库",
                             "自查审核", "重点任务", "报送事项", "整改台账", "指标完成情况",
                             "统计分析", "日调度"],
              "discipline": ["受理分办", "移交函收件箱", "知识库", "自查审核", "典型案例", "指标完成情况",
                             "统计分析", "日调度"],
              "unit_fgj": ["本单位承办件", "知识库", "季度自查", "我的任务", "报送任务", "本单位整改台账",
                           "典型案例"],
              "unit_zjj": ["本单位承办件", "知识库", "季度自查", "我的任务", "报送任务", "本单位整改台账",
                           "典型案例"],
              "company": ["我的反映"], "admin": ["知识库", "重点任务", "报送事项", "整改台账"]}
ALL_ROLE_PAGES = {title for titles in ROLE_PAGES.values() for title in titles}
PROTECTED_URLS = ["home", "account", "admin_users", "admin_units", "admin_catalogue",
                  "admin_calendar", "admin_audit", "intake", "intake_entry", "unit_reports",
                  "my_reports", "transfers", "selfcheck", "selfcheck_review", "cases",
                  "quota_dashboard", "admin_quotas", "followup", "return_requests",
                  "import_12345", "knowledge", "stats_dashboard", "dispatch",
                  "admin_scoring", "tasks", "my_tasks", "stage_reports", "my_stage_reports",
                  "rectify", "my_rectify"]


@pytest.fixture(scope="module")
def server(demo_database, tmp_path_factory):
    import shutil

    from tests.browser.conftest import Server

    database = tmp_path_factory.mktemp("shared") / "db.sqlite3"
    shutil.copy(demo_database, database)
    running = Server(database)
    yield running
    running.stop()


# Streamlit's own placeholder texts, shown in English whatever the language unless a page sets
# its own (uploader and date texts are rewritten by portal/ui/locale_patch.py, checked elsewhere).
ENGLISH_FILLERS = ("Choose an option", "Choose options", "No options to select")


def truncated_metrics(page) -> list[str]:
    """Metric values (deadlines, counts, rates) cut off with an ellipsis at this viewport."""
    return page.eval_on_selector_all(
        "[data-testid='stMetricValue'], [data-testid='stMetricValue'] *",
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)")


def nav_titles(page) -> list[str]:
    """The page titles in the sidebar navigation (icon names stripped)."""
    links = page.locator(NAV).locator("a").all_inner_texts()
    return [text.strip().split("\n")[-1].strip() for text in links]


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=[a.username for a in DEMO_ACCOUNTS])
def test_each_demo_role_logs_in_and_sees_its_navigation(server, page, account):
    page.goto(server.url)
    wait_ready(page)
    assert "工作人员登录" in page.inner_text(NAV)
    log_in(page, account.username, account.password)
    nav = nav_titles(page)
    assert "工作台" in nav and "反映问题" in nav and "工作人员登录" not in nav
    is_admin = account.username == "admin"
    for title in ADMIN_PAGES:
        assert (title in nav) == is_admin, title
    for title in ALL_ROLE_PAGES:
        assert (title in nav) == (title in ROLE_PAGES[account.username]), title
    assert account.display_name in page.inner_text("[data-testid='stMain']")

    page.get_by_role("button", name="退出登录").click()
    page.get_by_text("我要反映").wait_for()  # back on the portal home
    wait_ready(page)
    assert "工作台" not in page.inner_text(NAV)


@pytest.mark.parametrize("path", PROTECTED_URLS)
def test_protected_url_on_a_fresh_server_shows_the_login(start_server, page, path):
    fresh = start_server()
    page.goto(f"{fresh.url}/{path}")
    page.get_by_label("密码").first.wait_for()
    wait_ready(page)
    main = page.inner_text("[data-testid='stMain']")
    assert "请先登录" in main
    for content in ("新建用户", "单位名称", "廉洁自律", "操作人", "您好", "修改密码", "按状态筛选",
                    "来源渠道", "时限"):
        assert content not in main


def test_a_unit_user_cannot_open_admin_pages_by_url(server, page):
    page.goto(server.url)
    wait_ready(page)
    log_in(page, "unit_fgj", "Demo-Unit-2026")
    for path in ("admin_users", "admin_units"):
        page.goto(f"{server.url}/{path}")
        wait_ready(page)
        main = page.inner_text("[data-testid='stMain']")
        assert "新建用户" not in main and "新增单位" not in main and "unit_zjj" not in main


def test_language_switch_turns_the_page_english(server, page):
    page.goto(server.url)
    wait_ready(page)
    page.get_by_role("radio", name="English").click()
    wait_ready(page)
    page.locator(NAV).get_by_text("Report a problem").wait_for()
    # the navigation turns first; the page body follows when the rerun has finished drawing
    page.locator("[data-testid='stMain']").get_by_text("Staff login").wait_for()
    wait_ready(page)
    assert "工作人员登录" not in page.inner_text("[data-testid='stMain']")


def test_a_reload_keeps_the_login_and_logout_ends_it(server, page):
    page.goto(server.url)
    wait_ready(page)
    log_in(page, "discipline", "Demo-Jiwei-2026")
    page.reload()
    page.get_by_role("button", name="退出登录").wait_for()
    assert "移交函收件箱" in page.inner_text(NAV)
    page.get_by_role("button", name="退出登录").click()
    page.get_by_text("我要反映").wait_for()  # back on the portal home
    page.reload()
    page.get_by_text("我要反映").wait_for()
    wait_ready(page)
    assert "移交函收件箱" not in page.inner_text(NAV)
    assert not page.get_by_role("button", name="退出登录").count()


@pytest.mark.parametrize("account", DEMO_ACCOUNTS,
                         ids=[a.username for a in DEMO_ACCOUNTS])
def test_every_page_opened_by_url_shows_only_what_the_role_may_see(server, page, account):
    """Each role types every page's address: its own pages open, the others never render."""
    from portal.db import make_engine, session_scope
    from portal.i18n import t
    from portal.ui.navigation import PAGES
    from portal.users import load_actor

    engine = make_engine(f"sqlite:///{server.database}")
    with session_scope(engine) as session:
        me = load_actor(session, username=account.username)
    engine.dispose()
    page.goto(server.url)
    wait_ready(page)
    log_in(page, account.username, account.password)
    for spec in PAGES:
        path = spec.script.removeprefix("pages/").removesuffix(".py")
        page.goto(f"{server.url}/{path}")
        page.get_by_role("button", name="退出登录").wait_for()  # still logged in
        wait_ready(page)
        headings = " ".join(page.locator("h1").all_inner_texts())
        title = t(spec.title_key)
        if spec.visible_to(me):
            assert title.split("（")[0] in headings or spec.script.endswith("home.py"), path
            assert not truncated_metrics(page), (path, truncated_metrics(page))
        else:
            assert title not in headings, f"{account.username} opened {path}"
        main = page.inner_text("[data-testid='stMain']")
        assert "Traceback" not in main
        for filler in ENGLISH_FILLERS:
            assert filler not in main, (path, filler)
