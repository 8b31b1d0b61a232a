"""A supervisor issues a 提醒单 by hand and the unit sees it, in a real browser."""

import re

import pytest

from tests.browser.conftest import log_in, wait_ready
from tests.browser.test_report_journey import MAIN, confirm, open_nav, open_report

pytestmark = pytest.mark.browser


def test_a_reminder_issued_by_hand_reaches_the_unit(start_server, browser):
    server = start_server()
    office = browser.new_context(locale="zh-CN").new_page()
    office.set_default_timeout(20_000)
    office.goto(server.url)
    wait_ready(office)
    log_in(office, "supervisor", "Demo-Yingshang-2026")
    open_nav(office, "受理分办")
    open_report(office, "YS2026-000003")  # demo: assigned to 区发改局, not yet answered
    office.get_by_label("发出下一级督办通知的理由").fill("企业来电反映仍无人联系")
    # the morning ladder may already have sent this demo report a notice (it depends on the
    # day the demo is seeded): issue whichever rung comes next
    issue = office.get_by_role("button", name=re.compile("^发出(提醒单|催办单|督办单|移交函)$"))
    kind = issue.inner_text().strip()[2:]
    prefix = kind[:2]
    issue.click()
    dialog = office.get_by_role("dialog")
    dialog.get_by_text(f"将对 YS2026-000003（承办单位：区发改局）发出{kind}，理由：企业来电反映仍无人联系。",
                       exact=False).wait_for()
    confirm(office)
    office.get_by_text(re.compile(f"已发出 {prefix}〔2026〕\\d+号（YS2026-000003）")).wait_for()
    button = office.get_by_role("button", name=f"下载 {prefix}〔")
    button.wait_for()
    label = button.inner_text().strip()  # 下载 提醒〔2026〕N号（Word）

    unit = browser.new_context(locale="zh-CN").new_page()
    unit.set_default_timeout(20_000)
    unit.goto(server.url)
    wait_ready(unit)
    log_in(unit, "unit_fgj", "Demo-Unit-2026")
    unit.get_by_text("本单位收到的督办通知").wait_for()
    unit.get_by_role("button", name=label, exact=True).wait_for()
    with unit.expect_download() as download:
        unit.get_by_role("button", name=label, exact=True).click()
    assert download.value.suggested_filename.startswith(f"{prefix}〔")
    assert "本单位红牌" in unit.inner_text(MAIN)
