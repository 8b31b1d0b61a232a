import streamlit as st

from portal.roles import Role
from portal.ui import report_form
from portal.ui.context import tr
from portal.ui.guard import require_login

me = require_login(Role.SUPERVISOR)

st.title(tr("page.intake_entry"))
report_form.render("entry", me, office_entry=True)
