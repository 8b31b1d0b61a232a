"""考核评分 (#13): each unit's quarterly or yearly score under the year's 《考核评分细则》, which an
admin edits (the `scoring_rules` row of the year, else the default row, year 0).

Score = Σ weight × rate (a rate under the minimum volume earns the district's rate, so a handful of
reports neither makes nor breaks a unit) − points off per 督办单, 移交函, red card (a 提醒单 is
issued when a report goes red), self-check filed late or missing, and quota checkpoint missed.
Every point comes with the line that explains it.
"""

import calendar
from datetime import date

from sqlalchemy import and_, case
from sqlmodel import Session, col, func, select

from portal import audit, clock, stats
from portal.errors import PermissionDenied, ValidationError
from portal.models import (
    ScoringRule,
    SelfcheckCampaign,
    SelfcheckCampaignUnit,
    SelfcheckForm,
    Unit,
)
from portal.roles import Actor, Role

WEIGHTS = ("closing_rate", "on_time_response", "on_time_closing", "satisfaction", "resolution")
DEDUCTIONS = ("supervision", "transfer", "red_card", "selfcheck_late", "selfcheck_missing",
              "quota_missed")
DEFAULT_YEAR = 0


def rules_for(session: Session, year: int) -> ScoringRule:
    """The year's own rules, else the default row."""
    own = session.get(ScoringRule, year)
    return own if own is not None else session.get(ScoringRule, DEFAULT_YEAR)


def rules_view(session: Session, *, actor: Actor, year: int) -> dict:
    if not actor.has(*stats.OFFICE_ROLES):
        raise PermissionDenied()
    rule = rules_for(session, year)
    return {"year": year, "own": rule.year == year,
            **{f"w_{n}": getattr(rule, f"w_{n}") for n in WEIGHTS},
            **{f"d_{n}": getattr(rule, f"d_{n}") for n in DEDUCTIONS}}


def set_rules(session: Session, *, actor: Actor, year: int, values: dict[str, float]
              ) -> ScoringRule:
    """An admin sets a year's rules: weights summing to 100, deductions of 0–20 points."""
    if not actor.has(Role.ADMIN):
        raise PermissionDenied()
    if not 2000 <= year <= 2100:
        raise ValidationError("error.scoring_year", field="year")
    names = [f"w_{n}" for n in WEIGHTS] + [f"d_{n}" for n in DEDUCTIONS]
    try:
        numbers = {name: float(values[name]) for name in names}
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError("error.scoring_number", field="rules") from exc
    if any(not 0 <= numbers[f"w_{n}"] <= 100 for n in WEIGHTS) or \
            abs(sum(numbers[f"w_{n}"] for n in WEIGHTS) - 100) > 1e-6:
        raise ValidationError("error.scoring_weights", field="weights")
    if any(not 0 <= numbers[f"d_{n}"] <= 20 for n in DEDUCTIONS):
        raise ValidationError("error.scoring_deductions", field="deductions")
    rule = session.get(ScoringRule, year) or ScoringRule(year=year, **numbers)
    for name, value in numbers.items():
        setattr(rule, name, value)
    rule.updated_at, rule.updated_by_id = clock.now(), actor.user_id
    session.add(rule)
    audit.record(session, actor=actor, action="scoring.rules", entity="scoring", entity_id=year,
                 detail=str(numbers))
    session.commit()
    return rule


def period_of(year: int, quarter: int | None) -> tuple[date, date]:
    if quarter is None:
        return date(year, 1, 1), date(year, 12, 31)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError("error.scoring_quarter", field="quarter")
    end_month = 3 * quarter
    return (date(year, end_month - 2, 1),
            date(year, end_month, calendar.monthrange(year, end_month)[1]))


