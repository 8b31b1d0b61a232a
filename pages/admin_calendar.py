import streamlit as st

from portal import calendar_schedule, clock, workdays
from portal.errors import PortalError
from portal.i18n import format_date
from portal.roles import Role
from portal.ui.context import db, lang, show_error, tr
from portal.ui.guard import require_login
from portal.ui.widgets import ask_to_confirm, flash, pending_confirmation, show_flash

me = require_login(Role.ADMIN)

st.title(tr("page.admin_calendar"))
show_flash()
pending_confirmation()
st.caption(tr("calendar.intro", years=f"{workdays.BUILTIN_FIRST_YEAR}–{workdays.BUILTIN_LAST_YEAR}"))

this_year = clock.today().year
year = st.selectbox(tr("calendar.year"), list(range(this_year - 1, this_year + 3)), index=1,
                    key="calendar_year")
with db() as session:
    official = workdays.is_official(year, session=session)
    overrides = workdays.list_overrides(session, actor=me, year=year)
    windows = workdays.list_sla_windows(session)
(st.success if official else st.warning)(
    tr("calendar.official" if official else "calendar.fallback", year=year))

if not workdays._builtin_knows(year):
    mark = "rules.calendar_unmark_official" if official else "rules.calendar_mark_official"
    if st.button(tr(mark, year=year), key="calendar_official"):
        ask_to_confirm(tr("uirep.ask_unmark_official" if official else "uirep.ask_mark_official",
                          year=year),
                       lambda s: calendar_schedule.set_official(s, actor=me, year=year,
                                                                official=not official),
                       tr("uirep.unmarked_official" if official else "uirep.marked_official",
                          year=year))

with st.expander(tr("rules.calendar_bulk"), expanded=not overrides):
    st.caption(tr("rules.calendar_bulk_help"))
    text = st.text_area(tr("rules.calendar_text"), height=160, key="calendar_bulk_text",
                        placeholder=f"{year}-01-01~{year}-01-03 休 元旦\n{year}-02-07 班 春节调休")
    upload = st.file_uploader(tr("rules.calendar_csv"), type=["csv", "txt"],
                              key="calendar_bulk_csv")
    if upload is not None:
        text = upload.getvalue().decode("utf-8-sig", errors="replace")
    preview_col, save_col = st.columns(2)
    try:
        if preview_col.button(tr("rules.calendar_preview"), key="calendar_bulk_preview"):
            with db() as session:
                rows = calendar_schedule.preview(session, actor=me, year=year, text=text)
            st.caption(tr("rules.calendar_changes", days=len(rows),
                          changed=sum(r.changes for r in rows)))

            def kind(working: bool) -> str:
                return tr("rules.calendar_working" if working else "rules.calendar_off")

            st.dataframe([{tr("calendar.day"): format_date(r.day, lang()),
                           tr("rules.calendar_before"): kind(r.before),
                           tr("rules.calendar_after"): kind(r.after),
                           tr("calendar.note"): r.note} for r in rows],
                         hide_index=True, use_container_width=True)
        if save_col.button(tr("rules.calendar_save_all"), type="primary",
                           key="calendar_bulk_save"):
            with db() as session:  # check it first, so the question can say what changes
                rows = calendar_schedule.preview(session, actor=me, year=year, text=text)
            ask_to_confirm(tr("uirep.ask_calendar_save", year=year, days=len(rows),
                              changed=sum(r.changes for r in rows)),
                           lambda s: calendar_schedule.save(s, actor=me, year=year, text=text),
                           lambda saved: tr("rules.calendar_saved", days=saved[0],
                                            moved=saved[1]))
    except PortalError as error:
        show_error(error)

if overrides:
    st.dataframe([{tr("calendar.day"): format_date(o.day, lang()),
                   tr("calendar.kind"): tr("calendar.workday" if o.is_working_day
                                           else "calendar.holiday"),
                   tr("calendar.note"): o.note} for o in overrides],
                 hide_index=True, use_container_width=True)
else:
    st.info(tr("calendar.none"))

with st.form("calendar_set", clear_on_submit=True):
    day = st.date_input(tr("calendar.day"), value=None, format="YYYY-MM-DD", key="calendar_day")
    working = st.radio(tr("calendar.kind"), [False, True], horizontal=True, key="calendar_kind",
                       format_func=lambda w: tr("calendar.workday" if w else "calendar.holiday"))
    note = st.text_input(tr("calendar.note"), max_chars=100, key="calendar_note")
    if st.form_submit_button(tr("calendar.save"), type="primary") and day is not None:
        try:
            with db() as session:
                workdays.set_override(session, actor=me, day=day, is_working_day=working,
                                      note=note)
            flash(tr("calendar.saved"))
            st.rerun()
        except PortalError as error:
            show_error(error)

if overrides:
    by_day = {o.day: o for o in overrides}
    chosen = st.selectbox(tr("calendar.day"), list(by_day), key="calendar_delete_day",
                          format_func=lambda d: format_date(d, lang()))
    if st.button(tr("calendar.delete"), key="calendar_delete"):
        try:
            with db() as session:
                workdays.delete_override(session, actor=me, day=chosen)
            flash(tr("calendar.saved"))
            st.rerun()
        except PortalError as error:
            show_error(error)

st.subheader(tr("sla.title"))
with st.form("calendar_sla"):
    values = {w.name: st.number_input(w.label, min_value=1, max_value=60, value=w.working_days,
                                      step=1, key=f"calendar_sla_{w.name}") for w in windows}
    if st.form_submit_button(tr("sla.save")):
        try:
            with db() as session:
                for name, days in values.items():
                    workdays.set_sla_window(session, actor=me, name=name, working_days=int(days))
            flash(tr("calendar.saved"))
            st.rerun()
        except PortalError as error:
            show_error(error)
