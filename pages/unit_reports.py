import streamlit as st

from portal import followup, reports
from portal.i18n import format_datetime
from portal.roles import Role
from portal.ui import report_actions
from portal.ui.context import db, lang, tr
from portal.ui.guard import require_login
from portal.ui.text import plain
from portal.ui.widgets import current_page, pager, pending_confirmation, show_flash

me = require_login(Role.UNIT)

st.title(f"{tr('page.unit_reports')}（{plain(me.unit_name)}）")
show_flash()
pending_confirmation()
picked = report_actions.queue("unit", me, reports.unit_queue)
if picked is not None:
    report_actions.detail("unit", me, picked["id"], card=picked.get("card"))

with st.expander(tr("rules.unit_ratings")):
    with db() as session:
        rated, total = followup.unit_ratings(session, actor=me,
                                             page=current_page("unit_ratings_page"))
    if rated:
        st.dataframe([{tr("queue.col.no"): r["tracking_no"], tr("queue.col.title"): r["title"],
                       tr("rules.col.at"): format_datetime(r["at"], lang()),
                       tr("rules.col.channel"): tr(f"rating.channel.{r['channel']}"),
                       tr("rules.col.rating"): tr(f"rating.{r['rating']}"),
                       tr("rules.col.comment"): r["comment"]} for r in rated],
                     hide_index=True, use_container_width=True)
        pager(total=total, page_size=20, key="unit_ratings_page")
    else:
        st.caption(tr("rules.ratings_none"))
