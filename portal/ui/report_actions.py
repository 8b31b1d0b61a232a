"""The staff's list-and-detail screen for reports, with the actions the state machine allows."""

import streamlit as st

from portal import cards, cases, catalogue, escalation, notice_doc, report_flow, reports, units
from portal.errors import PortalError
from portal.i18n import format_date, format_datetime
from portal.report_types import WITH_UNIT, Status
from portal.roles import Actor, Role
from portal.ui import knowledge_ui, report_view, rules_sections, triage_insight
from portal.ui.context import audited, db, lang, show_error, tr
from portal.ui.text import plain, show_field
from portal.ui.widgets import (
    act,
    ask_to_confirm,
    card_badge,
    card_styled,
    current_page,
    pager,
    pick_row,
)

PAGE_SIZE = 20


def queue(prefix: str, actor: Actor, list_fn) -> dict | None:  # noqa: ANN001
    """A filtered, paginated list whose rows open a report; returns the open report's row."""
    with db() as session:
        counts = reports.status_counts(session, actor=actor)
    st.caption(tr("queue.counts") + "：" + "　".join(
        f"{report_view.status_label(s)} {counts[s]}" for s in Status if counts.get(s)))
    status_col, card_col, order_col = st.columns([3, 1, 1])
    statuses = status_col.multiselect(tr("queue.filter"), [s.value for s in Status],
                                      format_func=report_view.status_label,
                                      key=f"{prefix}_statuses", placeholder=tr("common.all"))
    card = card_col.selectbox(tr("card.filter"), [None, cards.RED, cards.YELLOW],
                              format_func=lambda c: tr(f"card.{c}") if c else tr("common.all"),
                              placeholder=tr("common.all"), key=f"{prefix}_card")
    by_deadline = order_col.toggle(tr("queue.by_deadline"), value=prefix == "unit",
                                   key=f"{prefix}_by_deadline")
    with db() as session:
        rows, total = list_fn(session, actor=actor, statuses=statuses or None, card=card,
                              by_deadline=by_deadline, page=current_page(f"{prefix}_page"),
                              page_size=PAGE_SIZE)
    if not rows:
        st.info(tr("queue.empty"))
        return None
    return report_table(prefix, rows, total)


def report_table(prefix: str, rows: list[dict], total: int) -> dict | None:
    """The reports as a table with its pager; the row the user selected (remembered)."""
    st.caption(tr("uirep.pick_hint"))
    by_id = {r["id"]: r for r in rows}
    picked = pick_row(card_styled([row_for_table(r) for r in rows], tr("card.col")),
                      list(by_id), key=f"{prefix}_table")
    if any(r["deadline_estimated"] and r["current_due"] for r in rows):
        st.caption(tr("queue.estimated_mark"))
    pager(total=total, page_size=PAGE_SIZE, key=f"{prefix}_page")
    return by_id.get(picked)


def row_for_table(r: dict) -> dict:
    def day(d) -> str:  # noqa: ANN001
        return format_date(d, lang()) if d else ""

    card = tr(f"card.{r['card']}") if r.get("card") else ""
    # What decides the day's work comes first, so it stays in view at 1366 px: card, number,
    # title, state and the deadline; the rest may need the table's scroll bar.
    return {tr("card.col"): card, tr("queue.col.no"): r["tracking_no"],
            tr("queue.col.title"): r["title"],
            tr("queue.col.status"): report_view.status_label(r["status"]),
            tr("queue.col.current_due"): day(r["current_due"]) + (
                "*" if r["deadline_estimated"] and r["current_due"] else ""),
            tr("queue.col.kind"): tr(f"kind.{r['kind']}"),
            tr("queue.col.unit"): r["unit"] or "",
            tr("queue.col.created"): format_datetime(r["created_at"], lang()),
            tr("queue.col.channel"): tr(f"channel.{r['channel']}")}


def detail(prefix: str, actor: Actor, report_id: int, card: str | None = None) -> None:
    """The open report: a reopen banner on top, then what it is, the one next step, history."""
    with db() as session:
        try:
            view = reports.staff_view(session, actor=actor, report_id=report_id)
        except PortalError as error:
            show_error(error)
            return
    st.divider()
    rules_sections.reopen_banner(actor, view)
    report_view.summary(view)
    card_badge(card)
    merged = triage_insight.merged_notice(actor, view)
    report_view.details(view)
    _attachments(prefix, actor, view)
    actions(prefix, actor, view, merged=merged)
    report_view.timeline(view)
    rules_sections.ratings(actor, view)
    rules_sections.return_requests_section(prefix, actor, view, act)
    with db() as session:
        linked = cases.cases_for_report(session, actor=actor, report_id=view.id)
    if linked:
        show_field(tr("case.linked_cases"),
                   "、".join(f"{c['title']}（{tr('case.status.' + c['status'])}）"
                            for c in linked))
    triage_insight.duplicates_panel(prefix, actor, view, merged=merged)
    notices(prefix, actor, view)
    knowledge_ui.propose_form(prefix, actor, view)


