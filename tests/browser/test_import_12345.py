"""In a real browser: the office imports a small 12345 workbook, then again without duplicates."""

import pytest

from tests.browser.conftest import log_in, wait_ready
from tests.browser.test_report_journey import confirm, open_nav
from tests.services.test_hotline_import import order, workbook

pytestmark = pytest.mark.browser
MAIN = "[data-testid='stMain']"


def test_the_office_imports_a_12345_workbook_once(start_server, page, tmp_path):
    server = start_server()
    file = tmp_path / "12345工单.xlsx"
    file.write_bytes(workbook([order(1), order(2), order(3)]))
    page.goto(server.url)
    wait_ready(page)
    log_in(page, "supervisor", "Demo-Yingshang-2026")
    open_nav(page, "12345工单导入")
    page.get_by_text("工单文件（.xlsx / .csv）").wait_for()
    wait_ready(page)

    def upload_and_preview() -> None:
        page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
            str(file))
        page.get_by_role("button", name="预览").wait_for()
        wait_ready(page)
        page.get_by_role("button", name="预览").click()
        page.get_by_role("button", name="导入", exact=True).wait_for()
        wait_ready(page)

    upload_and_preview()
    main = page.locator(MAIN)
    assert "共 3 行：可导入 3 行" in main.inner_text()
    page.get_by_role("button", name="导入", exact=True).click()
    page.get_by_role("dialog").get_by_text("将从 12345工单.xlsx（来源：12345）导入 3 行：新增 3 件",
                                           exact=False).wait_for()
    confirm(page)
    page.get_by_text("导入完成：新增 3 件").wait_for()
    page.get_by_text("已处理 3 / 3 行").wait_for()  # the progress bar

    open_nav(page, "受理分办")
    open_nav(page, "12345工单导入")
    upload_and_preview()
    assert "已导入过（将跳过）3 行" in main.inner_text()
    page.get_by_role("button", name="导入", exact=True).click()
    confirm(page)
    page.get_by_text("导入完成：新增 0 件，跳过已导入 3 件").wait_for()

