"""The public board (亮晒) in a real browser: no filer's name or phone, user text literal."""

import shutil
from datetime import date

import pytest

from portal import report_flow, reports
from portal.db import make_engine, session_scope
from portal.models import TypicalCase
from portal.reports import ReportInput
from portal.users import load_actor
from tests.browser.conftest import DESKTOP, Server, wait_ready
from tests.factories import unit_id

pytestmark = pytest.mark.browser

NAME, PHONE = "赵六六", "13811112222"
MARKUP = "**x** <b>x</b>"


def _database(demo_database, tmp_path):
    database = tmp_path / "board.sqlite3"
    shutil.copy(demo_database, database)
    engine = make_engine(f"sqlite:///{database}")
    with session_scope(engine) as session:
        filed = reports.file_report(session, actor=None, data=ReportInput(
            kind="complaint", title=f"标题 {MARKUP}", description="窗口多次要求补材料。",
            anonymous=False, contact_name=NAME, contact_mobile=PHONE, confidential=False))
        report_flow.assign(session, actor=load_actor(session, username="supervisor"),
                           report_id=filed.report_id, unit_id=unit_id(session, "区发改局"),
                           category_number=16)
        session.add(TypicalCase(unit_id=unit_id(session, "区发改局"), category_number=16,
                                title="不公开的标题", summary="内部案情", found_on=date(2026, 3, 1),
                                concluded_on=date(2026, 4, 1), source="self_check",
                                status="verified", exposed=True,
                                public_summary=f"通报 {MARKUP}"))
        session.commit()
    engine.dispose()
    return database


def test_the_board_shows_no_filer_and_renders_markup_literally(demo_database, tmp_path, browser):
    server = Server(_database(demo_database, tmp_path))
    try:
        context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{server.url}/board")
        wait_ready(page)
        main = page.locator("[data-testid='stMain']")
        main.get_by_text(f"通报 {MARKUP}").wait_for()
        shown = main.inner_text()
        assert f"通报 {MARKUP}" in shown  # the summary exactly as typed
        assert main.locator("b, strong").filter(has_text="x").count() == 0
        assert NAME not in shown and PHONE not in shown
        assert "内部案情" not in shown and "不公开的标题" not in shown
        html = page.content()
        assert NAME not in html and PHONE not in html
        context.close()
    finally:
        server.stop()