def _selfchecks(session: Session, year: int, quarter: int | None, today: date
                ) -> dict[int, tuple[int, int]]:
    """Per unit: forms filed late, and forms missing after the due date (one GROUP BY)."""
    filed = col(SelfcheckForm.status).in_(["submitted", "accepted"])
    late = func.sum(case((and_(filed, col(SelfcheckForm.late).is_(True)), 1), else_=0))
    missing = func.sum(case((and_(SelfcheckForm.id.is_(None) | ~filed,  # type: ignore[union-attr]
                                  col(SelfcheckCampaign.due_date) < today), 1), else_=0))
    query = (select(SelfcheckCampaignUnit.unit_id, late, missing)
             .select_from(SelfcheckCampaignUnit)
             .join(SelfcheckCampaign, col(SelfcheckCampaign.id) == SelfcheckCampaignUnit.campaign_id)
             .outerjoin(SelfcheckForm, and_(
                 SelfcheckForm.campaign_id == SelfcheckCampaignUnit.campaign_id,
                 SelfcheckForm.unit_id == SelfcheckCampaignUnit.unit_id))
             .where(SelfcheckCampaign.year == year))
    if quarter is not None:
        query = query.where(SelfcheckCampaign.quarter == quarter)
    rows = session.exec(query.group_by(SelfcheckCampaignUnit.unit_id)).all()
    return {unit: (int(a or 0), int(b or 0)) for unit, a, b in rows}


def _quota_missed(session: Session, year: int, start: date, end: date, today: date
                  ) -> dict[str, int]:
    from portal import quotas

    missed: dict[str, int] = {}
    for row in quotas.compute(session, year=year, on=min(end, today)):
        missed[row["unit"]] = sum(1 for c in row["checkpoints"]
                                  if start.isoformat() <= c["date"] <= end.isoformat()
                                  and c["code"] == quotas.UNMET)
    return missed


def _rate_item(name: str, weight: float, figure: dict, district: dict) -> dict:
    if stats.rankable(figure):
        rate = figure["num"] / figure["den"]
        basis = f"{rate * 100:.1f}%（{figure['num']}/{figure['den']}）× {weight:g}"
    else:
        rate = district["num"] / district["den"] if district["den"] else 1.0
        basis = (f"样本不足（{figure['num']}/{figure['den']}），按全区 {rate * 100:.1f}% × "
                 f"{weight:g}")
    return {"item": name, "points": round(weight * rate, 2), "basis": basis}


def _deduction(name: str, per: float, count: int) -> dict:
    return {"item": name, "points": round(-per * count, 2), "basis": f"{count} × {per:g}",
            "count": count}


def scores(session: Session, *, actor: Actor, year: int, quarter: int | None = None) -> dict:
    """Every active unit's score of the quarter (or the year) with its breakdown, ranked; units
    under the minimum volume of accepted reports are listed but not ranked."""
    if not actor.has(*stats.OFFICE_ROLES):
        raise PermissionDenied()
    return compute(session, year=year, quarter=quarter)


def compute(session: Session, *, year: int, quarter: int | None = None) -> dict:
    """`scores` for trusted callers (the bulletin, the CLI)."""
    start, end = period_of(year, quarter)
    today = clock.today()
    rule = rules_for(session, year)
    figures = stats.compute(session, start=start, end=end)
    ids = dict(session.exec(select(Unit.name, Unit.id)).all())
    selfchecks = _selfchecks(session, year, quarter, today)
    missed = _quota_missed(session, year, start, end, today)
    rows = []
    for row in figures["units"]:
        late, missing = selfchecks.get(ids[row["unit"]], (0, 0))
        counts = {"supervision": row["notices"]["supervision"],
                  "transfer": row["notices"]["transfer"], "red_card": row["notices"]["reminder"],
                  "selfcheck_late": late, "selfcheck_missing": missing,
                  "quota_missed": missed.get(row["unit"], 0)}
        items = [_rate_item(n, getattr(rule, f"w_{n}"), row[n], figures["total"][n])
                 for n in WEIGHTS]
        items += [_deduction(n, getattr(rule, f"d_{n}"), counts[n]) for n in DEDUCTIONS]
        rows.append({"unit": row["unit"], "accepted": row["accepted"],
                     "score": round(sum(i["points"] for i in items), 2), "items": items,
                     "ranked": row["accepted"] >= stats.MIN_DENOMINATOR})
    ranked = sorted((r for r in rows if r["ranked"]), key=lambda r: (-r["score"], r["unit"]))
    for rank, row in enumerate(ranked, start=1):
        row["rank"] = rank
    unranked = [{**r, "rank": None} for r in rows if not r["ranked"]]
    return {"year": year, "quarter": quarter, "from": start.isoformat(), "to": end.isoformat(),
            "rules_year": rule.year, "units": ranked + unranked}
