"""Small widgets pages share."""

import math

import streamlit as st

from portal.ui.context import tr


def current_page(key: str) -> int:
    """The page the pager below the list last chose (1 before it was ever touched)."""
    return int(st.session_state.get(key, 1))


def pager(*, total: int, page_size: int, key: str) -> None:
    """A page number input with an 'N in all' caption, rendered below its list."""
    pages = max(1, math.ceil(total / page_size))
    if current_page(key) > pages:
        st.session_state[key] = pages
    left, right = st.columns([1, 4])
    page = left.number_input(tr("pager.page"), min_value=1, max_value=pages, step=1, key=key)
    right.caption(tr("pager.total", total=total, page=page, pages=pages))


def yes_no(value: bool) -> str:
    return tr("common.yes") if value else tr("common.no")


def flash(message: str) -> None:
    """Keep a success message for the next run (after st.rerun)."""
    st.session_state["_flash"] = message


def show_flash() -> None:
    message = st.session_state.pop("_flash", None)
    if message:
        st.success(message)
