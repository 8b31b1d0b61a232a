import streamlit as st

from portal.ui.context import tr
from portal.ui.guard import require_login
from portal.ui.navigation import link, visible_pages

me = require_login()

st.title(tr("home.welcome", name=me.display_name))
st.write(f"**{tr('home.roles')}**：" + "、".join(tr(f"role.{r.value}") for r in sorted(me.roles)))
st.write(f"**{tr('home.unit')}**：{me.unit_name or tr('home.no_unit')}")
st.write(tr("home.pages"))
for spec in visible_pages(me):
    if spec.script != "pages/home.py":
        link(spec)
