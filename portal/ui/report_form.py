"""The filing form shared by the public page and the supervisors' phone/letter entry page.

Fields are plain widgets (no st.form) so that errors can be shown right under each field:
on the run where the submit button was pressed, the values are read from session_state
and validated before the widgets are drawn.
"""

import streamlit as st

from portal import catalogue, reports, units
from portal.attachments import MAX_MB, Upload
from portal.errors import FormInvalid, PortalError, ServiceUnavailable, ValidationError
from portal.report_types import Channel, Kind
from portal.roles import Actor, Role
from portal.ui import triage_insight
from portal.ui.context import db, lang, tr
from portal.ui.navigation import action_link
from portal.ui.text import message
from portal.ui.widgets import copy_button

FIELDS = ("kind", "title", "description", "unit", "category", "occurred_on", "place",
          "attachments", "anonymous", "contact_name", "contact_mobile", "company_name",
          "credit_code", "confidential", "sms_opt_in", "channel")


def _key(prefix: str, name: str) -> str:
    return f"{prefix}_{name}"


def _input(prefix: str) -> reports.ReportInput:
    state = st.session_state
    files = state.get(_key(prefix, "attachments")) or []
    return reports.ReportInput(
        kind=state.get(_key(prefix, "kind")) or "", title=state.get(_key(prefix, "title"), ""),
        description=state.get(_key(prefix, "description"), ""),
        concerned_unit_id=state.get(_key(prefix, "unit")),
        category_number=state.get(_key(prefix, "category")),
        occurred_on=state.get(_key(prefix, "occurred_on")),
        place=state.get(_key(prefix, "place"), ""),
        anonymous=bool(state.get(_key(prefix, "anonymous"))),
        contact_name=state.get(_key(prefix, "contact_name"), ""),
        contact_mobile=state.get(_key(prefix, "contact_mobile"), ""),
        company_name=state.get(_key(prefix, "company_name"), ""),
        credit_code=state.get(_key(prefix, "credit_code"), ""),
        confidential=bool(state.get(_key(prefix, "confidential"), True)),
        sms_opt_in=bool(state.get(_key(prefix, "sms_opt_in"))),
        uploads=[Upload(filename=f.name, data=f.getvalue()) for f in files],
    )


def _submit(prefix: str, actor: Actor | None) -> reports.Filed | dict[str, ValidationError]:
    channel = st.session_state.get(_key(prefix, "channel")) or Channel.WEB
    try:
        with db() as session:
            return reports.file_report(session, actor=actor, data=_input(prefix), channel=channel)
    except FormInvalid as invalid:
        return invalid.errors
    except ServiceUnavailable as error:
        return {"system": error}
    except PortalError as error:
        return {"channel": ValidationError(error.key, **error.params)}


def _error(errors: dict, name: str) -> None:
    if name in errors:
        st.markdown(f":red[{message(errors[name], lang())}]")


def _show_filed(prefix: str, filed: reports.Filed) -> None:
    """The tracking number and query code, shown once, in a box that is easy to keep."""
    st.success(tr("report.filed"))
    with st.container(border=True, key=_key(prefix, "filed_box")):
        number, code = st.columns(2)
        number.metric(tr("track.no"), filed.tracking_no)
        code.metric(tr("track.code"), filed.query_code)
        copy_button(tr("report.tracking_line", no=filed.tracking_no, code=filed.query_code),
                    label=tr("report.copy"), done=tr("report.copied"),
                    failed=tr("report.copy_failed"))
    st.warning(tr("report.save_advice"))
    action_link("pages/track.py", tr("report.go_track"), ":material/search:",
                query={"no": filed.tracking_no})
    st.button(tr("report.another"), key=_key(prefix, "another"))


