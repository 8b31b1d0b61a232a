import streamlit as st

from portal import dashboard
from portal.i18n import format_date
from portal.roles import Role
from portal.ui import stats_ui
from portal.ui.context import db, lang, tr
from portal.ui.guard import require_login

me = require_login(Role.SUPERVISOR, Role.DISCIPLINE)

with db() as session:
    day = dashboard.daily_dispatch(session, actor=me)

st.title(tr("page.dispatch"))
st.caption(tr("dispatch.intro", today=format_date(day["today"], lang())))
counts = st.columns(5)
for column, key in zip(counts, ("new", "due_today", "due_next", "red", "notices"), strict=True):
    column.metric(tr(f"dispatch.{key}"), len(day[key]))
stats_ui.table_block(tr("dispatch.new"), stats_ui.report_table(day["new"]), "dispatch_new")
stats_ui.table_block(tr("dispatch.due_today"), stats_ui.report_table(day["due_today"]),
                     "dispatch_today")
stats_ui.table_block(tr("dispatch.due_next_on", day=format_date(day["next_working_day"], lang())),
                     stats_ui.report_table(day["due_next"]), "dispatch_next")
stats_ui.table_block(tr("dispatch.red"), stats_ui.report_table(day["red"]), "dispatch_red")
stats_ui.table_block(tr("dispatch.notices"),
                     [{tr("dispatch.col.number"): n["number"],
                       tr("dispatch.col.kind"): tr(f"notice.kind.{n['kind']}"),
                       tr("stats.unit"): n["unit"], tr("stats.col.number"): n["tracking_no"],
                       tr("stats.col.overdue"): n["overdue_days"]} for n in day["notices"]],
                     "dispatch_notices")
