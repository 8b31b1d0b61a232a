import streamlit as st

from portal import companies
from portal.report_types import Kind
from portal.roles import Role
from portal.ui import report_form
from portal.ui.context import actor, db, tr

me = actor()  # public page: anyone may file; a company account gets the report linked
prefill = None
if me is not None and me.has(Role.COMPANY):
    with db() as session:
        prefill = companies.company_profile(session, actor=me)

chosen = st.query_params.get("kind")  # from the portal home's 投诉举报 / 办不成事 / 意见建议
# while no type is chosen: a run of this page before the link's query arrived has already
# registered the radio with none (the type was then missing on about one filing in ten)
if chosen in {k.value for k in Kind} and not st.session_state.get("report_kind"):
    st.session_state["report_kind"] = chosen

st.title(tr("page.report"))
st.caption(tr("report.intro"))
report_form.render("report", me, prefill=prefill)
