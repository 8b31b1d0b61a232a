from datetime import datetime, timedelta

import pytest

from portal import clock, users
from portal.auth import LoginFailed, authenticate
from portal.roles import Role
from tests.factories import PASSWORD, make_user


@pytest.fixture
def frozen_time(monkeypatch):
    moment = {"now": datetime(2026, 11, 23, 9, 0)}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    monkeypatch.setattr(clock, "precise_now", lambda: moment["now"])
    return moment


def fail(session, username, times):
    for _ in range(times):
        with pytest.raises(LoginFailed):
            authenticate(session, username=username, password="wrong-password")


def test_correct_password_logs_in_case_insensitively(session):
    worker = make_user(session, Role.SUPERVISOR)
    assert authenticate(session, username=f" {worker.username.upper()} ",
                        password=PASSWORD).user_id == worker.user_id


def test_unknown_user_and_wrong_password_get_the_same_message(session):
    worker = make_user(session, Role.SUPERVISOR)
    with pytest.raises(LoginFailed) as unknown:
        authenticate(session, username="nobody", password=PASSWORD)
    with pytest.raises(LoginFailed) as wrong:
        authenticate(session, username=worker.username, password="wrong-password")
    assert unknown.value.key == wrong.value.key == "error.login_refused"


def test_five_failures_back_the_account_off_with_the_same_answer(session, frozen_time):
    worker = make_user(session, Role.UNIT)
    fail(session, worker.username, 4)
    with pytest.raises(LoginFailed) as fifth:
        authenticate(session, username=worker.username, password="wrong-password")
    assert fifth.value.key == "error.login_refused" and not fifth.value.params
    with pytest.raises(LoginFailed) as locked:  # even the right password waits out the back-off
        authenticate(session, username=worker.username, password=PASSWORD)
    assert locked.value.key == "error.login_refused" and not locked.value.params

    frozen_time["now"] += timedelta(seconds=59)
    with pytest.raises(LoginFailed):
        authenticate(session, username=worker.username, password=PASSWORD)
    frozen_time["now"] += timedelta(seconds=1)
    assert authenticate(session, username=worker.username, password=PASSWORD)


def test_a_success_resets_the_failure_count(session, frozen_time):
    worker = make_user(session, Role.UNIT)
    fail(session, worker.username, 4)
    authenticate(session, username=worker.username, password=PASSWORD)
    fail(session, worker.username, 4)
    assert authenticate(session, username=worker.username, password=PASSWORD)


def test_admin_reset_lifts_a_lock(session, frozen_time):
    admin = make_user(session, Role.ADMIN)
    worker = make_user(session, Role.UNIT)
    fail(session, worker.username, 5)
    rows, _ = users.list_users(session, actor=admin, search=worker.username)
    assert rows[0]["locked"]
    password = users.reset_password(session, actor=admin, user_id=worker.user_id)
    assert authenticate(session, username=worker.username, password=password)


def test_overlong_passwords_are_refused_not_truncated(session):
    worker = make_user(session, Role.UNIT)
    with pytest.raises(LoginFailed):
        authenticate(session, username=worker.username, password=PASSWORD + "x" * 80)


def test_logout_and_password_reset_void_remembered_logins(session, frozen_time):
    admin = make_user(session, Role.ADMIN)
    worker = make_user(session, Role.UNIT)
    issued = frozen_time["now"] - timedelta(minutes=5)
    assert users.remembered_login_valid(session, username=worker.username, issued_at=issued)
    users.revoke_remembered_logins(session, actor=worker)  # logout
    assert not users.remembered_login_valid(session, username=worker.username, issued_at=issued)
    later = frozen_time["now"] + timedelta(minutes=1)
    assert users.remembered_login_valid(session, username=worker.username, issued_at=later)
    frozen_time["now"] += timedelta(minutes=2)
    users.reset_password(session, actor=admin, user_id=worker.user_id)
    assert not users.remembered_login_valid(session, username=worker.username, issued_at=later)
    assert not users.remembered_login_valid(session, username="nobody", issued_at=later)
