"""Login throttled per account and per client, one answer for every refusal, a password policy
beyond length, and password changes that end the other sessions (issue #10, finding 6)."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from portal import clock, users
from portal.auth import LoginFailed, authenticate
from portal.errors import ValidationError
from portal.models import AuditEvent, Throttle
from portal.passwords import check_policy
from portal.roles import Role
from tests.factories import PASSWORD, make_user


@pytest.fixture
def frozen_time(monkeypatch):
    moment = {"now": datetime(2026, 11, 23, 9, 0)}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    monkeypatch.setattr(clock, "precise_now", lambda: moment["now"])
    return moment


def refused(session, username, password, client):
    with pytest.raises(LoginFailed) as error:
        authenticate(session, username=username, password=password, client=client)
    return error.value


def test_failures_from_one_client_lock_that_client_and_not_the_account(session, frozen_time):
    worker = make_user(session, Role.UNIT)
    for _ in range(3):
        refused(session, worker.username, "wrong-password", "attacker")
    # the attacker's client is now held back, even with the right password …
    refused(session, worker.username, PASSWORD, "attacker")
    # … while the owner, from their own browser, gets in at once
    assert authenticate(session, username=worker.username, password=PASSWORD,
                        client="owner").user_id == worker.user_id
    frozen_time["now"] += timedelta(seconds=30)
    assert authenticate(session, username=worker.username, password=PASSWORD, client="attacker")


def test_a_client_is_held_back_longer_after_each_further_failure(session, frozen_time):
    for _ in range(3):
        refused(session, "nobody", "wrong-password", "attacker")
    frozen_time["now"] += timedelta(seconds=30)
    refused(session, "nobody", "wrong-password", "attacker")  # 4th failure: 60 s now
    frozen_time["now"] += timedelta(seconds=59)
    assert refused(session, "nobody", "wrong-password", "attacker")
    row = session.exec(select(Throttle).where(Throttle.scope == "login_client")).one()
    assert row.failures == 4  # the refused attempt was not even counted


def test_anyone_cannot_lock_admin_for_good(session, frozen_time):
    """Failures from many clients give the account a short back-off only; afterwards the right
    password from a client without failures gets in."""
    admin = make_user(session, Role.ADMIN)
    for n in range(5):
        refused(session, admin.username, f"guess-{n}", f"attacker-{n}")
    refused(session, admin.username, PASSWORD, "admin-desk")  # the 1-minute back-off
    for n in range(5, 20):  # guesses during the back-off are refused unchecked
        refused(session, admin.username, f"guess-{n}", f"attacker-{n}")
    frozen_time["now"] += timedelta(minutes=1)
    assert authenticate(session, username=admin.username, password=PASSWORD,
                        client="admin-desk").user_id == admin.user_id


def test_the_account_back_off_doubles_up_to_the_lockout_minutes(session, frozen_time):
    worker = make_user(session, Role.UNIT)
    waits = []
    for n in range(10):
        refused(session, worker.username, "wrong-password", f"client-{n}")
        row = session.exec(select(Throttle).where(Throttle.scope == "login_account")).one()
        session.refresh(row)
        if row.locked_until:
            waits.append(row.locked_until - frozen_time["now"])
            frozen_time["now"] = row.locked_until
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 15, 15)]


def test_unknown_wrong_and_locked_get_one_identical_answer(session, frozen_time):
    worker = make_user(session, Role.UNIT)
    unknown = refused(session, "no_such_user", "wrong-password", "a")
    wrong = refused(session, worker.username, "wrong-password", "b")
    for n in range(4):
        refused(session, worker.username, "wrong-password", f"c{n}")
    locked = refused(session, worker.username, PASSWORD, "d")
    for n in range(5):  # an unknown name is throttled exactly like a real one
        refused(session, "no_such_user", "wrong-password", f"e{n}")
    unknown_locked = refused(session, "no_such_user", "wrong-password", "f")
    answers = {(e.key, tuple(e.params.items())) for e in (unknown, wrong, locked, unknown_locked)}
    assert answers == {("error.login_refused", ())}


def test_throttles_store_no_username_and_no_client_address(session, frozen_time):
    refused(session, "someone", "wrong-password", "ip:203.0.113.7")
    keys = " ".join(session.exec(select(Throttle.key)).all())
    assert keys and "someone" not in keys and "203.0.113.7" not in keys


def test_logins_failures_and_logouts_are_audited(session, frozen_time):
    worker = make_user(session, Role.UNIT)
    refused(session, worker.username, "wrong-password", "browser")
    authenticate(session, username=worker.username, password=PASSWORD, client="browser")
    users.revoke_remembered_logins(session, actor=worker)
    actions = list(session.exec(select(AuditEvent.action).where(
        AuditEvent.entity_id == worker.user_id).order_by(AuditEvent.id)))
    assert actions[-3:] == ["login.failed", "login", "logout"]


@pytest.mark.parametrize("password", ["woaini1314", "qq123456", "password", "PASSWORD123",
                                      "a12345678", "1qaz2wsx", "iloveyou"])
def test_common_passwords_are_refused(password):
    with pytest.raises(ValidationError) as error:
        check_policy(password, username="zhangwei")
    assert error.value.key == "error.password_common"


def test_a_password_containing_the_username_is_refused():
    with pytest.raises(ValidationError) as error:
        check_policy("Zhangwei-2026!", username="zhangwei")
    assert error.value.key == "error.password_has_username"
    check_policy("Qingshan-Lu-88", username="zhangwei")


def test_changing_ones_password_applies_the_policy(session):
    worker = make_user(session, Role.UNIT)
    with pytest.raises(ValidationError) as error:
        users.change_own_password(session, actor=worker, current=PASSWORD, new="woaini1314",
                                  repeat="woaini1314")
    assert error.value.key == "error.password_common"


def test_a_password_change_ends_the_other_sessions_and_remembered_logins(session, frozen_time):
    worker = make_user(session, Role.UNIT)
    elsewhere = frozen_time["now"] - timedelta(minutes=10)  # logged in on another computer
    assert users.session_still_valid(session, user_id=worker.user_id, logged_in_at=elsewhere)
    frozen_time["now"] += timedelta(seconds=1)
    changed_at = users.change_own_password(session, actor=worker, current=PASSWORD,
                                           new="Qingshan-Lu-88", repeat="Qingshan-Lu-88")
    assert not users.session_still_valid(session, user_id=worker.user_id, logged_in_at=elsewhere)
    assert not users.remembered_login_valid(session, username=worker.username,
                                            issued_at=elsewhere)
    mine = changed_at + timedelta(microseconds=1)  # the session that changed it stays
    assert users.session_still_valid(session, user_id=worker.user_id, logged_in_at=mine)


def test_an_admin_reset_ends_every_session_of_the_user(session, frozen_time):
    admin = make_user(session, Role.ADMIN)
    worker = make_user(session, Role.UNIT)
    before = frozen_time["now"] - timedelta(minutes=1)
    users.reset_password(session, actor=admin, user_id=worker.user_id)
    assert not users.session_still_valid(session, user_id=worker.user_id, logged_in_at=before)


def test_an_admin_reset_lifts_the_account_back_off(session, frozen_time):
    admin = make_user(session, Role.ADMIN)
    worker = make_user(session, Role.UNIT)
    for n in range(5):
        refused(session, worker.username, "wrong-password", f"c{n}")
    password = users.reset_password(session, actor=admin, user_id=worker.user_id)
    assert authenticate(session, username=worker.username, password=password, client="desk")
