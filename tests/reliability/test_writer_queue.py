"""In-process SQLite writers take turns on a mutex (#17): a waiting writer starts the moment the
one before it commits, instead of sleeping in SQLite's busy handler, and the turn is always
passed on — after a commit, a rollback, or a connection lost mid-write."""

import threading

from sqlalchemy import text

from portal import db, reports
from portal.db import session_scope
from tests.services.test_reports import valid_input


def turn_is_free(engine) -> bool:
    return not db._QUEUES[engine].mutex.locked()



def test_a_write_holds_the_turn_until_it_commits_or_rolls_back(sqlite_file_engine):
    engine = sqlite_file_engine
    with session_scope(engine) as session:
        session.execute(text("SELECT COUNT(*) FROM units")).one()
        assert turn_is_free(engine)  # reading takes no turn
        session.execute(text("UPDATE units SET sort_order = sort_order WHERE id = 1"))
        assert not turn_is_free(engine)
        session.commit()
        assert turn_is_free(engine)
        session.execute(text("UPDATE units SET sort_order = sort_order WHERE id = 1"))
        session.rollback()
        assert turn_is_free(engine)
    with session_scope(engine) as session:  # a filing: hash, then write with retries
        reports.file_report(session, actor=None, data=valid_input())
    assert turn_is_free(engine)


def test_a_connection_lost_mid_write_passes_the_turn_on(sqlite_file_engine):
    engine = sqlite_file_engine
    with engine.connect() as connection:
        connection.execute(text("UPDATE units SET sort_order = sort_order WHERE id = 1"))
        assert not turn_is_free(engine)
        connection.invalidate()
    assert turn_is_free(engine)


def test_a_waiting_writer_goes_on_when_the_writer_before_it_commits(sqlite_file_engine):
    engine = sqlite_file_engine
    holding, second_wrote = threading.Event(), threading.Event()

    def second() -> None:
        holding.wait()
        with engine.begin() as connection:  # waits for its turn, then writes
            connection.execute(text("UPDATE units SET sort_order = 7 WHERE id = 1"))
        second_wrote.set()

    thread = threading.Thread(target=second)
    thread.start()
    with engine.begin() as connection:
        connection.execute(text("UPDATE units SET sort_order = 3 WHERE id = 1"))
        holding.set()
        assert not second_wrote.wait(0.5)  # it waits while this transaction is open
    assert second_wrote.wait(5)
    thread.join()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT sort_order FROM units WHERE id = 1")).scalar() == 7
    assert turn_is_free(engine)
