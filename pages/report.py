import streamlit as st

from portal import companies
from portal.roles import Role
from portal.ui import report_form
from portal.ui.context import actor, db, tr

me = actor()  # public page: anyone may file; a company account gets the report linked
prefill = None
if me is not None and me.has(Role.COMPANY):
    with db() as session:
        prefill = companies.company_profile(session, actor=me)

st.title(tr("page.report"))
st.caption(tr("report.intro"))
report_form.render("report", me, prefill=prefill)
