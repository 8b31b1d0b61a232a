"""Databases for the tests: a migrated temporary SQLite file, or PostgreSQL when DATABASE_URL says so.

Each test runs inside a transaction that is rolled back afterwards, so services may commit freely.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("BCRYPT_ROUNDS", "4")  # fast hashes; production keeps the default 12
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from portal import migrate
from portal.db import make_engine
from portal.settings import get_settings


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    if "test" not in (make_url(url).database or ""):
        pytest.exit("Refusing to run the tests on a PostgreSQL database whose name lacks 'test'.")
    return url


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = _postgres_url()
    if url is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'services.sqlite3'}"
        engine = make_engine(url)
    else:
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with engine.connect() as connection:
        transaction = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint",
                     expire_on_commit=False) as session:
            yield session
        transaction.rollback()


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Each test's writes are rolled back, so the next test can reach the very same data version
    (ids are reused on SQLite) with other data: start every test with empty caches."""
    from portal import board, stats

    board.clear_cache()
    stats.clear_cache()
    yield
    board.clear_cache()
    stats.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent
