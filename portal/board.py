"""The public board (亮晒): per-unit figures of seed 002/003 and exposed cases, no personal data."""

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from portal.cases import exposed_cases
from portal.duplicates import COUNTED
from portal.models import Report, Unit


def unit_figures(session: Session) -> list[dict]:
    """受理量, 办结量, 办结率, 满意率 per unit, from one GROUP BY over the reports.

    A merged group (并案) counts once: the duplicates that follow a main report are left out.
    """
    closed = func.sum(case((Report.status == "closed", 1), else_=0))
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
