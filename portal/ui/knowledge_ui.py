"""知识库 on the report screen (hints while replying, proposing an entry) and on its own page."""

import streamlit as st

from portal import catalogue, knowledge, units
from portal.errors import PortalError
from portal.i18n import format_date
from portal.report_types import Status
from portal.roles import Actor, Role
from portal.ui.context import db, lang, show_error, tr
from portal.ui.report_view import category_label
from portal.ui.widgets import act, current_page, pager

PAGE_SIZE = 20


def _entry(item: dict) -> None:
    with st.expander(item["question"]):
        st.text(item["answer"])
        if item["policy_basis"]:
            st.caption(tr("kb.basis", basis=item["policy_basis"]))


def reply_hints(actor: Actor, view) -> None:  # noqa: ANN001
    """Before a unit writes its reply: the most similar approved entries."""
    with db() as session:
        found = knowledge.similar_entries(session, actor=actor, report_id=view.id)
    if found:
        st.markdown(f"**{tr('kb.similar_title')}**")
        for item in found:
            _entry(item)


def propose_form(prefix: str, actor: Actor, view) -> None:  # noqa: ANN001
    """A unit turns its reply into an entry for the office to approve."""
    if not actor.has(Role.UNIT) or view.status not in (Status.REPLIED, Status.CLOSED):
        return
    with db() as session:
        offered = knowledge.reply_of(session, actor=actor, report_id=view.id)
    with st.expander(tr("kb.propose_title")), st.form(f"{prefix}_kb_{view.id}"):
        question = st.text_input(tr("kb.question"), value=offered["question"], max_chars=500,
                                 key=f"{prefix}_kb_question")
        answer = st.text_area(tr("kb.answer"), value=offered["answer"], max_chars=5000,
                              key=f"{prefix}_kb_answer")
        basis = st.text_area(tr("kb.policy_basis"), max_chars=2000, key=f"{prefix}_kb_basis")
        until = st.date_input(tr("kb.valid_until"), value=None, key=f"{prefix}_kb_until")
        if st.form_submit_button(tr("kb.propose")):
            data = knowledge.EntryInput(question=question, answer=answer, policy_basis=basis,
                                        category_number=offered["category_number"],
                                        valid_until=until)
            act(lambda s: knowledge.propose_from_reply(s, actor=actor, report_id=view.id,
                                                        data=data), tr("kb.proposed"))


def _validity(item: dict) -> str:
    start = format_date(item["valid_from"], lang()) if item["valid_from"] else "—"
    end = format_date(item["valid_until"], lang()) if item["valid_until"] else "—"
    return f"{start} ~ {end}"


def pending_review(actor: Actor) -> None:
    with db() as session:
        rows, _ = knowledge.list_entries(session, actor=actor, status=knowledge.PENDING,
                                         page_size=50)
    st.subheader(tr("kb.pending_title"))
    if not rows:
        st.caption(tr("kb.none_pending"))
    for item in rows:
        with st.container(border=True):
            st.text(f"{item['unit'] or ''}　{item['question']}")
            st.text(item["answer"])
            if item["policy_basis"]:
                st.caption(tr("kb.basis", basis=item["policy_basis"]))
            note = st.text_input(tr("kb.reject_reason"), key=f"kb_note_{item['id']}")
            left, right = st.columns(2)
            if left.button(tr("kb.approve"), key=f"kb_approve_{item['id']}"):
                act(lambda s, i=item["id"]: knowledge.review(s, actor=actor, entry_id=i,
                                                             approve=True),
                     tr("kb.approved", question=item["question"]))
            if right.button(tr("kb.reject"), key=f"kb_reject_{item['id']}"):
                act(lambda s, i=item["id"], n=note: knowledge.review(
                    s, actor=actor, entry_id=i, approve=False, note=n),
                     tr("kb.rejected", question=item["question"]))


def create_form(actor: Actor) -> None:
    with db() as session:
        unit_names = {u.id: u.name for u in units.list_units(session)}
        categories = {e.number: category_label(e.number, e.text)
                      for e in catalogue.list_categories(session)}
    with st.expander(tr("kb.new_title")), st.form("kb_new", clear_on_submit=True):
        question = st.text_input(tr("kb.question"), max_chars=500, key="kb_new_question")
        answer = st.text_area(tr("kb.answer"), max_chars=5000, key="kb_new_answer")
        basis = st.text_area(tr("kb.policy_basis"), max_chars=2000, key="kb_new_basis")
        left, right = st.columns(2)
        unit = left.selectbox(tr("kb.unit"), [None, *unit_names], key="kb_new_unit",
                              format_func=lambda i: "—" if i is None else unit_names[i],
                              placeholder="—")
        category = right.selectbox(tr("kb.category"), [None, *categories], key="kb_new_category",
                                   format_func=lambda n: "—" if n is None else categories[n],
                                   placeholder="—")
        start = left.date_input(tr("kb.valid_from"), value=None, key="kb_new_from")
        end = right.date_input(tr("kb.valid_until"), value=None, key="kb_new_until")
        if st.form_submit_button(tr("kb.create")):
            data = knowledge.EntryInput(question=question, answer=answer, policy_basis=basis,
                                        unit_id=unit, category_number=category,
                                        valid_from=start, valid_until=end)
            act(lambda s: knowledge.create(s, actor=actor, data=data),
                 tr("kb.created", question=question.strip()))


def entry_list(actor: Actor) -> None:
    search = st.text_input(tr("kb.search"), key="kb_search")
    with db() as session:
        rows, total = knowledge.list_entries(session, actor=actor, search=search,
                                             page=current_page("kb_page"), page_size=PAGE_SIZE)
        texts = {e.number: e.text for e in catalogue.list_categories(session)}
    st.dataframe([{tr("kb.question"): r["question"], tr("kb.answer"): r["answer"],
                   tr("kb.policy_basis"): r["policy_basis"], tr("kb.unit"): r["unit"] or "",
                   tr("kb.category"): category_label(r["category_number"],
                                                     texts.get(r["category_number"]))
                   if r["category_number"] else "",
                   tr("kb.col.validity"): _validity(r),
                   tr("kb.col.status"): tr(f"kb.status.{r['status']}")} for r in rows],
                 hide_index=True, use_container_width=True)
    pager(total=total, page_size=PAGE_SIZE, key="kb_page")


def excel_tools(actor: Actor) -> None:
    def export() -> bytes:
        with db() as session:
            return knowledge.export_excel(session, actor=actor)

    st.download_button(tr("kb.export"), data=export, file_name="知识库.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="kb_export")
    upload = st.file_uploader(tr("kb.import"), type=["xlsx"], key="kb_import")
    if upload is not None and st.button(tr("kb.import")[:8], key="kb_import_run"):
        try:
            with db() as session:
                count = knowledge.import_excel(session, actor=actor, data=upload.getvalue())
            st.success(tr("kb.imported", n=count))
        except PortalError as error:
            show_error(error)


def faq() -> None:
    st.caption(tr("kb.faq_intro"))
    search = st.text_input(tr("kb.search"), key="faq_search")
    with db() as session:
        rows, total = knowledge.public_faq(session, search=search,
                                           page=current_page("faq_page"), page_size=PAGE_SIZE)
    for item in rows:
        _entry(item)
    pager(total=total, page_size=PAGE_SIZE, key="faq_page")
