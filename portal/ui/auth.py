"""Login, logout and cookie re-login through streamlit-authenticator, over the portal's accounts."""

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities.exceptions import LoginError

from portal import auth, users
from portal.roles import Actor
from portal.settings import get_settings
from portal.ui.context import db, tr

_KEY = "_authenticator"
COOKIE_SETTLE_SECONDS = 0.8


def start_run() -> Actor | None:
    """Create the run's one Authenticate, restore a login from its cookie, and load the actor."""
    settings = get_settings()
    with db() as session:
        authenticator = stauth.Authenticate(
            users.credentials(session), settings.cookie_name, settings.cookie_key,
            settings.cookie_expiry_days, auto_hash=False, login_sleep_time=0)
        st.session_state[_KEY] = authenticator
        was_in = bool(st.session_state.get("authentication_status"))
        try:
            authenticator.login(location="unrendered")
        except LoginError:  # the cookie names an account that was deactivated meanwhile
            authenticator.cookie_controller.delete_cookie()
        username = st.session_state.get("username") if st.session_state.get(
            "authentication_status") else None
        if username and not was_in and not _cookie_still_valid(session, authenticator,
                                                               username):
            authenticator.cookie_controller.delete_cookie()
            _forget()
            st.session_state["logout"] = True  # the library ignores the cookie from now on
            username = None
        current = users.load_actor(session, username=username)
    if current is None and username:
        _forget()
    st.session_state["actor"] = current
    return current


def _cookie_still_valid(session, authenticator: stauth.Authenticate,  # noqa: ANN001
                        username: str) -> bool:
    """A cookie login counts only if issued after the user's last logout or password reset."""
    token = authenticator.cookie_controller.get_cookie()
    if not token or "exp_date" not in token:
        return False
    settings = get_settings()
    issued = datetime.fromtimestamp(token["exp_date"] - settings.cookie_expiry_days * 86400,
                                    ZoneInfo(settings.timezone)).replace(tzinfo=None)
    return users.remembered_login_valid(session, username=username, issued_at=issued)


def has_started() -> bool:
    return _KEY in st.session_state


def _authenticator() -> stauth.Authenticate:
    if _KEY not in st.session_state:  # a page opened without the entrypoint
        start_run()
    return st.session_state[_KEY]


def _forget() -> None:
    for key in ("name", "username", "authentication_status", "email", "roles"):
        st.session_state[key] = None
    st.session_state["actor"] = None


def login_form() -> None:
    """The staff login form; five wrong passwords lock the account (see portal.auth)."""
    with st.form("login_form"):
        username = st.text_input(tr("login.username"), key="login_username", max_chars=20)
        password = st.text_input(tr("login.password"), type="password", key="login_password")
        submitted = st.form_submit_button(tr("login.submit"), type="primary")
    if not submitted:
        return
    if not username.strip() or not password:
        st.error(tr("login.missing"))
        return
    with db() as session:
        try:
            current = auth.authenticate(session, username=username, password=password)
        except auth.LoginFailed as error:
            st.error(tr(error.key, **error.params))
            return
    sign_in(current)


def sign_in(current: Actor) -> None:
    """Mark `current` as logged in (session and cookie) and rerun into their navigation."""
    authenticator = _authenticator()
    with db() as session:  # an account created in this run is not in the run's credentials yet
        authenticator.authentication_controller.authentication_model.credentials = (
            users.credentials(session))
    authenticator.authentication_controller.login(token={"username": current.username})
    authenticator.cookie_controller.set_cookie()
    st.session_state["logout"] = None
    st.session_state["actor"] = current
    # The cookie is written by a browser component: give it a moment to mount before the
    # rerun replaces the page, or a reload would log the user out.
    time.sleep(COOKIE_SETTLE_SECONDS)
    st.rerun()


def logout_button() -> None:
    if st.sidebar.button(tr("logout"), key="logout_button", use_container_width=True):
        current = st.session_state.get("actor")
        if current is not None:
            with db() as session:
                users.revoke_remembered_logins(session, actor=current)
        _authenticator().logout(location="unrendered")
        _forget()
        time.sleep(COOKIE_SETTLE_SECONDS)  # let the component delete the cookie first
        st.rerun()
