import streamlit as st

from portal import users
from portal.errors import PortalError
from portal.ui.auth import renew_login
from portal.ui.context import db, show_error, tr
from portal.ui.guard import require_login

me = require_login()

st.title(tr("page.account"))
st.write(f"{tr('login.username')}：`{me.username}`")
with st.form("account_password", clear_on_submit=True):
    current = st.text_input(tr("account.current"), type="password", key="account_current")
    new = st.text_input(tr("account.new"), type="password", key="account_new")
    repeat = st.text_input(tr("account.repeat"), type="password", key="account_repeat")
    submitted = st.form_submit_button(tr("account.submit"), type="primary")
if submitted:
    try:
        with db() as session:
            changed_at = users.change_own_password(session, actor=me, current=current, new=new,
                                                   repeat=repeat)
        renew_login(changed_at)  # this session stays; every other one ends
        st.success(tr("account.changed"))
    except PortalError as error:
        show_error(error)
