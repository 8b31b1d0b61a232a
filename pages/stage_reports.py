import streamlit as st

from portal.roles import Role
from portal.ui import stage_ui
from portal.ui.context import tr
from portal.ui.guard import require_login
from portal.ui.widgets import pending_confirmation, show_flash

me = require_login(Role.SUPERVISOR, Role.ADMIN)

st.title(tr("page.stage_reports"))
show_flash()
pending_confirmation()
listing, add = st.tabs([tr("stage.tab.list"), tr("stage.tab.add")])
with listing:
    stage_ui.request_list(me)
with add:
    stage_ui.request_form(me)
