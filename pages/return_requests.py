import streamlit as st

from portal import return_requests
from portal.roles import Role
from portal.ui import report_actions, rules_sections
from portal.ui.context import db, tr
from portal.ui.guard import require_login
from portal.ui.text import plain
from portal.ui.widgets import current_page, pager, pending_confirmation, pick_row, show_flash

me = require_login(Role.SUPERVISOR)

st.title(tr("page.return_requests"))
show_flash()
pending_confirmation()
with db() as session:
    rows, total = return_requests.pending(session, actor=me,
                                          page=current_page("returns_page"),
                                          page_size=report_actions.PAGE_SIZE)
if not rows:
    st.info(tr("rules.return_none"))
    st.stop()
st.caption(tr("uirep.pick_hint"))
by_id = {r["id"]: r for r in rows}
chosen = pick_row(rules_sections.request_records(rows), list(by_id), key="returns_table")
pager(total=total, page_size=report_actions.PAGE_SIZE, key="returns_page")
if chosen is not None:
    request = by_id[chosen]
    st.subheader(f"{request['tracking_no']}　{plain(request['title'])}")
    rules_sections.decide_form("returns", me, request)
