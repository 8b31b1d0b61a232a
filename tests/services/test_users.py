import pytest
from sqlalchemy import event

from portal import users
from portal.auth import LoginFailed, authenticate
from portal.errors import PermissionDenied, ValidationError
from portal.roles import Role
from tests.factories import PASSWORD, make_user, unit_id


def test_admin_creates_a_unit_user_whose_generated_password_works(session):
    admin = make_user(session, Role.ADMIN)
    user, password = users.create_user(session, actor=admin, username="Zhang_Wei",
                                       display_name="张伟", roles=["unit"],
                                       unit_id=unit_id(session, "区住建局"))
    assert user.username == "zhang_wei"
    assert password and user.password_hash != password
    actor = authenticate(session, username="zhang_wei", password=password)
    assert actor.roles == {Role.UNIT} and actor.unit_name == "区住建局"


def test_a_user_may_hold_several_roles(session):
    admin = make_user(session, Role.ADMIN)
    user, _ = users.create_user(session, actor=admin, username="multi", display_name="多角色",
                                roles=["supervisor", "discipline"], unit_id=None)
    assert users.load_actor(session, username="multi").roles == {Role.SUPERVISOR,
                                                                 Role.DISCIPLINE}


@pytest.mark.parametrize(("fields", "key"), [
    ({"username": "张伟"}, "error.username_invalid"),
    ({"username": "a" * 21}, "error.username_invalid"),
    ({"display_name": " "}, "error.display_name_required"),
    ({"roles": []}, "error.roles_required"),
    ({"roles": ["boss"]}, "error.role_unknown"),
    ({"roles": ["unit"], "unit_id": None}, "error.unit_required_for_role"),
    ({"password": "short"}, "error.password_too_short"),
    ({"password": "密" * 25}, "error.password_too_long"),
])
def test_invalid_accounts_are_refused_with_a_reason(session, fields, key):
    admin = make_user(session, Role.ADMIN)
    values = {"username": "valid_name", "display_name": "王五", "roles": ["supervisor"],
              "unit_id": None} | fields
    with pytest.raises(ValidationError) as error:
        users.create_user(session, actor=admin, **values)
    assert error.value.key == key
    assert users.load_actor(session, username="valid_name") is None


def test_usernames_are_unique_case_insensitively(session):
    admin = make_user(session, Role.ADMIN)
    users.create_user(session, actor=admin, username="wang", display_name="王", roles=["admin"],
                      unit_id=None)
    with pytest.raises(ValidationError) as error:
        users.create_user(session, actor=admin, username="WANG", display_name="王",
                          roles=["admin"], unit_id=None)
    assert error.value.key == "error.username_taken"


def test_admin_edits_roles_and_unit(session):
    admin = make_user(session, Role.ADMIN)
    worker = make_user(session, Role.UNIT)
    users.update_user(session, actor=admin, user_id=worker.user_id, display_name="新名字",
                      roles=["unit", "company"], unit_id=unit_id(session, "区财政局"))
    reloaded = users.load_actor(session, username=worker.username)
    assert reloaded.display_name == "新名字"
    assert reloaded.roles == {Role.UNIT, Role.COMPANY}
    assert reloaded.unit_name == "区财政局"


def test_admin_cannot_lock_themselves_out(session):
    admin = make_user(session, Role.ADMIN)
    with pytest.raises(ValidationError):
        users.update_user(session, actor=admin, user_id=admin.user_id, display_name="我",
                          roles=["supervisor"], unit_id=None)
    with pytest.raises(ValidationError):
        users.set_user_active(session, actor=admin, user_id=admin.user_id, active=False)


def test_deactivated_users_cannot_log_in_or_act(session):
    admin = make_user(session, Role.ADMIN)
    worker = make_user(session, Role.SUPERVISOR)
    users.set_user_active(session, actor=admin, user_id=worker.user_id, active=False)
    assert users.load_actor(session, username=worker.username) is None
    assert worker.username not in users.credentials(session, usernames=[worker.username])[
        "usernames"]
    with pytest.raises(LoginFailed):
        authenticate(session, username=worker.username, password=PASSWORD)


