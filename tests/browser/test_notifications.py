"""Assigning a report rings the unit's bell, and the filer's SMS lands in the file backend."""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.browser.conftest import ROOT, log_in, wait_ready
from tests.browser.test_report_journey import MAIN, open_nav, open_report, pick

pytestmark = pytest.mark.browser
BELL = re.compile(r"站内信（(\d+) 条未读）")
TRACKING_NO = "YS2026-000005"  # demo: waiting for intake, the filer opted in to SMS


def bell_count(page) -> int:
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text(BELL).wait_for()
    return int(BELL.search(sidebar.inner_text()).group(1))


def test_an_assignment_rings_the_units_bell_and_texts_the_filer(start_server, browser,
                                                                tmp_path, monkeypatch):
    sms_file = tmp_path / "sms.jsonl"
    monkeypatch.setenv("SMS_BACKEND", "file")
    monkeypatch.setenv("SMS_FILE", str(sms_file))
    server = start_server()
    database = tmp_path / "db0.sqlite3"  # the copy start_server gave this server

    unit = browser.new_context(locale="zh-CN").new_page()
    unit.set_default_timeout(20_000)
    unit.goto(server.url)
    wait_ready(unit)
    log_in(unit, "unit_fgj", "Demo-Unit-2026")
    before = bell_count(unit)

    office = browser.new_context(locale="zh-CN").new_page()
    office.set_default_timeout(20_000)
    office.goto(server.url)
    wait_ready(office)
    log_in(office, "supervisor", "Demo-Yingshang-2026")
    open_nav(office, "受理分办")
    open_report(office, TRACKING_NO)
    pick(office, "分办至单位", "区发改局")
    office.get_by_role("button", name="受理并分办").click()
    office.get_by_text(f"已将 {TRACKING_NO} 分办至区发改局", exact=False).wait_for()

    unit.reload()
    wait_ready(unit)
    assert bell_count(unit) == before + 1
    unit.locator("[data-testid='stSidebar']").get_by_text(BELL).click()
    wait_ready(unit)
    unit.get_by_text(f"新分办件 {TRACKING_NO}").first.wait_for()
    assert "区发改局：营商办分办给你单位一件反映问题" in unit.inner_text(MAIN)
    assert "陈静" not in unit.inner_text(MAIN)  # the demo filer asked for confidentiality

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SMS_BACKEND": "file",
           "SMS_FILE": str(sms_file), "NOTIFY_QUIET_START": "0", "NOTIFY_QUIET_END": "0",
           "SMTP_HOST": ""}
    done = subprocess.run([sys.executable, "-m", "portal", "notify", "--once"], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=True)
    assert "已发送" in done.stdout
    texts = [json.loads(line) for line in sms_file.read_text(encoding="utf-8").splitlines()]
    mine = [t for t in texts if TRACKING_NO in t["text"]]
    assert mine and mine[-1]["mobile"] == "13847500001"
    assert mine[-1]["text"].startswith("【") and "已受理" in mine[-1]["text"]
    assert "http" not in mine[-1]["text"]  # no links in a filer's SMS unless configured
