import streamlit as st

from portal import return_requests
from portal.roles import Role
from portal.ui import report_actions, rules_sections
from portal.ui.context import db, tr
from portal.ui.guard import require_login
from portal.ui.widgets import current_page, pager, show_flash

me = require_login(Role.SUPERVISOR)

st.title(tr("page.return_requests"))
show_flash()
with db() as session:
    rows, total = return_requests.pending(session, actor=me,
                                          page=current_page("returns_page"),
                                          page_size=report_actions.PAGE_SIZE)
if not rows:
    st.info(tr("rules.return_none"))
    st.stop()
rules_sections.request_table(rows)
pager(total=total, page_size=report_actions.PAGE_SIZE, key="returns_page")
by_id = {r["id"]: r for r in rows}
chosen = st.selectbox(tr("rules.return_pick"), list(by_id), key="returns_pick",
                      format_func=lambda i: f"{by_id[i]['tracking_no']}　{by_id[i]['unit']}")
rules_sections.decide_form("returns", me, by_id[chosen], report_actions._run)
