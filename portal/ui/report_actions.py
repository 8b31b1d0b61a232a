"""The staff's list-and-detail screen for reports, with the actions the state machine allows."""

import streamlit as st

from portal import catalogue, report_flow, reports, units
from portal.errors import PortalError
from portal.i18n import format_date, format_datetime
from portal.report_types import Status
from portal.roles import Actor
from portal.ui import report_view
from portal.ui.context import db, lang, show_error, tr
from portal.ui.widgets import current_page, flash, pager

PAGE_SIZE = 20


def queue(prefix: str, actor: Actor, list_fn) -> int | None:  # noqa: ANN001
    """A filtered, paginated list; returns the id of the report picked for the detail view."""
    with db() as session:
        counts = reports.status_counts(session, actor=actor)
    st.caption(tr("queue.counts") + "：" + "　".join(
        f"{report_view.status_label(s)} {counts[s]}" for s in Status if counts.get(s)))
    statuses = st.multiselect(tr("queue.filter"), [s.value for s in Status],
                              format_func=report_view.status_label, key=f"{prefix}_statuses",
                              placeholder=tr("common.all"))
    with db() as session:
        rows, total = list_fn(session, actor=actor, statuses=statuses or None,
                              page=current_page(f"{prefix}_page"), page_size=PAGE_SIZE)
    if not rows:
        st.info(tr("queue.empty"))
        return None
    st.dataframe([row_for_table(r) for r in rows], hide_index=True, use_container_width=True)
    if any(r["deadline_estimated"] and r["reply_due"] for r in rows):
        st.caption(tr("queue.estimated_mark"))
    pager(total=total, page_size=PAGE_SIZE, key=f"{prefix}_page")
    by_id = {r["id"]: r for r in rows}
    return st.selectbox(tr("queue.open"), list(by_id), key=f"{prefix}_pick",
                        format_func=lambda i: f"{by_id[i]['tracking_no']}　{by_id[i]['title']}")


def row_for_table(r: dict) -> dict:
    def day(d) -> str:  # noqa: ANN001
        return format_date(d, lang()) if d else ""

    return {tr("queue.col.no"): r["tracking_no"], tr("queue.col.kind"): tr(f"kind.{r['kind']}"),
            tr("queue.col.title"): r["title"],
            tr("queue.col.status"): report_view.status_label(r["status"]),
            tr("queue.col.unit"): r["unit"] or "",
            tr("queue.col.created"): format_datetime(r["created_at"], lang()),
            tr("queue.col.respond_due"): day(r["respond_due"]),
            tr("queue.col.reply_due"): day(r["reply_due"]) + ("*" if r["deadline_estimated"]
                                                               and r["reply_due"] else ""),
            tr("queue.col.channel"): tr(f"channel.{r['channel']}")}


def detail(prefix: str, actor: Actor, report_id: int) -> None:
    with db() as session:
        try:
            view = reports.staff_view(session, actor=actor, report_id=report_id)
        except PortalError as error:
            show_error(error)
            return
    st.divider()
    report_view.summary(view)
    report_view.details(view)
    _attachments(prefix, actor, view)
    report_view.timeline(view)
    for action in report_flow.allowed_actions(view.status, actor):
        _ACTIONS[action](prefix, actor, view)


def _attachments(prefix: str, actor: Actor, view: reports.ReportView) -> None:
    if not view.attachments:
        return
    st.markdown(f"**{tr('detail.attachments')}**")
    for item in view.attachments:
        with db() as session:
            data = reports.attachment(session, actor=actor, attachment_id=item["id"]).data
        st.download_button(tr("detail.download", name=item["filename"]), data=data,
                           file_name=item["filename"], mime=item["content_type"],
                           key=f"{prefix}_file_{item['id']}")


def _run(call, message_key: str = "action.done") -> None:  # noqa: ANN001
    try:
        with db() as session:
            call(session)
        flash(tr(message_key))
        st.rerun()
    except PortalError as error:
        show_error(error)


def _assign(prefix: str, actor: Actor, view: reports.ReportView) -> None:
    with db() as session:
        unit_names = {u.id: u.name for u in units.list_units(session)}
        labels = {e.number: f"{e.number}. {e.text}" for e in catalogue.list_categories(session)}
    with st.form(f"{prefix}_assign_{view.id}"):
        st.markdown(f"**{tr('action.assign')}**")
        units_list = list(unit_names)
        default = units_list.index(view.unit_id) if view.unit_id in unit_names else 0
        unit_id = st.selectbox(tr("action.assign_unit"), units_list, index=default,
                               format_func=unit_names.get, key=f"{prefix}_assign_unit")
        numbers = [None, *labels]
        category = st.selectbox(tr("action.category"), numbers,
                                index=numbers.index(view.category_number),
                                format_func=lambda n: tr("report.category_unknown") if n is None
                                else labels[n], key=f"{prefix}_assign_category")
        if st.form_submit_button(tr("action.assign"), type="primary"):
            _run(lambda s: report_flow.assign(s, actor=actor, report_id=view.id, unit_id=unit_id,
                                              category_number=category))


def _text_action(label_key: str, button_key: str, fn_name: str, arg: str):  # noqa: ANN202
    def render(prefix: str, actor: Actor, view: reports.ReportView) -> None:
        with st.form(f"{prefix}_{fn_name}_{view.id}", clear_on_submit=True):
            text = st.text_area(tr(label_key), max_chars=report_flow.MAX_NOTE,
                                key=f"{prefix}_{fn_name}_text")
            if st.form_submit_button(tr(button_key)):
                fn = getattr(report_flow, fn_name)
                _run(lambda s: fn(s, actor=actor, report_id=view.id, **{arg: text}))
    return render


_ACTIONS = {
    "assign": _assign,
    "reject": _text_action("action.reject_reason", "action.reject", "reject", "reason"),
    "note": _text_action("action.note", "action.add_note", "add_note", "note"),
    "respond": _text_action("action.respond_note", "action.respond", "respond", "note"),
    "reply": _text_action("action.reply_result", "action.reply", "reply", "result"),
    "return": _text_action("action.return_reason", "action.return", "return_to_office",
                           "reason"),
    "rate": lambda prefix, actor, view: None,  # the filer rates on the tracking page
}
