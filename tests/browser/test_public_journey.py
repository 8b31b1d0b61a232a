"""A company owner on a phone (390×844): portal home → file → copy the code → track → rate."""

import re

import pytest

from portal import report_flow
from portal.db import make_engine, session_scope
from portal.users import load_actor
from tests.browser.conftest import wait_ready
from tests.factories import unit_id

pytestmark = pytest.mark.browser
MAIN = "[data-testid='stMain']"
FORBIDDEN = ("None", "Upload", "yyyy-mm-dd", "channel=")


def assert_plain_chinese(page) -> None:
    text = page.inner_text(MAIN)
    for word in FORBIDDEN:
        assert word not in text, word


def answer_as_office_and_unit(database_url: str, tracking_no: str) -> None:
    """The office assigns, the unit replies (their own journeys are tested elsewhere)."""
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        from sqlmodel import select

        from portal.models import Report

        report = session.exec(select(Report).where(Report.tracking_no == tracking_no)).one()
        office = load_actor(session, username="supervisor")
        unit = load_actor(session, username="unit_fgj")
        report_flow.assign(session, actor=office, report_id=report.id,
                           unit_id=unit_id(session, "区发改局"), category_number=15)
        report_flow.respond(session, actor=unit, report_id=report.id, note="已签收")
        report_flow.reply(session, actor=unit, report_id=report.id, outcome="resolved",
                          result="已当场为您补办，并对窗口人员进行了批评教育。")
    engine.dispose()


def test_a_company_owner_files_copies_the_code_tracks_and_rates_on_a_phone(start_server,
                                                                           browser):
    server = start_server()
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True,
                                  permissions=["clipboard-read", "clipboard-write"])
    phone = context.new_page()
    phone.set_default_timeout(20_000)
    phone.goto(server.url)
    wait_ready(phone)

    # the actions are on the page itself, not behind the sidebar
    for action in ("投诉举报", "办不成事", "意见建议", "进度查询", "公示栏"):
        assert phone.locator(MAIN).get_by_role("link", name=action).is_visible()
    assert "1 个工作日内响应、5 个工作日内答复" in phone.inner_text(MAIN)
    assert_plain_chinese(phone)

    phone.locator(MAIN).get_by_role("link", name="办不成事").click()
    phone.get_by_label("标题").wait_for()
    wait_ready(phone)
    assert phone.get_by_role("radio", name="办不成事").is_checked()  # chosen on the home page
    assert_plain_chinese(phone)  # the uploader and the date field speak Chinese
    phone.get_by_label("标题").fill("办理食品经营许可证被要求重复提交材料")
    phone.get_by_role("textbox", name="问题描述").fill(
        "在政务服务中心办理食品经营许可证，窗口两次要求重新提交同一份场地证明。")
    phone.get_by_label("联系人姓名").fill("孙丽")
    phone.get_by_label("手机号码").fill("13904751234")
    phone.get_by_role("button", name="提交", exact=True).click()
    box = phone.locator(".st-key-report_filed_box")
    box.locator("[data-testid='stMetricValue']").last.wait_for()  # the code after the number
    wait_ready(phone)
    tracking_no, code = re.search(r"受理编号\s*(YS\d{4}-\d{6})\s*查询码\s*(\w{8})",
                                  box.inner_text()).groups()
    box.get_by_role("button", name="复制受理编号和查询码").tap()
    box.get_by_text("已复制").wait_for()
    copied = phone.evaluate("navigator.clipboard.readText()")
    assert tracking_no in copied and code in copied
    assert "查询码只显示这一次" in phone.inner_text(MAIN)

    answer_as_office_and_unit(f"sqlite:///{server.database}", tracking_no)

    phone.locator(MAIN).get_by_role("link", name="去查询进度").click()
    phone.get_by_label("查询码").wait_for()
    wait_ready(phone)
    assert phone.get_by_label("受理编号").input_value() == tracking_no  # carried over
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询", exact=True).click()
    answer = phone.locator(".st-key-report_answer")
    answer.wait_for()
    assert "区发改局的答复" in answer.inner_text()
    assert "已当场为您补办" in answer.inner_text()
    assert_plain_chinese(phone)
    phone.get_by_role("button", name="满意", exact=True).tap()  # one tap
    phone.get_by_text("感谢您的评价。").wait_for()
    wait_ready(phone)
    assert not phone.get_by_role("button", name="基本满意").count()
    context.close()
