import streamlit as st

from portal.roles import Role
from portal.ui import stage_ui
from portal.ui.context import tr
from portal.ui.guard import require_login
from portal.ui.widgets import show_flash

me = require_login(Role.UNIT)

st.title(tr("page.my_stage_reports"))
show_flash()
stage_ui.my_requests(me)
