import streamlit as st

from portal import catalogue
from portal.roles import Role
from portal.ui.context import db, lang, tr
from portal.ui.guard import require_login
from portal.ui.text import plain

require_login(Role.ADMIN)

with db() as session:
    entries = catalogue.list_categories(session)
    year = catalogue.effective_year(session)

st.title(tr("page.admin_catalogue"))
st.caption(tr("catalogue.intro", year=year))
areas: dict[tuple[int, str], list] = {}
for entry in entries:
    title = entry.area if lang() == "zh" else f"{entry.area} ({entry.area_en})"
    areas.setdefault((entry.area_number, title), []).append(entry)
for (number, title), items in areas.items():
    st.subheader(f"{number}. {plain(title)}")
    st.dataframe(
        [{tr("catalogue.col.number"): e.number, tr("catalogue.col.text"): e.text} for e in items],
        hide_index=True, use_container_width=True,
    )
