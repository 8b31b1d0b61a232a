import streamlit as st

from portal.ui.auth import has_started, login_form, start_run
from portal.ui.context import actor, tr

if (actor() if has_started() else start_run()) is not None:
    st.switch_page("pages/home.py")

st.title(tr("app.title"))
st.subheader(tr("page.login"))
st.caption(tr("login.intro"))
login_form()
