"""Two Streamlit replicas on one database behind nginx (#17, deploy/nginx.conf).

A report filed through one replica is answered, then found and rated through the other; the
portal behind nginx (WebSocket upgrade, the sticky `portal_node` cookie) shows the same report
as rated. The database is a SQLite file here, or a schema of its own on PostgreSQL when
DATABASE_URL names the PostgreSQL test database (CI runs both).
"""

import os
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP, ROOT, Server, _free_port, _run_cli, wait_ready
from tests.browser.test_public_journey import MAIN, answer_as_office_and_unit
from tests.reliability.conftest import postgres_schema, postgres_url

pytestmark = pytest.mark.browser
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SHARED_ENV = {"COOKIE_KEY": "one-secret-shared-by-every-replica-of-the-test",
              "TRUST_PROXY_HEADERS": "true"}


@pytest.fixture
def shared_database(demo_database: Path, tmp_path: Path) -> Iterator[str]:
    """One database for both replicas: a copy of the demo SQLite file, or a fresh PostgreSQL
    schema migrated and seeded with the demo data."""
    url = postgres_url()
    if url is None:
        copy = tmp_path / "shared.sqlite3"
        shutil.copy(demo_database, copy)
        yield f"sqlite:///{copy}"
        return
    with postgres_schema(url, "replicas") as scoped:
        env = {**os.environ, "DATABASE_URL": scoped, "BCRYPT_ROUNDS": "4"}
        _run_cli(env, "migrate")
        _run_cli(env, "seed-demo")
        yield scoped


def nginx_config(workdir: Path, *, listen: int, upstreams: list[int]) -> Path:
    """deploy/nginx.conf with this machine's replicas, port and writable paths."""
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "".join(f"server 127.0.0.1:{port};\n        " for port in upstreams)
    config, replaced = re.subn(r"server portal1:8501;\s*server portal2:8501;\s*",
                               servers, config)
    assert replaced == 1
    config = config.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    config = config.replace("pid /tmp/portal-nginx.pid;", f"pid {workdir}/nginx.pid;")
    temp = "".join(f"    {name}_temp_path {workdir}/{name};\n"
                   for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    config = config.replace("http {\n", "http {\n" + temp, 1)
    path = workdir / "nginx.conf"
    path.write_text(config)
    return path


@pytest.fixture
def replicas(shared_database: str, tmp_path: Path) -> Iterator[tuple[Server, Server, str]]:
    """Two replicas on the shared database and nginx in front of them: (a, b, nginx url)."""
    if not Path(NGINX).exists():
        if os.environ.get("CI") == "true":
            raise pytest.UsageError("CI needs nginx for the replica test (apt-get install nginx).")
        pytest.skip("nginx not installed: `apt-get install nginx` to run the replica test")
    first = Server(database_url=shared_database, env=SHARED_ENV)
    second = Server(database_url=shared_database, env=SHARED_ENV)
    port = _free_port()
    config = nginx_config(tmp_path, listen=port, upstreams=[first.port, second.port])
    check = subprocess.run([NGINX, "-t", "-c", str(config), "-p", str(tmp_path)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proxy = subprocess.Popen([NGINX, "-c", str(config), "-p", str(tmp_path),
                              "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    yield first, second, url
    proxy.terminate()
    proxy.wait(timeout=10)
    first.stop()
    second.stop()


def track(page, base_url: str, tracking_no: str, code: str) -> None:
    page.goto(f"{base_url}/track?no={tracking_no}")
    page.get_by_label("查询码").wait_for()
    wait_ready(page)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询", exact=True).click()
    page.locator(".st-key-report_answer").wait_for()
    wait_ready(page)


def test_a_report_filed_on_one_replica_is_rated_on_the_other_and_seen_through_nginx(
        replicas, shared_database, browser):
    first, second, proxy_url = replicas
    filer = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    filer.set_default_timeout(30_000)
    filer.goto(first.url)
    wait_ready(filer)
    filer.locator(MAIN).get_by_role("link", name="投诉举报").click()
    filer.get_by_label("标题").wait_for()
    wait_ready(filer)
    filer.get_by_label("标题").fill("开办餐饮店被要求到三个窗口分别提交同一份材料")
    filer.get_by_role("textbox", name="问题描述").fill(
        "在政务服务中心办理餐饮店开办手续，三个窗口分别要求提交同一份营业执照复印件。")
    filer.get_by_label("联系人姓名").fill("周强")
    filer.get_by_label("手机号码").fill("13904759876")
    wait_ready(filer)  # the fields' reruns end before the click, or the click can be lost
    filer.get_by_role("button", name="提交", exact=True).click()
    box = filer.locator(".st-key-report_filed_box")
    box.locator("[data-testid='stMetricValue']").last.wait_for(timeout=60_000)  # the code
    wait_ready(filer)
    tracking_no, code = re.search(r"受理编号\s*(YS\d{4}-\d{6})\s*查询码\s*(\w{8})",
                                  box.inner_text()).groups()

    answer_as_office_and_unit(shared_database, tracking_no)

    rater = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    rater.set_default_timeout(30_000)
    track(rater, second.url, tracking_no, code)  # the other replica
    assert "已当场为您补办" in rater.locator(".st-key-report_answer").inner_text()
    rater.get_by_role("button", name="满意", exact=True).click()
    rater.get_by_text("感谢您的评价。").wait_for()

    visitor_context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    visitor = visitor_context.new_page()
    visitor.set_default_timeout(30_000)
    track(visitor, proxy_url, tracking_no, code)  # through nginx: WebSocket and all
    assert "已当场为您补办" in visitor.locator(".st-key-report_answer").inner_text()
    assert not visitor.get_by_role("button", name="基本满意").count()  # rated already
    sticky = [c for c in visitor_context.cookies() if c["name"] == "portal_node"]
    assert len(sticky) == 1 and sticky[0]["httpOnly"]
    visitor.reload()  # the same replica again: the cookie is kept, not replaced
    wait_ready(visitor)
    assert [c["value"] for c in visitor_context.cookies() if c["name"] == "portal_node"] == [
        sticky[0]["value"]]
