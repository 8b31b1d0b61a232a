import streamlit as st

from portal import clock, dashboard, escalation, reports
from portal.roles import Role
from portal.ui import report_actions, stats_ui
from portal.ui.context import db, tr
from portal.ui.guard import require_login
from portal.ui.navigation import link, visible_pages
from portal.ui.text import plain

me = require_login()

st.title(tr("home.welcome", name=plain(me.display_name)))
st.write(f"**{tr('home.roles')}**：" + "、".join(tr(f"role.{r.value}") for r in sorted(me.roles)))
st.write(f"**{tr('home.unit')}**：{plain(me.unit_name or tr('home.no_unit'))}")
if me.has(Role.UNIT) and me.unit_id is not None:
    with db() as session:
        counts = reports.card_counts(session, actor=me)
        notices = escalation.unit_notices(session, actor=me)
        figures = dashboard.unit_home(session, actor=me,
                                      start=clock.today().replace(month=1, day=1),
                                      end=clock.today())
    st.subheader(tr("notice.unit_home"))
    (st.error if counts["red"] else st.warning if counts["yellow"] else st.info)(
        tr("notice.red_count", red=counts["red"], yellow=counts["yellow"]))
    if notices:
        report_actions.notice_table(notices)
        report_actions.notice_downloads("home", notices)
    else:
        st.caption(tr("notice.none"))
    st.subheader(tr("stats.home_title"))
    stats_ui.beside_district(figures["unit"], figures["total"])
    stats_ui.unit_duties(figures)
st.write(tr("home.pages"))
for spec in visible_pages(me):
    if spec.script != "pages/home.py":
        link(spec)
