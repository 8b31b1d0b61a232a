"""Every page, for every demo role, in plain Chinese: no "None", raw codes or English fillers."""

import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from portal.demo import DEMO_ACCOUNTS
from portal.ui.navigation import visible_pages
from portal.users import load_actor
from tests.app.conftest import texts


@pytest.fixture(scope="module")
def demo_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The full demo (`portal seed-demo`: reports at every stage, self-checks, cases …)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fulldemo') / 'demo.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "BCRYPT_ROUNDS": "4"}
    for command in ("migrate", "seed-demo"):
        subprocess.run([sys.executable, "-m", "portal", command], env=env, check=True,
                       capture_output=True)
    return url


FORBIDDEN = ("None", "nan", "NaT", "channel=", "yyyy-mm-dd", "Upload")


def pages_by_account(demo_db_url: str) -> list[tuple[str | None, str]]:
    from portal.db import make_engine, session_scope

    engine = make_engine(demo_db_url)
    pairs = []
    with session_scope(engine) as session:
        for account in [None, *DEMO_ACCOUNTS]:
            me = load_actor(session, username=account.username) if account else None
            pairs += [(account.username if account else None, spec.script)
                      for spec in visible_pages(me)]
    engine.dispose()
    return pairs


def blank_cells(frame: pd.DataFrame) -> list[str]:
    """Columns holding None/NaN cells, which Streamlit's table shows as the word "None"."""
    return [str(column) for column in frame.columns if frame[column].isna().any()]


def test_every_page_of_every_role_speaks_plain_chinese(open_page, demo_db_url):
    checked = 0
    for username, script in pages_by_account(demo_db_url):
        app = open_page(script, username)
        where = f"{script} as {username or 'visitor'}"
        assert not app.exception, where
        content = texts(app)
        for word in FORBIDDEN:
            assert not re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", content), \
                f"{word!r} on {where}"
        for frame in app.dataframe:
            assert not blank_cells(frame.value), f"empty cells shown as None on {where}: " \
                f"{blank_cells(frame.value)}"
        checked += 1
    assert checked > 40
