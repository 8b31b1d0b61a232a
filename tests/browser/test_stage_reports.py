"""报送事项 in Chromium: the office asks 区发改局 for a report, the unit submits it, the office opens
the unit's submission and accepts it."""

import pytest

from tests.browser.conftest import log_in, wait_ready
from tests.browser.test_report_journey import open_nav
from tests.browser.test_tasks import new_page, open_tab, select_row

pytestmark = pytest.mark.browser

TITLE = "第一阶段工作开展情况及典型案例（补报）"


def test_a_request_is_submitted_by_its_unit_and_accepted_by_the_office(start_server, browser):
    server = start_server()
    office = new_page(browser)
    office.goto(server.url)
    wait_ready(office)
    log_in(office, "supervisor", "Demo-Yingshang-2026")
    open_nav(office, "报送事项")

    # 1. the office asks 区发改局 for a report due today
    form = open_tab(office, "发布报送事项")
    form.get_by_label("事项名称").fill(TITLE)
    form.get_by_label("报送要求").fill("请报送第一阶段工作开展情况及典型案例。")
    form.locator("[data-testid='stMultiSelect']").filter(has_text="报送单位").click()
    office.keyboard.type("区发改局")
    office.keyboard.press("Enter")
    office.keyboard.press("Escape")
    form.get_by_role("button", name="发布").click()
    office.get_by_text("已发布报送事项 报送〔").wait_for()

    # 2. the unit finds it among its requests and submits
    unit = new_page(browser)
    unit.goto(server.url)
    wait_ready(unit)
    log_in(unit, "unit_fgj", "Demo-Unit-2026")
    open_nav(unit, "报送任务")
    select_row(unit.locator("[data-testid='stMain']"), TITLE)
    unit.get_by_label("报送内容").fill("第一阶段完成自查自纠，梳理典型案例 2 件，均已办结。")
    unit.get_by_role("button", name="提交报送").click()
    unit.get_by_text("已报送 报送〔").wait_for()
    unit.get_by_text("已报送，等待营商办审核。").wait_for()

    # 3. the office sees who has submitted, opens the submission and accepts it
    office.reload()
    wait_ready(office)
    listing = open_tab(office, "报送事项列表")
    select_row(listing, TITLE)
    select_row(listing, "区发改局")
    listing.get_by_text("梳理典型案例 2 件，均已办结").wait_for()
    listing.get_by_role("button", name="审核通过").click()
    office.get_by_text("已通过区发改局的报送。").wait_for()

    # 4. the unit sees it accepted
    unit.reload()
    wait_ready(unit)
    select_row(unit.locator("[data-testid='stMain']"), TITLE)
    unit.get_by_text("已通过营商办审核。").wait_for()
