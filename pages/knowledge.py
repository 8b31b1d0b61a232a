import streamlit as st

from portal.roles import Role
from portal.ui import knowledge_ui
from portal.ui.context import tr
from portal.ui.guard import require_login
from portal.ui.widgets import show_flash

me = require_login(Role.SUPERVISOR, Role.ADMIN, Role.UNIT, Role.DISCIPLINE)

st.title(tr("page.knowledge"))
show_flash()
if me.has(Role.SUPERVISOR):
    knowledge_ui.pending_review(me)
if me.has(Role.SUPERVISOR, Role.ADMIN):
    knowledge_ui.create_form(me)
if me.has(Role.ADMIN):
    knowledge_ui.excel_tools(me)
knowledge_ui.entry_list(me)
