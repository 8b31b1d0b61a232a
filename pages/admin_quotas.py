import streamlit as st

from portal import clock, quotas
from portal.errors import PortalError
from portal.roles import Role
from portal.ui.context import db, show_error, tr
from portal.ui.guard import require_login
from portal.ui.widgets import flash, show_flash

me = require_login(Role.ADMIN)

st.title(tr("page.admin_quotas"))
show_flash()
st.caption(tr("quota.rules_intro"))
year = int(st.number_input(tr("quota.rules_year"), 2020, 2100, clock.today().year, step=1,
                           key="quotas_year"))
with db() as session:
    rules = quotas.rules_for(session, year)
    own = quotas.has_own_rules(session, year)
if not own:
    st.caption(tr("quota.rules_default"))
columns = [tr("quota.exempt_checkpoint"), tr("quota.col.cases"), tr("quota.col.sanctioned")]
edited = st.data_editor(
    [{columns[0]: r.day, columns[1]: r.min_cases, columns[2]: r.min_sanctioned} for r in rules],
    num_rows="dynamic", key=f"quotas_editor_{year}", use_container_width=True,
    column_config={columns[0]: st.column_config.DateColumn(format="MM-DD", required=True),
                   columns[1]: st.column_config.NumberColumn(min_value=0, max_value=100,
                                                             step=1, required=True),
                   columns[2]: st.column_config.NumberColumn(min_value=0, max_value=100,
                                                             step=1, required=True)})
if st.button(tr("quota.rules_save"), type="primary", key="quotas_save"):
    try:
        with db() as session:
            quotas.set_rules(session, actor=me, year=year, checkpoints=[
                (row[columns[0]].month, row[columns[0]].day, int(row[columns[1]]),
                 int(row[columns[2]])) for row in edited if row.get(columns[0])])
        flash(tr("calendar.saved"))
        st.rerun()
    except PortalError as error:
        show_error(error)
