"""Real, committed databases for load and fault tests: a SQLite file per test, or a schema of
its own on the PostgreSQL test database (dropped afterwards) when DATABASE_URL says so."""

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from portal import migrate
from portal.db import make_engine
from portal.settings import get_settings


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def migrated_sqlite(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    return engine


@pytest.fixture
def sqlite_file_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = migrated_sqlite(tmp_path / "portal.sqlite3")
    yield engine
    engine.dispose()


@contextmanager
def postgres_schema(url: str, prefix: str) -> Iterator[str]:
    """A fresh schema on the PostgreSQL test database, as a URL whose connections use it;
    dropped afterwards."""
    if "test" not in (make_url(url).database or ""):
        pytest.exit("Refusing to run the tests on a PostgreSQL database whose name lacks 'test'.")
    schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}
                                              ).render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """A migrated schema of its own on the PostgreSQL test database; skipped without one."""
    url = postgres_url()
    if url is None:
        pytest.skip("DATABASE_URL does not name a PostgreSQL test database")
    with postgres_schema(url, "reliability") as scoped:
        engine = make_engine(scoped)
        migrate.upgrade(engine)
        yield engine
        engine.dispose()


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Set environment settings for this test and re-read them."""

    def apply(**values: object) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name.upper(), str(value))
        get_settings.cache_clear()

    return apply
