import streamlit as st

from portal import units
from portal.errors import PortalError
from portal.i18n import format_datetime
from portal.notifications import admin
from portal.notifications.events import CHANNELS
from portal.roles import Role
from portal.ui.context import db, lang, show_error, tr
from portal.ui.guard import require_login
from portal.ui.widgets import current_page, flash, pager, show_flash, yes_no

me = require_login(Role.ADMIN)
PAGE_SIZE = 50


def when(value) -> str:  # noqa: ANN001
    return format_datetime(value, lang()) if value else "—"


st.title(tr("page.admin_notifications"))
show_flash()
outbox_tab, templates_tab, robots_tab = st.tabs(
    [tr("notify.tab_outbox"), tr("notify.tab_templates"), tr("notify.tab_robots")])

with outbox_tab:
    with db() as session:
        counts = admin.outbox_counts(session, actor=me)
    st.caption(tr("notify.counts", pending=counts.get("pending", 0), sent=counts.get("sent", 0),
                  failed=counts.get("failed", 0)))
    status = st.segmented_control(tr("notify.status_filter"),
                                  ["all", *admin.STATUSES], default="all",
                                  format_func=lambda s: tr(f"notify.status.{s}"),
                                  key="notify_status")
    with db() as session:
        rows, total = admin.outbox(session, actor=me,
                                   status=None if status in (None, "all") else status,
                                   page=current_page("notify_page"), page_size=PAGE_SIZE)
    st.dataframe([{tr("notify.col.id"): r["id"], tr("notify.col.event"): r["event"],
                   tr("notify.col.channel"): tr(f"notify.channel.{r['channel']}"),
                   tr("notify.col.address"): r["address"],
                   tr("notify.col.subject"): r["subject"],
                   tr("notify.col.status"): tr(f"notify.status.{r['status']}"),
                   tr("notify.col.attempts"): r["attempts"],
                   tr("notify.col.next"): when(r["next_attempt_at"]),
                   tr("notify.col.error"): r["last_error"],
                   tr("notify.col.created"): when(r["created_at"])} for r in rows],
                 hide_index=True, use_container_width=True)
    pager(total=total, page_size=PAGE_SIZE, key="notify_page")
    failed = [r for r in rows if r["status"] == "failed"]
    if failed:
        by_id = {r["id"]: r for r in failed}
        chosen = st.selectbox(tr("notify.resend_pick"), list(by_id), key="notify_resend_pick",
                              format_func=lambda i: f"#{i} {by_id[i]['subject']}")
        with db() as session:
            tries = admin.attempts(session, actor=me, outbox_id=chosen)
        st.caption(tr("notify.attempts_of"))
        st.dataframe([{tr("notify.col.created"): when(a["at"]),
                       tr("notify.col.result"): a["result"],
                       tr("notify.col.error"): a["detail"],
                       tr("notify.col.worker"): a["worker"],
                       tr("notify.col.ms"): a["duration_ms"]} for a in tries],
                     hide_index=True, use_container_width=True)
        if st.button(tr("notify.resend"), type="primary", key="notify_resend"):
            try:
                with db() as session:
                    admin.resend(session, actor=me, outbox_id=chosen)
                flash(tr("notify.resent"))
                st.rerun()
            except PortalError as error:
                show_error(error)

with templates_tab:
    with db() as session:
        templates = {t.event: t for t in admin.templates(session, actor=me)}
    event = st.selectbox(tr("notify.template_pick"), list(templates), key="notify_template",
                         format_func=lambda e: templates[e].label)
    template = templates[event]
    st.caption(tr("notify.fields", fields="、".join(f"{{{f}}}" for f in admin.fields_of(event))))
    with st.form(f"notify_template_{event}"):
        subject = st.text_input(tr("notify.subject"), value=template.subject, max_chars=200)
        body = st.text_area(tr("notify.body"), value=template.body)
        sms_body = st.text_area(tr("notify.sms_body"), value=template.sms_body)
        picked = st.multiselect(tr("notify.channels"), list(CHANNELS),
                                default=[c for c in template.channels.split(",") if c],
                                format_func=lambda c: tr(f"notify.channel.{c}"),
                                placeholder=tr("common.choose"))
        quiet_exempt = st.checkbox(tr("notify.quiet_exempt"), value=template.quiet_exempt)
        enabled = st.checkbox(tr("notify.enabled"), value=template.enabled)
        if st.form_submit_button(tr("notify.template_save"), type="primary"):
            try:
                with db() as session:
                    admin.save_template(session, actor=me, event=event, subject=subject,
                                        body=body, sms_body=sms_body, channels=picked,
                                        quiet_exempt=quiet_exempt, enabled=enabled)
                flash(tr("notify.template_saved"))
                st.rerun()
            except PortalError as error:
                show_error(error)

with robots_tab:
    with db() as session:
        hooks = admin.webhooks(session, actor=me)
        unit_list = units.list_units(session)
    if hooks:
        st.dataframe([{tr("notify.robot_unit"): h["unit"],
                       tr("notify.robot_kind"): tr(f"notify.channel.{h['kind']}"),
                       tr("notify.robot_url"): h["url"],
                       tr("notify.robot_active"): yes_no(h["active"])} for h in hooks],
                     hide_index=True, use_container_width=True)
    else:
        st.info(tr("notify.robot_none"))
    names = {u.id: u.name for u in unit_list}
    with st.form("notify_robot", clear_on_submit=True):
        unit_id = st.selectbox(tr("notify.robot_unit"), list(names), format_func=names.get)
        kind = st.radio(tr("notify.robot_kind"), list(admin.ROBOTS), horizontal=True,
                        format_func=lambda k: tr(f"notify.channel.{k}"))
        url = st.text_input(tr("notify.robot_url"), max_chars=500)
        secret = st.text_input(tr("notify.robot_secret"), type="password")
        active = st.checkbox(tr("notify.robot_active"), value=True)
        if st.form_submit_button(tr("notify.robot_save"), type="primary"):
            try:
                with db() as session:
                    admin.save_webhook(session, actor=me, unit_id=unit_id, kind=kind, url=url,
                                       secret=secret, active=active)
                flash(tr("notify.robot_saved"))
                st.rerun()
            except PortalError as error:
                show_error(error)
