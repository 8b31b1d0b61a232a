"""Typical-case quotas per unit (seed 001): at each checkpoint of the year a quota unit needs a
minimum of verified cases, and of verified cases carrying a sanction (党纪处分, 政务处分) or a
judicial transfer (移交司法机关). Rules are rows per year; the default rows (year NULL) apply
to years without their own. Counting is done with GROUP BY, never by loading cases."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case as sql_case
from sqlmodel import Session, col, func, select

from portal import audit, clock, text_rules
from portal.cases import SANCTIONS
from portal.errors import NotFound, PermissionDenied, ValidationError
from portal.models import (
    CaseOutcome,
    QuotaExemption,
    QuotaRule,
    TypicalCase,
    Unit,
    UnitQuotaYear,
)
from portal.roles import Actor, Role

MET, UNMET, AT_RISK, EXEMPT, NOT_DUE = "met", "unmet", "at_risk", "exempt", "not_due"
LABELS = {MET: "已达标", NOT_DUE: "未到期", AT_RISK: "有风险", UNMET: "未达标", EXEMPT: "豁免"}
RISK_DAYS = 30


@dataclass(frozen=True)
class Checkpoint:
    day: date
    min_cases: int
    min_sanctioned: int


def rules_for(session: Session, year: int) -> list[Checkpoint]:
    own = session.exec(select(QuotaRule).where(QuotaRule.year == year)).all()
    rules = own or session.exec(select(QuotaRule).where(col(QuotaRule.year).is_(None))).all()
    return sorted((Checkpoint(date(year, r.month, r.day), r.min_cases, r.min_sanctioned)
                   for r in rules), key=lambda c: c.day)


def _counts(session: Session, start: date, ends: list[date]) -> list[dict[int, tuple[int, int]]]:
    """Verified cases concluded from `start` up to each of `ends`, per unit: (all,
    sanctioned) — every end in one GROUP BY."""
    sanctioned = col(TypicalCase.id).in_(
        select(CaseOutcome.case_id).where(col(CaseOutcome.outcome).in_(SANCTIONS)))
    sums = []
    for end in ends:
        upto = col(TypicalCase.concluded_on) <= end
        sums += [func.sum(sql_case((upto, 1), else_=0)),
                 func.sum(sql_case((upto & sanctioned, 1), else_=0))]
    rows = session.exec(
        select(TypicalCase.unit_id, *sums)
        .where(TypicalCase.status == "verified", col(TypicalCase.concluded_on) >= start,
               col(TypicalCase.concluded_on) <= max(ends))
        .group_by(TypicalCase.unit_id)).all()
    found: list[dict[int, tuple[int, int]]] = [{} for _ in ends]
    for unit_id, *values in rows:
        for i, counts in enumerate(found):
            if values[2 * i]:
                counts[unit_id] = (int(values[2 * i]), int(values[2 * i + 1] or 0))
    return found


def status_at(checkpoint: Checkpoint, cases: int, sanctioned: int, on: date,
              exempt: bool) -> str:
    """What is true on `on`: 已达标 as soon as met (exempt or not); a checkpoint not yet
    passed is 未到期, or 有风险 within 30 days; only a passed, unmet one is 未达标 — unless
    exempted, 豁免 being a reason for not meeting it."""
    if cases >= checkpoint.min_cases and sanctioned >= checkpoint.min_sanctioned:
        return MET
    if exempt:
        return EXEMPT
    if on <= checkpoint.day:
        return AT_RISK if (checkpoint.day - on).days <= RISK_DAYS else NOT_DUE
    return UNMET


def _reason(status: str, checkpoint: Checkpoint, cases: int, sanctioned: int,
            exemption: str | None) -> str:
    """The words beside the status: the exemption's reason, or what is still missing."""
    if exemption is not None:
        return f"豁免：{exemption}"
    if status == MET:
        return ""
    missing = []
    if cases < checkpoint.min_cases:
        missing.append(f"案例尚差 {checkpoint.min_cases - cases} 件")
    if sanctioned < checkpoint.min_sanctioned:
        missing.append(f"处分/移送案例尚差 {checkpoint.min_sanctioned - sanctioned} 件")
    return "，".join(missing)


