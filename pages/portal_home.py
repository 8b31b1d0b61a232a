import streamlit as st

from portal import board, clock
from portal.report_types import Kind
from portal.ui.context import db, tr
from portal.ui.navigation import action_link
from portal.ui.widgets import rate_text

# The public front door: what a company owner came to do, in large actions, before anything else.
st.title(tr("app.title"))
st.caption(tr("portal.tagline"))

st.subheader(tr("portal.file"))
for column, kind in zip(st.columns(3), Kind, strict=True):
    with column.container(border=True):
        action_link("pages/report.py", tr(f"kind.{kind.value}"), ":material/edit_note:",
                    query={"kind": kind.value})
        st.caption(tr(f"portal.kind_help.{kind.value}"))
track_col, board_col = st.columns(2)
with track_col.container(border=True):
    action_link("pages/track.py", tr("page.track"), ":material/search:")
    st.caption(tr("portal.track_help"))
with board_col.container(border=True):
    action_link("pages/board.py", tr("page.board"), ":material/leaderboard:")
    st.caption(tr("portal.board_help"))

st.subheader(tr("portal.promises"))
for key in ("portal.promise.time", "portal.promise.secret", "portal.promise.redo"):
    st.markdown(f"- {tr(key)}")

year = clock.today().year
with db() as session:
    figures = board.headline(session, year=year)
st.subheader(tr("portal.figures", year=year))
accepted, closing, satisfaction = st.columns(3)
accepted.metric(tr("board.col.accepted"), tr("portal.count", n=figures["accepted"]))
closing.metric(tr("board.col.close_rate"), rate_text(figures["closing_rate"]),
               help=tr("portal.closing_rate_help"))
closing.caption(tr("portal.of", num=figures["closed"], den=figures["accepted"]))
satisfaction.metric(tr("board.col.satisfaction"), rate_text(figures["satisfaction"]),
                    help=tr("portal.satisfaction_help"))
satisfaction.caption(tr("portal.of", num=figures["satisfied"], den=figures["rated"]))

st.divider()
action_link("pages/login.py", tr("portal.staff_login"), ":material/login:")
