"""Quota forecast: each quota unit's verified cases projected to every checkpoint at the pace
of the year so far, and the units that will miss the next checkpoint unless something changes.

Pace = cases (and sanctioned cases) verified from 1 January up to the day of reckoning, per
day elapsed. A checkpoint already passed shows what was counted; an exempted one is on track.
"""

from datetime import date

from sqlmodel import Session

from portal import clock, quotas
from portal.errors import PermissionDenied
from portal.roles import Actor, Role


def project(count: int, elapsed_days: int, days_ahead: int) -> float:
    """`count` so far over `elapsed_days`, continued for `days_ahead` more days."""
    if elapsed_days <= 0:
        return float(count)
    return round(count + count / elapsed_days * max(0, days_ahead), 1)


def forecast(session: Session, *, actor: Actor, year: int, on: date | None = None) -> dict:
    if not actor.has(Role.DISCIPLINE, Role.SUPERVISOR):
        raise PermissionDenied()
    on = on or clock.today()
    elapsed = (min(on, date(year, 12, 31)) - date(year, 1, 1)).days + 1
    units, missing = [], []
    for row in quotas.compute(session, year=year, on=on):
        marks, next_miss = [], None
        for mark in row["checkpoints"]:
            day = date.fromisoformat(mark["date"])
            past = day <= on
            if past:
                cases, sanctioned = float(mark["cases"]), float(mark["sanctioned"])
            else:
                ahead = (day - on).days
                cases = project(row["cases"], elapsed, ahead)
                sanctioned = project(row["sanctioned"], elapsed, ahead)
            on_track = mark["code"] in (quotas.MET, quotas.EXEMPT) or (
                cases >= mark["required_cases"] and sanctioned >= mark["required_sanctioned"])
            marks.append({"date": mark["date"], "past": past, "projected_cases": cases,
                          "projected_sanctioned": sanctioned,
                          "required_cases": mark["required_cases"],
                          "required_sanctioned": mark["required_sanctioned"],
                          "on_track": on_track})
            if not past and next_miss is None:
                next_miss = None if on_track else mark
        entry = {"unit": row["unit"], "unit_id": row["unit_id"], "cases": row["cases"],
                 "sanctioned": row["sanctioned"], "checkpoints": marks,
                 "misses_next": next_miss is not None}
        units.append(entry)
        if next_miss is not None:
            missing.append({"unit": row["unit"], "checkpoint": next_miss["date"],
                            "projected_cases": next(m["projected_cases"] for m in marks
                                                    if m["date"] == next_miss["date"]),
                            "required_cases": next_miss["required_cases"]})
    return {"elapsed_days": elapsed, "units": units, "will_miss_next": missing}