def quota_units(session: Session, year: int) -> list[Unit]:
    """Active units carrying the quota in `year`: a per-year row wins over the unit's flag."""
    own = select(UnitQuotaYear.applies).where(UnitQuotaYear.unit_id == Unit.id,
                                              UnitQuotaYear.year == year).scalar_subquery()
    return list(session.exec(select(Unit).where(
        col(Unit.active).is_(True), func.coalesce(own, Unit.quota_applies).is_(True))
        .order_by(Unit.sort_order, Unit.id)).all())


def set_unit_quota_year(session: Session, *, actor: Actor, unit_id: int, year: int,
                        applies: bool) -> None:
    """Whether a unit carries the quota in a given year (e.g. a unit added to next year's plan)."""
    if not actor.has(Role.ADMIN, Role.DISCIPLINE):
        raise PermissionDenied()
    if session.get(Unit, unit_id) is None:
        raise NotFound("error.unit_not_found")
    row = session.get(UnitQuotaYear, (unit_id, year)) or UnitQuotaYear(
        unit_id=unit_id, year=year, applies=applies)
    row.applies = applies
    session.add(row)
    audit.record(session, actor=actor, action="quota.unit_year", entity="unit",
                 entity_id=unit_id, detail=f"{year} {'applies' if applies else 'exempt'}")
    session.commit()


def compute(session: Session, *, year: int, on: date) -> list[dict]:
    """Per quota unit: cases and sanctioned cases counted up to `on`, and each checkpoint's
    status (已达标 / 未达标 / 有风险 / 豁免) with the days left."""
    start = date(year, 1, 1)
    checkpoints = rules_for(session, year)
    ends = [min(on, date(year, 12, 31)), *(min(c.day, on) for c in checkpoints)]
    overall, *at_checkpoints = _counts(session, start, ends)
    per_checkpoint = dict(zip((c.day for c in checkpoints), at_checkpoints, strict=True))
    exempt = {(u, d): reason for u, d, reason in session.exec(
        select(QuotaExemption.unit_id, QuotaExemption.checkpoint, QuotaExemption.reason).where(
            col(QuotaExemption.checkpoint).in_([c.day for c in checkpoints]),
            col(QuotaExemption.revoked_at).is_(None))).all()}
    units = quota_units(session, year)
    result = []
    for unit in units:
        cases, sanctioned = overall.get(unit.id, (0, 0))
        marks = []
        for checkpoint in checkpoints:
            n, s = per_checkpoint[checkpoint.day].get(unit.id, (0, 0))
            exemption = exempt.get((unit.id, checkpoint.day))
            status = status_at(checkpoint, n, s, on, exemption is not None)
            marks.append({"date": checkpoint.day.isoformat(), "status": LABELS[status],
                          "code": status, "cases": n, "sanctioned": s,
                          "exempt": exemption is not None,
                          "reason": _reason(status, checkpoint, n, s, exemption),
                          "required_cases": checkpoint.min_cases,
                          "required_sanctioned": checkpoint.min_sanctioned,
                          "days_left": max(0, (checkpoint.day - on).days)})
        ahead = [m["days_left"] for m in marks if m["code"] in (AT_RISK, NOT_DUE)]
        result.append({"unit": unit.name, "unit_id": unit.id, "cases": cases,
                       "sanctioned": sanctioned, "checkpoints": marks,
                       # days to the next checkpoint still to be met; None once all are met
                       "days_to_next": min(ahead) if ahead else None})
    return result


def dashboard(session: Session, *, actor: Actor, year: int, on: date | None = None
              ) -> list[dict]:
    if not actor.has(Role.DISCIPLINE, Role.SUPERVISOR):
        raise PermissionDenied()
    return compute(session, year=year, on=on or clock.today())