PRIMARY_ORDER = ("assign", "respond", "reply")  # the one next step, by the state the report is in
RARE = ("reject", "return", "note")


def actions(prefix: str, actor: Actor, view: reports.ReportView, *, merged: bool) -> None:
    """The next step as the one primary button; others secondary, rare ones folded away."""
    allowed = [a for a in report_flow.allowed_actions(view.status, actor)
               if a != "rate" and (not merged or a == "note")]  # a merged report follows its main one
    if not allowed:
        return
    primary = next((a for a in PRIMARY_ORDER if a in allowed), None)
    others = [a for a in allowed if a != primary]
    if "reply" in allowed:
        knowledge_ui.reply_hints(actor, view)
    if primary:
        _ACTIONS[primary](prefix, actor, view, primary=True)
    for action in others:
        if action not in RARE:
            _ACTIONS[action](prefix, actor, view, primary=False)
    rare = [a for a in others if a in RARE]
    if rare:
        with st.expander(tr("uirep.more_actions")):
            for action in rare:
                _ACTIONS[action](prefix, actor, view, primary=False)


def notice_table(rows: list[dict]) -> None:
    st.dataframe(notice_records(rows), hide_index=True, use_container_width=True)


def notice_records(rows: list[dict]) -> list[dict]:
    """The notices as table rows (the transfer inbox selects from the same table)."""
    def state(n: dict) -> str:
        if n["withdrawn"]:
            return tr("notice.state.withdrawn")
        if n["kind"] == "transfer":
            return tr("notice.state.transferred")
        if n.get("settled_by") == "return_approved":
            return tr("notice.state.return_approved")
        if n["complied"] is False and n.get("settled_by") in ("respond", "reply", "progress",
                                                              "finish", "submit",
                                                              "rectify"):
            return tr("notice.state.late")
        return tr({None: "notice.state.pending", True: "notice.state.complied",
                   False: "notice.state.missed"}[n["complied"]])

    return [{tr("notice.col.number"): n["number"],
            tr("notice.col.kind"): tr(f"notice.kind.{n['kind']}"),
            tr("notice.col.report"): (f"{n['tracking_no']} {n['report_title']}"
                                      if n.get("item_kind", "report") == "report" else
                                      f"{tr('notice.item.' + n['item_kind'])} "
                                      f"{n['tracking_no']} {n['report_title']}"),
            tr("notice.col.unit"): n["unit"],
            tr("notice.col.issued"): format_date(n["issued_on"], lang()),
            tr("notice.col.overdue"): n["overdue_days"],
            tr("notice.col.overdue_calendar"): n.get("overdue_calendar_days", 0),
            tr("notice.col.deadline"): format_date(n["deadline"], lang())
            if n["deadline"] else "—",
            tr("notice.col.state"): state(n)} for n in rows]


def notice_downloads(prefix: str, rows: list[dict]) -> None:
    for n in rows:
        if not n["withdrawn"]:
            st.download_button(tr("notice.download", number=n["number"]),
                               data=audited(lambda n=n: notice_doc.render(n), n["number"]),
                               file_name=f"{n['number']}.docx",
                               mime=notice_doc.MIME, key=f"{prefix}_notice_{n['id']}")


def notices(prefix: str, actor: Actor, view: reports.ReportView) -> None:
    """The report's notices; supervisors issue the next rung or withdraw one here."""
    with db() as session:
        rows = escalation.notices_for_report(session, actor=actor, report_id=view.id)
        next_kind = escalation.next_rung(session, view.id)
    st.markdown(f"**{tr('notice.section')}**")
    if rows:
        notice_table(rows)
        notice_downloads(prefix, rows)
    else:
        st.caption(tr("notice.none"))
    if not actor.has(Role.SUPERVISOR):
        return
    if view.status in WITH_UNIT and next_kind:
        kind = tr(f"notice.kind.{next_kind}")
        with st.form(f"{prefix}_issue_{view.id}", clear_on_submit=True):
            reason = st.text_input(tr("notice.issue_reason"), key=f"{prefix}_issue_reason")
            if st.form_submit_button(tr("notice.issue", kind=kind)):
                ask_to_confirm(
                    tr("uirep.ask_issue", no=view.tracking_no, kind=kind, unit=view.unit or "—",
                       reason=reason.strip()),
                    lambda s: escalation.issue_by_hand(s, actor=actor, report_id=view.id,
                                                       reason=reason),
                    lambda n: tr("uirep.issued", number=n.number, no=view.tracking_no,
                                 deadline=day(n.deadline)))
    live = {n["id"]: n for n in rows if not n["withdrawn"]}
    if live:
        with st.form(f"{prefix}_withdraw_{view.id}", clear_on_submit=True):
            chosen = st.selectbox(tr("notice.withdraw_pick"), list(live),
                                  format_func=lambda i: live[i]["number"],
                                  key=f"{prefix}_withdraw_pick")
            reason = st.text_input(tr("notice.withdraw_reason"), key=f"{prefix}_withdraw_reason")
            if st.form_submit_button(tr("notice.withdraw")):
                number = live[chosen]["number"]
                ask_to_confirm(
                    tr("uirep.ask_withdraw", number=number, no=view.tracking_no,
                       reason=reason.strip()),
                    lambda s: escalation.withdraw(s, actor=actor, notice_id=chosen,
                                                  reason=reason),
                    tr("uirep.withdrawn", number=number, no=view.tracking_no))


