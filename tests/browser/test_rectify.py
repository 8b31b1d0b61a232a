"""The 整改台账 in Chromium: a self-check problem of 区发改局 (demo data) is rectified, the unit
uploads its evidence and asks for 销号, the office accepts it and the problem is 已销号."""

import pytest

from tests.browser.conftest import DESKTOP, log_in, wait_ready
from tests.browser.test_report_journey import open_nav
from tests.browser.test_tasks import select_row
from tests.services.test_reports import PNG

pytestmark = pytest.mark.browser
PROBLEM = "政务服务窗口一次性告知清单未及时更新"


def new_page(browser):
    page = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    page.set_default_timeout(20_000)
    return page


def test_a_problem_is_closed_by_evidence(start_server, browser, tmp_path):
    server = start_server()
    proof = tmp_path / "告知清单.png"
    proof.write_bytes(PNG)

    # 1. the unit opens its ledger, picks the problem and submits evidence with a file
    unit = new_page(browser)
    unit.goto(server.url)
    wait_ready(unit)
    log_in(unit, "unit_fgj", "Demo-Unit-2026")
    open_nav(unit, "本单位整改台账")
    main = unit.locator("[data-testid='stMain']")
    select_row(main, PROBLEM)
    unit.get_by_text("提交整改材料，申请销号").wait_for()
    unit.get_by_label("整改情况说明").fill("已更新一次性告知清单并在窗口公示，每月核对。")
    unit.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(proof))
    unit.get_by_text("告知清单.png").first.wait_for()
    unit.get_by_role("button", name="提交并申请销号").click()
    unit.get_by_text("已提交整改材料，等待营商办销号。").first.wait_for()

    # 2. the office sees it 待销号 with the evidence and its file, and accepts it (销号)
    office = new_page(browser)
    office.goto(server.url)
    wait_ready(office)
    log_in(office, "supervisor", "Demo-Yingshang-2026")
    open_nav(office, "整改台账")
    select_row(office.locator("[data-testid='stMain']"), PROBLEM)
    office.get_by_text("已更新一次性告知清单并在窗口公示").wait_for()
    office.get_by_role("button", name="下载 告知清单.png").wait_for()
    office.get_by_role("button", name="同意销号").click()
    office.get_by_text("已销号：2026年第3季度-第15类。").wait_for()

    # 3. the unit sees the problem 已销号
    unit.reload()
    wait_ready(unit)
    select_row(unit.locator("[data-testid='stMain']"), PROBLEM)
    unit.get_by_text("该问题已销号。").wait_for()
