"""Browser tests: a real `streamlit run` server on a free port, driven by Debian's Chromium."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
DESKTOP = {"width": 1366, "height": 768}  # the screen of the offices' desktops (issue #12)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists() or not items:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI needs Chromium at {CHROMIUM} for the browser tests.")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: "
                                   "`apt-get install chromium` to run the browser tests")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_cli(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "portal", *args], cwd=ROOT, env=env, check=True,
                   capture_output=True)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, demo-seeded database file that each server copies."""
    path = tmp_path_factory.mktemp("browserdb") / "demo.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "BCRYPT_ROUNDS": "4"}
    _run_cli(env, "migrate")
    _run_cli(env, "seed-demo")
    return path


class Server:
    """`streamlit run app.py` on a free port, on a SQLite file or any database URL."""

    def __init__(self, database: Path | None = None, *, database_url: str | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.database = database
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DATABASE_URL": database_url or f"sqlite:///{database}",
               "BCRYPT_ROUNDS": "4", **(env or {})}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not start within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def start_server(demo_database: Path, tmp_path: Path) -> Iterator[Callable[[], Server]]:
    """Start a fresh server on its own copy of the demo database."""
    servers: list[Server] = []

    def start() -> Server:
        database = tmp_path / f"db{len(servers)}.sqlite3"
        shutil.copy(demo_database, database)
        servers.append(Server(database))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")  # a government desktop
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def wait_ready(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(300)
    page.wait_for_selector(READY)


def open_login_form(page) -> None:
    """Follow the portal home's staff-login link; a click that lands while the first run of a
    cold server is still wiring the page up is clicked again rather than waited on forever."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    link = page.locator("[data-testid='stMain']").get_by_role("link", name="工作人员登录")
    for attempt in range(3):
        wait_ready(page)
        if page.get_by_label("用户名").count():
            break
        link.click()
        try:
            page.get_by_label("用户名").wait_for(timeout=15_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    wait_ready(page)


def log_in(page, username: str, password: str) -> None:
    """Log in from wherever the page is; from the portal home through its staff-login link."""
    if not page.get_by_label("用户名").count():
        open_login_form(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_role("button", name="退出登录").wait_for()
    wait_ready(page)
