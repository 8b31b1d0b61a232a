"""The role guard every page script starts with: nothing below it renders for the wrong user."""

import streamlit as st

from portal.roles import Actor, Role
from portal.ui.auth import has_started, login_form, start_run, still_signed_in
from portal.ui.context import record_refusal, tr


def require_login(*roles: Role) -> Actor:
    """Stop the page unless someone is logged in (and holds one of `roles`, when given).

    Pages can be reached by URL without the entrypoint's navigation, so this check is what
    actually protects them; logged-out visitors get the login form instead of the page.
    """
    current = still_signed_in() if has_started() else start_run()
    if current is None:
        st.title(tr("page.login"))
        st.info(tr("guard.login_required"))
        login_form()
        st.stop()
    if roles and not current.has(*roles):
        st.error(tr("guard.forbidden"))
        record_refusal("guard.forbidden")
        st.stop()
    return current