def test_credentials_hold_only_the_named_accounts_whatever_the_number_of_accounts(session):
    """A page run gives the authenticator the cookie's account, not every account."""
    named = make_user(session, Role.SUPERVISOR)
    others = [make_user(session, Role.UNIT) for _ in range(5)]
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(session.get_bind(), "before_cursor_execute", listen)
    try:
        found = users.credentials(session, usernames=[named.username])
        nobody = users.credentials(session, usernames=[])
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", listen)
    assert list(found["usernames"]) == [named.username]
    assert found["usernames"][named.username]["password"].startswith("$")  # a hash
    assert not set(found["usernames"]) & {o.username for o in others}
    assert nobody == {"usernames": {}}
    assert len(statements) == 1  # one query, by name; none at all without a name


def test_the_holders_of_a_role_are_found_by_index_not_by_reading_every_accounts_roles(session):
    """Every filing tells the office: its recipients come from the role index (migration
    0021), whatever the number of company accounts (#17)."""
    from portal.notifications.outbox import _recipients

    office = make_user(session, Role.SUPERVISOR)
    for _ in range(3):
        make_user(session, Role.COMPANY)
    statements = []
    listen = lambda *args: statements.append((args[2], args[3]))  # noqa: E731
    event.listen(session.get_bind(), "before_cursor_execute", listen)
    try:
        found = _recipients(session, units=set(), roles={Role.SUPERVISOR}, users=set())
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", listen)
    assert [user.id for user, _ in found] == [office.user_id]
    [(statement, parameters)] = statements
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        plan = " / ".join(row[3] for row in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, parameters))
        assert "ix_user_roles_role" in plan and "SCAN user_roles" not in plan, plan


def test_reset_password_replaces_the_old_one(session):
    admin = make_user(session, Role.ADMIN)
    worker = make_user(session, Role.DISCIPLINE)
    new_password = users.reset_password(session, actor=admin, user_id=worker.user_id)
    assert authenticate(session, username=worker.username, password=new_password)
    with pytest.raises(LoginFailed):
        authenticate(session, username=worker.username, password=PASSWORD)


def test_users_change_their_own_password(session):
    worker = make_user(session, Role.COMPANY)
    with pytest.raises(ValidationError) as wrong:
        users.change_own_password(session, actor=worker, current="nope-nope",
                                  new="Brand-New-22", repeat="Brand-New-22")
    assert wrong.value.key == "error.current_password_wrong"
    with pytest.raises(ValidationError) as differ:
        users.change_own_password(session, actor=worker, current=PASSWORD,
                                  new="Brand-New-22", repeat="Brand-New-23")
    assert differ.value.key == "error.passwords_differ"
    users.change_own_password(session, actor=worker, current=PASSWORD, new="Brand-New-22",
                              repeat="Brand-New-22")
    assert authenticate(session, username=worker.username, password="Brand-New-22")


def test_user_list_is_paginated_and_searchable(session):
    admin = make_user(session, Role.ADMIN)
    for i in range(5):
        users.create_user(session, actor=admin, username=f"page_{i}", display_name=f"分页{i}",
                          roles=["supervisor"], unit_id=None, password=PASSWORD)
    rows, total = users.list_users(session, actor=admin, search="分页", page=2, page_size=2)
    assert total == 5
    assert [r["username"] for r in rows] == ["page_2", "page_3"]
    assert rows[0]["roles"] == ["supervisor"]


@pytest.mark.parametrize("role", [Role.UNIT, Role.SUPERVISOR, Role.DISCIPLINE, Role.COMPANY])
def test_only_admins_manage_users(session, role):
    someone = make_user(session, role)
    with pytest.raises(PermissionDenied):
        users.list_users(session, actor=someone)
    with pytest.raises(PermissionDenied):
        users.create_user(session, actor=someone, username="x1", display_name="x",
                          roles=["admin"], unit_id=None)
    with pytest.raises(PermissionDenied):
        users.reset_password(session, actor=someone, user_id=someone.user_id)
    with pytest.raises(PermissionDenied):
        users.update_user(session, actor=someone, user_id=someone.user_id, display_name="x",
                          roles=["admin"], unit_id=None)
