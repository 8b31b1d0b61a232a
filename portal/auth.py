"""Password login with lockout: five failures lock an account for fifteen minutes."""

from datetime import timedelta

from sqlmodel import Session, select

from portal import audit, clock
from portal.errors import PortalError
from portal.models import User
from portal.passwords import dummy_hash, verify_password
from portal.roles import Actor
from portal.settings import get_settings
from portal.users import load_actor


class LoginFailed(PortalError):
    """Wrong username or password, or the account is locked; the key says which."""


def authenticate(session: Session, *, username: str, password: str) -> Actor:
    settings = get_settings()
    username = (username or "").strip().lower()
    user = session.exec(select(User).where(User.username == username)).first() if username else None
    if user is None or not user.active:
        verify_password(password or "", dummy_hash())  # same cost as a real check
        raise LoginFailed("error.login_failed")
    now = clock.now()
    if user.locked_until and user.locked_until > now:
        raise LoginFailed("error.account_locked", until=user.locked_until)
    if not verify_password(password or "", user.password_hash):
        user.failed_logins += 1
        locked = user.failed_logins >= settings.max_failed_logins
        if locked:
            user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
            user.failed_logins = 0
            audit.record(session, actor=None, action="user.locked", entity="user",
                         entity_id=user.id, detail=username)
        session.add(user)
        session.commit()
        if locked:
            raise LoginFailed("error.account_locked", until=user.locked_until)
        raise LoginFailed("error.login_failed")
    if user.failed_logins or user.locked_until:
        user.failed_logins, user.locked_until = 0, None
        session.add(user)
        session.commit()
    actor = load_actor(session, username=username)
    assert actor is not None
    return actor
