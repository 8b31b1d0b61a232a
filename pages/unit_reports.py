import streamlit as st

from portal import reports
from portal.roles import Role
from portal.ui import report_actions
from portal.ui.context import tr
from portal.ui.guard import require_login
from portal.ui.text import plain
from portal.ui.widgets import show_flash

me = require_login(Role.UNIT)

st.title(f"{tr('page.unit_reports')}（{plain(me.unit_name)}）")
show_flash()
picked = report_actions.queue("unit", me, reports.unit_queue)
if picked is not None:
    report_actions.detail("unit", me, picked)
