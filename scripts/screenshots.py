"""Screenshots of each role's main page for the README (docs/screenshots/*.png).

Builds a fresh demo database, starts the portal on a free port and drives Debian's Chromium:

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    log_in,
    wait_ready,
)

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# (file name, account or None, password, page title in the navigation or None for the start page)
SHOTS = [
    ("public-home-phone", None, None, None, PHONE),
    ("public-home", None, None, None, DESKTOP),
    ("unit-reports", "unit_fgj", "Demo-Unit-2026", "本单位承办件", DESKTOP),
    ("unit-selfcheck", "unit_fgj", "Demo-Unit-2026", "季度自查", DESKTOP),
    ("office-intake", "supervisor", "Demo-Yingshang-2026", "受理分办", DESKTOP),
    ("office-selfcheck-review", "supervisor", "Demo-Yingshang-2026", "自查审核", DESKTOP),
    ("office-figures", "supervisor", "Demo-Yingshang-2026", "统计分析", DESKTOP),
    ("office-tasks", "supervisor", "Demo-Yingshang-2026", "重点任务", DESKTOP),
    ("office-stage-reports", "supervisor", "Demo-Yingshang-2026", "报送事项", DESKTOP),
    ("office-rectify", "supervisor", "Demo-Yingshang-2026", "整改台账", DESKTOP),
    ("unit-tasks", "unit_fgj", "Demo-Unit-2026", "我的任务", DESKTOP),
    ("public-board", None, None, "公示栏", DESKTOP),
    ("discipline-quotas", "discipline", "Demo-Jiwei-2026", "指标完成情况", DESKTOP),
    ("company-my-reports", "company", "Demo-Company-2026", "我的反映", DESKTOP),
    ("admin-users", "admin", "Demo-Admin-2026", "用户管理", DESKTOP),
]


def demo_database(folder: Path) -> Path:
    path = folder / "demo.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    for command in ("migrate", "seed-demo"):
        subprocess.run([sys.executable, "-m", "portal", command], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        server = Server(demo_database(Path(folder)))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name, username, password, title, viewport in SHOTS:
                    context = browser.new_context(locale="zh-CN", viewport=viewport)
                    page = context.new_page()
                    page.set_default_timeout(30_000)
                    page.goto(server.url)
                    wait_ready(page)
                    if username:
                        log_in(page, username, password)
                    if title:
                        page.locator("[data-testid='stSidebarNav']").get_by_text(
                            title, exact=True).click()
                        wait_ready(page)
                    page.wait_for_timeout(1500)
                    path = args.out / f"{name}.png"
                    page.screenshot(path=str(path))
                    print(path.relative_to(ROOT))
                    context.close()
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