def render(prefix: str, actor: Actor | None, *, office_entry: bool = False,
           prefill: dict | None = None) -> None:
    """Draw the form; on submit, file the report and show its tracking number and code once."""
    errors: dict = {}
    if st.session_state.get(_key(prefix, "submit")):
        outcome = _submit(prefix, actor)
        if isinstance(outcome, reports.Filed):
            for name in FIELDS:  # start the next report from an empty form
                st.session_state.pop(_key(prefix, name), None)
            _show_filed(prefix, outcome)
            if office_entry and actor is not None:
                triage_insight.similar_after_filing(actor, outcome.report_id)
            if actor is not None and actor.has(Role.COMPANY) and not office_entry:
                st.info(tr("report.linked_to_account"))
            return
        errors = outcome
        if "system" in errors:  # busy, full or read-only database: nothing saved, values kept
            st.error(tr(errors["system"].key))
        else:
            st.error(tr("report.fix_errors"))

    with db() as session:
        unit_list = units.list_units(session)
        entries = catalogue.list_categories(session)
    unit_names = {u.id: u.name for u in unit_list}
    category_labels = {e.number: f"【{e.area}】{e.number}. {e.text}" for e in entries}

    if office_entry:
        st.selectbox(tr("report.channel"), [c.value for c in Channel
                                              if c not in (Channel.WEB, Channel.HOTLINE_ORDER)],
                     format_func=lambda c: tr(f"channel.{c}"), key=_key(prefix, "channel"))
    st.radio(tr("report.kind"), [k.value for k in Kind], format_func=lambda k: tr(f"kind.{k}"),
             horizontal=True, key=_key(prefix, "kind"), index=None)
    _error(errors, "kind")
    st.text_input(tr("report.title"), max_chars=100, key=_key(prefix, "title"))
    _error(errors, "title")
    st.text_area(tr("report.description"), max_chars=5000, help=tr("report.description_help"),
                 key=_key(prefix, "description"))
    _error(errors, "description")
    left, right = st.columns(2)
    with left:
        st.selectbox(tr("report.unit"), [None, *unit_names], key=_key(prefix, "unit"),
                     format_func=lambda i: tr("report.unit_unknown") if i is None
                     else unit_names[i], placeholder=tr("report.unit_unknown"))
        _error(errors, "unit")
        st.date_input(tr("report.occurred_on"), value=None, key=_key(prefix, "occurred_on"),
                      format="YYYY-MM-DD")
        _error(errors, "occurred_on")
    with right:
        st.selectbox(tr("report.category"), [None, *category_labels], key=_key(prefix, "category"),
                     format_func=lambda n: tr("report.category_unknown") if n is None
                     else category_labels[n], placeholder=tr("report.category_unknown"))
        _error(errors, "category")
        triage_insight.category_hint(prefix, category_key=_key(prefix, "category"))
        st.text_input(tr("report.place"), max_chars=100, key=_key(prefix, "place"))
        _error(errors, "place")
    st.file_uploader(tr("report.attachments"), type=["jpg", "jpeg", "png", "pdf"],
                     accept_multiple_files=True, max_upload_size=MAX_MB,
                     key=_key(prefix, "attachments"))
    _error(errors, "attachments")

    anonymous = st.checkbox(tr("report.anonymous"), key=_key(prefix, "anonymous"))
    if not anonymous:
        prefill = prefill or {}
        for name, value in (("contact_name", prefill.get("contact_name")),
                            ("contact_mobile", prefill.get("mobile")),
                            ("company_name", prefill.get("company_name")),
                            ("credit_code", prefill.get("credit_code"))):
            if value and _key(prefix, name) not in st.session_state:
                st.session_state[_key(prefix, name)] = value
        left, right = st.columns(2)
        with left:
            st.text_input(tr("report.contact_name"), max_chars=40,
                          key=_key(prefix, "contact_name"))
            _error(errors, "contact_name")
            st.text_input(tr("report.company_name"), max_chars=100,
                          key=_key(prefix, "company_name"))
            _error(errors, "company_name")
        with right:
            st.text_input(tr("report.contact_mobile"), max_chars=11,
                          key=_key(prefix, "contact_mobile"))
            _error(errors, "contact_mobile")
            st.text_input(tr("report.credit_code"), max_chars=18, key=_key(prefix, "credit_code"))
            _error(errors, "credit_code")
        if _key(prefix, "confidential") not in st.session_state:
            st.session_state[_key(prefix, "confidential")] = True
        st.checkbox(tr("report.confidential"), key=_key(prefix, "confidential"))
        st.checkbox(tr("report.sms_opt_in"), key=_key(prefix, "sms_opt_in"))
    _error(errors, "channel")
    st.button(tr("report.submit"), type="primary", key=_key(prefix, "submit"))
