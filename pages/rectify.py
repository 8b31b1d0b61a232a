import streamlit as st

from portal.roles import Role
from portal.ui import rectify_ui
from portal.ui.context import tr
from portal.ui.guard import require_login
from portal.ui.widgets import pending_confirmation, show_flash

me = require_login(Role.SUPERVISOR, Role.ADMIN)

st.title(tr("page.rectify"))
show_flash()
pending_confirmation()
chosen = rectify_ui.filters("rectify", office=True)
picked = rectify_ui.ledger("rectify", me, chosen, office=True)
if picked is not None:
    problem = rectify_ui.detail(me, picked)
    rectify_ui.evidence(me, problem, "rectify")
    rectify_ui.notices(me, problem, "rectify")
