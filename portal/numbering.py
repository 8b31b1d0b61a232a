"""Gap-tolerant counters for human-readable numbers, safe under concurrent writers."""

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from portal.models import Sequence


def next_value(session: Session, name: str) -> int:
    """Increment and return counter `name` in one statement (an upsert that locks the row)."""
    return next_block(session, name, 1)


def next_block(session: Session, name: str, count: int) -> int:
    """Reserve `count` consecutive values of counter `name` in one statement; returns the
    first (a batch numbers its rows first, first + 1, …)."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = Sequence.__table__
    statement = (insert(table).values(name=name, value=count)
                 .on_conflict_do_update(index_elements=[table.c.name],
                                        set_={"value": table.c.value + count})
                 .returning(table.c.value))
    return session.execute(statement).scalar_one() - count + 1
