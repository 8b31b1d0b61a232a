import streamlit as st

from portal import escalation
from portal.roles import Role
from portal.ui import report_actions
from portal.ui.context import db, tr
from portal.ui.guard import require_login
from portal.ui.text import plain
from portal.ui.widgets import current_page, pager, pick_row

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
st.caption(tr("uirep.pick_hint"))
by_id = {letter["id"]: letter for letter in letters}
chosen = pick_row(report_actions.notice_records(letters), list(by_id), key="transfers_table")
pager(total=total, page_size=report_actions.PAGE_SIZE, key="transfers_page")
report_actions.notice_downloads("transfers", letters)
if chosen is not None:
    letter = by_id[chosen]
    st.subheader(f"{letter['number']}　{plain(letter['unit'])}")
    if st.button(tr("case.open_from_letter"), type="primary", key="transfers_open_case"):
        st.session_state["case_from_letter"] = letter
        st.switch_page("pages/cases.py")
