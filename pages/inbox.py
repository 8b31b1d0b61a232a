import streamlit as st

from portal import escalation, notice_doc
from portal.errors import PortalError
from portal.i18n import format_datetime
from portal.notifications import inbox
from portal.ui.context import db, lang, show_error, tr
from portal.ui.guard import require_login
from portal.ui.widgets import current_page, flash, pager, show_flash

me = require_login()
PAGE_SIZE = 20

st.title(tr("page.inbox"))
show_flash()

notice_id = st.query_params.get("notice")
if notice_id and notice_id.isdigit():  # the link in a notice's message: its Word file
    try:
        with db() as session:
            notice = escalation.notice_for_download(session, actor=me, notice_id=int(notice_id))
        st.download_button(f"{tr('notify.notice_file')}：{notice['number']}（Word）",
                           data=lambda: notice_doc.render(notice),
                           file_name=f"{notice['number']}.docx", mime=notice_doc.MIME,
                           key="inbox_notice_download", type="primary")
    except PortalError as error:
        show_error(error)

left, right = st.columns([3, 1])
unread_only = left.toggle(tr("notify.unread_only"), key="inbox_unread_only")
if right.button(tr("notify.mark_all_read"), key="inbox_all_read"):
    with db() as session:
        count = inbox.mark_all_read(session, actor=me)
    flash(tr("notify.marked", count=count))
    st.rerun()

with db() as session:
    rows, total = inbox.messages(session, actor=me, unread_only=unread_only,
                                 page=current_page("inbox_page"), page_size=PAGE_SIZE)
if not rows:
    st.info(tr("notify.empty"))
for message in rows:
    with st.container(border=True):
        head, action = st.columns([5, 1])
        tag = "" if message["read"] else f"【{tr('notify.unread_tag')}】"
        head.text(f"{tag}{message['subject']}")
        head.caption(format_datetime(message["created_at"], lang()))
        if not message["read"] and action.button(tr("notify.mark_read"),
                                                 key=f"inbox_read_{message['id']}"):
            with db() as session:
                inbox.mark_read(session, actor=me, message_ids=[message["id"]])
            st.rerun()
        st.text(message["body"])
        if message["link"]:
            st.link_button(tr("notify.open_link"), message["link"])
pager(total=total, page_size=PAGE_SIZE, key="inbox_page")

with st.expander(tr("notify.settings")):
    with db() as session:
        prefs = inbox.preferences(session, actor=me)
    labels = {c: tr(f"notify.channel.{c}") for c in ("inbox", "email", "sms")}
    with st.form("inbox_settings"):
        email = st.text_input(tr("notify.email"), value=prefs["email"], key="inbox_email")
        mobile = st.text_input(tr("notify.mobile"), value=prefs["mobile"], max_chars=11,
                               key="inbox_mobile")
        digest = st.checkbox(tr("notify.digest"), value=prefs["digest"], key="inbox_digest")
        start, end = st.columns(2)
        quiet_start = start.number_input(tr("notify.quiet_start"), 0, 23, prefs["quiet_start"],
                                         key="inbox_quiet_start")
        quiet_end = end.number_input(tr("notify.quiet_end"), 0, 23, prefs["quiet_end"],
                                     key="inbox_quiet_end")
        st.caption(tr("notify.quiet_help"))
        chosen = {event: st.multiselect(tr("notify.channels_for", event=spec["label"]),
                                        spec["offered"], default=spec["channels"],
                                        format_func=labels.get, key=f"inbox_ch_{event}",
                                        placeholder=tr("common.choose"))
                  for event, spec in prefs["channels"].items()}
        if st.form_submit_button(tr("notify.save"), type="primary"):
            try:
                with db() as session:
                    inbox.save_preferences(session, actor=me, email=email, digest=digest,
                                           quiet_start=int(quiet_start),
                                           quiet_end=int(quiet_end), channels=chosen,
                                           mobile=mobile)
                flash(tr("notify.saved"))
                st.rerun()
            except PortalError as error:
                show_error(error)
