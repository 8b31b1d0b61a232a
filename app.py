"""Entrypoint: language, login, and the navigation each role is allowed to see."""

import streamlit as st

from portal.ui import auth, navigation
from portal.ui.context import language_switch, tr

st.set_page_config(page_title="营商环境监督平台", page_icon=":material/balance:", layout="wide")
language_switch()
current = auth.start_run()
page = st.navigation(navigation.build(current), expanded=True)  # every page in view, however many

st.sidebar.caption(tr("app.title"))
if current is not None:
    st.sidebar.caption(tr("login.logged_in_as", name=current.display_name))
    auth.logout_button()
page.run()
