"""`portal backup` / `portal restore` round trip, `portal audit verify`, and a chain that
concurrent writers cannot fork."""

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from portal import audit, demo, reports
from portal.cli import main
from portal.db import session_scope, write_with_retry
from tests.services.test_reports import valid_input


def snapshot(path: Path) -> dict[str, list]:
    """Every row of every table, in a stable order."""
    with sqlite3.connect(path) as connection:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: sorted(connection.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in sorted(tables)}


@pytest.fixture
def cli_database(sqlite_file_engine, settings_env):
    settings_env(database_url=str(sqlite_file_engine.url))
    with session_scope(sqlite_file_engine) as session:
        demo.seed_demo(session)
        demo.seed_demo_reports(session)
    return Path(sqlite_file_engine.url.database)


def test_backup_and_restore_give_back_every_table(cli_database, sqlite_file_engine, tmp_path,
                                                  capsys):
    before = snapshot(cli_database)
    assert before["reports"] and before["audit_events"] and before["users"]
    target = tmp_path / "backups" / "portal-2026-11-23.sqlite3"
    assert main(["backup", str(target)]) == 0
    assert "已备份到" in capsys.readouterr().out
    assert snapshot(target) == before

    with session_scope(sqlite_file_engine) as session:  # life goes on after the backup …
        reports.file_report(session, actor=None, data=valid_input())
    assert snapshot(cli_database) != before
    assert main(["restore", str(target)]) == 0  # … and the restore brings the backup back
    assert snapshot(cli_database) == before
    assert main(["audit", "verify"]) == 0


def test_backup_refuses_to_overwrite_and_restore_refuses_a_non_backup(cli_database, tmp_path,
                                                                      capsys):
    existing = tmp_path / "exists.sqlite3"
    existing.write_bytes(b"keep me")
    assert main(["backup", str(existing)]) == 1
    assert existing.read_bytes() == b"keep me"
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("这不是数据库")
    assert main(["restore", str(not_a_backup)]) == 1
    assert main(["restore", str(tmp_path / "missing.sqlite3")]) == 1
    err = capsys.readouterr().err
    assert "已存在" in err and "不是完好的本平台数据库备份" in err and "找不到备份文件" in err


def test_restore_refuses_postgresql_clearly(settings_env, capsys):
    settings_env(database_url="postgresql+psycopg://portal:portal@127.0.0.1/x_test")
    assert main(["restore", "/tmp/whatever.dump"]) == 1
    assert "pg_restore" in capsys.readouterr().err


def test_audit_verify_names_a_hand_edited_row(cli_database, capsys):
    assert main(["audit", "verify"]) == 0
    assert capsys.readouterr().out.startswith("OK")
    with sqlite3.connect(cli_database) as connection:
        row_id = connection.execute("SELECT id FROM audit_events ORDER BY id LIMIT 1 OFFSET 2"
                                    ).fetchone()[0]
        connection.execute("UPDATE audit_events SET detail = detail || ' ' WHERE id = ?",
                           (row_id,))
    assert main(["audit", "verify"]) == 1
    assert f"第 {row_id} 号记录" in capsys.readouterr().err


def concurrent_appends(engine, threads=8, each=25) -> None:
    def append(i: int) -> None:
        for n in range(each):
            with session_scope(engine) as session:
                write_with_retry(session, lambda n=n: audit.record(
                    session, actor=None, action="test.append", entity="thread", entity_id=i,
                    detail=str(n)))

    workers = [threading.Thread(target=append, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_writers_do_not_fork_the_chain(backend, request):
    engine = request.getfixturevalue("sqlite_file_engine" if backend == "sqlite"
                                     else "postgres_engine")
    concurrent_appends(engine)
    with session_scope(engine) as session:
        result = audit.verify(session)
        appended = session.exec(text(
            "SELECT count(*) FROM audit_events WHERE action = 'test.append'")).one()[0]
    assert result.ok and appended == 200


def test_backup_on_postgresql_runs_pg_dump(postgres_engine, tmp_path):
    import shutil

    from portal import backup

    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    done = backup.backup(postgres_engine, tmp_path / "portal.dump")
    assert done.tool == "pg_dump" and done.size > 0
    assert "reports" in inspect(postgres_engine).get_table_names()


def test_the_migration_chains_the_audit_rows_already_there(tmp_path):
    from datetime import datetime

    from portal import migrate
    from portal.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    migrate.upgrade(engine, "0007")
    with engine.begin() as connection:
        for n in range(5):
            connection.execute(text(
                "INSERT INTO audit_events (at, actor_id, action, entity, entity_id, detail) "
                "VALUES (:at, NULL, 'unit.create', 'unit', :n, :detail)"),
                {"at": datetime(2026, 3, 1, 9, n), "n": n, "detail": f"单位 {n}"})
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        result = audit.verify(session)
        assert result.ok and result.count == 5
        audit.record(session, actor=None, action="test.after", entity="unit")
        session.commit()
        assert audit.verify(session).count == 6
    engine.dispose()
