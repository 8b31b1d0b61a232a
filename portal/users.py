"""Accounts and roles: admins manage them, everyone may change their own password."""

import re
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, func, or_, select

from portal import audit, clock, text_rules, throttle
from portal.errors import NotFound, ValidationError
from portal.models import Unit, User, UserRole
from portal.passwords import check_policy, generate_password, hash_password, verify_password
from portal.roles import Actor, Role, require

USERNAME_RE = re.compile(r"^[a-zA-Z0-9_-]{1,20}$")  # what streamlit-authenticator accepts


def clean_username(username: str) -> str:
    username = (username or "").strip().lower()
    if not USERNAME_RE.match(username):
        raise ValidationError("error.username_invalid", field="username")
    return username


def _clean_display_name(name: str) -> str:
    return text_rules.clean(name, field="display_name", max_len=64, single_line=True,
                            required_key="error.display_name_required",
                            too_long_key="error.display_name_too_long")


def _clean_roles(session: Session, roles: list[str] | set[str], unit_id: int | None
                 ) -> tuple[set[Role], int | None]:
    try:
        cleaned = {Role(r) for r in roles}
    except ValueError as exc:
        raise ValidationError("error.role_unknown", field="roles") from exc
    if not cleaned:
        raise ValidationError("error.roles_required", field="roles")
    if unit_id is not None:
        unit = session.get(Unit, unit_id)
        if unit is None or not unit.active:
            raise ValidationError("error.unit_inactive", field="unit")
    if Role.UNIT in cleaned and unit_id is None:
        raise ValidationError("error.unit_required_for_role", field="unit")
    return cleaned, unit_id


def _get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("error.user_not_found")
    return user


def roles_of(session: Session, user_id: int) -> set[Role]:
    return {Role(r) for r in session.exec(select(UserRole.role).where(UserRole.user_id == user_id))}


def _set_roles(session: Session, user_id: int, roles: set[Role]) -> None:
    session.exec(delete(UserRole).where(col(UserRole.user_id) == user_id))
    for role in sorted(roles):
        session.add(UserRole(user_id=user_id, role=role.value))


def add_account(session: Session, *, username: str, display_name: str, password: str,
                roles: set[Role], unit_id: int | None) -> User:
    """Insert an account without a permission check: for bootstrap, demo data and services."""
    if session.exec(select(User.id).where(User.username == username)).first() is not None:
        raise ValidationError("error.username_taken", field="username", username=username)
    user = User(username=username, display_name=display_name,
                password_hash=hash_password(password), unit_id=unit_id,
                password_changed_at=clock.now())
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise ValidationError("error.username_taken", field="username", username=username) from exc
    _set_roles(session, user.id, roles)
    return user


def create_user(session: Session, *, actor: Actor, username: str, display_name: str,
                roles: list[str], unit_id: int | None, password: str | None = None
                ) -> tuple[User, str]:
    """Create an account; returns it with its initial password, to be shown exactly once."""
    require(actor, Role.ADMIN)
    username = clean_username(username)
    display_name = _clean_display_name(display_name)
    cleaned, unit_id = _clean_roles(session, roles, unit_id)
    if password:
        check_policy(password, username=username)
    password = password or generate_password()
    user = add_account(session, username=username, display_name=display_name,
                        password=password, roles=cleaned, unit_id=unit_id)
    audit.record(session, actor=actor, action="user.create", entity="user", entity_id=user.id,
                 detail=f"{username} roles={','.join(sorted(cleaned))} unit={unit_id}")
    session.commit()
    return user, password


def create_admin(session: Session, *, username: str, password: str,
                 display_name: str = "系统管理员") -> User:
    """The bootstrap path of `portal create-admin`: no actor exists yet."""
    username = clean_username(username)
    check_policy(password, username=username)
    user = add_account(session, username=username, display_name=display_name,
                        password=password, roles={Role.ADMIN}, unit_id=None)
    audit.record(session, actor=None, action="user.create_admin", entity="user",
                 entity_id=user.id, detail=username)
    session.commit()
    return user


def update_user(session: Session, *, actor: Actor, user_id: int, display_name: str,
                roles: list[str], unit_id: int | None) -> User:
    require(actor, Role.ADMIN)
    user = _get(session, user_id)
    display_name = _clean_display_name(display_name)
    cleaned, unit_id = _clean_roles(session, roles, unit_id)
    if user.id == actor.user_id and Role.ADMIN not in cleaned:
        raise ValidationError("error.cannot_drop_own_admin", field="roles")
    user.display_name, user.unit_id = display_name, unit_id
    session.add(user)
    _set_roles(session, user.id, cleaned)
    audit.record(session, actor=actor, action="user.update", entity="user", entity_id=user.id,
                 detail=f"roles={','.join(sorted(cleaned))} unit={unit_id}")
    session.commit()
    return user


def set_user_active(session: Session, *, actor: Actor, user_id: int, active: bool) -> User:
    require(actor, Role.ADMIN)
    user = _get(session, user_id)
    if user.id == actor.user_id and not active:
        raise ValidationError("error.cannot_deactivate_self")
    user.active = active
    session.add(user)
    audit.record(session, actor=actor, action="user.activate" if active else "user.deactivate",
                 entity="user", entity_id=user.id, detail=user.username)
    session.commit()
    return user


