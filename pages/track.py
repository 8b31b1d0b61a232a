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
    report_view.timeline(view)
    if view.status == Status.REPLIED:
        st.markdown(f"**{tr('track.rate')}**")
        with st.form("track_rate"):
            rating = st.radio(tr("track.rating"), [r.value for r in Rating], horizontal=True,
                              format_func=lambda r: tr(f"rating.{r}"), index=None,
                              key="track_rating")
            comment = st.text_area(tr("track.comment"), max_chars=500, key="track_comment")
            rate = st.form_submit_button(tr("track.rate_submit"), type="primary")
        if rate:
            try:
                with db() as session:
                    rated = report_flow.rate_with_code(session, tracking_no=found[0],
                                                       query_code=found[1],
                                                       rating=rating or "", comment=comment)
                if rated.status == Status.REOPENED:
                    flash(tr("track.reopened", due=format_date(rated.reply_due, lang())))
                else:
                    flash(tr("track.rated"))
                st.rerun()
            except PortalError as error:
                show_error(error)
