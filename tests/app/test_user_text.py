"""No page hands user text to Markdown: titles, descriptions, places, names, notes, case
summaries and board summaries reach only plain-text elements, or Markdown-escaped ones
(issue #10, finding 4). Runs on its own copy of the demo database."""

import shutil
from datetime import date

import pytest
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from portal import cases, companies, report_flow, reports
from portal.db import make_engine, session_scope
from portal.reports import ReportInput
from portal.settings import get_settings
from portal.ui import context
from portal.users import load_actor
from tests.app.conftest import ROOT, TIMEOUT, select_row
from tests.factories import unit_id

PAYLOAD = "![x](http://127.0.0.1:9/beacon.png) **x** <b>x</b>"
NAME = "![n](http://127.0.0.1:9/n.png)**n**"  # fits a 40-character name
MARKDOWN_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                  "error", "success")
RAW_MARKS = ("](http", "**x**", "**n**", "![")


@pytest.fixture
def hostile(demo_db_url, tmp_path, monkeypatch):
    """A copy of the demo database holding user text full of Markdown, and its ids."""
    database = tmp_path / "hostile.sqlite3"
    shutil.copy(make_url(demo_db_url).database, database)
    url = f"sqlite:///{database}"
    engine = make_engine(url)
    with session_scope(engine) as session:
        supervisor = load_actor(session, username="supervisor")
        discipline = load_actor(session, username="discipline")
        filed = reports.file_report(session, actor=None, data=ReportInput(
            kind="complaint", title=PAYLOAD, description=f"描述 {PAYLOAD}", place=PAYLOAD,
            contact_name=NAME, contact_mobile="13912345678", company_name=PAYLOAD,
            confidential=False))
        report_flow.assign(session, actor=supervisor, report_id=filed.report_id,
                           unit_id=unit_id(session), category_number=None, note=PAYLOAD)
        made = cases.register(session, actor=discipline, data=cases.CaseInput(
            unit_id=unit_id(session), category_number=7, title=PAYLOAD,
            summary=f"案情 {PAYLOAD}", found_on=date(2026, 2, 1),
            concluded_on=date(2026, 3, 20), source="report", outcomes=["government"]))
        for step in ("checking", "concluded", "verified"):
            cases.advance(session, actor=discipline, case_id=made.id, to=step)
        cases.expose(session, actor=discipline, case_id=made.id,
                     public_summary=f"通报 {PAYLOAD}")
        companies.register_company(
            session, company_name=PAYLOAD, credit_code="91350100M000100Y43", contact_name=NAME,
            mobile="13912345678", username="md_company", password="Correct-Horse-1",
            repeat="Correct-Horse-1")
        ids = {"report": filed.report_id, "no": filed.tracking_no, "case": made.id}
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    context.engine.clear()
    monkeypatch.chdir(ROOT)
    yield ids
    context.engine.clear()


def run(script: str, username: str, **state) -> AppTest:
    app = AppTest.from_file(str(ROOT / script), default_timeout=TIMEOUT)
    app.session_state["lang"] = "zh"
    app.session_state["authentication_status"] = True
    app.session_state["username"] = username
    for key, value in state.items():
        app.session_state[key] = value
    return app.run()


def assert_shown_as_text_only(app: AppTest, *expected: str) -> None:
    assert not app.exception
    for kind in MARKDOWN_KINDS:
        for element in getattr(app, kind):
            value = str(element.value)
            assert not any(mark in value for mark in RAW_MARKS), (kind, value)
    plain_text = "\n".join(str(e.value) for e in app.text)
    for text in expected:
        assert text in plain_text


def test_the_office_sees_a_reports_user_text_only_as_text(hostile):
    app = run("pages/intake.py", "supervisor")
    select_row(app, "intake_table", hostile["no"])
    assert_shown_as_text_only(app, f"描述 {PAYLOAD}", PAYLOAD, NAME)
    assert any(PAYLOAD[:3] not in s.value and "beacon" in s.value for s in app.subheader)


def test_the_unit_sees_the_assignment_note_only_as_text(hostile):
    app = run("pages/unit_reports.py", "unit_fgj")
    select_row(app, "unit_table", hostile["no"])
    assert_shown_as_text_only(app, f"描述 {PAYLOAD}")


def test_case_titles_and_summaries_are_text(hostile):
    app = select_row(run("pages/cases.py", "discipline"), "cases_table", PAYLOAD)
    assert_shown_as_text_only(app, f"案情 {PAYLOAD}")


def test_the_public_board_shows_summaries_as_text(hostile):
    app = AppTest.from_file(str(ROOT / "pages/board.py"), default_timeout=TIMEOUT).run()
    assert_shown_as_text_only(app, f"通报 {PAYLOAD}")


def test_a_self_registered_name_is_not_markdown_on_the_home_page(hostile):
    app = run("pages/home.py", "md_company")
    assert_shown_as_text_only(app)
    assert any(r"\*\*n\*\*" in t.value for t in app.title)  # escaped, so shown as typed
