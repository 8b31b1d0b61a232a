"""What every page shares: the cached engine, a session per call, the language and the actor."""

import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from portal.db import is_unavailable, make_engine, session_scope, write_with_retry
from portal.errors import FormInvalid, PermissionDenied, PortalError, ServiceUnavailable
from portal.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from portal.roles import Actor
from portal.settings import get_settings
from portal.ui.text import message

_log = logging.getLogger(__name__)


@st.cache_resource
def engine() -> Engine:
    return make_engine()


@st.cache_resource
def read_engine() -> Engine:
    """The dashboards' read replica (READ_DATABASE_URL), or the one database."""
    url = get_settings().read_database_url
    return make_engine(url) if url else engine()


@contextmanager
def db() -> Iterator[Session]:
    """A session for one call; a database that cannot serve (locked, full, read-only) becomes
    ServiceUnavailable, which every form shows as "系统繁忙…" like any refusal, keeping what
    the user typed, instead of a traceback."""
    with _session(engine()) as session:
        yield session


@contextmanager
def db_read() -> Iterator[Session]:
    """A session for figures only (dashboards, the public board): on the read replica when
    READ_DATABASE_URL names one, so the offices' big aggregates leave the primary to the
    filings. Never for a write, an audited download or anything a user just changed."""
    with _session(read_engine()) as session:
        yield session


@contextmanager
def _session(bound: Engine) -> Iterator[Session]:
    try:
        with session_scope(bound) as session:
            yield session
    except Exception as error:
        if is_unavailable(error):
            _log.warning("database unavailable: %s", error, exc_info=error)  # for the operator
            raise ServiceUnavailable() from error
        raise


def client_id() -> str:
    """What identifies the client for throttling: the address the proxy reports
    (TRUST_PROXY_HEADERS), else the socket's address unless it is the local proxy, else this
    browser session. Only ever stored as a keyed hash (portal.throttle)."""
    if get_settings().trust_proxy_headers:
        forwarded = (st.context.headers.get("X-Forwarded-For") or "").split(",")[0].strip()
        if forwarded:
            return f"ip:{forwarded}"
    address = getattr(st.context, "ip_address", None)
    if address and address not in ("127.0.0.1", "::1", "localhost"):
        return f"ip:{address}"
    if "_client_session" not in st.session_state:
        st.session_state["_client_session"] = secrets.token_hex(16)
    return f"session:{st.session_state['_client_session']}"


def lang() -> str:
    value = st.session_state.get("lang", DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def tr(key: str, **params: object) -> str:
    return t(key, lang(), **params)


def actor() -> Actor | None:
    return st.session_state.get("actor")


def show_error(error: PortalError) -> None:
    st.error(message(error, lang()))
    if isinstance(error, PermissionDenied):
        record_refusal(error.key)


def audited(build: Callable[[], bytes], what: str) -> Callable[[], bytes]:
    """A download button's data, built when pressed and recorded as an audit event then."""
    current = actor()  # captured now: the button may build its file outside this run

    def run() -> bytes:
        data = build()
        from portal import audit

        try:
            with db() as session:
                write_with_retry(session, lambda: audit.record(
                    session, actor=current, action="download", entity="file", detail=what))
        except ServiceUnavailable:
            pass
        return data

    return run


def record_refusal(what: str) -> None:
    """A refusal is an audit event (who, and which message); never fails the page."""
    from portal import audit

    current = actor()
    try:
        with db() as session:
            write_with_retry(session, lambda: audit.record(
                session, actor=current, action="refused", entity="page", detail=what))
    except ServiceUnavailable:
        pass


def show_form_errors(invalid: FormInvalid) -> None:
    """Every field's message of a refused form, one under the other."""
    for error in invalid.errors.values():
        st.error(message(error, lang()))


def language_switch() -> None:
    """中文 / English in the sidebar; Chinese is the default."""
    st.sidebar.segmented_control(
        "语言 / Language", options=list(LANGUAGES), default=DEFAULT_LANGUAGE, key="lang",
        format_func=lambda code: {"zh": "中文", "en": "English"}[code],
        label_visibility="collapsed", selection_mode="single",
    )
