import streamlit as st

from portal import units, users
from portal.errors import PortalError
from portal.roles import Role
from portal.ui.context import db, show_error, tr
from portal.ui.guard import require_login
from portal.ui.widgets import (
    ask_to_confirm,
    current_page,
    flash,
    pager,
    pending_confirmation,
    show_flash,
    yes_no,
)

me = require_login(Role.ADMIN)
PAGE_SIZE = 20
ROLES = [r.value for r in Role]


def role_label(code: str) -> str:
    return tr(f"role.{code}")


st.title(tr("page.admin_users"))
show_flash()
pending_confirmation()
search = st.text_input(tr("users.search"), key="users_search")
with db() as session:
    rows, total = users.list_users(session, actor=me, search=search,
                                   page=current_page("users_page"), page_size=PAGE_SIZE)
    unit_names = {u.id: u.name for u in units.list_units(session)}
if rows:
    st.dataframe(
        [{tr("users.col.username"): r["username"], tr("users.col.display_name"): r["display_name"],
          tr("users.col.roles"): "、".join(role_label(c) for c in r["roles"]),
          tr("users.col.unit"): r["unit"] or "", tr("users.col.active"): yes_no(r["active"]),
          tr("users.col.locked"): yes_no(r["locked"])} for r in rows],
        hide_index=True, use_container_width=True,
    )
else:
    st.info(tr("users.none"))
pager(total=total, page_size=PAGE_SIZE, key="users_page")

unit_options = [None, *unit_names]


def unit_label(unit_id: int | None) -> str:
    return tr("users.unit_none") if unit_id is None else unit_names.get(unit_id, "—")


create_tab, edit_tab = st.tabs([tr("users.create"), tr("users.edit")])
with create_tab, st.form("users_create"):
    username = st.text_input(tr("users.col.username"), max_chars=20, key="users_new_username")
    display_name = st.text_input(tr("users.col.display_name"), max_chars=64,
                                 key="users_new_display_name")
    roles = st.multiselect(tr("users.col.roles"), ROLES, format_func=role_label,
                           key="users_new_roles", placeholder=tr("common.choose"))
    unit_id = st.selectbox(tr("users.col.unit"), unit_options, format_func=unit_label,
                           placeholder=unit_label(None), key="users_new_unit")
    if st.form_submit_button(tr("users.create_submit"), type="primary"):
        try:
            with db() as session:
                user, password = users.create_user(session, actor=me, username=username,
                                                   display_name=display_name, roles=roles,
                                                   unit_id=unit_id)
            st.success(tr("users.created", username=user.username))
            st.code(password, language=None)
        except PortalError as error:
            show_error(error)

with edit_tab:
    by_id = {r["id"]: r for r in rows}
    picked = st.selectbox(tr("users.pick"), list(by_id), key="users_pick",
                          format_func=lambda i: f"{by_id[i]['username']}（{by_id[i]['display_name']}）")
    if picked is not None:
        row = by_id[picked]
        with st.form(f"users_edit_{picked}"):
            new_name = st.text_input(tr("users.col.display_name"), value=row["display_name"],
                                     max_chars=64)
            new_roles = st.multiselect(tr("users.col.roles"), ROLES, default=row["roles"],
                                       format_func=role_label, placeholder=tr("common.choose"))
            current_unit = row["unit_id"] if row["unit_id"] in unit_names else None
            new_unit = st.selectbox(tr("users.col.unit"), unit_options,
                                    index=unit_options.index(current_unit), format_func=unit_label,
                                    placeholder=unit_label(None))
            if st.form_submit_button(tr("users.save"), type="primary"):
                try:
                    with db() as session:
                        users.update_user(session, actor=me, user_id=picked,
                                          display_name=new_name, roles=new_roles,
                                          unit_id=new_unit)
                    flash(tr("users.saved"))
                    st.rerun()
                except PortalError as error:
                    show_error(error)
        reset_col, active_col = st.columns(2)
        if reset_col.button(tr("users.reset"), key=f"users_reset_{picked}"):
            try:
                with db() as session:
                    password = users.reset_password(session, actor=me, user_id=picked)
                st.success(tr("users.reset_done", username=row["username"]))
                st.code(password, language=None)
            except PortalError as error:
                show_error(error)
        toggle_label = tr("users.deactivate") if row["active"] else tr("users.activate")
        toggled = active_col.button(toggle_label, key=f"users_toggle_{picked}")
        if toggled and row["active"]:  # locks someone out: ask first
            ask_to_confirm(tr("uirep.ask_deactivate_user", username=row["username"],
                              name=row["display_name"]),
                           lambda s: users.set_user_active(s, actor=me, user_id=picked,
                                                           active=False),
                           tr("uirep.user_deactivated", username=row["username"]))
        elif toggled:
            try:
                with db() as session:
                    users.set_user_active(session, actor=me, user_id=picked,
                                          active=not row["active"])
                flash(tr("users.deactivated") if row["active"] else tr("users.activated"))
                st.rerun()
            except PortalError as error:
                show_error(error)
