"""Role codes of DOMAIN.md and the acting user that every service receives."""

from dataclasses import dataclass, field
from enum import StrEnum

from portal.errors import PermissionDenied


class Role(StrEnum):
    COMPANY = "company"
    UNIT = "unit"
    SUPERVISOR = "supervisor"
    DISCIPLINE = "discipline"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.UNIT, Role.SUPERVISOR, Role.DISCIPLINE, Role.ADMIN})


@dataclass(frozen=True)
class Actor:
    """Who is acting: loaded fresh from the database for every page run."""

    user_id: int
    username: str
    display_name: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    unit_id: int | None = None
    unit_name: str | None = None

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


def require(actor: Actor | None, *roles: Role) -> Actor:
    """Raise unless the actor holds at least one of `roles`."""
    if actor is None or not actor.has(*roles):
        raise PermissionDenied()
    return actor
