import streamlit as st

from portal import clock, scoring
from portal.errors import PortalError
from portal.roles import Role
from portal.ui.context import db, show_error, tr
from portal.ui.guard import require_login
from portal.ui.widgets import flash, show_flash

me = require_login(Role.ADMIN)

st.title(tr("page.admin_scoring"))
st.caption(tr("scoring.rules_intro"))
show_flash()
year = int(st.number_input(tr("scoring.year"), 2000, 2100, clock.today().year, step=1,
                           key="scoring_rules_year"))
with db() as session:
    rules = scoring.rules_view(session, actor=me, year=year)
if not rules["own"]:
    st.info(tr("scoring.using_default"))
with st.form("scoring_rules"):
    st.subheader(tr("scoring.weights"))
    values = {}
    columns = st.columns(len(scoring.WEIGHTS))
    for column, name in zip(columns, scoring.WEIGHTS, strict=True):
        values[f"w_{name}"] = column.number_input(tr(f"stats.{name}"), 0.0, 100.0,
                                                  float(rules[f"w_{name}"]), step=1.0,
                                                  key=f"scoring_w_{name}_{year}")
    st.subheader(tr("scoring.deductions"))
    columns = st.columns(3)
    for index, name in enumerate(scoring.DEDUCTIONS):
        values[f"d_{name}"] = columns[index % 3].number_input(
            tr(f"scoring.item.{name}"), 0.0, 20.0, float(rules[f"d_{name}"]), step=0.5,
            key=f"scoring_d_{name}_{year}")
    if st.form_submit_button(tr("scoring.save")):
        try:
            with db() as session:
                scoring.set_rules(session, actor=me, year=year, values=values)
            flash(tr("scoring.saved", year=year))
            st.rerun()
        except PortalError as error:
            show_error(error)
