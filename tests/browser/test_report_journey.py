"""The whole journey of a report in a real browser, in Chinese."""

import re

import pytest

from tests.browser.conftest import log_in, wait_ready

pytestmark = pytest.mark.browser

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")
MAIN = "[data-testid='stMain']"


def open_nav(page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav']").get_by_text(title, exact=True).click()
    wait_ready(page)


def pick(page, label: str, option: str) -> None:
    """Choose `option` in the selectbox labelled `label` by typing into its search."""
    page.locator("[data-testid='stSelectbox']").filter(has_text=label).click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    page.wait_for_timeout(700)
    wait_ready(page)


def select_row(page, text: str) -> None:
    """Tick the row of the table that shows `text`, as a user does. The table is a canvas;
    its cells are mirrored in an accessible table whose ids (glide-cell-COL-ROW) give the row."""
    wait_ready(page)
    table = page.locator("[data-testid='stDataFrame']").filter(has_text=text).first
    cell = table.locator("td").filter(has_text=text).first
    row = int(cell.get_attribute("id").rsplit("-", 1)[1])
    table.locator(".dvn-scroller").first.click(position={"x": 15, "y": 35 * (row + 1) + 17})
    page.wait_for_timeout(500)
    wait_ready(page)


def open_report(page, tracking_no: str) -> None:
    """Open the report by selecting its row in the queue (unless it is already open)."""
    heading = page.locator("h3").filter(has_text=tracking_no)
    wait_ready(page)
    if heading.count():
        return
    select_row(page, tracking_no)
    heading.wait_for()
    wait_ready(page)


def confirm(page) -> None:
    """Press 确认 in the confirmation dialog."""
    page.get_by_role("dialog").get_by_role("button", name="确认", exact=True).click()
    page.wait_for_timeout(300)
    wait_ready(page)


def fill_area(page, label: str, text: str) -> None:
    page.get_by_label(label).fill(text)
    page.get_by_label(label).press("Control+Enter")


def test_file_assign_answer_and_rate_unsatisfied(start_server, browser):
    server = start_server()

    # 1. an anonymous citizen files a report with an attachment
    citizen = browser.new_context(locale="zh-CN").new_page()
    citizen.set_default_timeout(20_000)
    citizen.goto(f"{server.url}/report")
    citizen.get_by_label("标题").wait_for()
    wait_ready(citizen)
    citizen.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "现场照片.png", "mimeType": "image/png", "buffer": PNG}])
    citizen.get_by_text("现场照片.png").wait_for()
    wait_ready(citizen)
    citizen.get_by_text("办不成事", exact=True).click()
    citizen.get_by_label("标题").fill("办理营业执照变更被要求重复提交材料")
    citizen.get_by_role("textbox", name="问题描述").fill("在政务服务中心办理营业执照地址变更，窗口两次要求重新提交同一份租赁合同。")
    citizen.get_by_label("联系人姓名").fill("周敏")
    citizen.get_by_label("手机号码").fill("13904750123")
    citizen.get_by_role("button", name="提交", exact=True).click()
    citizen.get_by_text("提交成功").wait_for()
    citizen.locator(".st-key-report_filed_box [data-testid='stMetricValue']").last.wait_for()
    box = citizen.locator(".st-key-report_filed_box").inner_text()
    tracking_no, code = re.search(r"受理编号\s*(YS\d{4}-\d{6})\s*查询码\s*(\w{8})", box).groups()

    # 2. the supervisor accepts it and assigns it to 区发改局
    office = browser.new_context(locale="zh-CN").new_page()
    office.set_default_timeout(20_000)
    office.goto(server.url)
    wait_ready(office)
    log_in(office, "supervisor", "Demo-Yingshang-2026")
    open_nav(office, "受理分办")
    open_report(office, tracking_no)
    office.get_by_text("周敏").first.wait_for()  # the office sees the filer
    office.get_by_text("现场照片.png").first.wait_for()
    pick(office, "分办至单位", "区发改局")
    office.get_by_role("button", name="受理并分办").click()
    office.get_by_text(re.compile(f"已将 {tracking_no} 分办至区发改局，响应期限 2026年")).wait_for()

    # 3. the unit responds and replies, without seeing the confidential filer
    unit = browser.new_context(locale="zh-CN").new_page()
    unit.set_default_timeout(20_000)
    unit.goto(server.url)
    wait_ready(unit)
    log_in(unit, "unit_fgj", "Demo-Unit-2026")
    open_nav(unit, "本单位承办件")
    open_report(unit, tracking_no)
    unit.get_by_text("反映人要求对承办单位保密身份").wait_for()
    assert "周敏" not in unit.inner_text(MAIN)
    unit.get_by_label("响应情况（如：已签收并联系反映人）").fill("已签收，正在核查")
    respond = unit.get_by_role("button", name="确认响应")
    assert "primary" in respond.get_attribute("data-testid")  # the one next step
    respond.click()
    unit.get_by_text(re.compile(f"已确认响应 {tracking_no}，答复期限 2026年")).wait_for()
    open_report(unit, tracking_no)
    unit.get_by_label("办理结果（反映人可见）").fill("已约谈窗口负责人，材料一次性收齐，当日办结。")
    unit.get_by_text("已解决", exact=True).click()  # #11: the reply records its outcome
    unit.get_by_role("button", name="答复办结").click()
    unit.get_by_text(f"已答复 {tracking_no}（已解决），等待反映人评价。").wait_for()

    # 4. the filer tracks it and rates the answer 不满意: the report is reopened
    citizen.goto(f"{server.url}/track")
    wait_ready(citizen)
    citizen.get_by_label("受理编号").fill(tracking_no)
    citizen.get_by_label("查询码").fill(code)
    citizen.get_by_role("button", name="查询", exact=True).click()
    citizen.get_by_text("已答复待评价").first.wait_for()
    assert "已约谈窗口负责人" in citizen.inner_text(MAIN)
    citizen.get_by_label("评价意见（选填）").fill("材料仍被要求重复提交")
    citizen.get_by_role("button", name="不满意", exact=True).click()  # one tap
    citizen.get_by_text("已转入差评整改").first.wait_for()
    # the rerun redraws the timeline and the status: wait for both rather than read mid-way
    citizen.get_by_text("评价：不满意，转入差评整改").wait_for()
    citizen.get_by_text("差评整改中", exact=True).wait_for()
    wait_ready(citizen)
    assert not citizen.get_by_role("button", name="基本满意").count()  # not rated again

    # 5. the unit sees the filer's 差评 comment on top of the reopened report (#11)
    unit.reload()
    wait_ready(unit)
    open_report(unit, tracking_no)
    unit.get_by_text("反映人不满意：材料仍被要求重复提交，请于", exact=False).wait_for()
    assert "材料仍被要求重复提交" in unit.inner_text(MAIN)
