"""The public board (亮晒): per-unit figures of seed 002/003 and exposed cases, no personal data."""

import calendar
from datetime import date, datetime

from sqlalchemy import and_, case
from sqlmodel import Session, col, func, select

from portal import clock
from portal.cache import VersionedCache
from portal.cases import exposed_cases
from portal.duplicates import COUNTED
from portal.errors import ValidationError
from portal.models import (
    Report,
    SelfcheckCampaign,
    SelfcheckCampaignUnit,
    SelfcheckForm,
    Unit,
)


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


# --- the public board of a year or a month (#13) -----------------------------------------------

BOARD_RATES = ("closing_rate", "on_time_closing", "satisfaction")
_cache = VersionedCache()


def clear_cache() -> None:
    _cache.clear()


def _period(year: int, month: int | None) -> tuple[date, date]:
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if not 1 <= month <= 12:
        raise ValidationError("error.stats_period", field="month")
    last = calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last)


def _selfchecks(session: Session, start: date, end: date) -> dict[int, tuple[int, int]]:
    """Per unit: forms submitted (or accepted) / forms required, for the campaigns whose
    quarter falls in the period."""
    quarters = {(d.year, (d.month - 1) // 3 + 1) for d in (start, end)}
    quarters |= {(start.year, q) for q in range(1, 5)
                 if start <= date(start.year, 3 * q - 2, 1) <= end}
    campaign_ids = [cid for cid, y, q in session.exec(
        select(SelfcheckCampaign.id, SelfcheckCampaign.year, SelfcheckCampaign.quarter)).all()
        if (y, q) in quarters]
    if not campaign_ids:
        return {}
    done = func.sum(case((col(SelfcheckForm.status).in_(["submitted", "accepted"]), 1), else_=0))
    rows = session.exec(
        select(SelfcheckCampaignUnit.unit_id, func.count(), done)
        .select_from(SelfcheckCampaignUnit)
        .outerjoin(SelfcheckForm, and_(SelfcheckForm.campaign_id == SelfcheckCampaignUnit.campaign_id,
                                       SelfcheckForm.unit_id == SelfcheckCampaignUnit.unit_id))
        .where(col(SelfcheckCampaignUnit.campaign_id).in_(campaign_ids))
        .group_by(SelfcheckCampaignUnit.unit_id)).all()
    return {unit: (int(d or 0), int(n)) for unit, n, d in rows}


def _quota(session: Session, year: int, on: date) -> dict[str, str]:
    """Each quota unit's status at the latest checkpoint passed by `on` (else the next one)."""
    from portal import quotas

    result = {}
    for row in quotas.compute(session, year=year, on=on):
        passed = [c for c in row["checkpoints"] if c["date"] <= on.isoformat()]
        mark = passed[-1] if passed else (row["checkpoints"][0] if row["checkpoints"] else None)
        if mark is not None:
            result[row["unit"]] = mark["status"]
    return result


def _compute_board(session: Session, year: int, month: int | None) -> dict:
    from portal import stats

    start, end = _period(year, month)
    figures = stats.compute(session, start=start, end=end)
    unit_ids = dict(session.exec(select(Unit.name, Unit.id)).all())
    selfchecks = _selfchecks(session, start, end)
    quota = _quota(session, year, min(end, clock.today()))

    def public(row: dict) -> dict:
        return {"accepted": row["accepted"], **{name: row[name] for name in BOARD_RATES}}

    units = []
    for row in figures["units"]:
        done, due = selfchecks.get(unit_ids[row["unit"]], (0, 0))
        units.append({"unit": row["unit"], **public(row),
                      "selfcheck": {"num": done, "den": due},
                      "quota": quota.get(row["unit"])})
    submitted = [u["selfcheck"] for u in units]
    return {"year": year, "month": month, "from": start.isoformat(), "to": end.isoformat(),
            "total": {**public(figures["total"]),
                      "selfcheck": {"num": sum(s["num"] for s in submitted),
                                    "den": sum(s["den"] for s in submitted)},
                      "quota_met": sum(1 for label in quota.values() if label == "已达标"),
                      "quota_units": len(quota)},
            "units": units, "cases": exposed_cases(session)}


def period_board(session: Session, *, year: int, month: int | None = None) -> dict:
    """The public board of a year (or one month of it): per-unit 受理, 办结率, 按时办结率, 满意率
    (num/den), self-checks submitted, the typical-case quota, district totals and the exposed
    cases. No personal data: counts and anonymised summaries only. Cached per period until the
    next write (see `portal.cache.data_version`)."""
    return _cache.get(session, ("board", year, month),
                      lambda: _compute_board(session, year, month))
