"""No traceback reaches a user (issue #10, finding 3): with the database locked, full or
read-only, the public forms say "系统繁忙…" and keep what was typed."""

import sqlite3
import threading
import time
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import event

from portal import db as portal_db
from portal.ui import context
from tests.app.conftest import ROOT, texts

BUSY = "系统繁忙，请稍后重试；您填写的内容未丢失"
TITLE = "办理施工许可证被多次要求补件"


def test_the_server_never_sends_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


@pytest.fixture
def fault(demo_db_url, monkeypatch, settings_env_app):
    """Make the pages' engine fail the chosen way; undone after the test."""
    path = Path(demo_db_url.removeprefix("sqlite:///"))
    holders = []

    def apply(kind: str) -> None:
        if kind == "locked":
            settings_env_app(sqlite_busy_timeout_ms=50, write_retries=2)
            ready, release = threading.Event(), threading.Event()

            def hold() -> None:
                other = sqlite3.connect(path, isolation_level=None)
                other.execute("BEGIN IMMEDIATE")
                ready.set()
                release.wait(30)
                other.execute("ROLLBACK")
                other.close()

            thread = threading.Thread(target=hold)
            thread.start()
            ready.wait()
            holders.append((thread, release))
            return
        if kind == "full":
            with sqlite3.connect(path, isolation_level=None) as probe:
                probe.execute("VACUUM")  # no free pages left to write into
                pages = probe.execute("PRAGMA page_count").fetchone()[0]
            pragma = f"PRAGMA max_page_count = {pages}"
        else:
            pragma = "PRAGMA query_only = ON"
        real = portal_db.make_engine

        def broken_engine(url=None):  # noqa: ANN001, ANN202
            engine = real(url)
            event.listen(engine, "connect", lambda conn, _rec: conn.execute(pragma))
            return engine

        monkeypatch.setattr(context, "make_engine", broken_engine)
        context.engine.clear()

    yield apply
    for thread, release in holders:
        release.set()
        thread.join()
    context.engine.clear()


@pytest.fixture
def settings_env_app(monkeypatch):
    from portal.settings import get_settings

    def apply(**values):
        for name, value in values.items():
            monkeypatch.setenv(name.upper(), str(value))
        get_settings.cache_clear()
    return apply


def fill_report(app):
    app.radio(key="report_kind").set_value("undone")
    app.text_input(key="report_title").input(TITLE)
    app.text_area(key="report_description").input("窗口每次只告知一项缺件，前后跑了四次仍未受理。" * 150)
    app.text_input(key="report_contact_name").input("赵强")
    app.text_input(key="report_contact_mobile").input("13912345678")


@pytest.mark.parametrize("kind", ["locked", "full", "read-only"])
def test_filing_on_a_failing_database_says_busy_and_keeps_the_form(open_page, fault, kind):
    app = open_page("pages/report.py")
    fault(kind)
    fill_report(app)
    started = time.perf_counter()
    next(b for b in app.button if b.label == "提交").click().run()
    assert not app.exception
    assert BUSY in texts(app)
    assert not app.code  # no tracking number: nothing was filed
    assert app.text_input(key="report_title").value == TITLE
    assert app.text_input(key="report_contact_mobile").value == "13912345678"
    assert time.perf_counter() - started < 20


@pytest.mark.parametrize("kind", ["locked", "read-only"])
def test_tracking_on_a_failing_database_says_busy(open_page, fault, kind):
    app = open_page("pages/track.py")
    fault(kind)
    app.text_input(key="track_no").input("YS2026-999999")
    app.text_input(key="track_code").input("AAAAAAAA")
    app.button[0].click().run()
    assert not app.exception
    assert BUSY in texts(app)
    assert app.text_input(key="track_no").value == "YS2026-999999"


def test_login_on_a_read_only_database_says_busy(open_page, fault):
    app = open_page("pages/login.py")
    fault("read-only")
    app.text_input(key="login_username").input("supervisor")
    app.text_input(key="login_password").input("not-the-password")
    app.button[0].click().run()
    assert not app.exception
    assert BUSY in texts(app)
