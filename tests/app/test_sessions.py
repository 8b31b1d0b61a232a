"""An open browser session ends at its next run when the password is changed or reset
elsewhere (issue #10, finding 6)."""


from portal import users
from portal.roles import Role
from tests.app.conftest import texts


def test_an_admin_reset_ends_an_open_session_at_its_next_run(open_page, demo_session):
    users.add_account(demo_session, username="desk_reset", display_name="值班员甲",
                      password="Qingshan-Lu-88", roles={Role.SUPERVISOR}, unit_id=None)
    demo_session.commit()
    app = open_page("pages/home.py", "desk_reset")
    assert app.session_state["actor"].username == "desk_reset"
    admin = users.load_actor(demo_session, username="admin")
    account = users.load_actor(demo_session, username="desk_reset")
    users.reset_password(demo_session, actor=admin, user_id=account.user_id)
    app.run()
    assert not app.exception
    assert app.session_state["actor"] is None
    assert "请先登录后再访问本页面。" in texts(app)


def test_changing_ones_own_password_keeps_this_session(open_page, demo_session):
    users.add_account(demo_session, username="desk_change", display_name="值班员乙",
                      password="Qingshan-Lu-88", roles={Role.SUPERVISOR}, unit_id=None)
    demo_session.commit()
    app = open_page("pages/account.py", "desk_change")
    app.text_input(key="account_current").input("Qingshan-Lu-88")
    app.text_input(key="account_new").input("Baiyun-Shan-77")
    app.text_input(key="account_repeat").input("Baiyun-Shan-77")
    app.button[0].click().run()
    assert not app.exception
    assert "密码已修改" in texts(app) or app.success
    app.run()
    assert app.session_state["actor"] is not None
