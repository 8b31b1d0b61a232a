import streamlit as st

from portal.roles import Role
from portal.ui import import_form
from portal.ui.context import tr
from portal.ui.guard import require_login

me = require_login(Role.SUPERVISOR)

st.title(tr("page.import_12345"))
import_form.render(me)