def exempt_unit(session: Session, *, actor: Actor, unit_id: int, checkpoint: date,
                reason: str) -> QuotaExemption:
    """Record a “原则上” exemption: a unit that does not meet the checkpoint then shows 豁免
    with the reason (one that meets it shows 已达标)."""
    if not actor.has(Role.DISCIPLINE):
        raise PermissionDenied()
    reason = text_rules.clean(reason, field="reason", max_len=text_rules.REASON,
                              required_key="error.notice_reason_required")
    if checkpoint not in [c.day for c in rules_for(session, checkpoint.year)]:
        raise ValidationError("error.quota_checkpoint_unknown", field="checkpoint")
    if unit_id not in {u.id for u in quota_units(session, checkpoint.year)}:
        raise NotFound("error.unit_not_found")
    exemption = session.exec(select(QuotaExemption).where(
        QuotaExemption.unit_id == unit_id, QuotaExemption.checkpoint == checkpoint)).first()
    exemption = exemption or QuotaExemption(unit_id=unit_id, checkpoint=checkpoint, reason="")
    exemption.reason, exemption.created_by_id = reason.strip(), actor.user_id
    exemption.created_at = clock.now()
    exemption.revoked_at = exemption.revoked_by_id = None
    exemption.revoke_reason = ""
    session.add(exemption)
    audit.record(session, actor=actor, action="quota.exempt", entity="unit", entity_id=unit_id,
                 detail=f"{checkpoint.isoformat()} {reason.strip()[:200]}")
    session.commit()
    return exemption


def revoke_exemption(session: Session, *, actor: Actor, unit_id: int, checkpoint: date,
                     reason: str) -> QuotaExemption:
    """Discipline takes an exemption back, with a reason; the row stays as the record."""
    if not actor.has(Role.DISCIPLINE):
        raise PermissionDenied()
    reason = text_rules.clean(reason, field="reason", max_len=text_rules.REASON,
                              required_key="error.notice_reason_required")
    exemption = session.exec(select(QuotaExemption).where(
        QuotaExemption.unit_id == unit_id, QuotaExemption.checkpoint == checkpoint,
        col(QuotaExemption.revoked_at).is_(None))).first()
    if exemption is None:
        raise NotFound("error.quota_exemption_not_found")
    exemption.revoked_at, exemption.revoked_by_id = clock.now(), actor.user_id
    exemption.revoke_reason = reason
    session.add(exemption)
    audit.record(session, actor=actor, action="quota.revoke", entity="unit", entity_id=unit_id,
                 detail=f"{checkpoint.isoformat()} {reason[:200]}")
    session.commit()
    return exemption


def exemptions(session: Session, *, actor: Actor, year: int) -> list[dict]:
    """The year's exemptions, live and revoked, for the discipline office."""
    if not actor.has(Role.DISCIPLINE, Role.SUPERVISOR):
        raise PermissionDenied()
    rows = session.exec(select(QuotaExemption, Unit.name)
                        .join(Unit, col(Unit.id) == QuotaExemption.unit_id)
                        .where(col(QuotaExemption.checkpoint) >= date(year, 1, 1),
                               col(QuotaExemption.checkpoint) <= date(year, 12, 31))
                        .order_by(QuotaExemption.checkpoint, Unit.sort_order)).all()
    return [{"unit_id": e.unit_id, "unit": name, "checkpoint": e.checkpoint, "reason": e.reason,
             "revoked": e.revoked_at is not None, "revoke_reason": e.revoke_reason}
            for e, name in rows]


def set_rules(session: Session, *, actor: Actor, year: int,
              checkpoints: list[tuple[int, int, int, int]]) -> None:
    """Replace a year's rules with (month, day, min cases, min sanctioned) rows."""
    if not actor.has(Role.ADMIN):
        raise PermissionDenied()
    for month, day, cases, sanctioned in checkpoints:
        try:
            date(year, month, day)
        except ValueError as exc:
            raise ValidationError("error.quota_checkpoint_unknown", field="checkpoint") from exc
        if not (0 <= sanctioned <= cases <= 100):
            raise ValidationError("error.quota_numbers", field="min_cases")
    for rule in session.exec(select(QuotaRule).where(QuotaRule.year == year)).all():
        session.delete(rule)
    session.flush()
    for month, day, cases, sanctioned in checkpoints:
        session.add(QuotaRule(year=year, month=month, day=day, min_cases=cases,
                              min_sanctioned=sanctioned))
    audit.record(session, actor=actor, action="quota.rules", entity="quota", entity_id=year,
                 detail=str(checkpoints))
    session.commit()


def has_own_rules(session: Session, year: int) -> bool:
    return session.exec(select(QuotaRule.id).where(QuotaRule.year == year)).first() is not None
