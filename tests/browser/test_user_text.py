"""User text is shown as text: Markdown and HTML in a report reach the office's screen literally,
and an image written into a title makes no browser fetch anything (issue #10, finding 4)."""

import shutil

import pytest

from portal import reports
from portal.db import make_engine, session_scope
from portal.reports import ReportInput
from portal.ui.text import WORD_JOINER
from tests.browser.conftest import Server, log_in, wait_ready
from tests.browser.test_report_journey import MAIN, open_nav, open_report

pytestmark = pytest.mark.browser

BEACON = "http://127.0.0.1:9/beacon.png"
TITLE = f"![x]({BEACON}) **x** <b>x</b>"
DESCRIPTION = f"窗口要求重复提交材料。![y]({BEACON}?d) __y__ <i>y</i> :red[红字] $x^2$"
STREAMLIT_ICONS = "https://fonts.gstatic.com/s/i/short-term/release/materialsymbols"
PLACE = f"<img src='{BEACON}?p'> [链接](http://127.0.0.1:9/link)"


def _database_with_the_report(demo_database, tmp_path) -> tuple:
    database = tmp_path / "user_text.sqlite3"
    shutil.copy(demo_database, database)
    engine = make_engine(f"sqlite:///{database}")
    with session_scope(engine) as session:
        filed = reports.file_report(session, actor=None, data=ReportInput(
            kind="complaint", title=TITLE, description=DESCRIPTION, place=PLACE,
            anonymous=True))
    engine.dispose()
    return database, filed.tracking_no


def test_markdown_in_a_report_is_shown_literally_and_fetches_nothing(demo_database, tmp_path,
                                                                      browser):
    database, tracking_no = _database_with_the_report(demo_database, tmp_path)
    server = Server(database)
    try:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(20_000)
        outside: list[str] = []
        page.on("request", lambda request: outside.append(request.url)
                if not request.url.startswith((server.url, "data:", "blob:")) else None)
        page.goto(server.url)
        wait_ready(page)
        log_in(page, "supervisor", "Demo-Yingshang-2026")
        open_nav(page, "受理分办")
        open_report(page, tracking_no)
        page.get_by_text("<i>y</i>", exact=False).first.wait_for()
        wait_ready(page)
        main = page.locator(MAIN)
        heading = main.locator("h3").filter(has_text=tracking_no)
        # every character shown, none interpreted (an invisible word joiner keeps "://" unlinked)
        assert TITLE in heading.inner_text().replace(WORD_JOINER, "")
        shown = main.inner_text()
        assert DESCRIPTION in shown and PLACE in shown
        assert main.locator(f"img[src^='{BEACON}']").count() == 0
        assert main.locator("b, strong, i, em").filter(has_text="x").count() == 0
        assert main.locator("a[href^='http://127.0.0.1:9']").count() == 0
        page.wait_for_timeout(500)
        assert not [url for url in outside if url.startswith("http://127.0.0.1:9")]  # no beacon
        # the only other outside fetch is Streamlit's own icon (page_icon=":material/…:")
        assert all(url.startswith(STREAMLIT_ICONS) for url in outside), outside
        context.close()
    finally:
        server.stop()
