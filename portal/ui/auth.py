"""Login, logout and cookie re-login through streamlit-authenticator, over the portal's accounts."""

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import streamlit as st
import streamlit_authenticator as stauth
from sqlmodel import Session
from streamlit_authenticator.utilities.exceptions import LoginError

from portal import auth, clock, users
from portal.errors import PortalError
from portal.roles import Actor
from portal.settings import get_settings
from portal.ui.context import client_id, db, tr

_KEY = "_authenticator"
_LOGIN_AT = "_login_at"  # when this browser session logged in (local time, microseconds)
COOKIE_SETTLE_SECONDS = 0.8


def start_run() -> Actor | None:
    """Create the run's one Authenticate, restore a login from its cookie, load the actor, and
    end the session if the user logged out elsewhere, changed the password or was reset since
    this browser logged in (checked on every run)."""
    settings = get_settings()
    with db() as session:
        authenticator = stauth.Authenticate(
            {"usernames": {}}, settings.cookie_name, settings.cookie_key,
            settings.cookie_expiry_days, auto_hash=False, login_sleep_time=0)
        st.session_state[_KEY] = authenticator
        was_in = bool(st.session_state.get("authentication_status"))
        _credentials(authenticator, session, _named_account(authenticator, was_in))
        try:
            authenticator.login(location="unrendered")
        except LoginError:  # the cookie names an account that was deactivated meanwhile
            authenticator.cookie_controller.delete_cookie()
        username = st.session_state.get("username") if st.session_state.get(
            "authentication_status") else None
        if username and not was_in:
            issued = _cookie_issued_at(authenticator)
            if issued is None or not users.remembered_login_valid(session, username=username,
                                                                  issued_at=issued):
                _end_session(authenticator)
                username = None
            else:
                st.session_state[_LOGIN_AT] = issued
        current = users.load_actor(session, username=username)
        if current is not None:
            logged_in_at = st.session_state.setdefault(_LOGIN_AT, clock.precise_now())
            if not users.session_still_valid(session, user_id=current.user_id,
                                             logged_in_at=logged_in_at):
                _end_session(authenticator)
                current = None
    if current is None and username:
        _forget()
    st.session_state["actor"] = current
    return current


def _named_account(authenticator: stauth.Authenticate, was_in: bool) -> str | None:
    """The one account this run can concern: the session's, or the login cookie's."""
    if was_in:
        return st.session_state.get("username")
    token = authenticator.cookie_controller.get_cookie()  # None, False or the decoded cookie
    return token.get("username") if isinstance(token, dict) else None


def _credentials(authenticator: stauth.Authenticate, session: Session,
                 username: str | None) -> None:
    """Give the authenticator that one account only, never every account."""
    authenticator.authentication_controller.authentication_model.credentials = (
        users.credentials(session, usernames=[username] if username else []))


def _end_session(authenticator: stauth.Authenticate) -> None:
    authenticator.cookie_controller.delete_cookie()
    _forget()
    st.session_state["logout"] = True  # the library ignores the cookie from now on


def _cookie_issued_at(authenticator: stauth.Authenticate) -> datetime | None:
    """When the login cookie was issued (its expiry minus the configured lifetime)."""
    token = authenticator.cookie_controller.get_cookie()
    if not token or "exp_date" not in token:
        return None
    settings = get_settings()
    return datetime.fromtimestamp(token["exp_date"] - settings.cookie_expiry_days * 86400,
                                  ZoneInfo(settings.timezone)).replace(tzinfo=None)


def still_signed_in() -> Actor | None:
    """The actor of this session, re-checked against the database on this run (a page opened
    without the entrypoint, whose run did not go through `start_run`)."""
    current = st.session_state.get("actor")
    if current is None:
        return None
    with db() as session:
        valid = users.session_still_valid(
            session, user_id=current.user_id,
            logged_in_at=st.session_state.get(_LOGIN_AT) or clock.precise_now())
    if not valid:
        _end_session(_authenticator())
        return None
    return current


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
    st.session_state.pop(_LOGIN_AT, None)


def login_form() -> None:
    """The staff login form, throttled per account and per client (see portal.auth)."""
    with st.form("login_form"):
        username = st.text_input(tr("login.username"), key="login_username", max_chars=20)
        password = st.text_input(tr("login.password"), type="password", key="login_password")
        submitted = st.form_submit_button(tr("login.submit"), type="primary")
    if not submitted:
        return
    if not username.strip() or not password:
        st.error(tr("login.missing"))
        return
    try:
        with db() as session:
            current = auth.authenticate(session, username=username, password=password,
                                        client=client_id())
    except PortalError as error:  # refused, or the database is busy: one message each
        st.error(tr(error.key, **error.params))
        return
    sign_in(current)


def sign_in(current: Actor) -> None:
    """Mark `current` as logged in (session and cookie) and rerun into their navigation."""
    authenticator = _authenticator()
    with db() as session:  # the run's credentials named the cookie's account, if any
        _credentials(authenticator, session, current.username)
    authenticator.authentication_controller.login(token={"username": current.username})
    st.session_state[_LOGIN_AT] = clock.precise_now()
    _set_cookie(authenticator)
    st.session_state["logout"] = None
    st.session_state["actor"] = current
    # The cookie is written by a browser component: give it a moment to mount before the
    # rerun replaces the page, or a reload would log the user out.
    time.sleep(COOKIE_SETTLE_SECONDS)
    st.rerun()


def _set_cookie(authenticator: stauth.Authenticate) -> None:
    """The library's login cookie, plus `Secure` when COOKIE_SECURE is set (served over HTTPS).

    streamlit-authenticator 0.4.2 writes the cookie from JavaScript (a browser component), so
    it cannot be HttpOnly; SameSite=Strict is kept. This repeats its `set_cookie` with the one
    flag it does not pass through.
    """
    model = authenticator.cookie_controller.cookie_model
    model.exp_date = model._set_exp_date()
    model.cookie_manager.set(model.cookie_name, model._token_encode(),
                             expires_at=datetime.now() + timedelta(days=model.cookie_expiry_days),
                             secure=get_settings().cookie_secure or None, same_site="strict")


def renew_login(changed_at: datetime) -> None:
    """After one's own password change: this session stays logged in (the others end)."""
    st.session_state[_LOGIN_AT] = max(clock.precise_now(), changed_at + timedelta(microseconds=1))
    _set_cookie(_authenticator())


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
