import streamlit as st

from portal.roles import Role
from portal.ui import rectify_ui
from portal.ui.context import tr
from portal.ui.guard import require_login
from portal.ui.text import plain
from portal.ui.widgets import show_flash

me = require_login(Role.UNIT)

st.title(f"{tr('page.my_rectify')}（{plain(me.unit_name)}）")
show_flash()
chosen = rectify_ui.filters("myrectify", office=False)
picked = rectify_ui.ledger("myrectify", me, chosen, office=False)
if picked is not None:
    problem = rectify_ui.detail(me, picked)
    rectify_ui.evidence_form(me, problem)
    rectify_ui.evidence(me, problem, "myrectify")
    rectify_ui.notices(me, problem, "myrectify")
