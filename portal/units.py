"""Responsible units: listed by everyone who needs a picker, changed only by admins."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from portal import audit, text_rules
from portal.errors import NotFound, ValidationError
from portal.models import Unit
from portal.roles import Actor, Role, require

MAX_NAME = 64


def list_units(session: Session, *, active_only: bool = True) -> list[Unit]:
    query = select(Unit).order_by(Unit.sort_order, Unit.id)
    if active_only:
        query = query.where(col(Unit.active).is_(True))
    return list(session.exec(query))


def get_unit(session: Session, *, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("error.unit_not_found")
    return unit


def _clean_name(name: str) -> str:
    return text_rules.clean(name, field="name", max_len=MAX_NAME, single_line=True,
                            required_key="error.unit_name_required",
                            too_long_key="error.unit_name_too_long")


def _ensure_unique(session: Session, name: str, *, except_id: int | None = None) -> None:
    query = select(Unit.id).where(Unit.name == name)
    if except_id is not None:
        query = query.where(Unit.id != except_id)
    if session.exec(query).first() is not None:
        raise ValidationError("error.unit_name_taken", field="name", name=name)


def create_unit(session: Session, *, actor: Actor, name: str, quota_applies: bool) -> Unit:
    require(actor, Role.ADMIN)
    name = _clean_name(name)
    _ensure_unique(session, name)
    next_order = session.exec(select(func.coalesce(func.max(Unit.sort_order), 0))).one() + 1
    unit = Unit(name=name, quota_applies=quota_applies, sort_order=next_order)
    session.add(unit)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent admin took the name first
        session.rollback()
        raise ValidationError("error.unit_name_taken", field="name", name=name) from exc
    audit.record(session, actor=actor, action="unit.create", entity="unit", entity_id=unit.id,
                 detail=f"{name} quota={quota_applies}")
    session.commit()
    return unit


def update_unit(session: Session, *, actor: Actor, unit_id: int, name: str,
                quota_applies: bool, active: bool) -> Unit:
    """Rename, set the quota flag, or (de)activate; units are never deleted."""
    require(actor, Role.ADMIN)
    unit = get_unit(session, unit_id=unit_id)
    name = _clean_name(name)
    _ensure_unique(session, name, except_id=unit.id)
    changes = []
    if unit.name != name:
        changes.append(f"name: {unit.name} -> {name}")
    if unit.quota_applies != quota_applies:
        changes.append(f"quota: {unit.quota_applies} -> {quota_applies}")
    if unit.active != active:
        changes.append(f"active: {unit.active} -> {active}")
    if not changes:
        return unit
    unit.name, unit.quota_applies, unit.active = name, quota_applies, active
    session.add(unit)
    audit.record(session, actor=actor, action="unit.update", entity="unit", entity_id=unit.id,
                 detail="; ".join(changes))
    session.commit()
    return unit
