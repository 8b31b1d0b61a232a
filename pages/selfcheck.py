import streamlit as st

from portal import selfcheck, selfcheck_excel
from portal.errors import PortalError
from portal.i18n import format_date, format_datetime
from portal.roles import Role
from portal.ui import selfcheck_form
from portal.ui.context import audited, db, lang, show_error, tr
from portal.ui.guard import require_login
from portal.ui.text import plain
from portal.ui.widgets import flash, show_flash

me = require_login(Role.UNIT)

st.title(f"{tr('page.selfcheck')}（{plain(me.unit_name)}）")
show_flash()
if message := st.session_state.pop("_selfcheck_conflict", None):
    st.error(message)
with db() as session:
    campaigns = selfcheck.campaigns_for_unit(session, actor=me)
if not campaigns:
    st.info(tr("selfcheck.none"))
    st.stop()
names = {c["id"]: c["name"] for c in campaigns}
campaign_id = st.selectbox(tr("selfcheck.campaign"), list(names), format_func=names.get,
                           key="selfcheck_campaign")
with db() as session:
    form = selfcheck.open_form(session, actor=me, campaign_id=campaign_id)
    view = selfcheck.form_view(session, actor=me, form_id=form.id)

version_key, errors_key = f"selfcheck_version_{form.id}", f"selfcheck_errors_{form.id}"
if version_key not in st.session_state:  # the version this page's copy was loaded from
    st.session_state[version_key] = view["version"]
selfcheck_form.load(form.id, view["rows"], version=st.session_state[version_key])
state = "late" if view["status"] == "submitted" and view["late"] else view["status"]
st.caption(tr("selfcheck.due", due=format_date(view["due_date"], lang())) + "　"
           + tr("selfcheck.status", status=tr(f"selfcheck.state.{state}")))
if view["due_estimated"]:
    st.warning(tr("selfcheck.estimated"))
if view["status"] == "returned" and view["review_comment"]:
    st.error(tr("selfcheck.returned_comment", comment=plain(view["review_comment"])))
selfcheck_form.carried_notice(view["rows"])
st.caption(tr("selfcheck.intro"))

editable = view["status"] in selfcheck.EDITABLE
on_screen = selfcheck_form.current_rows(form.id, view["rows"])
progress = selfcheck.fill_progress(on_screen)
line = tr("selfcheck.fill_line", **progress)
if editable and selfcheck_form.differs(view["rows"], on_screen):
    st.warning(line + "　" + tr("selfcheck.unsaved"))
elif editable:
    st.info(line + "　" + tr("selfcheck.saved_at", at=format_datetime(view["updated_at"], lang())))

errors = (selfcheck.missing_by_category(on_screen)
          if editable and st.session_state.get(errors_key) else {})
selfcheck_form.render(form.id, view["rows"], editable=editable, errors=errors)

save_col, rest_col, submit_col, excel_col = st.columns(4)
excel_col.download_button(tr("selfcheck.excel"),
                          data=audited(lambda: selfcheck_excel.render(view),
                                       f"{view['unit']}{view['campaign']}自查表.xlsx"),
                          file_name=f"{view['unit']}{view['campaign']}自查表.xlsx",
                          mime=selfcheck_excel.MIME, key="selfcheck_excel")
if editable:
    action, rows = None, on_screen
    if save_col.button(tr("selfcheck.save"), key="selfcheck_save"):
        action = selfcheck.save_draft
    if rest_col.button(tr("selfcheck.rest_none"), key="selfcheck_rest",
                       help=tr("selfcheck.rest_none_help")):
        rows, action = selfcheck.answer_rest_no(on_screen), selfcheck.save_draft
    if submit_col.button(tr("selfcheck.submit"), type="primary", key="selfcheck_submit"):
        action = selfcheck.submit
    if action is not None:
        try:
            with db() as session:
                saved = action(session, actor=me, form_id=form.id,
                               version=st.session_state[version_key], rows=rows)
            st.session_state[version_key] = saved.version
            if rows is not on_screen:  # the rest was answered by the service: show it
                selfcheck_form.forget(form.id)
            flash(tr("selfcheck.saved") if action is selfcheck.save_draft else
                  tr("selfcheck.submitted") + (tr("selfcheck.late_note") if saved.late else ""))
            st.rerun()
        except selfcheck.FormIncomplete:
            st.session_state[errors_key] = True  # from now on, name what is missing inline
            st.rerun()
        except selfcheck.EditConflict as conflict:
            # Show the latest version: forget this copy and its edits, keep the message.
            del st.session_state[version_key]
            selfcheck_form.forget(form.id)
            st.session_state["_selfcheck_conflict"] = tr(conflict.key)
            st.rerun()
        except PortalError as error:
            show_error(error)
if errors:
    st.error(tr("error.selfcheck_incomplete", rows="、".join(str(n) for n in sorted(errors))))
