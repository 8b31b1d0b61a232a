"""Password login, throttled per account and per client.

- Every failure counts against the account (by username, existing or not, so unknown and real
  accounts behave alike) and against the client (a keyed hash of its address or browser
  session). A client is locked after 3 failures for 30 s, doubling up to an hour; an account
  after MAX_FAILED_LOGINS failures for 1 minute, doubling up to LOCKOUT_MINUTES. Attempts
  during a lock are refused unchecked and do not extend it, so once the account's short
  back-off has passed, the right password from a client that is not itself locked gets in:
  nobody can lock `admin` for good from one client.
- The answer is the same for an unknown user, a wrong password and any lock.
- Passwords are hashed outside any transaction (bcrypt takes ~0.25 s at cost 12).
"""

from sqlmodel import Session, col, select, update

from portal import audit, clock, throttle
from portal.db import write_with_retry
from portal.errors import PortalError
from portal.models import User
from portal.passwords import dummy_hash, verify_password
from portal.roles import Actor
from portal.users import load_actor


class LoginFailed(PortalError):
    """Refused, for whatever reason: one message for all of them."""


def authenticate(session: Session, *, username: str, password: str, client: str = "") -> Actor:
    """The actor for a correct password, or LoginFailed; `client` identifies the browser."""
    username = (username or "").strip().lower()
    account_rule, client_rule = throttle.login_account_rule(), throttle.login_client_rule()
    account_key, client_key = throttle.account_key(username), throttle.client_key(client)
    now = clock.now()
    row = session.exec(select(User.id, User.password_hash, User.active)
                       .where(User.username == username)).first() if username else None
    blocked = (throttle.locked_until(session, account_rule, account_key, now)
               or throttle.locked_until(session, client_rule, client_key, now))
    session.commit()  # end the read: no transaction is open while bcrypt runs
    if blocked:
        write_with_retry(session, lambda: audit.record(
            session, actor=None, action="login.refused", entity="user",
            entity_id=row[0] if row else None, detail=username[:20]))
        raise LoginFailed("error.login_refused")
    if row is None or not row[2]:
        verify_password(password or "", dummy_hash())  # same cost as a real check
        correct = False
    else:
        correct = verify_password(password or "", row[1])
    if not correct:
        def count_failure() -> None:
            locked = throttle.record_failure(session, account_rule, account_key, now)
            throttle.record_failure(session, client_rule, client_key, now)
            if row is not None:  # mirrored for the admin's user list ("locked")
                values = {"failed_logins": User.failed_logins + 1}
                if locked:
                    values["locked_until"] = locked
                session.exec(update(User).where(col(User.id) == row[0]).values(**values))
            audit.record(session, actor=None, action="login.failed", entity="user",
                         entity_id=row[0] if row else None, detail=username[:20])

        write_with_retry(session, count_failure)
        raise LoginFailed("error.login_refused")

    def succeed() -> Actor:
        throttle.clear(session, account_rule, account_key)
        throttle.clear(session, client_rule, client_key)
        session.exec(update(User).where(col(User.id) == row[0])
                     .values(failed_logins=0, locked_until=None))
        actor = load_actor(session, username=username)
        assert actor is not None
        audit.record(session, actor=actor, action="login", entity="user",
                     entity_id=actor.user_id, detail=username)
        return actor

    return write_with_retry(session, succeed)
