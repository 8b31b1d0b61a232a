import streamlit as st

from portal import units
from portal.errors import PortalError
from portal.roles import Role
from portal.ui.context import db, show_error, tr
from portal.ui.guard import require_login
from portal.ui.widgets import ask_to_confirm, flash, pending_confirmation, show_flash, yes_no

me = require_login(Role.ADMIN)

st.title(tr("page.admin_units"))
show_flash()
pending_confirmation()
st.caption(tr("units.never_deleted"))
with db() as session:
    all_units = units.list_units(session, active_only=False)
st.dataframe(
    [{tr("units.col.name"): u.name, tr("units.col.quota"): yes_no(u.quota_applies),
      tr("units.col.active"): yes_no(u.active)} for u in all_units],
    hide_index=True, use_container_width=True,
)

add, edit = st.tabs([tr("units.create"), tr("units.edit")])
with add, st.form("units_create", clear_on_submit=True):
    name = st.text_input(tr("units.name"), key="units_new_name", max_chars=units.MAX_NAME)
    quota = st.checkbox(tr("units.quota"), key="units_new_quota")
    if st.form_submit_button(tr("units.create_submit"), type="primary"):
        try:
            with db() as session:
                created = units.create_unit(session, actor=me, name=name, quota_applies=quota)
            flash(tr("units.created", name=created.name))
            st.rerun()
        except PortalError as error:
            show_error(error)

with edit:
    by_id = {u.id: u for u in all_units}
    unit_id = st.selectbox(tr("units.pick"), options=list(by_id), key="units_pick",
                           format_func=lambda i: by_id[i].name)
    if unit_id is not None:
        chosen = by_id[unit_id]
        with st.form(f"units_edit_{unit_id}"):
            new_name = st.text_input(tr("units.name"), value=chosen.name, max_chars=units.MAX_NAME)
            new_quota = st.checkbox(tr("units.quota"), value=chosen.quota_applies)
            new_active = st.checkbox(tr("units.active"), value=chosen.active)
            saved = st.form_submit_button(tr("units.save"), type="primary")
            if saved and chosen.active and not new_active:  # no more assignments: ask first
                ask_to_confirm(tr("uirep.ask_deactivate_unit", name=chosen.name),
                               lambda s: units.update_unit(s, actor=me, unit_id=unit_id,
                                                           name=new_name,
                                                           quota_applies=new_quota,
                                                           active=False),
                               tr("uirep.unit_deactivated", name=chosen.name))
            elif saved:
                try:
                    with db() as session:
                        units.update_unit(session, actor=me, unit_id=unit_id, name=new_name,
                                          quota_applies=new_quota, active=new_active)
                    flash(tr("units.saved"))
                    st.rerun()
                except PortalError as error:
                    show_error(error)
