"""What every page shares: the cached engine, a session per call, the language and the actor."""

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from portal.db import make_engine, session_scope
from portal.errors import FormInvalid, PortalError
from portal.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from portal.roles import Actor
from portal.ui.text import message


@st.cache_resource
def engine() -> Engine:
    return make_engine()


@contextmanager
def db() -> Iterator[Session]:
    with session_scope(engine()) as session:
        yield session


def lang() -> str:
    value = st.session_state.get("lang", DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def tr(key: str, **params: object) -> str:
    return t(key, lang(), **params)


def actor() -> Actor | None:
    return st.session_state.get("actor")


def show_error(error: PortalError) -> None:
    st.error(message(error, lang()))


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