def _attachments(prefix: str, actor: Actor, view: reports.ReportView) -> None:
    if not view.attachments:
        return
    st.markdown(f"**{tr('detail.attachments')}**")
    def load(attachment_id: int) -> bytes:
        with db() as session:
            return reports.attachment(session, actor=actor, attachment_id=attachment_id).data

    for item in view.attachments:  # the bytes are read only when a button is pressed
        st.download_button(tr("detail.download", name=plain(item["filename"])),
                           data=audited(lambda i=item["id"]: load(i),
                                        f"{view.tracking_no}: {item['filename']}"),
                           file_name=item["filename"], mime=item["content_type"],
                           key=f"{prefix}_file_{item['id']}")


def day(value) -> str:  # noqa: ANN001
    return format_date(value, lang()) if value else "—"


def _assign(prefix: str, actor: Actor, view: reports.ReportView, *, primary: bool) -> None:
    with db() as session:
        unit_names = {u.id: u.name for u in units.list_units(session)}
        labels = {e.number: f"{e.number}. {e.text}" for e in catalogue.list_categories(session)}
    suggested = triage_insight.triage_suggestions(view)
    preselect = view.category_number or suggested
    with st.form(f"{prefix}_assign_{view.id}"):
        st.markdown(f"**{tr('action.assign')}**")
        units_list = list(unit_names)
        default = units_list.index(view.unit_id) if view.unit_id in unit_names else 0
        unit_id = st.selectbox(tr("action.assign_unit"), units_list, index=default,
                               format_func=unit_names.get, key=f"{prefix}_assign_unit")
        numbers = [None, *labels]
        if view.category_number is None and suggested in labels:
            st.caption(tr("triage.preselected", number=suggested))
        category = st.selectbox(tr("action.category"), numbers,
                                index=numbers.index(preselect if preselect in labels else None),
                                format_func=lambda n: tr("report.category_unknown") if n is None
                                else labels[n], placeholder=tr("report.category_unknown"),
                                key=f"{prefix}_assign_category")
        if st.form_submit_button(tr("action.assign"), type="primary" if primary else "secondary"):
            act(lambda s: report_flow.assign(s, actor=actor, report_id=view.id, unit_id=unit_id,
                                              category_number=category),
                 lambda r: tr("uirep.assigned", no=r.tracking_no, unit=unit_names[unit_id],
                              respond_due=day(r.respond_due), reply_due=day(r.reply_due)))


def _reject(prefix: str, actor: Actor, view: reports.ReportView, *, primary: bool) -> None:
    with st.form(f"{prefix}_reject_{view.id}", clear_on_submit=True):
        reason = st.text_area(tr("action.reject_reason"), max_chars=report_flow.MAX_NOTE,
                              key=f"{prefix}_reject_text")
        if st.form_submit_button(tr("action.reject")):
            ask_to_confirm(
                tr("uirep.ask_reject", no=view.tracking_no, title=view.title,
                   reason=reason.strip()),
                lambda s: report_flow.reject(s, actor=actor, report_id=view.id, reason=reason),
                tr("uirep.rejected", no=view.tracking_no))


def _text_action(label_key: str, button_key: str, fn_name: str, arg: str, done_key: str):  # noqa: ANN202
    def render(prefix: str, actor: Actor, view: reports.ReportView, *, primary: bool) -> None:
        with st.form(f"{prefix}_{fn_name}_{view.id}", clear_on_submit=True):
            text = st.text_area(tr(label_key), max_chars=report_flow.MAX_NOTE,
                                key=f"{prefix}_{fn_name}_text")
            if st.form_submit_button(tr(button_key),
                                     type="primary" if primary else "secondary"):
                fn = getattr(report_flow, fn_name)
                act(lambda s: fn(s, actor=actor, report_id=view.id, **{arg: text}),
                     lambda r: tr(done_key, no=view.tracking_no,
                                  reply_due=day(getattr(r, "reply_due", None))))
    return render


_ACTIONS = {
    "assign": _assign,
    "reject": _reject,
    "note": _text_action("action.note", "action.add_note", "add_note", "note", "uirep.noted"),
    "respond": _text_action("action.respond_note", "action.respond", "respond", "note",
                            "uirep.responded"),
    "reply": lambda prefix, actor, view, primary: rules_sections.reply_form(
        prefix, actor, view, act, primary=primary),
    "return": _text_action("action.return_reason", "rules.return_request", "return_to_office",
                           "reason", "uirep.return_requested"),
}
