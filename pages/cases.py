import streamlit as st

from portal import cases, catalogue, units
from portal.attachments import MAX_MB, Upload
from portal.errors import FormInvalid, PortalError
from portal.i18n import format_date
from portal.roles import Role
from portal.ui.context import audited, db, lang, show_error, show_form_errors, tr
from portal.ui.guard import require_login
from portal.ui.report_view import category_label
from portal.ui.text import plain, show_field, show_text
from portal.ui.widgets import (
    ask_to_confirm,
    current_page,
    flash,
    pager,
    pending_confirmation,
    pick_row,
    show_flash,
)

me = require_login(Role.UNIT, Role.DISCIPLINE)
office = me.has(Role.DISCIPLINE)
PAGE_SIZE = 20

st.title(tr("page.cases"))
show_flash()
pending_confirmation()
with db() as session:
    unit_names = {u.id: u.name for u in units.list_units(session)}
    texts = {e.number: e.text for e in catalogue.list_categories(session)}
labels = {number: f"{number}. {text}" for number, text in texts.items()}

status = st.selectbox(tr("case.filter"), [None, *cases.STATUSES], key="cases_status",
                      format_func=lambda s: tr(f"case.status.{s}") if s else tr("common.all"),
                      placeholder=tr("common.all"))
with db() as session:
    rows, total = cases.list_cases(session, actor=me, status=status,
                                   page=current_page("cases_page"), page_size=PAGE_SIZE)
picked = None
if rows:
    st.caption(tr("uirep.pick_hint"))
    by_id = {r["id"]: r for r in rows}
    picked = pick_row(
        [{tr("case.col.unit"): r["unit"], tr("case.col.title"): r["title"],
          tr("case.col.category"): category_label(r["category_number"],
                                                  texts.get(r["category_number"])),
          tr("case.col.status"): tr(f"case.status.{r['status']}"),
          tr("case.col.source"): tr(f"case.source.{r['source']}"),
          tr("case.col.outcomes"): "、".join(tr(f"case.outcome.{o}") for o in r["outcomes"]),
          tr("case.col.concluded_on"): format_date(r["concluded_on"], lang())
          if r["concluded_on"] else "",
          tr("case.col.exposed"): tr("common.yes") if r["exposed"] else ""} for r in rows],
        list(by_id), key="cases_table")
    pager(total=total, page_size=PAGE_SIZE, key="cases_page")
else:
    st.info(tr("case.none"))

letter = st.session_state.get("case_from_letter")  # set by the 移交函 inbox
with st.expander(tr("case.register"), expanded=bool(letter)), st.form("cases_new"):
    if letter:
        st.caption(tr("case.from_notice", number=letter["number"]))
    unit_ids = list(unit_names) if office else [me.unit_id]
    default_unit = unit_ids.index(letter["unit_id"]) if letter and letter["unit_id"] in \
        unit_ids else 0
    unit_id = st.selectbox(tr("case.col.unit"), unit_ids, index=default_unit,
                           format_func=lambda i: unit_names.get(i, me.unit_name or ""))
    category = st.selectbox(tr("case.col.category"), list(labels), format_func=labels.get)
    title = st.text_input(tr("case.col.title"), max_chars=100,
                          value=letter["report_title"] if letter else "")
    summary = st.text_area(tr("case.col.summary"), max_chars=5000)
    left, right = st.columns(2)
    found_on = left.date_input(tr("case.col.found_on"), value=None, format="YYYY-MM-DD")
    concluded_on = right.date_input(tr("case.col.concluded_on"), value=None,
                                    format="YYYY-MM-DD")
    sources = list(cases.SOURCES)
    source = left.selectbox(tr("case.col.source"), sources,
                            index=sources.index("transfer") if letter else 0,
                            format_func=lambda s: tr(f"case.source.{s}"))
    persons = right.number_input(tr("case.col.persons"), 0, 999, 0, step=1)
    outcomes = st.multiselect(tr("case.col.outcomes"), list(cases.OUTCOMES),
                              format_func=lambda o: tr(f"case.outcome.{o}"),
                              placeholder=tr("common.choose"))
    numbers = st.text_input(tr("case.col.reports"),
                            value=letter["tracking_no"] if letter else "")
    files = st.file_uploader(tr("case.files"), type=["pdf", "jpg", "jpeg", "png"],
                             accept_multiple_files=True, max_upload_size=MAX_MB,
                             key="cases_files")
    if st.form_submit_button(tr("case.register"), type="primary"):
        try:
            with db() as session:
                report_ids = cases.resolve_reports(session, actor=me, numbers=numbers)
                cases.register(session, actor=me, notice_id=letter["id"] if letter else None,
                               data=cases.CaseInput(
                                   unit_id=unit_id, category_number=category, title=title,
                                   summary=summary, found_on=found_on,
                                   concluded_on=concluded_on, source=source,
                                   outcomes=outcomes, persons_handled=int(persons),
                                   report_ids=report_ids,
                                   uploads=[Upload(f.name, f.getvalue()) for f in files or []]))
            st.session_state.pop("case_from_letter", None)
            flash(tr("case.registered"))
            st.rerun()
        except FormInvalid as invalid:
            show_form_errors(invalid)
        except PortalError as error:
            show_error(error)

