"""Small factories for service tests."""

import itertools

from sqlmodel import Session, select

from portal import users
from portal.models import Unit
from portal.roles import Actor, Role

PASSWORD = "Correct-Horse-1"
_counter = itertools.count(1)


def unit_id(session: Session, name: str = "区发改局") -> int:
    return session.exec(select(Unit.id).where(Unit.name == name)).one()


def make_user(session: Session, *roles: Role, unit: str | None = None,
              password: str = PASSWORD) -> Actor:
    """An account holding `roles`; unit users belong to 区发改局 unless `unit` says otherwise."""
    if Role.UNIT in roles and unit is None:
        unit = "区发改局"
    username = f"u{next(_counter)}_{'_'.join(sorted(r.value[:4] for r in roles))}"[:20]
    users.add_account(session, username=username, display_name=f"测试{username}",
                      password=password, roles=set(roles),
                      unit_id=unit_id(session, unit) if unit else None)
    session.commit()
    actor = users.load_actor(session, username=username)
    assert actor is not None
    return actor
