"""The public board (亮晒): per-unit figures of seed 002/003 and exposed cases, no personal data."""

from datetime import datetime

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from portal.cases import exposed_cases
from portal.duplicates import COUNTED
from portal.models import Report, Unit


def unit_figures(session: Session) -> list[dict]:
    """受理量, 办结量, 办结率, 满意率 per unit, from one GROUP BY over the reports.

    A merged group (并案) counts once: the duplicates that follow a main report are left out.
    """
    closed = func.sum(case((col(Report.status).in_(["closed", "closed_unrated"]), 1), else_=0))
    rated = func.sum(case((col(Report.rating).is_not(None), 1), else_=0))
    pleased = func.sum(case((col(Report.rating).in_(["satisfied", "basically"]), 1), else_=0))
    rows = session.exec(
        select(Unit.name, func.count(), closed, rated, pleased)
        .join(Unit, col(Unit.id) == Report.unit_id)
        .where(col(Report.unit_id).is_not(None), COUNTED)
        .group_by(Unit.name, Unit.sort_order).order_by(Unit.sort_order)).all()
    return [{"unit": name, "accepted": n, "closed": int(c or 0),
             "close_rate": (c or 0) / n if n else None,
             "satisfaction": (p or 0) / r if r else None} for name, n, c, r, p in rows]


def public_board(session: Session) -> dict:
    return {"units": unit_figures(session), "cases": exposed_cases(session)}


def headline(session: Session, *, year: int) -> dict:
    """The district's figures of `year` for the portal home: one aggregate, no personal data.

    Each rate comes with its numerator and denominator so the page never shows a bare percentage.
    """
    closed = func.sum(case((Report.status == "closed", 1), else_=0))
    rated = func.sum(case((col(Report.rating).is_not(None), 1), else_=0))
    pleased = func.sum(case((col(Report.rating).in_(["satisfied", "basically"]), 1), else_=0))
    start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    accepted, done, with_rating, good = session.exec(
        select(func.count(), closed, rated, pleased)
        .where(col(Report.unit_id).is_not(None), Report.created_at >= start,
               Report.created_at < end)).one()
    done, with_rating, good = int(done or 0), int(with_rating or 0), int(good or 0)
    return {"year": year, "accepted": accepted, "closed": done,
            "closing_rate": done / accepted if accepted else None,
            "rated": with_rating, "satisfied": good,
            "satisfaction": good / with_rating if with_rating else None}