if picked is not None:
    chosen = by_id[picked]
    st.markdown(f"**{plain(chosen['title'])}**　{tr('case.status.' + chosen['status'])}")
    show_text(chosen["summary"])
    if chosen["reports"]:
        show_field(tr("case.col.reports"), "、".join(chosen["reports"]))
    with db() as session:
        documents = cases.case_files(session, actor=me, case_id=picked)


    def file_data(file_id: int) -> bytes:
        with db() as session:
            return cases.case_file_data(session, actor=me, file_id=file_id)

    for document in documents:  # contents are read only when a button is pressed
        st.download_button(tr("detail.download", name=plain(document.filename)),
                           data=audited(lambda i=document.id: file_data(i),
                                        f"case {chosen['id']}: {document.filename}"),
                           file_name=document.filename, mime=document.content_type,
                           key=f"cases_file_{document.id}")
    if chosen["status"] != "verified":
        with st.form(f"cases_edit_{picked}"):
            st.markdown(f"**{tr('case.edit')}**")
            new_summary = st.text_area(tr("case.col.summary"), value=chosen["summary"],
                                       max_chars=5000)
            left, right = st.columns(2)
            new_concluded = left.date_input(tr("case.col.concluded_on"),
                                            value=chosen["concluded_on"], format="YYYY-MM-DD")
            new_persons = right.number_input(tr("case.col.persons"), 0, 999,
                                             chosen["persons_handled"], step=1)
            new_outcomes = st.multiselect(tr("case.col.outcomes"), list(cases.OUTCOMES),
                                          default=chosen["outcomes"],
                                          format_func=lambda o: tr(f"case.outcome.{o}"),
                                          placeholder=tr("common.choose"))
            if st.form_submit_button(tr("users.save")):
                try:
                    with db() as session:
                        cases.update(session, actor=me, case_id=picked, data=cases.CaseInput(
                            unit_id=chosen["unit_id"], category_number=chosen["category_number"],
                            title=chosen["title"], summary=new_summary,
                            found_on=chosen["found_on"], concluded_on=new_concluded,
                            source=chosen["source"], outcomes=new_outcomes,
                            persons_handled=int(new_persons),
                            report_ids=cases.resolve_reports(
                                session, actor=me, numbers=",".join(chosen["reports"]))))
                    flash(tr("users.saved"))
                    st.rerun()
                except FormInvalid as invalid:
                    show_form_errors(invalid)
                except PortalError as error:
                    show_error(error)
    position = cases.STATUSES.index(chosen["status"])
    if position + 1 < len(cases.STATUSES):
        target = cases.STATUSES[position + 1]
        label = tr(f"case.status.{target}")
        done = tr("uirep.case_advanced", title=chosen["title"], status=label)
        if (target != "verified" or office) and st.button(
                tr("case.advance", status=label), key="cases_advance",
                type="primary" if target != "verified" else "secondary"):
            if target == "verified":  # cannot be edited afterwards: ask first
                ask_to_confirm(tr("uirep.ask_verify", title=chosen["title"]),
                               lambda s: cases.advance(s, actor=me, case_id=picked, to=target),
                               done)
            else:
                try:
                    with db() as session:
                        cases.advance(session, actor=me, case_id=picked, to=target)
                    flash(done)
                    st.rerun()
                except PortalError as error:
                    show_error(error)
    if office and chosen["status"] == "verified" and not chosen["exposed"]:
        with st.form("cases_expose"):
            public_summary = st.text_area(tr("case.expose_summary"), max_chars=1000)
            if st.form_submit_button(tr("case.expose")):
                ask_to_confirm(tr("uirep.ask_expose", title=chosen["title"],
                                  summary=public_summary.strip()),
                               lambda s: cases.expose(s, actor=me, case_id=picked,
                                                      public_summary=public_summary),
                               tr("uirep.exposed", title=chosen["title"]))
