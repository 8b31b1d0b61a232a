"""Backups: SQLite through its online backup API (consistent while the portal runs);
PostgreSQL through `pg_dump` when it is installed."""

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from portal.errors import PortalError


class BackupError(PortalError):
    """The backup or restore could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tool: str  # "sqlite" or "pg_dump"
    size: int


def _sqlite_path(engine: Engine) -> Path | None:
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def backup(engine: Engine, target: Path) -> BackupResult:
    """Copy the whole database to `target` without stopping the portal."""
    target = Path(target)
    if target.exists():
        raise BackupError("error.backup_exists", path=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    source = _sqlite_path(engine)
    if source is not None:
        if not source.is_file():
            raise BackupError("error.restore_missing", path=str(source))
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as live, sqlite3.connect(target) as copy:
            live.backup(copy)  # page by page, each step under a read snapshot
        return BackupResult(target, "sqlite", target.stat().st_size)
    if engine.url.get_backend_name() != "postgresql":
        raise BackupError("error.backup_unsupported")
    pg_dump = shutil.which("pg_dump")
    url = engine.url.set(drivername="postgresql")
    if pg_dump is None:
        raise BackupError("error.backup_no_pg_dump", command=_pg_dump_command("pg_dump", url,
                                                                               target))
    done = subprocess.run(_pg_dump_command(pg_dump, url, target, hide=False), capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        raise BackupError("error.backup_pg_dump_failed", detail=done.stderr.strip()[-300:])
    return BackupResult(target, "pg_dump", target.stat().st_size)


def _pg_dump_command(pg_dump: str, url, target: Path, *, hide: bool = True) -> list[str] | str:  # noqa: ANN001
    args = [pg_dump, "--format=custom", "--no-owner", f"--file={target}",
            f"--dbname={url.render_as_string(hide_password=hide)}"]
    return " ".join(args) if hide else args


def restore(engine: Engine, source: Path) -> None:
    """Replace the SQLite database by the backup `source` (stop the portal first)."""
    target = _sqlite_path(engine)
    if target is None:
        raise BackupError("error.restore_sqlite_only")
    source = Path(source)
    if not source.is_file():
        raise BackupError("error.restore_missing", path=str(source))
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as check:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            tables = {r[0] for r in check.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupError("error.restore_not_a_backup", path=str(source)) from exc
    if not ok or not {"alembic_version", "reports", "audit_events"} <= tables:
        raise BackupError("error.restore_not_a_backup", path=str(source))
    engine.dispose()
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db, \
            sqlite3.connect(target) as live:
        backup_db.backup(live)
