import streamlit as st

from portal import report_flow, reports
from portal.errors import PortalError
from portal.i18n import format_date
from portal.report_types import Rating, Status
from portal.roles import Role
from portal.ui import report_view
from portal.ui.context import db, lang, show_error, tr
from portal.ui.guard import require_login
from portal.ui.report_actions import PAGE_SIZE, report_table
from portal.ui.widgets import current_page, flash, show_flash

me = require_login(Role.COMPANY)

st.title(tr("page.my_reports"))
show_flash()
with db() as session:
    rows, total = reports.my_reports(session, actor=me, page=current_page("mine_page"),
                                     page_size=PAGE_SIZE)
if not rows:
    st.info(tr("queue.empty"))
    st.stop()
row = report_table("mine", rows, total)
if row is None:
    st.stop()
picked = row["id"]
with db() as session:
    view = reports.owner_view(session, actor=me, report_id=picked)
report_view.summary(view)
report_view.timeline(view)
if view.status == Status.REPLIED:
    with st.form("mine_rate"):
        rating = st.radio(tr("track.rating"), [r.value for r in Rating], horizontal=True,
                          format_func=lambda r: tr(f"rating.{r}"), index=None, key="mine_rating")
        comment = st.text_area(tr("track.comment"), max_chars=500, key="mine_comment")
        if st.form_submit_button(tr("track.rate_submit"), type="primary"):
            try:
                with db() as session:
                    rated = report_flow.rate_as_owner(session, actor=me, report_id=picked,
                                                      rating=rating or "", comment=comment)
                flash(tr("track.reopened", due=format_date(rated.reply_due, lang()))
                      if rated.status == Status.REOPENED else tr("track.rated"))
                st.rerun()
            except PortalError as error:
                show_error(error)
