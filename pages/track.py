import time

import streamlit as st

from portal import report_flow, reports
from portal.errors import PortalError
from portal.i18n import format_date
from portal.report_types import Rating, Status
from portal.ui import report_view
from portal.ui.context import client_id, db, lang, show_error, tr
from portal.ui.widgets import flash, show_flash

st.title(tr("page.track"))
show_flash()
st.caption(tr("track.intro"))
if "track_no" not in st.session_state and st.query_params.get("no"):
    st.session_state["track_no"] = st.query_params["no"]  # from 去查询进度 after filing
with st.form("track_form"):
    number = st.text_input(tr("track.no"), placeholder="YS2026-000123", key="track_no")
    code = st.text_input(tr("track.code"), type="password", max_chars=8, key="track_code")
    submitted = st.form_submit_button(tr("track.submit"), type="primary")

if submitted:
    failures = st.session_state.get("track_failures", 0)
    delay = reports.tracking_delay(failures)
    if delay:
        with st.spinner(tr("track.slow")):
            time.sleep(delay)
    try:
        with db() as session:
            reports.track(session, tracking_no=number, query_code=code, client=client_id())
        st.session_state["track_found"] = (number, code)
        st.session_state["track_failures"] = 0
    except reports.TrackingFailed as error:
        st.session_state["track_failures"] = failures + 1
        st.session_state.pop("track_found", None)
        show_error(error)
    except PortalError as error:  # the database is busy: the form keeps its values
        show_error(error)

found = st.session_state.get("track_found")
if found:
    with db() as session:
        view = reports.public_view(session, tracking_no=found[0], query_code=found[1])
    report_view.summary(view)
    report_view.answer(view)
    report_view.deadlines(view)
    if view.status == Status.REPLIED:
        with st.container(border=True, key="track_rating_box"):
            st.subheader(tr("track.rate"))
            comment = st.text_area(tr("track.comment"), max_chars=500, key="track_comment",
                                   placeholder=tr("track.comment_hint"))
            chosen = None
            for column, value in zip(st.columns(len(Rating)), Rating, strict=True):
                if column.button(tr(f"rating.{value.value}"), key=f"track_rate_{value.value}",
                                 type="primary" if value != Rating.UNSATISFIED else "secondary",
                                 width="stretch"):
                    chosen = value.value
        if chosen:
            try:
                with db() as session:
                    rated = report_flow.rate_with_code(session, tracking_no=found[0],
                                                       query_code=found[1],
                                                       rating=chosen, comment=comment)
                if rated.status == Status.REOPENED:
                    flash(tr("track.reopened", due=format_date(rated.reply_due, lang())))
                else:
                    flash(tr("track.rated"))
                st.rerun()
            except PortalError as error:
                show_error(error)
    report_view.timeline(view)
