import streamlit as st

from portal.roles import Role
from portal.ui import tasks_ui
from portal.ui.context import tr
from portal.ui.guard import require_login
from portal.ui.widgets import pending_confirmation, show_flash

me = require_login(Role.SUPERVISOR, Role.ADMIN)

st.title(tr("page.tasks"))
show_flash()
pending_confirmation()
chosen = tasks_ui.filters("tasks", me)
ledger, chart, review, upload, add = st.tabs(
    [tr("task.tab.list"), tr("task.tab.chart"), tr("task.tab.review"), tr("task.tab.import"),
     tr("task.tab.add")])
with ledger:
    tasks_ui.ledger(me, chosen)
with chart:
    tasks_ui.chart(me, chosen)
with review:
    tasks_ui.review(me)
with upload:
    tasks_ui.import_section(me)
with add:
    tasks_ui.task_form("tasks_add", me, None)
