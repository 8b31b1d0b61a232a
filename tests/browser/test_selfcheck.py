"""A unit answers its self-check in the grid, submits, and the supervisor returns it."""

import pytest

from tests.browser.conftest import log_in, wait_ready
from tests.browser.test_report_journey import MAIN, open_nav, pick

pytestmark = pytest.mark.browser
HEADER = 35  # the grid's header and row height, in CSS pixels
ANSWER_COLUMN = 4  # after 红黄牌, 序号, 方面, 问题类别


def answer(page, row: int, text: str) -> None:
    """Type `text` into the 是否存在问题 cell of grid row `row` (0-based)."""
    grid = page.locator("[data-testid='stDataFrame']").bounding_box()
    page.mouse.click(grid["x"] + 20, grid["y"] + HEADER + row * HEADER + HEADER / 2)
    for _ in range(ANSWER_COLUMN):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.wait_for_timeout(800)
    wait_ready(page)


def test_unit_answers_and_submits_then_the_supervisor_returns_it(start_server, browser):
    server = start_server()
    unit = browser.new_context(locale="zh-CN", viewport={"width": 1500, "height": 1100}).new_page()
    unit.set_default_timeout(20_000)
    unit.goto(server.url)
    wait_ready(unit)
    log_in(unit, "unit_zjj", "Demo-Unit-2026")
    open_nav(unit, "季度自查")
    unit.get_by_text("状态：草稿").wait_for()
    answer(unit, 0, "不存在")
    answer(unit, 1, "不存在")
    unit.get_by_role("button", name="其余类别标记为“不存在”").click()
    unit.wait_for_timeout(1000)
    wait_ready(unit)
    unit.get_by_role("button", name="提交", exact=True).click()
    unit.get_by_text("状态：已提交").wait_for()

    office = browser.new_context(locale="zh-CN").new_page()
    office.set_default_timeout(20_000)
    office.goto(server.url)
    wait_ready(office)
    log_in(office, "supervisor", "Demo-Yingshang-2026")
    open_nav(office, "自查审核")
    pick(office, "审核单位", "区住建局")
    office.get_by_label("退回意见").fill("请补充第14类整改进展")
    office.get_by_role("button", name="退回修改").click()
    office.get_by_text("操作已完成。").wait_for()

    open_nav(unit, "工作台")
    open_nav(unit, "季度自查")
    unit.get_by_text("审核退回意见：请补充第14类整改进展").wait_for()
    assert "状态：已退回" in unit.inner_text(MAIN)
