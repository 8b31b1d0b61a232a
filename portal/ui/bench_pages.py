"""The bench's page renders (#17): the heaviest pages run whole through Streamlit's AppTest on
the bench database, as the account that uses them — their time, and the peak of the memory a
run allocates (tracemalloc, measured on a separate run because tracing slows it down)."""

import os
import statistics
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from streamlit import config as st_config
from streamlit import logger as st_logger
from streamlit.testing.v1 import AppTest

from portal import PROJECT_ROOT, board, stats
from portal.settings import get_settings
from portal.ui import context

TIMEOUT = 300


def _app(script: str, username: str | None) -> AppTest:
    app = AppTest.from_file(str(Path(PROJECT_ROOT) / script), default_timeout=TIMEOUT)
    app.session_state["lang"] = "zh"
    if username:
        app.session_state["authentication_status"] = True
        app.session_state["username"] = username
    return app


def _run(script: str, username: str | None) -> AppTest:
    st_config.set_option("logger.level", "error")  # no bare-mode notices: loggers made later
    st_logger.set_log_level("error")  # and those made already
    app = _app(script, username).run()
    if app.exception:
        raise RuntimeError(f"{script}: {app.exception[0].message}")
    return app


def _cold() -> None:
    """Empty the figures' and the board's caches: the first view after a write."""
    board.clear_cache()
    stats.clear_cache()


def _median_ms(runs: list[float]) -> float:
    return round(statistics.median(runs) * 1000, 1)


def render(url: str, pages: list[tuple[str, str, str | None]], *, repeat: int) -> list[dict]:
    """[{name, cold_ms, warm_ms, peak_mb}] for each (name, script, username) on the database
    at `url`: medians of `repeat` runs after a warm-up, cold (caches emptied first) and warm;
    the peak is that of a cold run."""
    with _database(url):
        return [_measure(name, script, username, repeat) for name, script, username in pages]


@contextmanager
def _database(url: str) -> Iterator[None]:
    """The pages' settings name the bench database meanwhile; the caller's come back after."""
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    _fresh()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = before
        _fresh()


def _fresh() -> None:
    get_settings.cache_clear()
    context.engine.clear()
    context.read_engine.clear()


def _measure(name: str, script: str, username: str | None, repeat: int) -> dict:
    _run(script, username)  # imports and the first connection
    cold, warm = [], []
    for _ in range(repeat):
        _cold()
        began = time.perf_counter()
        _run(script, username)
        cold.append(time.perf_counter() - began)
        began = time.perf_counter()
        _run(script, username)
        warm.append(time.perf_counter() - began)
    _cold()
    tracemalloc.start()
    try:
        _run(script, username)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return {"name": name, "cold_ms": _median_ms(cold), "warm_ms": _median_ms(warm),
            "peak_mb": round(peak / 2**20, 1)}
