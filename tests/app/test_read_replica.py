"""READ_DATABASE_URL (#17): the figures pages read a replica, everything else the primary.

The replica here is a copy of the demo database in which one unit has another name, so the
page shows which database it read.
"""

import shutil

from sqlalchemy import update

from portal.db import make_engine, session_scope
from portal.models import Unit
from portal.settings import get_settings
from portal.ui import context
from tests.app.conftest import texts


def replica_of(demo_db_url: str, tmp_path) -> str:  # noqa: ANN001
    copy = tmp_path / "replica.sqlite3"
    shutil.copy(demo_db_url.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    engine = make_engine(url)
    with session_scope(engine) as session:
        session.exec(update(Unit).where(Unit.name == "区发改局").values(name="区发改局（只读副本）"))
        session.commit()
    engine.dispose()
    return url


def test_the_public_board_and_the_figures_read_the_replica(open_page, demo_db_url, tmp_path,
                                                            monkeypatch):
    monkeypatch.setenv("READ_DATABASE_URL", replica_of(demo_db_url, tmp_path))
    get_settings.cache_clear()
    context.read_engine.clear()
    board = open_page("pages/board.py")
    assert not board.exception
    assert "区发改局（只读副本）" in texts(board)
    figures = open_page("pages/stats_dashboard.py", "supervisor")
    assert not figures.exception and "区发改局（只读副本）" in texts(figures)
    queue = open_page("pages/admin_units.py", "admin")  # work pages: the primary
    assert not queue.exception and "区发改局" in texts(queue)
    assert "区发改局（只读副本）" not in texts(queue)


def test_without_a_replica_the_figures_read_the_one_database(open_page):
    board = open_page("pages/board.py")
    assert "区发改局" in texts(board) and "只读副本" not in texts(board)
