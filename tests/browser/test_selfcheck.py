"""A unit fills its self-check form, submits, and the supervisor returns it with a note."""

import pytest

from tests.browser.conftest import DESKTOP, log_in, wait_ready
from tests.browser.test_report_journey import MAIN, open_nav, pick

pytestmark = pytest.mark.browser


def category_block(page, number: int):
    """The bordered block of category `number` in the visible area tab."""
    return page.locator(f".st-key-selfcheck_category_{number}")


def test_unit_fills_the_form_and_submits_then_the_supervisor_returns_it(start_server, browser):
    server = start_server()
    unit = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    unit.set_default_timeout(20_000)
    unit.goto(server.url)
    wait_ready(unit)
    log_in(unit, "unit_zjj", "Demo-Unit-2026")
    open_nav(unit, "季度自查")
    unit.get_by_text("状态：草稿").wait_for()
    assert "已填 0/32" in unit.inner_text(MAIN) or "已填 1/32" in unit.inner_text(MAIN)

    category_block(unit, 1).get_by_text("存在", exact=True).click()
    wait_ready(unit)
    block = category_block(unit, 1)
    block.get_by_label("问题描述").fill("重大项目推进会议纪要落实跟踪不及时")
    block.get_by_label("整改措施").fill("建立督办台账，每周跟踪")
    block.get_by_text("中", exact=True).click()
    wait_ready(unit)
    block.get_by_label("责任人").fill("李科长")
    block.get_by_label("责任人").press("Tab")
    wait_ready(unit)
    assert "有尚未保存的修改" in unit.inner_text(MAIN)
    unit.get_by_role("button", name="提交", exact=True).click()
    wait_ready(unit)
    unit.get_by_text("请填写：整改时限").wait_for()  # inline, under category 1

    category_block(unit, 1).get_by_role("button", name="增加一个问题").click()  # a second one
    wait_ready(unit)
    category_block(unit, 1).get_by_text("问题 2", exact=True).wait_for()
    assert category_block(unit, 1).get_by_label("问题描述").count() == 2
    category_block(unit, 1).get_by_role("button", name="删除问题 2").click()
    wait_ready(unit)
    assert category_block(unit, 1).get_by_label("问题描述").count() == 1

    category_block(unit, 1).get_by_text("不存在", exact=True).click()
    wait_ready(unit)
    unit.get_by_role("button", name="其余类别标记为“不存在”").click()
    unit.get_by_text("草稿已保存。").wait_for()
    wait_ready(unit)
    unit.get_by_role("button", name="提交", exact=True).click()
    unit.get_by_text("状态：已提交").wait_for()

    office = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    office.set_default_timeout(20_000)
    office.goto(server.url)
    wait_ready(office)
    log_in(office, "supervisor", "Demo-Yingshang-2026")
    open_nav(office, "自查审核")
    pick(office, "审核单位", "区住建局")
    office.get_by_label("退回意见").fill("请补充第14类整改进展")
    office.get_by_role("button", name="退回修改").click()
    office.get_by_text("已将区住建局的2026年第四季度自查表退回修改。").wait_for()

    open_nav(unit, "工作台")
    open_nav(unit, "季度自查")
    unit.get_by_text("审核退回意见：请补充第14类整改进展").wait_for()
    assert "状态：已退回" in unit.inner_text(MAIN)
