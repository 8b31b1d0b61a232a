"""AppTest runs page scripts in this process against a migrated, demo-seeded temporary database."""

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from portal import demo, migrate
from portal.db import make_engine, session_scope
from portal.settings import get_settings
from portal.ui import context
from portal.ui.text import WORD_JOINER

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30


@pytest.fixture(scope="session")
def demo_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('appdb') / 'app.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        demo.seed_demo(session)
    engine.dispose()
    return url


@pytest.fixture
def open_page(demo_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., AppTest]]:
    """Run a script (app.py or pages/x.py) as `username`, or logged out when None."""
    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    get_settings.cache_clear()
    context.engine.clear()
    context.read_engine.clear()
    monkeypatch.chdir(ROOT)

    def run(script: str, username: str | None = None, lang: str = "zh") -> AppTest:
        app = AppTest.from_file(str(ROOT / script), default_timeout=TIMEOUT)
        app.session_state["lang"] = lang
        if username:
            app.session_state["authentication_status"] = True
            app.session_state["username"] = username
        return app.run()

    yield run
    context.engine.clear()
    context.read_engine.clear()


@pytest.fixture
def demo_session(demo_db_url: str) -> Iterator:
    """A session on the pages' demo database, committed when the test ends."""
    engine = make_engine(demo_db_url)
    with session_scope(engine) as session:
        yield session
    engine.dispose()


MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def as_read(markdown: str) -> str:
    """Markdown source as a reader sees it: user text made plain (`portal.ui.text.plain`) has
    its punctuation backslash-escaped and word joiners in addresses; both are invisible."""
    return MARKDOWN_ESCAPE.sub(r"\1", markdown).replace(WORD_JOINER, "")


def texts(app: AppTest) -> str:
    """Everything the page wrote, as one string to search (Markdown as it reads on screen)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success"):
        parts += [as_read(str(element.value)) for element in getattr(app, kind)]
    for kind in ("text", "code"):
        parts += [str(element.value) for element in getattr(app, kind)]
    for metric in app.metric:
        parts += [metric.label, str(metric.value)]
    for frame in app.dataframe:
        parts.append(frame.value.to_csv())
    parts += [button.label for button in app.button]
    return "\n".join(parts)


def select_row(app: AppTest, key: str, text: str) -> AppTest:
    """Select the row of table `key` that shows `text`, as a user clicking it would, and rerun."""
    frame = next(f for f in app.dataframe if f.key == key)
    cells = frame.value.astype(str).itertuples(index=False)
    row = next(i for i, values in enumerate(cells) if any(text in value for value in values))
    app.session_state[key] = {"selection": {"rows": [row], "columns": []}}
    return app.run()


def confirm(app: AppTest) -> AppTest:
    """Press 确认 in the open confirmation dialog."""
    next(b for b in app.button if b.key == "confirm_yes").click()
    return app.run()


def in_order(node):  # noqa: ANN001, ANN201
    """The page's elements in the order they are drawn (blocks walked depth first)."""
    for child in node.children.values():
        yield child
        if getattr(child, "children", None):
            yield from in_order(child)
