"""红黄牌 (seed 001, item 11): yellow when a deadline is today or the next working day, red when
it has passed. One rule, `classify`; lists filter and sort on the same dates in SQL."""

from datetime import date

from sqlalchemy import ColumnElement, and_
from sqlmodel import Session, col

from portal.models import Report
from portal.workdays import add_working_days

RED = "red"
YELLOW = "yellow"


def classify(deadline: date | None, today: date, yellow_until: date) -> str | None:
    """The card for `deadline`; `yellow_until` is the working day after `today`."""
    if deadline is None:
        return None
    if deadline < today:
        return RED
    if deadline <= yellow_until:
        return YELLOW
    return None


def card(deadline: date | None, today: date, *, session: Session | None = None) -> str | None:
    return classify(deadline, today, add_working_days(today, 1, session=session))


def condition(which: str, today: date, *, session: Session | None = None) -> ColumnElement:
    """The SQL filter for reports carrying card `which` today."""
    due = col(Report.current_due)
    if which == RED:
        return due < today
    return and_(due >= today, due <= add_working_days(today, 1, session=session))