def reset_password(session: Session, *, actor: Actor, user_id: int) -> str:
    """Give the user a new random password (shown once) and lift any lockout."""
    require(actor, Role.ADMIN)
    user = _get(session, user_id)
    password = generate_password()
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    user.password_changed_at = clock.now()
    user.logins_revoked_at = clock.precise_now()  # every session and cookie of the user ends
    session.add(user)
    throttle.clear(session, throttle.login_account_rule(), throttle.account_key(user.username))
    audit.record(session, actor=actor, action="user.reset_password", entity="user",
                 entity_id=user.id, detail=user.username)
    session.commit()
    return password


def change_own_password(session: Session, *, actor: Actor, current: str, new: str,
                        repeat: str) -> datetime:
    """Change the password and end the user's other sessions and remembered logins; returns
    the moment of the change, after which the caller's own session counts as logged in."""
    user = _get(session, actor.user_id)
    stored = user.password_hash
    session.commit()  # end the read before the slow hashes
    if not verify_password(current, stored):
        raise ValidationError("error.current_password_wrong", field="current")
    if new != repeat:
        raise ValidationError("error.passwords_differ", field="repeat")
    check_policy(new, username=user.username)
    new_hash = hash_password(new)
    user = _get(session, actor.user_id)
    user.password_hash = new_hash
    user.password_changed_at = clock.now()
    user.logins_revoked_at = clock.precise_now()
    session.add(user)
    audit.record(session, actor=actor, action="user.change_password", entity="user",
                 entity_id=user.id, detail=user.username)
    session.commit()
    return user.logins_revoked_at


def list_users(session: Session, *, actor: Actor, search: str = "", page: int = 1,
               page_size: int = 20) -> tuple[list[dict], int]:
    """One page of accounts with their roles and unit, and the total for the pager."""
    require(actor, Role.ADMIN)
    query = select(User, Unit.name).join(Unit, col(Unit.id) == User.unit_id, isouter=True)
    count = select(func.count()).select_from(User)
    if search.strip():
        pattern = f"%{search.strip()}%"
        condition = or_(col(User.username).ilike(pattern), col(User.display_name).ilike(pattern))
        query, count = query.where(condition), count.where(condition)
    total = session.exec(count).one()
    rows = session.exec(query.order_by(User.id).offset((max(page, 1) - 1) * page_size)
                        .limit(page_size)).all()
    ids = [u.id for u, _ in rows]
    roles: dict[int, list[str]] = {i: [] for i in ids}
    for user_id, role in session.exec(select(UserRole.user_id, UserRole.role)
                                      .where(col(UserRole.user_id).in_(ids))
                                      .order_by(UserRole.role)):
        roles[user_id].append(role)
    now = clock.now()
    return [{"id": u.id, "username": u.username, "display_name": u.display_name,
             "roles": roles[u.id], "unit_id": u.unit_id, "unit": unit_name,
             "active": u.active, "locked": bool(u.locked_until and u.locked_until > now)}
            for u, unit_name in rows], total


def load_actor(session: Session, *, username: str | None) -> Actor | None:
    """The acting user for this run, or None when unknown or deactivated."""
    if not username:
        return None
    row = session.exec(select(User, Unit.name).join(Unit, col(Unit.id) == User.unit_id,
                                                    isouter=True)
                       .where(User.username == username)).first()
    if row is None or not row[0].active:
        return None
    user, unit_name = row
    return Actor(user_id=user.id, username=user.username, display_name=user.display_name,
                 roles=frozenset(roles_of(session, user.id)), unit_id=user.unit_id,
                 unit_name=unit_name)


def credentials(session: Session, *, usernames: list[str]) -> dict:
    """The named active accounts in the shape streamlit-authenticator expects (hashes, never
    passwords). A page run names only the account of its cookie or session, so its cost does
    not grow with the number of accounts (100,000 company accounts in a province)."""
    wanted = [name for name in usernames if name]
    if not wanted:
        return {"usernames": {}}
    users = session.exec(select(User).where(col(User.active).is_(True),
                                            col(User.username).in_(wanted))).all()
    return {"usernames": {u.username: {"name": u.display_name, "password": u.password_hash,
                                       "email": None} for u in users}}


def any_account(session: Session) -> bool:
    return session.exec(select(User.id).limit(1)).first() is not None


def revoke_remembered_logins(session: Session, *, actor: Actor) -> None:
    """Logout: a login cookie issued before now no longer logs this user in."""
    user = _get(session, actor.user_id)
    user.logins_revoked_at = clock.precise_now()  # a login in the same second stays void
    session.add(user)
    audit.record(session, actor=actor, action="logout", entity="user", entity_id=user.id,
                 detail=user.username)
    session.commit()


def remembered_login_valid(session: Session, *, username: str, issued_at: datetime) -> bool:
    """Whether a login cookie issued at `issued_at` (local time) may still log `username` in."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        return False
    return user.logins_revoked_at is None or issued_at > user.logins_revoked_at


def session_still_valid(session: Session, *, user_id: int, logged_in_at: datetime) -> bool:
    """Checked on every page run: a logout elsewhere, a password change or an admin reset
    after `logged_in_at` ends this browser session too."""
    row = session.exec(select(User.active, User.logins_revoked_at)
                       .where(User.id == user_id)).first()
    if row is None or not row[0]:
        return False
    return row[1] is None or logged_in_at > row[1]
