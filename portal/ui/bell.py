"""The bell in the sidebar: unread 站内信 of the logged-in user, linking to the inbox page."""

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from portal.notifications import inbox
from portal.roles import Actor
from portal.ui.context import db, tr


def bell(actor: Actor) -> None:
    with db() as session:
        count = inbox.unread_count(session, actor=actor)
    label = tr("notify.bell", count=count) if count else tr("notify.bell_none")
    try:
        st.sidebar.page_link("pages/inbox.py", label=label, icon=":material/notifications:")
    except StreamlitPageNotFoundError:  # a page run on its own (tests): a plain caption
        st.sidebar.caption(label)
