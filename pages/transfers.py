import streamlit as st

from portal import escalation
from portal.roles import Role
from portal.ui import report_actions
from portal.ui.context import db, tr
from portal.ui.guard import require_login
from portal.ui.widgets import current_page, pager

me = require_login(Role.DISCIPLINE)

st.title(tr("page.transfers"))
st.caption(tr("transfers.intro"))
with db() as session:
    letters, total = escalation.transfer_inbox(session, actor=me,
                                               page=current_page("transfers_page"),
                                               page_size=report_actions.PAGE_SIZE)
if not letters:
    st.info(tr("notice.none"))
    st.stop()
report_actions.notice_table(letters)
pager(total=total, page_size=report_actions.PAGE_SIZE, key="transfers_page")
report_actions.notice_downloads("transfers", letters)

by_id = {letter["id"]: letter for letter in letters}
chosen = st.selectbox(tr("case.letter_pick"), list(by_id), key="transfers_pick",
                      format_func=lambda i: f"{by_id[i]['number']}　{by_id[i]['unit']}")
if st.button(tr("case.open_from_letter"), type="primary", key="transfers_open_case"):
    st.session_state["case_from_letter"] = by_id[chosen]
    st.switch_page("pages/cases.py")
