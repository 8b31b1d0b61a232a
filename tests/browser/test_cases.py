"""The discipline office verifies a case in the browser and the unit turns 已达标."""

import re

import pytest

from tests.browser.conftest import DESKTOP, log_in, wait_ready
from tests.browser.test_report_journey import confirm, open_nav, select_row

pytestmark = pytest.mark.browser


def row_of(page, unit: str) -> str:
    """The text of the unit's row in the page's first table (kept in the grid's hidden cells)."""
    rows = page.locator("[data-testid='stDataFrame']").first.locator("tr").filter(has_text=unit)
    rows.first.wait_for(state="attached")
    return rows.first.text_content()


def test_verifying_a_case_meets_the_quota(start_server, browser):
    server = start_server()
    page = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    page.set_default_timeout(20_000)
    page.goto(server.url)
    wait_ready(page)
    log_in(page, "discipline", "Demo-Jiwei-2026")

    open_nav(page, "指标完成情况")
    before = row_of(page, "区财政局")
    assert before.count("已达标") == 1  # only the March checkpoint

    open_nav(page, "典型案例")
    select_row(page, "违规扩大收费范围")
    page.get_by_role("button", name="转为“已审核”").click()
    page.get_by_role("dialog").get_by_text("审核后不能再修改", exact=False).wait_for()
    confirm(page)
    page.get_by_text(re.compile("已将案例“.*违规扩大收费范围.*”转为“已审核”。")).wait_for()

    open_nav(page, "指标完成情况")
    page.wait_for_timeout(500)
    wait_ready(page)
    after = row_of(page, "区财政局")
    assert after.count("已达标") == 2
