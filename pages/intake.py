import streamlit as st

from portal import reports
from portal.roles import Role
from portal.ui import report_actions, triage_insight
from portal.ui.context import tr
from portal.ui.guard import require_login
from portal.ui.widgets import pending_confirmation, show_flash

me = require_login(Role.SUPERVISOR, Role.DISCIPLINE)

st.title(tr("page.intake"))
show_flash()
pending_confirmation()
if me.has(Role.SUPERVISOR):
    triage_insight.train_panel(me)
picked = report_actions.queue("intake", me, reports.office_queue)
if picked is not None:
    report_actions.detail("intake", me, picked["id"], card=picked.get("card"))
