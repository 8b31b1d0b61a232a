import streamlit as st

from portal import followup, workdays
from portal.errors import PortalError
from portal.i18n import format_datetime
from portal.report_types import FollowupResult
from portal.roles import Role
from portal.ui.context import db, lang, show_error, tr
from portal.ui.guard import require_login
from portal.ui.text import plain, show_field
from portal.ui.widgets import current_page, flash, pager, pick_row, show_flash

me = require_login(Role.SUPERVISOR)
PAGE_SIZE = 20

st.title(tr("page.followup"))
show_flash()
with db() as session:
    days, close = (workdays.sla_days(session, "followup"),
                   workdays.sla_days(session, "close_unrated"))
    rows, total = followup.queue(session, actor=me, page=current_page("followup_page"),
                                 page_size=PAGE_SIZE)
st.caption(tr("rules.followup_intro", days=days, close=close))
if not rows:
    st.info(tr("rules.followup_none"))
    st.stop()


def contact(r: dict) -> str:
    return tr("detail.anonymous") if r["anonymous"] else "，".join(
        v for v in (r["contact_name"], r["contact_mobile"]) if v)


st.caption(tr("uirep.pick_hint"))
by_id = {r["id"]: r for r in rows}
chosen = pick_row([{tr("queue.col.no"): r["tracking_no"], tr("queue.col.title"): r["title"],
                    tr("queue.col.unit"): r["unit"] or "",
                    tr("rules.col.replied_at"): format_datetime(r["replied_at"], lang()),
                    tr("rules.reply_outcome"): tr(f"outcome.{r['reply_outcome']}")
                    if r["reply_outcome"] else "",
                    tr("rules.col.contact"): contact(r), tr("rules.col.attempts"): r["attempts"]}
                   for r in rows], list(by_id), key="followup_table")
pager(total=total, page_size=PAGE_SIZE, key="followup_page")
if chosen is None:
    st.stop()
picked = by_id[chosen]
st.subheader(f"{picked['tracking_no']}　{plain(picked['title'])}")
show_field(tr("rules.col.contact"), contact(picked))
with st.form("followup_record", clear_on_submit=True):
    result = st.radio(tr("rules.followup_result"), [r.value for r in FollowupResult],
                      index=None, horizontal=True, key="followup_result",
                      format_func=lambda r: tr(f"rating.{r}"))
    comment = st.text_area(tr("rules.followup_comment"), max_chars=followup.MAX_COMMENT,
                           key="followup_comment")
    if st.form_submit_button(tr("rules.followup_save"), type="primary"):
        try:
            with db() as session:
                followup.record(session, actor=me, report_id=chosen, result=result or "",
                                comment=comment)
            flash(tr("uirep.followup_recorded", no=picked["tracking_no"],
                     result=tr(f"rating.{result}")))
            st.rerun()
        except PortalError as error:
            show_error(error)
