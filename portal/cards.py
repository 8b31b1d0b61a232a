"""红黄牌 (seed 001, item 11): red when a deadline has passed; yellow when it is today, or the
next working day for windows longer than one working day (so a report assigned today with a
1-day respond window is not yellow at once). One rule, `classify`; lists filter and sort on the
same dates in SQL."""

from datetime import date

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col

from portal.models import Report
from portal.workdays import add_working_days

RED = "red"
YELLOW = "yellow"


def classify(deadline: date | None, today: date, yellow_until: date,
             window: int | None = None) -> str | None:
    """The card for `deadline`; `yellow_until` is the working day after `today`, `window` the
    length in working days of the window behind the deadline (None: longer than one)."""
    if deadline is None:
        return None
    if deadline < today:
        return RED
    if deadline == today:
        return YELLOW
    if deadline <= yellow_until and (window is None or window > 1):
        return YELLOW
    return None


def card(deadline: date | None, today: date, *, window: int | None = None,
         session: Session | None = None) -> str | None:
    return classify(deadline, today, add_working_days(today, 1, session=session), window)


def condition(which: str, today: date, *, session: Session | None = None) -> ColumnElement:
    """The SQL filter for reports carrying card `which` today."""
    due = col(Report.current_due)
    if which == RED:
        return due < today
    window = col(Report.due_window)
    return or_(due == today,
               and_(due > today, due <= add_working_days(today, 1, session=session),
                    or_(window.is_(None), window > 1)))
