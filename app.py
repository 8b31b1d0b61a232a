"""Entrypoint: language, login, and the navigation each role is allowed to see."""

import streamlit as st

from portal.errors import ServiceUnavailable
from portal.ui import auth, locale_patch, navigation
from portal.ui.bell import bell
from portal.ui.context import lang, language_switch, show_error, tr
from portal.ui.text import plain

st.set_page_config(page_title="营商环境监督平台", page_icon=":material/balance:", layout="wide")
language_switch()
locale_patch.install(lang())
current = auth.start_run()
page = st.navigation(navigation.build(current), expanded=True)  # every page, no "more"

st.sidebar.caption(tr("app.title"))
if current is not None:
    st.sidebar.caption(tr("login.logged_in_as", name=plain(current.display_name)))
    bell(current)
    auth.logout_button()
st.session_state["_page"] = page.url_path  # confirmations stay with the page they belong to
try:
    page.run()
except ServiceUnavailable as busy:  # a page that does not catch it itself: no traceback
    show_error(busy)
