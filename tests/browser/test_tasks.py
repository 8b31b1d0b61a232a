"""The key-task ledger in Chromium: the office adds a task, the lead unit reports 100%, the office
accepts the report and the task is 已完成."""

import pytest

from tests.browser.conftest import DESKTOP, log_in, wait_ready
from tests.browser.test_report_journey import open_nav

pytestmark = pytest.mark.browser


def new_page(browser):
    page = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    page.set_default_timeout(20_000)
    return page


def open_tab(page, name: str):
    page.get_by_role("tab", name=name).click()
    page.wait_for_timeout(300)
    wait_ready(page)
    return page.locator("[role='tabpanel']:visible")


def select_row(scope, text: str) -> None:
    """Tick the row showing `text` in the table of `scope` (see test_report_journey)."""
    table = scope.locator("[data-testid='stDataFrame']").filter(has_text=text).first
    cell = table.locator("td").filter(has_text=text).first
    row = int(cell.get_attribute("id").rsplit("-", 1)[1])
    table.locator(".dvn-scroller").first.click(position={"x": 15, "y": 35 * (row + 1) + 17})
    scope.page.wait_for_timeout(500)
    wait_ready(scope.page)


def test_a_task_is_reported_by_its_unit_and_accepted_by_the_office(start_server, browser):
    server = start_server()
    office = new_page(browser)
    office.goto(server.url)
    wait_ready(office)
    log_in(office, "supervisor", "Demo-Yingshang-2026")
    open_nav(office, "重点任务")

    # 1. the office enters a task by hand, led by 区发改局
    form = open_tab(office, "新增任务")
    form.get_by_label("编号").fill("B-1")
    form.get_by_label("任务名称").fill("推进营商环境监督平台上线运行")
    form.locator("[data-testid='stMultiSelect']").filter(has_text="牵头单位").click()
    office.keyboard.type("区发改局")
    office.keyboard.press("Enter")
    office.keyboard.press("Escape")
    form.get_by_role("button", name="新增任务").click()
    office.get_by_text("已新增任务 B-1。").wait_for()

    # 2. the lead unit sees it among its tasks and reports 100%
    unit = new_page(browser)
    unit.goto(server.url)
    wait_ready(unit)
    log_in(unit, "unit_fgj", "Demo-Unit-2026")
    open_nav(unit, "我的任务")
    select_row(unit.locator("[data-testid='stMain']"), "推进营商环境监督平台上线运行")
    unit.get_by_label("进展情况").fill("平台已部署上线，18 个单位完成账号开通和培训。")
    unit.get_by_label("完成百分比").fill("100")
    unit.get_by_role("button", name="提交进展").click()
    unit.get_by_text("已报送 B-1 的进展，等待营商办审核。").wait_for()

    # 3. the office reviews the report and accepts it
    office.reload()
    wait_ready(office)
    queue = open_tab(office, "进展审核")
    select_row(queue, "推进营商环境监督平台上线运行")
    queue.get_by_text("18 个单位完成账号开通和培训").wait_for()
    queue.get_by_role("button", name="审核通过").click()
    office.get_by_text("已通过 B-1 的进展。").wait_for()

    # 4. the task is done, in the office's ledger and for the unit
    office.get_by_label("按编号或任务名称搜索").fill("B-1")
    office.get_by_label("按编号或任务名称搜索").press("Enter")
    wait_ready(office)
    ledger = open_tab(office, "任务清单")
    row = ledger.locator("[data-testid='stDataFrame'] tr").filter(has_text="B-1").first
    row.wait_for(state="attached")
    assert "已完成" in row.text_content()
    unit.reload()
    wait_ready(unit)
    select_row(unit.locator("[data-testid='stMain']"), "推进营商环境监督平台上线运行")
    unit.get_by_text("本任务已完成。").wait_for()
